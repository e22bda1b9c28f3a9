package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code monitor} through the real command line against a real PostgreSQL. */
class MonitorCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("400000%06d", number));
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private static Set<String> alertCodes(JsonNode document) {
        Set<String> codes = new java.util.TreeSet<>();
        document.get("alerts").forEach(alert -> codes.add(alert.get("severity").asText() + ":" + alert.get("code").asText()));
        return codes;
    }

    /**
     * Products 1..4 from "shop.csv" (1 and 2 with image and nutrition), 5 from "off.csv"; targets:
     * snacks 1, 2, 3 and dairy 5, 6 - so 4 of 5 targets are covered (80 %).
     */
    private void loadCatalogue() throws IOException {
        OffCsvFixture shop = OffCsvFixture.create();
        shop.add(OffCsvFixture.product(code(1)).name("Crisps").imageUrl("https://img/1.jpg").energyKcal("500"));
        shop.add(OffCsvFixture.product(code(2)).name("Cookies").imageUrl("https://img/2.jpg").energyKcal("450"));
        shop.add(OffCsvFixture.product(code(3)).name("Nuts"));
        shop.add(OffCsvFixture.product(code(4)).name("Candy"));
        ok("sync", "--from", shop.write(dir.resolve("shop.csv")).toString(), "--full");
        OffCsvFixture off = OffCsvFixture.create();
        off.add(OffCsvFixture.product(code(5)).name("Milk"));
        ok("sync", "--from", off.write(dir.resolve("off.csv")).toString(), "--full");
        Path apl = Files.writeString(dir.resolve("apl.csv"), "code,category\n" + code(1) + ",snacks\n" + code(2)
                + ",snacks\n" + code(3) + ",snacks\n" + code(5) + ",dairy\n" + code(6) + ",dairy\n",
                StandardCharsets.UTF_8);
        ok("targets", "import", apl.toString());
    }

    @Test
    void anEmptyDatabaseIsCriticalBecauseNothingEverSynced() throws IOException {
        Cli.Result result = cli.run("--json", "monitor");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        JsonNode document = JSON.readTree(result.out());
        assertEquals(Set.of("critical:never_synced", "info:no_targets"), alertCodes(document));
        assertFalse(document.get("healthy").asBoolean());
        assertEquals(0.0, document.get("score").asDouble());
        assertEquals("poor", document.get("rating").asText());
        assertTrue(document.get("components").get("coverage").isNull(), "no targets, no coverage");
        assertEquals(0.6, document.get("weights").get("freshness").asDouble());
        assertEquals(1, result.err().lines().filter(line -> line.startsWith("sync-products:")).count(), result.err());
        assertTrue(result.err().contains("no sync has ever completed"), result.err());
        assertEquals(1, database.count("SELECT count(*) FROM health_checks"));
    }

    @Test
    void aCheckIsScoredAndStoredWithItsCoverageMetrics() throws IOException {
        loadCatalogue();

        Cli.Result result = cli.run("--json", "monitor");

        assertEquals(0, result.exitCode(), "a warning does not fail by default: " + result);
        JsonNode document = JSON.readTree(result.out());
        assertEquals(80.0, document.get("components").get("coverage").asDouble());
        assertEquals(100.0, document.get("components").get("freshness").asDouble());
        // verified 0 %, image 40 %, nutrition 40 % of 5 products
        assertEquals(26.7, document.get("components").get("quality").asDouble());
        assertEquals(75.3, document.get("score").asDouble(), "80 x .5 + 100 x .3 + 26.7 x .2");
        assertEquals("fair", document.get("rating").asText());
        assertTrue(document.get("healthy").asBoolean());
        assertEquals(Set.of("warning:coverage_below_minimum", "info:low_image_coverage", "info:low_nutrition_coverage"),
                alertCodes(document));
        document.get("alerts").forEach(alert -> assertTrue(alert.get("action").asText().contains("sync-products "),
                alert.toString()));
        assertEquals(3, document.get("coverage").get("by_source").get(0).get("covered").asInt());
        assertEquals("shop.csv", document.get("coverage").get("by_source").get(0).get("source").asText());

        long checkId = document.get("check_id").asLong();
        assertEquals(75.3, database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT score FROM health_checks WHERE id = :id").bind("id", checkId).mapTo(Double.class).one()));
        List<String> metrics = database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT metric || ':' || dimension || ':' || covered || '/' || total || ':' || round(percent, 1)
                        FROM coverage_metrics ORDER BY id""").mapTo(String.class).list());
        assertEquals(List.of("overall::4/5:80.0", "image::2/5:40.0", "nutrition::2/5:40.0", "source:shop.csv:3/5:60.0",
                "source:off.csv:1/5:20.0", "target_category:snacks:3/3:100.0", "target_category:dairy:1/2:50.0"),
                metrics);
    }

    @Test
    void failOnWarningTurnsAWarningIntoExitOne() throws IOException {
        loadCatalogue();

        Cli.Result result = cli.run("monitor", "--fail-on", "warning");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertEquals(1, result.err().lines().filter(line -> line.startsWith("sync-products:")).count(), result.err());
        assertTrue(result.err().contains("warning alert"), result.err());
        assertEquals(ExitCode.USAGE, cli.run("monitor", "--fail-on", "sometimes").exitCode());
    }

    @Test
    void textReportShowsTheScoreComponentsAndAlertsWithActions() throws IOException {
        loadCatalogue();

        String out = ok("monitor").out();

        assertTrue(out.startsWith("Health 75.3/100 (fair), healthy"), out);
        assertTrue(out.contains("4 of 5 targets have a product"), out);
        assertTrue(out.contains("Coverage by target category"), out);
        assertTrue(out.contains("WARNING  80.0% of targets have a product (4 of 5), below the minimum of 85%"), out);
        assertTrue(out.contains("-> sync-products sync --targets-only"), out);
    }

    @Test
    void alertsOnlyPrintsNothingButTheAlerts() throws IOException {
        loadCatalogue();

        String out = ok("monitor", "--alerts").out();

        assertTrue(out.startsWith("Alerts"), out);
        assertFalse(out.contains("Health"), out);
        assertEquals(3, out.lines().filter(line -> line.contains("->")).count(), out);
        JsonNode document = JSON.readTree(ok("--json", "monitor", "--alerts").out());
        List<String> keys = new ArrayList<>();
        document.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("check_id", "checked_at", "healthy", "alerts", "exit_code"), keys);
    }

    @Test
    void lateAndFailingSyncsRaiseTheirAlerts() throws IOException {
        loadCatalogue();
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE jobs SET ended_at = now() - interval '50 hours' WHERE status = 'completed'"));
        OffCsvFixture bad = OffCsvFixture.create();
        bad.add(OffCsvFixture.product("not-a-code").name("Bad"));
        Path badFile = bad.write(dir.resolve("bad.csv"));
        for (int i = 0; i < 3; i++) {
            assertEquals(1, cli.run("sync", "--from", badFile.toString(), "--failure-tolerance", "0").exitCode());
        }

        JsonNode document = JSON.readTree(cli.run("--json", "monitor").out());

        Set<String> codes = alertCodes(document);
        assertTrue(codes.containsAll(Set.of("warning:sync_late", "critical:consecutive_failures",
                "warning:job_failure_rate")), codes.toString());
        assertEquals(50.0, document.get("components").get("freshness").asDouble());
    }

    @Test
    void aRunningJobWithAStaleHeartbeatIsReported() throws IOException {
        ok("migrate");
        database.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO jobs (status, strategy, host, pid, heartbeat_at)
                VALUES ('running', 'full', 'worker-7', 999999, now() - interval '10 minutes')"""));

        JsonNode document = JSON.readTree(cli.run("--json", "monitor").out());

        JsonNode stale = null;
        for (JsonNode alert : document.get("alerts")) {
            if (alert.get("code").asText().equals("stale_running_job")) {
                stale = alert;
            }
        }
        assertTrue(stale != null, document.toString());
        assertEquals("warning", stale.get("severity").asText());
        assertTrue(stale.get("message").asText().contains("pid 999999 on worker-7"), stale.toString());
    }

    @Test
    void thresholdsComeFromTheConfigFile() throws IOException {
        loadCatalogue();
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                monitor:
                  coverage_target: 80
                  coverage_minimum: 75
                  coverage_critical: 50
                  image_coverage_info: 10
                  nutrition_coverage_info: 10
                """, StandardCharsets.UTF_8);

        JsonNode document = JSON.readTree(ok("--json", "--config", config.toString(), "monitor").out());

        assertEquals(Set.of(), alertCodes(document), "80 % meets a target of 80");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "monitor:\n  coverage_minimum: 99\n",
                StandardCharsets.UTF_8);
        Cli.Result refused = cli.run("--config", bad.toString(), "monitor");
        assertEquals(ExitCode.CONFIG, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("coverage_minimum"), refused.err());
    }

    @Test
    void watchWithJsonPrintsOneLinePerCheckAndStoresEach() throws IOException {
        loadCatalogue();

        Cli.Result result = ok("--json", "monitor", "--watch", "--interval", "1", "--count", "2");

        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size(), result.out());
        for (String line : lines) {
            assertEquals(75.3, JSON.readTree(line).get("score").asDouble());
        }
        assertEquals(2, database.count("SELECT count(*) FROM health_checks"));
        Cli.Result critical = cli.run("--json", "monitor", "--watch", "--interval", "1", "--count", "1",
                "--fail-on", "warning");
        assertEquals(ExitCode.FAILURE, critical.exitCode());
        assertEquals(1, critical.err().lines().filter(line -> line.startsWith("sync-products:")).count(),
                critical.err());
        assertEquals(ExitCode.USAGE, cli.run("monitor", "--interval", "5").exitCode(), "--interval needs --watch");
        assertEquals(ExitCode.USAGE, cli.run("monitor", "--watch", "--interval", "0").exitCode());
    }

    @Test
    void watchStopsCleanlyOnSigterm() throws Exception {
        ok("migrate");
        File log = dir.resolve("watch.out").toFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--json", "monitor", "--watch", "--interval", "3600")
                .redirectOutput(log).redirectError(dir.resolve("watch.err").toFile());
        builder.environment().keySet().removeIf(key -> Map.of("DATABASE_URL", "", "DB_HOST", "").containsKey(key));
        Process child = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (database.count("SELECT count(*) FROM health_checks") == 0) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("the watch made no check: " + Files.readString(dir.resolve("watch.err")));
            }
            Thread.sleep(20);
        }

        child.destroy(); // SIGTERM while waiting for the next check

        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the watch did not stop after SIGTERM");
        assertEquals(ExitCode.SIGTERM, child.exitValue());
        List<String> lines = Files.readAllLines(log.toPath());
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(JSON.readTree(lines.get(0)).has("score"));
        String err = Files.readString(dir.resolve("watch.err"));
        assertTrue(err.contains("monitor stopped by SIGTERM after 1 check(s)"), err);
        assertFalse(err.contains("Exception"), err);
        assertEquals(Set.of(), Set.copyOf(err.lines().filter(line -> line.contains("ERROR")).collect(Collectors.toSet())));
    }
}
