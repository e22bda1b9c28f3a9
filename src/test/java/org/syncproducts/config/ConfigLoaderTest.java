package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.SourceTypes;

class ConfigLoaderTest {

    @TempDir
    Path directory;

    private Path configFile(String yaml) throws IOException {
        return Files.writeString(directory.resolve("sync-products.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static AppConfig load(Map<String, String> env, Path file, String dbUrl, Path embeddedDir) {
        return new ConfigLoader(env, SourceTypes.builtIn()).load(new ConfigLoader.Overrides(file, dbUrl, embeddedDir));
    }

    private static AppConfig load(Map<String, String> env, Path file) {
        return load(env, file, null, null);
    }

    /** Loads and expects a configuration error; returns its message. */
    private static String configError(Map<String, String> env, Path file) {
        SyncProductsException error = assertThrows(SyncProductsException.class, () -> load(env, file));
        assertEquals(ExitCode.CONFIG, error.exitCode(), error.getMessage());
        return error.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' not in: " + message);
        }
    }

    private static final String FILE_DATABASE = """
            database:
              url: postgresql://filehost:5432/filedb
              user: fileuser
              password: filepassword
            """;

    // ---- database URL precedence: flag > env DATABASE_URL > env DB_HOST... > file > embedded

    @Test
    void dbUrlFlagWinsOverEnvironmentAndFile() throws IOException {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://envhost/envdb", "DB_HOST", "dbhost");

        AppConfig config = load(env, configFile(FILE_DATABASE), "jdbc:postgresql://flaghost:6000/flagdb", null);

        assertEquals("jdbc:postgresql://flaghost:6000/flagdb", config.database().url());
        assertFalse(config.database().isEmbedded());
    }

    @Test
    void databaseUrlEnvironmentWinsOverDbHostAndFile() throws IOException {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://envhost:5433/envdb", "DB_HOST", "dbhost");

        AppConfig config = load(env, configFile(FILE_DATABASE));

        assertEquals("jdbc:postgresql://envhost:5433/envdb", config.database().url());
    }

    @Test
    void dbHostPortAndNameWinOverTheFileUrl() throws IOException {
        Map<String, String> env = Map.of("DB_HOST", "dbhost", "DB_PORT", "6543", "DB_NAME", "products");

        AppConfig config = load(env, configFile(FILE_DATABASE));

        assertEquals("jdbc:postgresql://dbhost:6543/products", config.database().url());
    }

    @Test
    void dbHostAloneUsesTheDefaultPortAndDatabase() {
        AppConfig config = load(Map.of("DB_HOST", "dbhost"), null);

        assertEquals("jdbc:postgresql://dbhost:5432/postgres", config.database().url());
    }

    @Test
    void nonNumericDbPortIsAConfigurationError() {
        assertMentions(configError(Map.of("DB_HOST", "dbhost", "DB_PORT", "fivefour"), null), "DB_PORT", "fivefour");
    }

    @Test
    void fileUrlIsUsedWhenNothingElseIsSet() throws IOException {
        AppConfig config = load(Map.of(), configFile(FILE_DATABASE));

        assertEquals("jdbc:postgresql://filehost:5432/filedb", config.database().url());
        assertEquals("fileuser", config.database().user());
        assertEquals("filepassword", config.database().password());
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() throws IOException {
        Map<String, String> env = Map.of("DATABASE_URL", " ", "DB_HOST", "", "DB_PASSWORD", "");

        AppConfig config = load(env, configFile(FILE_DATABASE));

        assertEquals("jdbc:postgresql://filehost:5432/filedb", config.database().url());
        assertEquals("filepassword", config.database().password());
    }

    @Test
    void dbPasswordAndUserFromTheEnvironmentWinOverTheFile() throws IOException {
        Map<String, String> env = Map.of("DB_PASSWORD", "envpassword", "DB_USER", "envuser");

        AppConfig config = load(env, configFile(FILE_DATABASE));

        assertEquals("envpassword", config.database().password());
        assertEquals("envuser", config.database().user());
    }

    @Test
    void dbPasswordFromTheEnvironmentWinsOverAPasswordInTheFileUrl() throws IOException {
        Path file = configFile("""
                database:
                  url: postgresql://fileuser:filepassword@filehost/filedb
                """);

        AppConfig config = load(Map.of("DB_PASSWORD", "rotated"), file);

        assertEquals("rotated", config.database().password());
        assertEquals("fileuser", config.database().user());
        assertEquals("jdbc:postgresql://filehost/filedb", config.database().url());
    }

    @Test
    void credentialsInAnEnvironmentUrlWinOverSeparateOnes() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://urluser:urlpassword@envhost/envdb",
                "DB_USER", "envuser", "DB_PASSWORD", "envpassword");

        AppConfig config = load(env, null);

        assertEquals("urluser", config.database().user());
        assertEquals("urlpassword", config.database().password());
    }

    @Test
    void credentialsInTheFlagUrlWinOverTheEnvironment() {
        AppConfig config = load(Map.of("DB_PASSWORD", "envpassword"), null,
                "postgresql://flaguser:flagpassword@flaghost/flagdb", null);

        assertEquals("flaguser", config.database().user());
        assertEquals("flagpassword", config.database().password());
    }

    @Test
    void postgresqlUrlBecomesJdbcWithDecodedCredentials() {
        AppConfig config = load(Map.of("DATABASE_URL", "postgresql://user:pa%40ss@host:5433/db?sslmode=require"), null);

        assertEquals("jdbc:postgresql://host:5433/db?sslmode=require", config.database().url());
        assertEquals("user", config.database().user());
        assertEquals("pa@ss", config.database().password());
    }

    @Test
    void settingsNeverShowThePassword() throws IOException {
        AppConfig config = load(Map.of("DATABASE_URL", "postgresql://user:s3cretpw@host:5433/db"), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: UPC}
                """));

        assertFalse(config.database().toString().contains("s3cretpw"), config.database().toString());
        assertFalse(config.toString().contains("s3cretpw"), config.toString());
        assertFalse(config.database().maskedUrl().contains("s3cretpw"), config.database().maskedUrl());
    }

    // ---- embedded database

    @Test
    void withoutXdgDataHomeTheEnvironmentsHomeWinsOverJavasUserHome() {
        Path home = directory.resolve("service-home");

        DatabaseSettings database = load(Map.of("HOME", home.toString()), null).database();

        assertEquals(home.resolve(".local/share/sync-products/postgres").toAbsolutePath().normalize(),
                database.embeddedDir(), "HOME, not user.home from the password file");
    }

    @Test
    void withNoDatabaseSettingsTheEmbeddedDatabaseLivesUnderXdgDataHome() {
        Path dataHome = directory.resolve("data-home");

        DatabaseSettings database = load(Map.of("XDG_DATA_HOME", dataHome.toString()), null).database();

        assertTrue(database.isEmbedded());
        assertNull(database.url());
        assertEquals(dataHome.resolve("sync-products").resolve("postgres").toAbsolutePath().normalize(),
                database.embeddedDir());
        assertTrue(database.maskedUrl().startsWith("embedded:"), database.maskedUrl());
    }

    @Test
    void withoutXdgDataHomeTheEmbeddedDatabaseLivesUnderTheHomeDirectory() {
        DatabaseSettings database = load(Map.of(), null).database();

        assertEquals(Path.of(System.getProperty("user.home"), ".local", "share", "sync-products", "postgres")
                .toAbsolutePath().normalize(), database.embeddedDir());
    }

    @Test
    void embeddedDirFlagWinsOverTheFile() throws IOException {
        Path file = configFile("""
                database:
                  embedded_dir: from-file
                """);
        Path flag = directory.resolve("from-flag");

        assertEquals(flag, load(Map.of("XDG_DATA_HOME", "/elsewhere"), file, null, flag).database().embeddedDir());
        assertEquals(directory.resolve("from-file"), load(Map.of("XDG_DATA_HOME", "/elsewhere"), file).database().embeddedDir(),
                "relative to the config file's directory");
    }

    // ---- sync settings

    @Test
    void syncSettingsDefaultWhenTheFileSaysNothing() {
        SyncSettings sync = load(Map.of(), null).sync();

        assertEquals(SyncSettings.defaults(), sync);
        assertEquals(SyncSettings.DEFAULT_BATCH_SIZE, sync.batchSize());
        assertEquals(List.of(), sync.sources());
    }

    @Test
    void syncSettingsAreReadFromTheFile() throws IOException {
        Path file = configFile("""
                sources:
                  b_feed: {type: off-csv, path: b.csv}
                  a_feed: {type: off-jsonl, path: a.jsonl}
                sync:
                  sources: [a_feed, b_feed]
                  batch_size: 250
                  failure_tolerance: 5%
                  progress_interval: 30s
                  stale_after: 10m
                """);

        AppConfig config = load(Map.of(), file);

        assertEquals(List.of("b_feed", "a_feed"), List.copyOf(config.sources().keySet()), "file order");
        assertEquals(List.of("a_feed", "b_feed"), config.sync().sources(), "priority order");
        assertEquals(250, config.sync().batchSize());
        assertEquals(FailureTolerance.parse("5%"), config.sync().failureTolerance());
        assertEquals(Duration.ofSeconds(30), config.sync().progressInterval());
        assertEquals(Duration.ofMinutes(10), config.sync().staleAfter());
    }

    @Test
    void sourceNamedOffIsNotReadAsTheYamlBooleanFalse() throws IOException {
        Path file = configFile("""
                sources:
                  off: {type: off-csv, path: export.csv.gz}
                  on: {type: off-jsonl, path: dump.jsonl.gz}
                sync:
                  sources: [off, on]
                """);

        assertEquals(List.of("off", "on"), load(Map.of(), file).sync().sources());
    }

    @Test
    void yesAndNoStillWorkAsBooleanOptions() throws IOException {
        Files.writeString(directory.resolve("feed.csv"), "036000291452,Lemonade\n");
        Path file = configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    header: no
                    mapping: {code: 1, name: 2}
                """);

        try (RecordStream stream = load(Map.of(), file).sources().get("feed").open(0)) {
            SourceRecord.Item item = assertInstanceOf(SourceRecord.Item.class, stream.next(), "the first line is data");
            assertEquals("036000291452", item.product().get(ProductField.CODE));
        }
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws IOException {
        Path file = configFile("sync:\n  batch_size: 77\n");

        assertEquals(77, load(Map.of(ConfigLoader.CONFIG_ENV, file.toString()), null).sync().batchSize());
        assertEquals(file, load(Map.of(ConfigLoader.CONFIG_ENV, file.toString()), null).file());
    }

    @Test
    void emptyConfigFileMeansDefaults() throws IOException {
        assertEquals(SyncSettings.defaults(), load(Map.of(), configFile("")).sync());
    }

    // ---- configuration errors: exit 78, naming the key

    @Test
    void missingConfigFileIsAConfigurationError() {
        assertMentions(configError(Map.of(), directory.resolve("nope.yaml")), "not found", "nope.yaml");
    }

    @Test
    void invalidYamlIsAConfigurationError() throws IOException {
        assertMentions(configError(Map.of(), configFile("sync: [unclosed\n")), "not valid YAML");
    }

    @Test
    void configFileThatIsNotAMappingIsAConfigurationError() throws IOException {
        assertMentions(configError(Map.of(), configFile("- just\n- a list\n")), "mapping");
    }

    @Test
    void unknownTopLevelKeyIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("databse:\n  url: x\n")), "databse", "unknown key");
    }

    @Test
    void unknownDatabaseKeyIsRefusedWithItsPath() throws IOException {
        assertMentions(configError(Map.of(), configFile("database:\n  pasword: x\n")), "database.pasword");
    }

    @Test
    void unknownSourceTypeIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: excel
                    path: feed.xlsx
                """));

        assertMentions(message, "sources.feed.type", "excel", "csv");
    }

    @Test
    void sourceWithoutATypeIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sources:\n  feed:\n    path: feed.csv\n")), "sources.feed", "type");
    }

    @Test
    void sourceWithoutAPathIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sources:\n  feed:\n    type: off-csv\n")), "sources.feed", "path");
    }

    @Test
    void unknownSourceOptionIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: off-csv
                    path: feed.csv
                    delimiter: ";"
                """));

        assertMentions(message, "sources.feed.delimiter", "unknown key");
    }

    @Test
    void csvMappingToAnUnknownProductFieldIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping:
                      code: UPC
                      nmae: Description
                """));

        assertMentions(message, "sources.feed.mapping.nmae", "unknown product field", ProductField.NAME.configName());
    }

    @Test
    void csvMappingWithoutTheCodeIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping:
                      name: Description
                """));

        assertMentions(message, "sources.feed.mapping", "code");
    }

    @Test
    void csvWithoutHeaderMustNameColumnsByNumber() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    header: false
                    mapping:
                      code: 1
                      name: Description
                """));

        assertMentions(message, "sources.feed.mapping.name", "Description");
    }

    @Test
    void csvWithoutHeaderRefusesColumnZero() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    header: false
                    mapping:
                      code: 0
                """));

        assertMentions(message, "sources.feed.mapping.code");
    }

    @Test
    void csvWithoutHeaderMustNameExtraColumnsByNumber() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    header: false
                    mapping: {code: 1}
                    extra: {price: Price}
                """));

        assertMentions(message, "sources.feed.extra.price", "Price");
    }

    @Test
    void csvDelimiterOfMoreThanOneCharacterIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    delimiter: ";;"
                    mapping: {code: UPC}
                """));

        assertMentions(message, "sources.feed.delimiter");
    }

    @Test
    void csvUnknownEncodingIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    encoding: klingon-8
                    mapping: {code: UPC}
                """));

        assertMentions(message, "sources.feed.encoding", "klingon-8");
    }

    @Test
    void nonNumericBatchSizeIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sync:\n  batch_size: lots\n")), "sync.batch_size", "lots");
    }

    @Test
    void zeroBatchSizeIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sync:\n  batch_size: 0\n")), "sync.batch_size");
    }

    @Test
    void badFailureToleranceIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sync:\n  failure_tolerance: some\n")), "sync.failure_tolerance", "some");
    }

    @Test
    void badDurationIsRefusedNamingTheKey() throws IOException {
        assertMentions(configError(Map.of(), configFile("sync:\n  stale_after: soon\n")), "sync.stale_after", "soon");
    }

    @Test
    void syncSourcesNamingAnUnconfiguredSourceIsRefused() throws IOException {
        String message = configError(Map.of(), configFile("""
                sources:
                  off: {type: off-csv, path: off.csv}
                sync:
                  sources: [off, upc_database]
                """));

        assertMentions(message, "sync.sources", "upc_database");
    }

    @Test
    void sourceNameWithOddCharactersIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("sources:\n  \"my feed\": {type: off-csv, path: a.csv}\n")),
                "my feed");
    }

    @Test
    void badDatabaseUrlSchemeIsAConfigurationError() {
        assertMentions(configError(Map.of("DATABASE_URL", "mysql://user:hunter2@host/db"), null), "database URL");
    }

    @Test
    void poolSizeOutOfRangeIsRefused() throws IOException {
        assertMentions(configError(Map.of(), configFile("database:\n  pool_size: 1000\n")), "database.pool_size");
    }

    // ---- sources

    @Test
    void relativeSourcePathsResolveAgainstTheConfigFilesDirectory() throws IOException {
        Path configDirectory = Files.createDirectories(directory.resolve("etc"));
        Files.createDirectories(configDirectory.resolve("data"));
        Files.writeString(configDirectory.resolve("data").resolve("feed.csv"), "UPC,Description\n036000291452,Lemonade\n");
        Path file = Files.writeString(configDirectory.resolve("config.yaml"), """
                sources:
                  feed:
                    type: csv
                    path: data/feed.csv
                    mapping: {code: UPC, name: Description}
                """);

        ProductSource source = load(Map.of(), file).sources().get("feed");

        assertEquals("feed", source.name());
        assertEquals("csv", source.type());
        assertTrue(source.fingerprint().startsWith(configDirectory.resolve("data").resolve("feed.csv").toAbsolutePath() + "|"),
                source.fingerprint());
        try (RecordStream stream = source.open(0)) {
            SourceRecord.Item item = assertInstanceOf(SourceRecord.Item.class, stream.next());
            assertEquals("036000291452", item.product().get(ProductField.CODE));
            assertEquals("Lemonade", item.product().get(ProductField.NAME));
        }
    }

    @Test
    void absoluteSourcePathsAreKept() throws IOException {
        Path elsewhere = Files.createDirectories(directory.resolve("elsewhere")).resolve("off.csv");
        Path file = configFile("sources:\n  off: {type: off-csv, path: '" + elsewhere + "'}\n");

        assertTrue(load(Map.of(), file).sources().get("off").fingerprint().startsWith(elsewhere.toString()));
    }

    @Test
    void sourcesOfEveryBuiltInTypeAreBuilt() throws IOException {
        Path file = configFile("""
                sources:
                  export: {type: off-csv, path: export.csv.gz}
                  dump: {type: off-jsonl, path: dump.jsonl.gz}
                  feed:
                    type: csv
                    path: feed.csv
                    delimiter: ";"
                    quote: "'"
                    header: true
                    encoding: ISO-8859-1
                    mapping: {code: UPC}
                    extra: {price: Price}
                """);

        Map<String, ProductSource> sources = load(Map.of(), file).sources();

        Map<String, String> types = new HashMap<>();
        sources.forEach((name, source) -> types.put(name, source.type()));
        assertEquals(Map.of("export", "off-csv", "dump", "off-jsonl", "feed", "csv"), types);
    }
}
