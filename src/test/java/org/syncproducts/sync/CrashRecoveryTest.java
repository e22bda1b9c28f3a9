package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.store.ProductCounts;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * A sync killed outright (kill -9) or stopped by SIGTERM in a separate JVM, then run again: the
 * products table must end up exactly as one clean run leaves it — nothing duplicated, nothing
 * lost — and the jobs table must tell the story.
 */
class CrashRecoveryTest {
    private static final int PRODUCTS = 60_000;
    private static final int BAD_LINES = 3;
    private static final String BATCH = "200";

    @TempDir
    static Path dir;

    private static Path file;

    @BeforeAll
    static void writeInput() {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 0; i < PRODUCTS; i++) {
            if (i % 20_000 == 10_000) {
                fixture.raw(badLine(fixture, i));
            }
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("40%010d", i)))
                    .name("Product " + i)
                    .brands("Brand " + (i % 97))
                    .categories("en:test", "en:group-" + (i % 13))
                    .energyKcal(Integer.toString(i % 900)));
        }
        file = fixture.write(dir.resolve("products.csv"));
    }

    private static String badLine(OffCsvFixture fixture, int i) {
        return fixture.line(OffCsvFixture.product("not-a-code-" + i).name("Broken " + i));
    }

    @Test
    void rerunAfterKillNineLosesNothingAndDuplicatesNothing() throws Exception {
        TestDatabase crashed = TestDatabase.create();
        Process child = startSync(crashed);
        waitForProgress(crashed, child);
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);

        long loadedBeforeRerun = crashed.count("SELECT count(*) FROM products");
        assertTrue(loadedBeforeRerun < PRODUCTS, "the child finished before it was killed; nothing was tested");

        Cli.Result rerun = Cli.against(crashed).run("sync", "--from", file.toString(), "--full", "--batch-size", BATCH,
                "--json");
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertEquals("interrupted", crashed.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status FROM jobs ORDER BY id LIMIT 1").mapTo(String.class).one()));
        assertEquals(1L, crashed.count("SELECT count(*) FROM jobs WHERE status = 'completed' AND resumed_from = "
                + "(SELECT min(id) FROM jobs)"), "the rerun resumes from the killed job's checkpoint");

        assertSameAsOneCleanRun(crashed);
    }

    @Test
    void sigtermStopsAfterTheBatchInFlightAndRecordsTheJobAsCancelled() throws Exception {
        TestDatabase stopped = TestDatabase.create();
        Process child = startSync(stopped);
        waitForProgress(stopped, child);
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not stop after SIGTERM");

        if (child.exitValue() == ExitCode.OK) {
            fail("the child finished before SIGTERM arrived; nothing was tested");
        }
        assertEquals(ExitCode.SIGTERM, child.exitValue());
        assertEquals("cancelled", stopped.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status FROM jobs ORDER BY id LIMIT 1").mapTo(String.class).one()));
        assertEquals(stopped.count("SELECT added_count FROM jobs ORDER BY id LIMIT 1"),
                stopped.count("SELECT count(*) FROM products"),
                "every committed batch is counted in the job, and nothing else was written");

        Cli.Result rerun = Cli.against(stopped).run("sync", "--from", file.toString(), "--full", "--batch-size", BATCH);
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertSameAsOneCleanRun(stopped);
    }

    @Test
    void sigtermEndsTheRunInBoundedTimeEvenWhenItsWriterIsBlocked() throws Exception {
        TestDatabase blocked = TestDatabase.create();
        Process child = startSync(blocked);
        waitForProgress(blocked, child);
        try (Handle locker = blocked.jdbi().open()) {
            blockWriter(locker, blocked, child);
            long signalled = System.nanoTime();
            child.destroy(); // SIGTERM, once
            boolean ended = child.waitFor(30, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
            locker.rollback();
            if (!ended) {
                child.destroyForcibly().waitFor();
                fail("one SIGTERM did not end a run whose writer was blocked, in 30 s:\n" + childLog(blocked));
            }
            System.out.println("blocked run ended " + seconds + " s after SIGTERM");
            assertEquals(ExitCode.SIGTERM, child.exitValue(), childLog(blocked));
            assertTrue(childLog(blocked).contains("still blocked"), childLog(blocked));
        }

        Cli.Result rerun = Cli.against(blocked).run("sync", "--from", file.toString(), "--full", "--batch-size", BATCH);
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertEquals(PRODUCTS, blocked.count("SELECT count(*) FROM products"));
        assertEquals(0, blocked.count("SELECT count(*) FROM jobs WHERE status = 'running'"));
    }

    @Test
    void aSecondSignalExitsAtOnceAndRecordsTheJobCancelled() throws Exception {
        TestDatabase blocked = TestDatabase.create();
        Process child = startSync(blocked);
        waitForProgress(blocked, child);
        try (Handle locker = blocked.jdbi().open()) {
            blockWriter(locker, blocked, child);
            child.destroy(); // SIGTERM
            Thread.sleep(200);
            child.destroy(); // and again: exit at once
            boolean ended = child.waitFor(9, TimeUnit.SECONDS);
            locker.rollback();
            if (!ended) {
                child.destroyForcibly().waitFor();
                fail("a second SIGTERM did not end the run at once:\n" + childLog(blocked));
            }
            assertEquals(ExitCode.SIGTERM, child.exitValue(), childLog(blocked));
        }
        Map<String, Object> job = blocked.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status, message FROM jobs").mapToMap().one());
        assertEquals("cancelled", job.get("status"), "not left for the next run to call interrupted: " + job);
        assertTrue(String.valueOf(job.get("message")).contains("stopped at once by a second SIGTERM"), job.toString());
    }

    /** Takes the products table, so the child's writer waits for it, and returns once it does. */
    private static void blockWriter(Handle locker, TestDatabase blocked, Process child) throws Exception {
        locker.begin();
        locker.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (blocked.count("SELECT count(*) FROM pg_locks WHERE NOT granted") == 0) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                fail("the child's writer never waited for the table lock:\n" + childLog(blocked));
            }
            Thread.sleep(10);
        }
    }

    private static void assertSameAsOneCleanRun(TestDatabase recovered) {
        TestDatabase clean = TestDatabase.create();
        Cli.Result once = Cli.against(clean).run("sync", "--from", file.toString(), "--full", "--batch-size", BATCH);
        assertEquals(ExitCode.OK, once.exitCode(), once::toString);
        String products = "SELECT count(*) || ':' || md5(string_agg(code || '|' || content_hash || '|' || name || '|'"
                + " || categories::text, ',' ORDER BY code)) FROM products";
        assertEquals(PRODUCTS, recovered.count("SELECT count(*) FROM products"));
        assertEquals(text(clean, products), text(recovered, products));
        String errors = "SELECT count(*) || ':' || md5(string_agg(error_type || '@' || line_number, ',' ORDER BY line_number))"
                + " FROM errors";
        assertEquals(text(clean, errors), text(recovered, errors), "each bad line is recorded once");
        assertEquals(List.of(), new ProductCounts(recovered.jdbi()).differences(),
                "the kept product counts committed with their batches, so they are exact after the rerun");
        assertEquals(BAD_LINES, clean.count("SELECT count(*) FROM errors"));
    }

    private static String text(TestDatabase database, String sql) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    /** Runs the real entry point in a child JVM, as cron would. */
    private static Process startSync(TestDatabase database) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--no-progress", "sync", "--from", file.toString(),
                "--full", "--batch-size", BATCH));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile(database));
        builder.environment().keySet().removeIf(key -> Map.of("DATABASE_URL", "", "DB_HOST", "").containsKey(key));
        return builder.start();
    }

    /** Waits until the child has committed a few batches (and is far from done). */
    private static void waitForProgress(TestDatabase database, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child sync ended early with exit code " + child.exitValue() + ":\n" + childLog(database));
            }
            boolean migrated = database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'jobs'") > 0;
            if (migrated && database.count("SELECT coalesce(max(read_count), 0) FROM jobs") >= 4_000) {
                return;
            }
            Thread.sleep(10);
        }
        fail("the child sync made no progress in 120 s:\n" + childLog(database));
    }

    private static String childLog(TestDatabase database) {
        try {
            return java.nio.file.Files.readString(logFile(database).toPath());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static File logFile(TestDatabase database) {
        return new File(dir.toFile(), "child-" + database.name() + ".log");
    }
}
