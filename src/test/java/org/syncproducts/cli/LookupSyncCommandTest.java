package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.store.ProductCounts;
import org.syncproducts.support.Cli;
import org.syncproducts.support.FakeOpenFoodFacts;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code sync} of target codes through the Open Food Facts API (a local fake), CLI to database. */
class LookupSyncCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;
    private MockWebServer server;
    private FakeOpenFoodFacts off;

    @BeforeEach
    void setUp() throws IOException {
        database = TestDatabase.create();
        cli = Cli.against(database);
        off = new FakeOpenFoodFacts();
        server = TestHttpServer.create();
        server.setDispatcher(off);
        server.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        server.shutdown();
    }

    /** A valid EAN-13 made from a number, distinct per number. */
    static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    static String canonical(String code) {
        return "0".repeat(14 - code.length()) + code;
    }

    /** Imports targets 1..count. */
    private void targets(int count) throws IOException {
        List<String> lines = new ArrayList<>(List.of("code,category"));
        for (int i = 1; i <= count; i++) {
            lines.add(code(i) + ",Snacks");
        }
        Path file = Files.write(dir.resolve("targets.csv"), lines);
        Cli.Result imported = cli.run("targets", "import", file.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
    }

    /** Products 1..count known to the fake Open Food Facts. */
    private void known(int from, int to) {
        for (int i = from; i <= to; i++) {
            off.product(code(i), "Product " + i);
        }
    }

    private Path config(String extraSourceOptions) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    product_reads_per_minute: 600000
                    searches_per_minute: 600000
                    attempts: 2
                    backoff: 5ms
                    max_backoff: 10ms
                %s""".formatted(server.url("/"), extraSourceOptions.indent(4)));
    }

    private Cli.Result sync(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "sync"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private long count(String sql) {
        return database.count(sql);
    }

    @Test
    void incrementalSyncLooksUpMissingTargetsInPagesOfAHundred() throws IOException {
        targets(150);
        known(1, 140);
        Cli.Result result = sync(config(""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, off.searches(), "150 codes in two searches");
        assertEquals(140, count("SELECT count(*) FROM products WHERE source = 'open_food_facts'"));
        assertEquals(10, count("SELECT count(*) FROM lookup_misses"));
        assertEquals(0, count("SELECT count(*) FROM errors"));
        assertTrue(result.out().contains("looked up 150 of 150 codes at open_food_facts: 140 found, 10 not found anywhere, 0 failed"),
                result.out());
        Map<String, Object> product = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name, fat_100g::text AS fat, energy_kcal_100g::text AS kcal FROM products WHERE code = :code")
                .bind("code", canonical(code(7))).mapToMap().one());
        assertEquals("Product 7", product.get("name"));
        assertEquals("12.5", product.get("fat"));
        assertEquals("420", product.get("kcal"));
    }

    @Test
    void codesNoSourceHasAreNotAskedAgainUntilTheRecheckInterval() throws IOException {
        targets(20);
        known(1, 15);
        Path config = config("");
        assertEquals(0, sync(config).exitCode());
        assertEquals(1, off.searches());

        Cli.Result again = sync(config);
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, off.searches(), "found codes are present, missing ones remembered: nothing to ask");
        assertTrue(again.out().contains("looked up 0 of 0 codes"), again.out());

        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE lookup_misses SET checked_at = now() - interval '8 days' WHERE code = ?", canonical(code(16))));
        assertEquals(0, sync(config).exitCode());
        assertEquals(1, off.productReads(), "the one code past the 7-day re-check is asked again, alone");

        Cli.Result named = sync(config, "--upcs", code(17));
        assertEquals(0, named.exitCode(), named.toString());
        assertEquals(2, off.productReads(), "--upcs asks for a remembered code anyway");
    }

    @Test
    void aCodeFoundLaterIsForgottenAsMissing() throws IOException {
        targets(3);
        known(1, 2);
        Path config = config("");
        assertEquals(0, sync(config).exitCode());
        assertEquals(1, count("SELECT count(*) FROM lookup_misses"));
        known(3, 3);
        assertEquals(0, sync(config, "--full").exitCode());
        assertEquals(3, count("SELECT count(*) FROM products"));
        assertEquals(0, count("SELECT count(*) FROM lookup_misses"));
        assertEquals(List.of(), new ProductCounts(database.jdbi()).differences(), "lookups keep the product counts");
    }

    @Test
    void fullSyncRefetchesEveryTargetAndLeavesUnchangedRowsAlone() throws IOException {
        targets(30);
        known(1, 30);
        Path config = config("");
        assertEquals(0, sync(config).exitCode());
        Cli.Result full = sync(config, "--full", "--json");
        assertEquals(0, full.exitCode(), full.toString());
        JsonNode document = JSON.readTree(full.out());
        assertEquals(30, document.path("counts").path("unchanged").asLong());
        assertEquals(0, document.path("counts").path("updated").asLong());
        assertEquals(30, document.path("lookup").path("found").asLong());
        assertEquals(2, off.searches());
    }

    @Test
    void limitAndUpcsNarrowTheLookup() throws IOException {
        targets(50);
        known(1, 50);
        Path config = config("");
        Cli.Result limited = sync(config, "--limit", "10");
        assertEquals(0, limited.exitCode(), limited.toString());
        assertEquals(10, count("SELECT count(*) FROM products"));
        Cli.Result named = sync(config, "--upcs", code(40) + "," + code(41));
        assertEquals(0, named.exitCode(), named.toString());
        assertEquals(12, count("SELECT count(*) FROM products"));
    }

    @Test
    void failedLookupsAreTypedRetryableErrorsThatRetryFailedResolves() throws IOException {
        targets(5);
        known(1, 5);
        off.thenRespond(FakeOpenFoodFacts.json(500, "{}"), FakeOpenFoodFacts.json(500, "{}"));
        Path config = config("");
        Cli.Result failed = sync(config);
        assertEquals(1, failed.exitCode(), "5 of 5 failed is over the tolerance: " + failed);
        assertTrue(failed.out().contains("server 5"), failed.out());
        Map<String, Object> error = database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT error_type, code, source, retryable, attempts, canonical_code, resolved_at FROM errors
                        ORDER BY id LIMIT 1""").mapToMap().one());
        assertEquals("server", error.get("error_type"));
        assertEquals("500", error.get("code"));
        assertEquals("open_food_facts", error.get("source"));
        assertEquals(true, error.get("retryable"));
        assertEquals(2, error.get("attempts"));
        assertEquals(canonical(code(1)), error.get("canonical_code"));

        Cli.Result retried = sync(config, "--retry-failed");
        assertEquals(0, retried.exitCode(), retried.toString());
        assertEquals(5, count("SELECT count(*) FROM products"));
        assertEquals(0, count("SELECT count(*) FROM errors WHERE resolved_at IS NULL"));
        assertEquals(5, count("SELECT count(*) FROM errors WHERE resolved_at IS NOT NULL"));
    }

    @Test
    void aCodeFailingAgainCountsARetryAndStaysUnresolved() throws IOException {
        targets(2);
        known(1, 2);
        off.always(FakeOpenFoodFacts.json(503, "{}"));
        Path config = config("");
        assertEquals(1, sync(config).exitCode());
        assertEquals(1, sync(config, "--retry-failed").exitCode());
        assertEquals(4, count("SELECT count(*) FROM errors WHERE resolved_at IS NULL"));
        assertEquals(2, count("SELECT count(*) FROM errors WHERE retries = 1"));
    }

    @Test
    void withoutAContactNothingIsAskedAndTheExitCodeIs78() throws IOException {
        targets(3);
        Path config = Files.writeString(dir.resolve("no-contact.yaml"), """
                sources:
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                """.formatted(server.url("/")));
        Cli.Result result = sync(config);
        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("contact"), result.err());
        assertEquals(0, off.requests());
        assertEquals(0, count("SELECT count(*) FROM jobs"), "refused before any job starts");
    }

    @Test
    void theEnvironmentAloneSetsUpOpenFoodFacts() throws IOException {
        targets(4);
        known(1, 4);
        cli = cli.withEnv("OFF_API_URL", server.url("/").toString()).withEnv("OFF_CONTACT", "cron@example.org");
        Cli.Result result = cli.run("sync");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(4, count("SELECT count(*) FROM products WHERE source = 'open_food_facts'"));
        assertEquals("sync-products/" + VersionProvider.version() + " (cron@example.org)",
                takeUserAgent());
    }

    private String takeUserAgent() {
        try {
            return server.takeRequest().getHeader("User-Agent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theEnvironmentWinsOverTheConfigFile() throws IOException {
        targets(2);
        known(1, 2);
        Path config = Files.writeString(dir.resolve("elsewhere.yaml"), """
                sources:
                  open_food_facts:
                    type: open_food_facts
                    base_url: http://127.0.0.1:9/
                    contact: file@example.org
                """);
        cli = cli.withEnv("OFF_API_URL", server.url("/").toString());
        Cli.Result result = sync(config);
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, count("SELECT count(*) FROM products"));
    }

    @Test
    void everySourceUnavailableStopsTheRunWithExit69() throws IOException {
        targets(250);
        off.always(FakeOpenFoodFacts.json(503, "{}"));
        Cli.Result result = sync(config("circuit_breaker_calls: 1\n"));
        assertEquals(69, result.exitCode(), result.toString());
        assertTrue(result.err().contains("every lookup source is unavailable"), result.err());
        assertEquals(2, off.searches(), "one search, retried once; then the breaker is open");
        assertEquals(100, count("SELECT count(*) FROM errors WHERE error_type = 'server'"),
                "the first page's failures are recorded");
    }

    /** A upcdatabase.org that knows the given codes (as asked: 13 digits) and counts requests. */
    private static final class FakeUpcDatabase extends okhttp3.mockwebserver.Dispatcher {
        private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
            requests.incrementAndGet();
            if (!"Bearer test-key".equals(request.getHeader("Authorization"))) {
                return FakeOpenFoodFacts.json(401, "{\"success\":false,\"error\":{\"code\":401,\"message\":\"bad key\"}}");
            }
            String code = request.getRequestUrl().pathSegments().get(1);
            if (!known.contains(code)) {
                return FakeOpenFoodFacts.json(404, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"none\"}}");
            }
            return FakeOpenFoodFacts.json(200, "{\"success\":true,\"barcode\":\"" + code + "\",\"title\":\"UPC "
                    + code + "\",\"brand\":\"Fallback\"}");
        }
    }

    private Path configWithFallback(MockWebServer upcServer, String offOptions) throws IOException {
        return Files.writeString(dir.resolve("fallback.yaml"), """
                sync:
                  sources: [open_food_facts, upc_database]
                sources:
                  upc_database:
                    type: upc_database
                    base_url: %s
                    requests_per_minute: 600000
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    product_reads_per_minute: 600000
                    searches_per_minute: 600000
                    attempts: 1
                %s""".formatted(upcServer.url("/"), server.url("/"), offOptions.indent(4)));
    }

    @Test
    void sourcesAreTriedInPriorityOrderAndEachProductRecordsItsSource() throws IOException {
        targets(5);
        known(1, 3);
        FakeUpcDatabase upc = new FakeUpcDatabase();
        upc.known.add(code(3));
        upc.known.add(code(4));
        try (MockWebServer upcServer = TestHttpServer.create()) {
            upcServer.setDispatcher(upc);
            upcServer.start();
            Cli.Result result = cli.withEnv("UPC_DATABASE_API_KEY", "test-key").run("--config",
                    configWithFallback(upcServer, "").toString(), "sync");
            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(3, count("SELECT count(*) FROM products WHERE source = 'open_food_facts'"),
                    "code 3 is at both: the higher priority wins");
            assertEquals(1, count("SELECT count(*) FROM products WHERE source = 'upc_database' AND name = 'UPC "
                    + code(4) + "'"));
            assertEquals(2, upc.requests.get(), "only the codes Open Food Facts lacks go to the fallback");
            assertEquals(1, count("SELECT count(*) FROM lookup_misses WHERE sources = '{open_food_facts,upc_database}'"));
            assertTrue(result.out().contains("3 found (open_food_facts 3, upc_database 1)")
                    || result.out().contains("4 found (open_food_facts 3, upc_database 1)"), result.out());
        }
    }

    @Test
    void aFailingSourceIsSkippedOnceItsBreakerOpensAndTheFallbackTakesOver() throws IOException {
        targets(250);
        off.always(FakeOpenFoodFacts.json(503, "{}"));
        FakeUpcDatabase upc = new FakeUpcDatabase();
        for (int i = 1; i <= 250; i++) {
            upc.known.add(code(i));
        }
        try (MockWebServer upcServer = TestHttpServer.create()) {
            upcServer.setDispatcher(upc);
            upcServer.start();
            Cli.Result result = cli.withEnv("UPC_DATABASE_API_KEY", "test-key").run("--config",
                    configWithFallback(upcServer, "circuit_breaker_calls: 2").toString(), "sync");
            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(2, off.searches(), "two failed pages open the breaker; the third is not asked");
            assertEquals(250, count("SELECT count(*) FROM products WHERE source = 'upc_database'"));
            assertEquals(0, count("SELECT count(*) FROM errors"), "every code found at the fallback");
        }
    }

    @Test
    void fallbackWithoutItsKeyIsRefusedBeforeAnyRequest() throws IOException {
        targets(2);
        try (MockWebServer upcServer = TestHttpServer.create()) {
            upcServer.start();
            Cli.Result result = cli.run("--config", configWithFallback(upcServer, "").toString(), "sync");
            assertEquals(78, result.exitCode(), result.toString());
            assertTrue(result.err().contains("UPC_DATABASE_API_KEY"), result.err());
            assertEquals(0, off.requests());
        }
    }

    @Test
    void anApiKeyInTheConfigFileIsRefused() throws IOException {
        Path config = Files.writeString(dir.resolve("key-in-file.yaml"), """
                sources:
                  upc_database:
                    type: upc_database
                    api_key: do-not-put-me-here
                """);
        Cli.Result result = cli.run("--config", config.toString(), "sync");
        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("environment only"), result.err());
        assertTrue(!result.err().contains("do-not-put-me-here") && !result.out().contains("do-not-put-me-here"));
    }

    @Test
    void aSpentTimeBudgetEndsTheRunCleanlyAndTheNextRunContinues() throws IOException {
        targets(30);
        known(1, 30);
        Path config = config("");
        Cli.Result budgeted = sync(config, "--max-duration", "0s");
        assertEquals(0, budgeted.exitCode(), budgeted.toString());
        assertEquals(0, off.requests());
        assertTrue(budgeted.out().contains("looked up 0 of 30 codes") && budgeted.out().contains("30 left for the next run"),
                budgeted.out());
        assertEquals(1, count("SELECT count(*) FROM jobs WHERE status = 'completed' AND message LIKE "
                + "'%30 codes not looked up (time budget spent)%'"));
        Cli.Result next = sync(config, "--max-duration", "25m");
        assertEquals(0, next.exitCode(), next.toString());
        assertEquals(30, count("SELECT count(*) FROM products"));
    }

    @Test
    void aBadTimeBudgetIsAUsageError() throws IOException {
        Cli.Result result = sync(config(""), "--max-duration", "soon");
        assertEquals(64, result.exitCode(), result.toString());
    }

    @Test
    void aConcurrencyOutsideOneToSixtyFourIsAUsageError() throws IOException {
        Cli.Result result = sync(config(""), "--concurrency", "0");
        assertEquals(64, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--concurrency must be from 1 to 64"), result.err());
        assertEquals(0, off.requests());
    }

    @Test
    void anInterruptedLookupResumesAfterItsLastCommittedCode() throws IOException {
        targets(30);
        known(1, 30);
        long position = Long.parseLong(canonical(code(10)));
        // A full lookup that committed codes 1..10 and then died.
        database.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO jobs (status, strategy, sources, checkpoint)
                        VALUES ('interrupted', 'full', '{open_food_facts}', cast(:checkpoint AS jsonb))""")
                .bind("checkpoint", "{\"source\": \"open_food_facts\", \"fingerprint\": \"all targets via open_food_facts\", "
                        + "\"position\": " + position + "}")
                .execute());
        Cli.Result resumed = sync(config(""), "--full");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.out().contains("resumed from the checkpoint"), resumed.out());
        assertEquals(20, count("SELECT count(*) FROM products"), "codes 11..30 only");
        assertEquals(0, count("SELECT count(*) FROM products WHERE code <= '" + canonical(code(10)) + "'"));
    }

    @Test
    void apiKeysNeverReachTheJobRow() throws IOException {
        targets(1);
        FakeUpcDatabase upc = new FakeUpcDatabase();
        upc.known.add(code(1));
        try (MockWebServer upcServer = TestHttpServer.create()) {
            upcServer.setDispatcher(upc);
            upcServer.start();
            Cli.Result result = cli.withEnv("UPC_DATABASE_API_KEY", "test-key").run("--config",
                    configWithFallback(upcServer, "").toString(), "sync", "-v");
            assertEquals(0, result.exitCode(), result.toString());
            assertEquals(0, count("SELECT count(*) FROM jobs WHERE config::text LIKE '%test-key%'"));
            assertTrue(!result.out().contains("test-key") && !result.err().contains("test-key"));
        }
    }

    @Test
    void aFullLookupLeavesProductsOfAHigherPriorityFileAlone() throws IOException {
        targets(3);
        known(1, 3);
        Path feed = Files.writeString(dir.resolve("feed.csv"), "code,name\n" + code(1) + ",From the feed\n");
        Path config = Files.writeString(dir.resolve("priority.yaml"), """
                sync:
                  sources: [feed, open_food_facts]
                sources:
                  feed:
                    type: csv
                    path: %s
                    mapping: {code: code, name: name}
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    searches_per_minute: 600000
                """.formatted(feed, server.url("/")));
        Cli.Result result = sync(config, "--full");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("From the feed", database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name FROM products WHERE code = :code").bind("code", canonical(code(1)))
                .mapTo(String.class).one()));
        assertEquals(2, count("SELECT count(*) FROM products WHERE source = 'open_food_facts'"));
        assertTrue(result.out().contains("looked up 2 of 2 codes"), result.out());
    }
}
