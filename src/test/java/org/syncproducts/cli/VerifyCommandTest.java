package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code verify} through the real command line against a real PostgreSQL. */
class VerifyCommandTest {
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
        return OffCsvFixture.withCheckDigit(String.format("500000%06d", number));
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private Path products(String name, int... numbers) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int number : numbers) {
            fixture.add(OffCsvFixture.product(code(number)).name("Product " + number));
        }
        return fixture.write(dir.resolve(name));
    }

    private Path targets(int... numbers) throws IOException {
        StringBuilder csv = new StringBuilder("code\n");
        for (int number : numbers) {
            csv.append(code(number)).append('\n');
        }
        return Files.writeString(dir.resolve("targets.csv"), csv, StandardCharsets.UTF_8);
    }

    private static Map<String, JsonNode> checks(Cli.Result result) throws IOException {
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        JSON.readTree(result.out()).get("checks").forEach(check -> checks.put(check.get("check").asText(), check));
        return checks;
    }

    @Test
    void aConsistentDatabaseIsCleanAndExitsZero() throws IOException {
        ok("sync", "--from", products("shop.csv", 1, 2, 3).toString(), "--full");
        ok("targets", "import", targets(1, 2, 3).toString());

        Cli.Result result = ok("verify");

        assertTrue(result.out().contains("verify: clean (5 checks passed)"), result.out());
        assertEquals("", result.err().lines().filter(line -> line.startsWith("sync-products:")).reduce("", String::concat));
        JsonNode document = JSON.readTree(ok("--json", "verify").out());
        assertTrue(document.get("clean").asBoolean());
        assertEquals(100.0, document.get("checks").get(0).get("percent").asDouble());
    }

    @Test
    void coverageUnderTheMinimumFailsWithOneLineOnStderr() throws IOException {
        ok("sync", "--from", products("shop.csv", 1, 2, 3).toString(), "--full");
        ok("targets", "import", targets(1, 2, 3, 4).toString());

        assertEquals(0, cli.run("verify", "--min-coverage", "75").exitCode(), "75 % meets 75");
        Cli.Result result = cli.run("--json", "verify", "--min-coverage", "75.1");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        JsonNode coverage = checks(result).get("coverage");
        assertFalse(coverage.get("passed").asBoolean());
        assertEquals(75.0, coverage.get("percent").asDouble());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("sync-products: verify found discrepancies in coverage"), result.err());
        assertEquals(ExitCode.USAGE, cli.run("verify", "--min-coverage", "101").exitCode());
    }

    @Test
    void withoutTargetsCoverageOnlyFailsWhenAMinimumIsAsked() throws IOException {
        assertEquals(0, cli.run("verify").exitCode());

        Cli.Result result = cli.run("verify", "--min-coverage", "50");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.out().contains("no targets to cover"), result.out());
    }

    @Test
    void duplicateCodesAndStuckJobsAreDiscrepanciesWhileWrongCheckDigitsAreCounted() throws IOException {
        ok("migrate");
        database.jdbi().useHandle(handle -> {
            handle.execute("""
                    INSERT INTO products (code, display_code, check_digit_valid, source, content_hash)
                    VALUES ('05000000000019', '5000000000019', false, 'manual', 1),
                           ('03017620422003', '3017620422003', true, 'manual', 2),
                           ('3017620422003', '3017620422003', true, 'legacy', 3)""");
            handle.execute("""
                    INSERT INTO jobs (status, strategy, host, pid, heartbeat_at)
                    VALUES ('running', 'full', 'worker-2', 4711, now() - interval '1 hour')""");
        });

        Cli.Result result = cli.run("--json", "verify");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        Map<String, JsonNode> checks = checks(result);
        assertEquals(1, checks.get("check_digits").get("count").asInt());
        assertEquals("5000000000019", checks.get("check_digits").get("examples").get(0).asText());
        assertTrue(checks.get("check_digits").get("passed").asBoolean(), "real data holds some: reported, not failed");
        assertEquals(2, checks.get("duplicate_codes").get("count").asInt(), checks.get("duplicate_codes").toString());
        assertEquals("03017620422003 = 3017620422003", checks.get("duplicate_codes").get("examples").get(0).asText());
        assertEquals(1, checks.get("stale_jobs").get("count").asInt());
        assertTrue(checks.get("stale_jobs").get("message").asText().contains("pid 4711 on worker-2"));
        assertTrue(checks.get("coverage").get("passed").asBoolean());

        String text = cli.run("verify").out();
        assertTrue(text.lines().anyMatch(line -> line.startsWith("ok    check_digits")), text);
        assertTrue(text.contains("verify: 2 of 5 checks failed"), text);
    }

    @Test
    void dataQualityFailsOnlyPastTheOperatorsLimitOrOnATargetCode() throws IOException {
        ok("migrate");
        database.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO products (code, display_code, check_digit_valid, is_gtin, source, content_hash)
                VALUES ('05000000000019', '5000000000019', false, true, 'off', 1),
                       ('03017620422003', '3017620422003', true, true, 'off', 2),
                       ('2000000012345678901', '2000000012345678901', false, false, 'off', 3),
                       ('04006381333931', '4006381333931', true, true, 'off', 4)"""));

        Map<String, JsonNode> clean = checks(ok("--json", "verify"));
        assertEquals(25.0, clean.get("check_digits").get("percent").asDouble());
        assertEquals(1, clean.get("non_gtin_codes").get("count").asInt());

        Cli.Result overLimit = cli.run("--json", "verify", "--max-invalid-check-digits", "10", "--max-non-gtin", "30");
        assertEquals(ExitCode.FAILURE, overLimit.exitCode(), overLimit.toString());
        assertFalse(checks(overLimit).get("check_digits").get("passed").asBoolean());
        assertTrue(checks(overLimit).get("non_gtin_codes").get("passed").asBoolean());

        database.jdbi().useHandle(handle -> handle.execute(
                "INSERT INTO targets (code, display_code) VALUES ('05000000000019', '5000000000019')"));
        Cli.Result onTarget = cli.run("--json", "verify", "--min-coverage", "0");
        assertEquals(ExitCode.FAILURE, onTarget.exitCode(), onTarget.toString());
        JsonNode checkDigits = checks(onTarget).get("check_digits");
        assertEquals(1, checkDigits.get("targets").asInt());
        assertTrue(checkDigits.get("message").asText().contains("1 of them are target codes"), checkDigits.toString());
    }

    @Test
    void aFileSyncedWithFromCanBeVerifiedByTheNameItRecorded() throws IOException {
        Path file = products("store-feed.csv", 1, 2, 3);
        ok("sync", "--from", file.toString(), "--full");

        JsonNode agreeing = checks(ok("--json", "verify", "--source", "store-feed.csv")).get("source:store-feed.csv");

        assertTrue(agreeing.get("passed").asBoolean(), agreeing.toString());
        assertEquals(3, agreeing.get("file_records").asInt());
        assertEquals(3, agreeing.get("database_products").asInt());
    }

    @Test
    void aFileSourceAgreesWithItsProductsUntilTheFileChanges() throws IOException {
        Path file = products("feed.csv", 1, 2, 3);
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  feed:
                    type: off-csv
                    path: feed.csv
                """, StandardCharsets.UTF_8);
        ok("--config", config.toString(), "sync", "--full");

        JsonNode agreeing = checks(ok("--json", "--config", config.toString(), "verify", "--source", "feed"))
                .get("source:feed");
        assertTrue(agreeing.get("passed").asBoolean(), agreeing.toString());
        assertEquals(3, agreeing.get("file_records").asInt());
        assertEquals(3, agreeing.get("database_products").asInt());

        OffCsvFixture changed = OffCsvFixture.create();
        changed.add(OffCsvFixture.product(code(2)).name("Product 2"));
        changed.add(OffCsvFixture.product(code(3)).name("Product 3"));
        changed.add(OffCsvFixture.product(code(4)).name("New product"));
        changed.add(OffCsvFixture.product("not-a-code").name("Broken"));
        changed.write(file);
        Cli.Result result = cli.run("--json", "--config", config.toString(), "verify", "--source", "feed");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        JsonNode feed = checks(result).get("source:feed");
        assertEquals(4, feed.get("file_records").asInt());
        assertEquals(1, feed.get("file_invalid").asInt());
        assertEquals(3, feed.get("file_codes").asInt());
        assertEquals(1, feed.get("missing_from_database").asInt());
        assertEquals("0" + code(4), feed.get("missing_examples").get(0).asText());
        assertEquals(1, feed.get("not_in_file").asInt());
        assertEquals("0" + code(1), feed.get("not_in_file_examples").get(0).asText());
        assertTrue(feed.get("message").asText().contains("sync-products sync --source feed --full"));
    }

    @Test
    void anUnknownSourceIsAConfigurationError() {
        Cli.Result result = cli.run("verify", "--source", "nowhere");

        assertEquals(ExitCode.CONFIG, result.exitCode(), result.toString());
        assertTrue(result.err().contains("no source named 'nowhere'"), result.err());
    }
}
