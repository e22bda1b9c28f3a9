package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;

class DatabaseUrlsTest {

    @Test
    void postgresqlUrlBecomesJdbcWithCredentialsTakenOut() {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgresql://user:pa%40ss@host:5433/db?sslmode=require");

        assertEquals("jdbc:postgresql://host:5433/db?sslmode=require", jdbc.url());
        assertEquals("user", jdbc.user());
        assertEquals("pa@ss", jdbc.password());
    }

    @Test
    void postgresSchemeIsAcceptedToo() {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgres://app:secret@db.example.org/products");

        assertEquals("jdbc:postgresql://db.example.org/products", jdbc.url());
        assertEquals("app", jdbc.user());
        assertEquals("secret", jdbc.password());
    }

    @Test
    void plusInAPasswordIsAPlusNotASpace() {
        // libpq only percent-decodes; '+' means '+' in a URL's user info (generated passwords have them).
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgresql://app:a+b%2Bc@host/db");

        assertEquals("a+b+c", jdbc.password());
    }

    @Test
    void percentEncodedUserNameIsDecoded() {
        assertEquals("app@tenant", DatabaseUrls.toJdbc("postgresql://app%40tenant:pw@host/db").user());
    }

    @Test
    void userWithoutPasswordLeavesThePasswordUnset() {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgresql://app@host/db");

        assertEquals("app", jdbc.user());
        assertNull(jdbc.password());
        assertEquals("jdbc:postgresql://host/db", jdbc.url());
    }

    @Test
    void urlWithoutCredentialsOrDatabaseUsesThePostgresDatabase() {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgresql://host:5432");

        assertEquals("jdbc:postgresql://host:5432/postgres", jdbc.url());
        assertNull(jdbc.user());
        assertNull(jdbc.password());
    }

    @Test
    void jdbcUrlIsKeptAsItIs() {
        String url = "jdbc:postgresql://host:5432/db?user=app&password=secret&ssl=true";

        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("  " + url + " ");

        assertEquals(url, jdbc.url());
        assertNull(jdbc.user());
        assertNull(jdbc.password());
    }

    @Test
    void otherSchemesAreAConfigurationErrorThatDoesNotShowThePassword() {
        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> DatabaseUrls.toJdbc("mysql://app:hunter2@host/db"));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        assertTrue(error.getMessage().contains("postgresql://"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://app:hun@ter2@host/db", "postgresql://app:hun/ter2@host/db",
            "postgresql:///db?password=hunter2"})
    void unparsableUrlIsAConfigurationErrorThatDoesNotShowThePassword(String url) {
        SyncProductsException error = assertThrows(SyncProductsException.class, () -> DatabaseUrls.toJdbc(url));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertFalse(error.getMessage().contains("ter2"), error.getMessage());
    }

    @Test
    void maskHidesThePasswordOfUserInfo() {
        assertEquals("postgresql://app:***@host:5433/db?sslmode=require",
                DatabaseUrls.mask("postgresql://app:pa%40ss@host:5433/db?sslmode=require"));
    }

    @Test
    void maskHidesAPasswordParameter() {
        assertEquals("jdbc:postgresql://host/db?user=app&password=***&ssl=true",
                DatabaseUrls.mask("jdbc:postgresql://host/db?user=app&password=secret&ssl=true"));
        assertEquals("jdbc:postgresql://host/db?PASSWORD=***",
                DatabaseUrls.mask("jdbc:postgresql://host/db?PASSWORD=secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://app:hun@ter2@host/db", "postgresql://app:hun/ter2@host/db",
            "postgresql://app:hun:ter2@host/db"})
    void maskHidesPasswordsWithCharactersThatShouldHaveBeenEncoded(String url) {
        String masked = DatabaseUrls.mask(url);

        assertFalse(masked.contains("hun") || masked.contains("ter2"), masked);
        assertTrue(masked.startsWith("postgresql://app:***@"), masked);
    }

    @Test
    void maskLeavesUrlsWithoutPasswordsAlone() {
        assertEquals("jdbc:postgresql://host:5432/db", DatabaseUrls.mask("jdbc:postgresql://host:5432/db"));
        assertEquals("postgresql://app@host/db", DatabaseUrls.mask("postgresql://app@host/db"));
        assertNull(DatabaseUrls.mask(null));
    }

    @Test
    void jdbcToStringDoesNotShowThePassword() {
        DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc("postgresql://app:hunter2@host/db?password=hunter2");

        assertFalse(jdbc.toString().contains("hunter2"), jdbc.toString());
    }

    @Test
    void databaseSettingsToStringNeverShowsThePassword() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://host/db?password=hunter2", "app", "hunter2",
                Path.of("/var/lib/sync-products"), 4);

        assertFalse(settings.toString().contains("hunter2"), settings.toString());
        assertTrue(settings.toString().contains("app"), settings.toString());
        assertFalse(settings.maskedUrl().contains("hunter2"), settings.maskedUrl());
    }

    @Test
    void embeddedDatabaseSettingsSayWhereTheDataLives() {
        DatabaseSettings settings = new DatabaseSettings(null, null, "hunter2", Path.of("/var/lib/sync-products"), 4);

        assertTrue(settings.isEmbedded());
        assertEquals("embedded:" + Path.of("/var/lib/sync-products"), settings.maskedUrl());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }
}
