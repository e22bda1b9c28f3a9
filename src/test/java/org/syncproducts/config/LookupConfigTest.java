package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.off.OffApiSource;
import org.syncproducts.source.upc.UpcDatabaseSource;
import org.syncproducts.source.upc.UpcItemDbSource;

/** Lookup sources (APIs) in the config file and the environment. */
class LookupConfigTest {
    @TempDir
    Path directory;

    private AppConfig load(Map<String, String> env, String yaml) throws IOException {
        Path file = yaml == null ? null : Files.writeString(directory.resolve("config.yaml"), yaml);
        LookupContext context = new LookupContext(env, new SharedHttpClient(), Clock.systemUTC(), "sync-products/test");
        return new ConfigLoader(env, SourceTypes.builtIn(context)).load(new ConfigLoader.Overrides(file, null, null));
    }

    private String configError(Map<String, String> env, String yaml) {
        SyncProductsException error = assertThrows(SyncProductsException.class, () -> load(env, yaml));
        assertEquals(78, error.exitCode(), error.getMessage());
        return error.getMessage();
    }

    @Test
    void openFoodFactsOptionsAreRead() throws IOException {
        AppConfig config = load(Map.of(), """
                sync:
                  sources: [off, feed]
                  recheck_not_found_after: 3d
                  max_duration: 25m
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: ean}
                  off:
                    type: open_food_facts
                    base_url: http://localhost:8080/
                    contact: ops@example.org
                    searches_per_minute: 5
                    attempts: 4
                    backoff: 2s
                    max_retry_after: 30s
                    circuit_breaker_calls: 3
                """);
        OffApiSource off = assertInstanceOf(OffApiSource.class, config.lookupSources().get("off"));
        assertEquals("http://localhost:8080/", off.settings().baseUrl().toString());
        assertEquals("ops@example.org", off.settings().contact());
        assertEquals(5, off.settings().searchesPerMinute());
        assertEquals(15, off.settings().productReadsPerMinute());
        assertEquals(4, off.settings().http().attempts());
        assertEquals(Duration.ofSeconds(2), off.settings().http().initialBackoff());
        assertEquals(Duration.ofSeconds(30), off.settings().http().maxRetryAfter());
        assertEquals(3, off.settings().breaker().minimumCalls());
        assertEquals(List.of("off", "feed"), config.sync().sources());
        assertEquals(List.of("feed"), List.copyOf(config.sources().keySet()));
        assertEquals(Duration.ofDays(3), config.sync().recheckNotFoundAfter());
        assertEquals(Duration.ofMinutes(25), config.sync().maxDuration());
    }

    @Test
    void defaultsAreThePublishedLimits() throws IOException {
        AppConfig config = load(Map.of(), """
                sources:
                  off: {type: open_food_facts, contact: a@b.org}
                """);
        OffApiSource off = (OffApiSource) config.lookupSources().get("off");
        assertEquals(OffApiSource.DEFAULT_BASE_URL, off.settings().baseUrl().toString().replaceAll("/$", ""));
        assertEquals(15, off.settings().productReadsPerMinute());
        assertEquals(10, off.settings().searchesPerMinute());
        assertEquals(3, off.settings().http().attempts());
        assertEquals(Duration.ofDays(7), config.sync().recheckNotFoundAfter());
        assertNull(config.sync().maxDuration());
    }

    @Test
    void theEnvironmentWinsAndCanSetUpSourcesAlone() throws IOException {
        AppConfig overridden = load(Map.of("OFF_API_URL", "http://staging.example:9000", "OFF_CONTACT", "env@example.org"),
                """
                sources:
                  off: {type: open_food_facts, base_url: "http://file.example", contact: file@example.org}
                """);
        OffApiSource off = (OffApiSource) overridden.lookupSources().get("off");
        assertEquals("http://staging.example:9000/", off.settings().baseUrl().toString());
        assertEquals("env@example.org", off.settings().contact());
        assertEquals(1, overridden.lookupSources().size(), "no second Open Food Facts source from the environment");

        AppConfig fromEnvironment = load(Map.of("OFF_CONTACT", "cron@example.org", "UPC_DATABASE_API_KEY", "k",
                "UPCITEMDB_API_URL", "http://upc.example"), null);
        assertEquals(List.of("open_food_facts", "upcitemdb", "upc_database"),
                List.copyOf(fromEnvironment.lookupSources().keySet()), "in priority order");
        assertInstanceOf(UpcItemDbSource.class, fromEnvironment.lookupSources().get("upcitemdb"));
        assertInstanceOf(UpcDatabaseSource.class, fromEnvironment.lookupSources().get("upc_database"));
    }

    @Test
    void badOptionsNameTheirKey() {
        assertTrue(configError(Map.of(), """
                sources:
                  off: {type: open_food_facts, searches_per_minute: 0}
                """).contains("sources.off.searches_per_minute"));
        assertTrue(configError(Map.of(), """
                sources:
                  off: {type: open_food_facts, base_url: "ftp://x"}
                """).contains("base_url"));
        assertTrue(configError(Map.of(), """
                sources:
                  off: {type: open_food_facts, rate: 3}
                """).contains("sources.off.rate: unknown key"));
        assertTrue(configError(Map.of(), """
                sync:
                  max_duration: soon
                """).contains("sync.max_duration"));
        assertTrue(configError(Map.of(), """
                sync:
                  sources: [nowhere]
                sources:
                  off: {type: open_food_facts}
                """).contains("nowhere"));
    }
}
