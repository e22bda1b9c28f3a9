package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code schedule}, and the conditions of {@code sync --if-due} and {@code --if-coverage-below}. */
class ScheduleCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** schedule needs no database: nothing listens on port 1. */
    private final Cli offline = new Cli(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nothing"));

    @ParameterizedTest(name = "--every {0} --at {1} -> cron ''{2}'', OnCalendar={3}")
    @CsvSource(delimiter = '|', value = {
            "1d  | 02:10 | 10 2 * * *    | *-*-* 02:10:00",
            "7d  | 03:30 | 30 3 * * 0    | Sun *-*-* 03:30:00",
            "6h  | 00:20 | 20 */6 * * *  | 00/6:20:00",
            "1h  | 00:05 | 5 * * * *     | *:05:00",
            "15m | 02:10 | */15 * * * *  | *:00/15:00"})
    void intervalsBecomeCronAndOnCalendarForms(String every, String at, String cron, String onCalendar)
            throws IOException {
        Cli.Result result = offline.run("--json", "schedule", "--every", every, "--at", at, "--command", "sync --full");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = JSON.readTree(result.out());
        String crontab = document.get("crontab").asText();
        assertTrue(crontab.lines().anyMatch(line -> line.startsWith(cron + "  /opt/sync-products/scripts/sync-products"
                + " -q sync --full || [ $? -eq 75 ]")), crontab);
        assertTrue(document.get("timer").asText().contains("\nOnCalendar=" + onCalendar + "\n"), document.toString());
    }

    @Test
    void theUnitsHaveTheSettingsACronJobNeeds() throws IOException {
        Path config = Files.writeString(dir.resolve("sp.yaml"), "", StandardCharsets.UTF_8);

        Cli.Result result = offline.run("--config", config.toString(), "schedule", "--every", "1d", "--name", "sp-nightly",
                "--timeout", "90m");

        assertEquals(0, result.exitCode(), result.toString());
        String out = result.out();
        for (String expected : new String[] {"# /etc/systemd/system/sp-nightly.service - started by sp-nightly.timer", "Type=oneshot",
                "ExecStart=/opt/sync-products/scripts/sync-products sync", "SuccessExitStatus=75",
                "TimeoutStartSec=90min",
                "# /etc/systemd/system/sp-nightly.timer - enable with: systemctl enable --now sp-nightly.timer",
                "Persistent=true",
                "RandomizedDelaySec=15min", "Unit=sp-nightly.service", "WantedBy=timers.target",
                "Environment=SYNC_PRODUCTS_CONFIG=" + config.toAbsolutePath()}) {
            assertTrue(out.contains(expected + "\n"), expected + " in:\n" + out);
        }
        assertTrue(out.contains("SYNC_PRODUCTS_CONFIG=" + config.toAbsolutePath() + " /opt/sync-products"), out);
    }

    @Test
    void anIntervalCronCannotExpressIsAUsageError() {
        Cli.Result result = offline.run("schedule", "--every", "5h");

        assertEquals(ExitCode.USAGE, result.exitCode());
        assertTrue(result.err().contains("sync --if-due"), result.err());
        assertEquals(ExitCode.USAGE, offline.run("schedule", "--at", "25:00").exitCode());
        assertEquals(ExitCode.USAGE, offline.run("schedule", "--name", "bad name").exitCode());
    }

    // ---------------------------------------------------------------- sync --if-due / --if-coverage-below

    private Path products(int count) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("700000%06d", i)))
                    .name("Product " + i));
        }
        return fixture.write(dir.resolve("feed.csv"));
    }

    @Test
    void ifDueRunsANamedScheduleOnlyWhenItIsDue() throws IOException {
        TestDatabase database = TestDatabase.create();
        Cli cli = Cli.against(database);
        products(2);
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  feed:
                    type: off-csv
                    path: feed.csv
                schedules:
                  hourly:
                    interval: 1h
                """, StandardCharsets.UTF_8);

        JsonNode first = JSON.readTree(cli.run("--json", "--config", config.toString(), "sync", "--if-due", "hourly").out());
        assertEquals("completed", first.get("status").asText(), "never ran, so due: " + first);
        Cli.Result second = cli.run("--config", config.toString(), "sync", "--if-due", "hourly");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().startsWith("sync skipped: schedule 'hourly' is not due"), second.out());
        assertEquals(1, database.count("SELECT count(*) FROM jobs"));
        assertEquals(first.get("job_id").asLong(), database.count("SELECT last_job_id FROM schedule_runs"));

        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE schedule_runs SET last_started_at = ?", java.sql.Timestamp.from(Instant.now().minus(Duration.ofMinutes(61)))));
        JsonNode third = JSON.readTree(cli.run("--json", "--config", config.toString(), "sync", "--if-due", "hourly").out());
        assertEquals("completed", third.get("status").asText(), third.toString());

        Cli.Result unknown = cli.run("--config", config.toString(), "sync", "--if-due", "weekly");
        assertEquals(ExitCode.CONFIG, unknown.exitCode());
        assertTrue(unknown.err().contains("no schedule named 'weekly'"), unknown.err());
    }

    @Test
    void ifCoverageBelowSyncsOnlyWhenCoverageIsUnderTheLine() throws IOException {
        TestDatabase database = TestDatabase.create();
        Cli cli = Cli.against(database);
        Path file = products(2);
        Path targets = Files.writeString(dir.resolve("targets.csv"), "code\n"
                + OffCsvFixture.withCheckDigit("700000000001") + "\n" + OffCsvFixture.withCheckDigit("700000000009")
                + "\n", StandardCharsets.UTF_8);

        Cli.Result noTargets = cli.run("sync", "--from", file.toString(), "--if-coverage-below", "90");
        assertTrue(noTargets.out().startsWith("sync skipped: no targets"), noTargets.out());
        assertEquals(0, cli.run("targets", "import", targets.toString()).exitCode());

        assertEquals("completed", JSON.readTree(cli.run("--json", "sync", "--from", file.toString(),
                "--if-coverage-below", "90").out()).get("status").asText(), "0 % is below 90 %");
        JsonNode skipped = JSON.readTree(cli.run("--json", "sync", "--from", file.toString(), "--if-coverage-below", "50")
                .out());
        assertEquals("skipped", skipped.get("status").asText());
        assertEquals("target coverage is 50.0%, not below 50.0%", skipped.get("reason").asText());
        assertEquals(ExitCode.USAGE, cli.run("sync", "--if-coverage-below", "120").exitCode());
    }
}
