package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.FakeOpenFoodFacts;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code sources list} and {@code sources test}, through the CLI. */
class SourcesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODE = OffCsvFixture.withCheckDigit("500000000001");

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;
    private MockWebServer feed;
    private MockWebServer off;

    @BeforeEach
    void setUp() throws IOException {
        database = TestDatabase.create();
        cli = Cli.against(database).withEnv("FEED_TOKEN", "t0ken-value");
        feed = TestHttpServer.create();
        feed.start();
        FakeOpenFoodFacts fake = new FakeOpenFoodFacts();
        fake.product("3017620422003", "Nutella");
        off = TestHttpServer.create();
        off.setDispatcher(fake);
        off.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        feed.shutdown();
        off.shutdown();
    }

    private Path config() throws IOException {
        Path csv = Files.writeString(dir.resolve("local.csv"), "barcode,name\n" + CODE + ",Local product\n");
        return Files.writeString(dir.resolve("config.yaml"), """
                sync:
                  sources: [feed, local, open_food_facts]
                sources:
                  feed:
                    type: rest
                    url: %s
                    records_path: items
                    mapping: {code: gtin, name: title}
                    updated_at: updated_at
                    updated_since_param: updated_since
                    auth: {type: bearer, token_env: FEED_TOKEN}
                    requests_per_minute: 600000
                    attempts: 1
                  local:
                    type: csv
                    path: %s
                    mapping: {code: barcode, name: name}
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    product_reads_per_minute: 600000
                    searches_per_minute: 600000
                  other:
                    type: upc_database
                """.formatted(feed.url("/items"), csv, off.url("/")));
    }

    private static MockResponse page(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String items(String code) {
        return "{\"items\": [{\"gtin\": \"" + code + "\", \"title\": \"Feed product\", \"updated_at\": "
                + "\"2026-12-01T08:00:00Z\"}]}";
    }

    @Test
    void listShowsTypePriorityWatermarkAndWhetherSecretsAreSet() throws IOException {
        Path config = config();
        feed.enqueue(page(items(CODE)));
        Cli.Result sync = cli.run("--config", config.toString(), "sync", "--source", "feed");
        assertEquals(0, sync.exitCode(), sync.toString());

        Cli.Result list = cli.run("--config", config.toString(), "sources", "list");
        assertEquals(0, list.exitCode(), list.toString());
        String[] lines = list.out().strip().split("\n");
        assertEquals(4, lines.length, list.out());
        assertTrue(lines[0].matches("1\\s+feed\\s+rest\\s+watermark 2026-12-01T08:00:00Z\\s+FEED_TOKEN set"), lines[0]);
        assertTrue(lines[1].matches("2\\s+local\\s+csv\\s+never synced"), lines[1]);
        assertTrue(lines[3].matches("-\\s+other\\s+upc_database\\s+never synced\\s+UPC_DATABASE_API_KEY NOT SET"), lines[3]);
        assertFalse(list.out().contains("t0ken-value"));

        Cli.Result json = cli.run("--config", config.toString(), "--json", "sources", "list");
        JsonNode first = JSON.readTree(json.out()).path("items").get(0);
        assertEquals("feed", first.path("name").asText());
        assertEquals(1, first.path("priority").asInt());
        assertEquals("2026-12-01T08:00:00Z", first.path("watermark").asText());
        assertTrue(first.path("last_completed_job").asLong() > 0);
        assertTrue(first.path("secrets").path("FEED_TOKEN").asBoolean());
    }

    @Test
    void testReadsMapsAndShowsTheFirstProductOfEachSource() throws IOException {
        Path config = config();
        feed.enqueue(page(items(CODE)));
        Cli.Result result = cli.run("--config", config.toString(), "sources", "test", "feed");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("feed (rest): usable: read 1 records, 1 mapped"), result.out());
        assertTrue(result.out().contains("first product: " + CODE + " \"Feed product\""), result.out());
        assertEquals(0, database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'jobs'"),
                "a test writes nothing, not even the schema");

        Cli.Result csv = cli.run("--config", config.toString(), "sources", "test", "local");
        assertEquals(0, csv.exitCode(), csv.toString());
        assertTrue(csv.out().contains("\"Local product\""), csv.out());

        Cli.Result lookup = cli.run("--config", config.toString(), "sources", "test", "open_food_facts");
        assertEquals(0, lookup.exitCode(), lookup.toString());
        assertTrue(lookup.out().contains("\"Nutella\""), lookup.out());
    }

    @Test
    void testExitCodesSayWhatIsWrong() throws IOException {
        Path config = config();
        feed.enqueue(new MockResponse().setResponseCode(401));
        Cli.Result refused = cli.run("--config", config.toString(), "sources", "test", "feed");
        assertEquals(ExitCode.CONFIG, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("credentials were refused; check FEED_TOKEN"), refused.err());

        feed.enqueue(page("{\"items\": [{\"gtin\": \"not a code\"}, {\"title\": \"no code\"}]}"));
        Cli.Result unmapped = cli.run("--config", config.toString(), "sources", "test", "feed");
        assertEquals(ExitCode.DATA_ERROR, unmapped.exitCode(), unmapped.toString());
        assertTrue(unmapped.out().contains("none maps to a product"), unmapped.out());

        Cli.Result missingKey = cli.run("--config", config.toString(), "sources", "test", "other");
        assertEquals(ExitCode.CONFIG, missingKey.exitCode(), missingKey.toString());

        feed.shutdown();
        Cli.Result unreachable = cli.run("--config", config.toString(), "sources", "test", "feed");
        assertEquals(ExitCode.UNAVAILABLE, unreachable.exitCode(), unreachable.toString());
        assertFalse((refused + unmapped.toString() + unreachable).contains("t0ken-value"));
    }
}
