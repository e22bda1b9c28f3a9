package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** The operator's controls: jobs, errors, pause / resume, cleanup. */
class OperatorCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database).withEnv("USER", "tester").withEnv("HOSTNAME", "ops-box");
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("600000%06d", number));
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private JsonNode json(String... args) throws IOException {
        String[] withJson = new String[args.length + 1];
        withJson[0] = "--json";
        System.arraycopy(args, 0, withJson, 1, args.length);
        return JSON.readTree(ok(withJson).out());
    }

    /** A file with {@code good} valid products and two bad lines; returns it. */
    private Path fileWithErrors(String name, int good) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= good; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i));
        }
        fixture.add(OffCsvFixture.product("not-a-code").name("Bad one"));
        fixture.add(OffCsvFixture.product("0000").name("Bad two"));
        return fixture.write(dir.resolve(name));
    }

    // ---------------------------------------------------------------- jobs

    @Test
    void jobsListShowsTheNewestFirstAndFiltersByStatus() throws IOException {
        Path file = fileWithErrors("feed.csv", 3);
        ok("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10");
        assertEquals(1, cli.run("sync", "--from", file.toString(), "--full", "--failure-tolerance", "0").exitCode());

        JsonNode all = json("jobs", "list").get("items");
        assertEquals(2, all.size());
        assertEquals("failed", all.get(0).get("status").asText());
        assertEquals(all.get(1).get("job_id").asLong() + 1, all.get(0).get("job_id").asLong());
        assertEquals(5, all.get(1).get("counts").get("read").asInt());
        JsonNode completed = json("jobs", "list", "--status", "completed").get("items");
        assertEquals(1, completed.size());
        assertEquals("completed", completed.get(0).get("status").asText());

        String text = ok("jobs", "list", "--limit", "1").out();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("#" + all.get(0).get("job_id").asLong() + " "), text);
        assertEquals(ExitCode.USAGE, cli.run("jobs", "list", "--status", "done").exitCode());
    }

    @Test
    void jobsShowGivesCountsSettingsAndErrors() throws IOException {
        ok("sync", "--from", fileWithErrors("feed.csv", 3).toString(), "--full", "--failure-tolerance", "10");
        long jobId = json("jobs", "list").get("items").get(0).get("job_id").asLong();

        JsonNode job = json("jobs", "show", Long.toString(jobId));

        assertEquals("completed", job.get("status").asText());
        assertEquals(3, job.get("counts").get("added").asInt());
        assertEquals("full", job.get("config").get("strategy").asText());
        assertEquals(2, job.get("first_errors").size());
        assertEquals(2, job.get("errors_by_type").fields().next().getValue().asInt() + (job.get("errors_by_type").size() - 1),
                job.toString());
        String text = ok("jobs", "show", Long.toString(jobId)).out();
        assertTrue(text.startsWith("job #" + jobId + " completed, full sync of feed.csv"), text);
        assertTrue(text.contains("sync-products errors list --job " + jobId), text);

        Cli.Result missing = cli.run("jobs", "show", "999");
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.err().contains("no job #999"), missing.err());
    }

    @Test
    void cancellingAFinishedJobIsRefused() throws IOException {
        ok("sync", "--from", fileWithErrors("feed.csv", 1).toString(), "--failure-tolerance", "10");
        long jobId = json("jobs", "list").get("items").get(0).get("job_id").asLong();

        Cli.Result result = cli.run("jobs", "cancel", Long.toString(jobId));

        assertEquals(ExitCode.FAILURE, result.exitCode());
        assertEquals("sync-products: job #" + jobId + " is not running (it is completed); nothing to cancel",
                result.err().strip());
    }

    @Test
    void cancelStopsARunningSyncBetweenBatchesAndARerunContinues() throws Exception {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 20_000; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i));
        }
        Path file = fixture.write(dir.resolve("big.csv"));
        ok("migrate");
        CompletableFuture<Cli.Result> sync = CompletableFuture.supplyAsync(() -> cli.run("--json", "--no-progress",
                "sync", "--from", file.toString(), "--full", "--batch-size", "5"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (database.count("SELECT count(*) FROM jobs WHERE status = 'running' AND read_count >= 50") == 0) {
            if (sync.isDone() || System.nanoTime() > deadline) {
                fail("the sync did not get going: " + (sync.isDone() ? sync.get() : "timeout"));
            }
            Thread.sleep(10);
        }
        long jobId = database.count("SELECT id FROM jobs WHERE status = 'running'");

        Cli.Result cancel = cli.run("jobs", "cancel", Long.toString(jobId), "--by", "night-shift");

        assertEquals(0, cancel.exitCode(), cancel.toString());
        assertTrue(cancel.out().contains("stops after the batches in flight"), cancel.out());
        Cli.Result result = sync.get(120, TimeUnit.SECONDS);
        if (result.exitCode() == 0) {
            fail("the sync finished before the cancel request arrived; nothing was tested");
        }
        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("sync-products: job #" + jobId + " cancelled: stopped (cancelled by "
                + "night-shift with 'jobs cancel')"), result.err());
        JsonNode document = JSON.readTree(result.out());
        assertEquals("cancelled", document.get("status").asText());
        assertTrue(document.get("message").asText().contains("cancelled by night-shift"), document.toString());
        long written = database.count("SELECT count(*) FROM products");
        assertTrue(written < 20_000, "stopped early: " + written);
        assertEquals(written, database.count("SELECT added_count FROM jobs WHERE id = " + jobId));
        JsonNode shown = json("jobs", "show", Long.toString(jobId));
        assertEquals("night-shift", shown.get("cancel_requested_by").asText());

        JsonNode rerun = JSON.readTree(ok("--json", "sync", "--from", file.toString(), "--full", "--batch-size", "5000")
                .out());
        assertEquals(jobId, rerun.get("resumed_from_job").asLong(), rerun.toString());
        assertEquals(20_000, database.count("SELECT count(*) FROM products"));
    }

    // ---------------------------------------------------------------- errors

    @Test
    void errorsAreListedFilteredAndResolved() throws IOException {
        Path file = fileWithErrors("feed.csv", 2);
        ok("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10");
        ok("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10");
        long firstJob = json("jobs", "list").get("items").get(1).get("job_id").asLong();

        JsonNode all = json("errors", "list");
        assertEquals(4, all.get("total").asInt());
        JsonNode ofFirst = json("errors", "list", "--job", Long.toString(firstJob));
        assertEquals(2, ofFirst.get("total").asInt());
        ofFirst.get("items").forEach(error -> assertEquals(firstJob, error.get("job_id").asLong()));

        long oneError = ofFirst.get("items").get(0).get("error_id").asLong();
        assertEquals("resolved 1 error", ok("errors", "resolve", Long.toString(oneError)).out().strip());
        assertEquals("error #" + oneError + " was already resolved",
                ok("errors", "resolve", Long.toString(oneError)).out().strip());
        assertEquals(3, json("errors", "list", "--unresolved").get("total").asInt());
        assertEquals(1, json("errors", "resolve", "--all", "--job", Long.toString(firstJob)).get("resolved").asInt());
        assertEquals(2, json("errors", "resolve", "--all").get("resolved").asInt());
        assertEquals(0, json("errors", "list", "--unresolved").get("total").asInt());
        assertTrue(ok("errors", "list", "--unresolved").out().startsWith("no unresolved errors"));

        assertEquals(ExitCode.USAGE, cli.run("errors", "resolve").exitCode(), "needs ID or --all");
        assertEquals(ExitCode.USAGE, cli.run("errors", "resolve", "1", "--all").exitCode());
        assertEquals(ExitCode.USAGE, cli.run("errors", "resolve", "99999").exitCode());
    }

    // ---------------------------------------------------------------- pause / resume

    @Test
    void whilePausedSyncDoesNothingAndSaysWhoWhyAndUntilWhen() throws IOException {
        Path file = fileWithErrors("feed.csv", 3);
        JsonNode paused = json("pause", "--reason", "month-end billing run");
        assertEquals("tester@ops-box", paused.get("paused_by").asText());
        assertTrue(paused.get("until").isNull());

        Cli.Result sync = cli.run("sync", "--from", file.toString(), "--full");

        assertEquals(0, sync.exitCode(), sync.toString());
        assertTrue(sync.out().contains("syncs are paused by tester@ops-box"), sync.out());
        assertTrue(sync.out().contains("month-end billing run"), sync.out());
        assertTrue(sync.out().contains("until someone runs 'sync-products resume'"), sync.out());
        assertEquals(0, database.count("SELECT count(*) FROM jobs"), "a paused sync records no job");
        assertEquals("paused", JSON.readTree(ok("--json", "sync", "--from", file.toString()).out()).get("status").asText());

        assertTrue(ok("resume").out().contains("syncs resumed"), "resume says what it lifted");
        assertEquals("syncs were not paused", ok("resume").out().strip());
        ok("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10");
        assertEquals(3, database.count("SELECT count(*) FROM products"));
    }

    @Test
    void aPauseForADurationShowsItsEndAndLiftsByItself() throws IOException {
        Path file = fileWithErrors("feed.csv", 1);
        JsonNode paused = json("pause", "--for", "2h", "--by", "billing-system");
        assertFalse(paused.get("until").isNull());
        String out = ok("sync", "--from", file.toString()).out();
        assertTrue(out.contains("paused by billing-system") && out.contains(" until 20"), out);

        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE sync_pause SET paused_until = now() - interval '1 second'"));

        JsonNode sync = JSON.readTree(ok("--json", "sync", "--from", file.toString(), "--failure-tolerance", "10").out());
        assertEquals("completed", sync.get("status").asText(), "an expired pause no longer holds syncs");
        assertEquals(ExitCode.USAGE, cli.run("pause", "--for", "soon").exitCode());
    }

    // ---------------------------------------------------------------- cleanup

    @Test
    void cleanupDeletesOldHistoryButNotRecentOrRunningJobs() throws IOException {
        Path file = fileWithErrors("feed.csv", 2);
        ok("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10");
        ok("sync", "--from", file.toString(), "--failure-tolerance", "10");
        cli.run("monitor");
        long oldJob = json("jobs", "list").get("items").get(1).get("job_id").asLong();
        database.jdbi().useHandle(handle -> {
            handle.execute("UPDATE jobs SET started_at = now() - interval '40 days', ended_at = now() - interval '40 days'"
                    + " WHERE id = ?", oldJob);
            handle.execute("UPDATE jobs SET resumed_from = ? WHERE id <> ?", oldJob, oldJob);
            handle.execute("UPDATE health_checks SET checked_at = now() - interval '40 days'");
            handle.execute("UPDATE coverage_metrics SET recorded_at = now() - interval '40 days'");
            handle.execute("""
                    INSERT INTO jobs (status, strategy, started_at, heartbeat_at)
                    VALUES ('running', 'full', now() - interval '40 days', now() - interval '40 days')""");
        });
        long metrics = database.count("SELECT count(*) FROM coverage_metrics");

        JsonNode deleted = json("cleanup", "--older-than", "30d");

        assertEquals(1, deleted.get("jobs").asInt());
        assertEquals(2, deleted.get("errors").asInt());
        assertEquals(1, deleted.get("health_checks").asInt());
        assertEquals(metrics, deleted.get("coverage_metrics").asLong());
        assertEquals(2, database.count("SELECT count(*) FROM jobs"), "the recent and the running job stay");
        assertEquals(2, database.count("SELECT count(*) FROM errors"));
        assertNotEquals(0, database.count("SELECT count(*) FROM products"));
        assertTrue(ok("cleanup", "--older-than", "30d").out().startsWith("deleted 0 jobs"));
        assertEquals(ExitCode.USAGE, cli.run("cleanup").exitCode(), "--older-than is required");
    }
}
