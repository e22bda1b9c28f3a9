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
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.source.offdelta.DeltaFiles;
import org.syncproducts.source.offdelta.OffDeltaSourceTest;
import org.syncproducts.support.Cli;
import org.syncproducts.support.FakeOpenFoodFacts;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code sync --auto}: the strategy chosen per run, and why (issue 11 item 4). */
class AutoSyncTest {
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

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    /** An export holding products 1..count; a config with it and the (fake) Open Food Facts API. */
    private Path setUpExportAndApi(int count, String extraConfig) throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i).lastModified(1_700_000_000L));
        }
        fixture.write(dir.resolve("export.csv"));
        return Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  off_export:
                    type: off-csv
                    path: export.csv
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    product_reads_per_minute: 600000
                    searches_per_minute: 600000
                %s""".formatted(server.url("/"), extraConfig));
    }

    private void targets(int from, int to) throws IOException {
        List<String> lines = new ArrayList<>(List.of("code,category"));
        for (int i = from; i <= to; i++) {
            lines.add(code(i) + ",Snacks");
        }
        Path file = Files.write(dir.resolve("targets.csv"), lines);
        assertEquals(0, cli.run("targets", "import", file.toString()).exitCode());
    }

    private JsonNode auto(Path config, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "sync", "--auto", "--json"));
        args.addAll(List.of(more));
        Cli.Result result = cli.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.toString());
        return JSON.readTree(result.out());
    }

    private String jobConfig(long jobId, String key) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT config ->> :key FROM jobs WHERE id = :id")
                .bind("key", key).bind("id", jobId).mapTo(String.class).one());
    }

    @Test
    void firstRunLoadsTheExportThenLooksUpOnlyTargetsStillMissingAndSaysWhy() throws IOException {
        Path config = setUpExportAndApi(5, "");
        targets(1, 7);
        off.product(code(6), "Only in the API");

        JsonNode first = auto(config);

        String reason = first.get("auto").asText();
        assertTrue(reason.startsWith("no full load of the export (off_export) has succeeded yet: full export, then "
                + "API lookups for targets still missing"), reason);
        assertEquals("full", jobConfig(first.get("job_id").asLong(), "strategy"));
        assertEquals(reason, jobConfig(first.get("job_id").asLong(), "auto"), "the job row says why");
        assertEquals(6, database.count("SELECT count(*) FROM products"), "the export's 5, and code 6 from the API");
        assertEquals(2, first.get("lookup").get("codes").asLong(), "only the two targets the export lacked: " + first);

        int requestsBefore = off.requests();
        JsonNode second = auto(config);

        String again = second.get("auto").asText();
        assertTrue(again.startsWith("export last loaded "), again);
        assertTrue(again.contains("no off-delta source configured: incremental sync of off_export"), again);
        assertEquals("incremental", jobConfig(second.get("job_id").asLong(), "strategy"));
        assertEquals(0, second.get("counts").get("added").asLong() + second.get("counts").get("updated").asLong());
        assertTrue(off.requests() - requestsBefore <= 1,
                "code 7, missing everywhere, is not asked again at once: " + (off.requests() - requestsBefore));
    }

    @Test
    void fewNamedCodesAreReadFromTheApiWithoutTouchingTheExport() throws IOException {
        Path config = setUpExportAndApi(3, "auto:\n  realtime_max: 2\n");
        off.product(code(1), "Fresh from the API");

        JsonNode document = auto(config, "--upcs", code(1) + "," + code(2));

        assertTrue(document.get("auto").asText().startsWith("2 named code(s), at most auto.realtime_max (2): read "
                + "from the API"), document.toString());
        assertEquals(1, database.count("SELECT count(*) FROM products"), "the export was not read: " + document);
        assertEquals("Fresh from the API", database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name FROM products").mapTo(String.class).one()));
    }

    @Test
    void moreNamedCodesThanTheRealtimeMaximumGoThroughTheExport() throws IOException {
        Path config = setUpExportAndApi(3, "auto:\n  realtime_max: 1\n");

        JsonNode document = auto(config, "--upcs", code(1) + "," + code(2));

        assertTrue(document.get("auto").asText().startsWith("no full load of the export"), document.toString());
        assertEquals(2, database.count("SELECT count(*) FROM products"));
        assertEquals(0, off.requests(), "both codes came from the export");
    }

    @Test
    void aGapInTheDeltasIsRepairedWithTheFullExportInTheSameRun() throws IOException {
        Path deltas = Files.createDirectories(dir.resolve("deltas"));
        String file = DeltaFiles.name(1_800_000_000L, 1_800_086_400L);
        Files.writeString(deltas.resolve("index.txt"), file + "\n");
        Files.write(deltas.resolve(file), DeltaFiles.gzip(List.of(
                DeltaFiles.document(code(1), "Changed in a delta", 1_800_000_100L))));
        Path config = setUpExportAndApi(3, "");
        Files.writeString(config, Files.readString(config).replace("sources:\n", """
                sources:
                  off_deltas:
                    type: off-delta
                    path: deltas
                """));
        assertTrue(auto(config).get("auto").asText().startsWith("no full load of the export (off_export)"));

        JsonNode document = auto(config);

        String reason = document.get("auto").asText();
        assertTrue(reason.startsWith("the daily deltas have a gap (") && reason.contains("): full export"), reason);
        assertEquals("full", jobConfig(document.get("job_id").asLong(), "strategy"));
        assertEquals(1, database.count("SELECT count(*) FROM jobs WHERE status = 'failed'"),
                "the deltas' job records the gap");
    }

    @Test
    void aRepeatedRunWithNothingNewMakesOneConditionalRequestAndWritesNothing() throws IOException {
        OffDeltaSourceTest.FakeDeltas deltas = new OffDeltaSourceTest.FakeDeltas();
        MockWebServer deltaServer = TestHttpServer.create();
        deltaServer.setDispatcher(deltas);
        deltaServer.start();
        try {
            deltas.file(1_699_990_000L, 1_700_000_500L,
                    DeltaFiles.document(code(1), "Changed in a delta", 1_700_000_400L));
            deltas.index(DeltaFiles.name(1_699_990_000L, 1_700_000_500L));
            Path config = setUpExportAndApi(3, "");
            Files.writeString(config, Files.readString(config).replace("sources:\n", """
                    sources:
                      off_deltas:
                        type: off-delta
                        url: %s
                    """.formatted(deltaServer.url(OffDeltaSourceTest.PATH))));
            assertTrue(auto(config).get("auto").asText().startsWith("no full load of the export"));
            JsonNode applied = auto(config);
            assertTrue(applied.get("auto").asText().contains("daily deltas since the last applied one (off_deltas)"),
                    applied.toString());
            assertEquals(1, applied.get("counts").get("updated").asLong(), applied.toString());
            deltas.clearRequests();
            int apiRequests = off.requests();

            JsonNode again = auto(config);

            assertEquals(List.of(OffDeltaSourceTest.PATH + "index.txt"), deltas.paths());
            assertEquals(List.of(304), deltas.statuses());
            assertEquals(apiRequests, off.requests(), "no target is missing: the API is not asked");
            assertEquals(0, again.get("counts").get("added").asLong() + again.get("counts").get("updated").asLong());
        } finally {
            deltaServer.shutdown();
        }
    }

    @Test
    void autoCannotBeCombinedWithAStrategyOfItsOwn() throws IOException {
        Path config = setUpExportAndApi(1, "");
        for (String flag : List.of("--full", "--retry-failed")) {
            Cli.Result result = cli.run("--config", config.toString(), "sync", "--auto", flag);
            assertEquals(64, result.exitCode(), result.toString());
            assertTrue(result.err().contains("--auto chooses the strategy itself: it cannot be combined with " + flag),
                    result.err());
        }
    }
}
