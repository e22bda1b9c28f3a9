package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.config.NotifySettings;
import org.syncproducts.support.Cli;
import org.syncproducts.support.FreezingProxy;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/**
 * A sync in a child JVM whose database connection is terminated in the middle of a COPY
 * (pg_terminate_backend), or whose database stops answering: the run must end within a bounded
 * time, exit 69 with one line, and never leave its job running.
 */
class DatabaseLossTest {
    private static final int PRODUCTS = 100_000;

    @TempDir
    static Path dir;

    private static Path file;

    @BeforeAll
    static void writeInput() {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 0; i < PRODUCTS; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("40%010d", i)))
                    .name("Product " + i).brands("Brand " + (i % 97)).categories("en:test")
                    .energyKcal(Integer.toString(i % 900)));
        }
        file = fixture.write(dir.resolve("products.csv"));
    }

    @Test
    void connectionTerminatedDuringCopyEndsTheRunWithExit69AndAFailedJob() throws Exception {
        for (int attempt = 1; attempt <= 3; attempt++) {
            TestDatabase database = TestDatabase.create();
            Path log = dir.resolve("child-" + database.name() + ".log");
            Process child = startSync(database, log);
            waitForProgress(database, child, log);
            if (!terminateDuringCopy(database, child)) {
                child.destroyForcibly().waitFor();
                continue;
            }
            long terminated = System.nanoTime();
            boolean ended = child.waitFor(40, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - terminated);
            if (!ended) {
                fail("the child still ran 40 s after its connection was terminated:\n" + threadDump(child));
            }
            String output = Files.readString(log);
            System.out.println("run ended " + seconds + " s after its connection was terminated during COPY");
            assertTrue(seconds <= 35, "the run took " + seconds + " s to end");
            assertEquals(ExitCode.UNAVAILABLE, child.exitValue(), output);
            List<String> errorLines = output.lines().filter(line -> line.startsWith("sync-products:")).toList();
            assertEquals(1, errorLines.size(), output);
            assertFalse(output.contains("\tat "), "no stack trace without -v:\n" + output);
            assertTrue(output.lines().count() <= 6, "a few lines, not pages of pool warnings:\n" + output);
            assertEquals("failed", database.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT status FROM jobs ORDER BY id LIMIT 1").mapTo(String.class).one()), output);
            return;
        }
        fail("no COPY was caught in three tries; nothing was tested");
    }

    @Test
    void databaseThatStopsAnsweringEndsTheRunWithinThirtySecondsWithExit69() throws Exception {
        TestDatabase database = TestDatabase.create();
        Path log = dir.resolve("child-frozen-" + database.name() + ".log");
        Matcher port = Pattern.compile("//[^:/]+:(\\d+)/").matcher(database.url());
        assertTrue(port.find(), database.url());
        MockWebServer webhook = TestHttpServer.create();
        webhook.start();
        try (FreezingProxy proxy = new FreezingProxy(Integer.parseInt(port.group(1)))) {
            String viaProxy = database.url().replaceFirst("//[^:/]+:\\d+/", "//127.0.0.1:" + proxy.port() + "/");
            Process child = startSync(viaProxy, log, Map.of(NotifySettings.WEBHOOK_ENV, webhook.url("/hook").toString()));
            waitForProgress(database, child, log);
            proxy.freeze();
            long frozen = System.nanoTime();
            boolean ended = child.waitFor(60, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - frozen);
            if (!ended) {
                fail("the child still ran 60 s after the database stopped answering:\n" + threadDump(child));
            }
            String output = Files.readString(log);
            System.out.println("run ended " + seconds + " s after the database stopped answering");
            assertTrue(seconds <= 30, "the run took " + seconds + " s to end:\n" + output);
            assertEquals(ExitCode.UNAVAILABLE, child.exitValue(), output);
            List<String> errorLines = output.lines().filter(line -> line.startsWith("sync-products:")).toList();
            assertEquals(1, errorLines.size(), output);
            assertTrue(errorLines.get(0).contains("lost the database"), output);
            RecordedRequest announced = webhook.takeRequest(1, TimeUnit.SECONDS);
            assertTrue(announced != null && announced.getBody().readUtf8().contains("lost the database"),
                    "the webhook hears of a run the lost database ended:\n" + output);
        } finally {
            webhook.shutdown();
        }
        Cli.Result rerun = Cli.against(database).run("sync", "--from", file.toString(), "--full", "--batch-size", "5000");
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun.toString());
        assertEquals(0, database.count("SELECT count(*) FROM jobs WHERE status = 'running'"),
                "the lost run's job is not left running once the database is back");
    }

    private static String threadDump(Process child) throws Exception {
        Process dump = new ProcessBuilder("jcmd", Long.toString(child.pid()), "Thread.print").redirectErrorStream(true)
                .start();
        String threads = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        child.destroyForcibly().waitFor();
        return threads;
    }

    /** Terminates the child's backend while it runs a COPY; false if the child ended first. */
    private static boolean terminateDuringCopy(TestDatabase database, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (child.isAlive() && System.nanoTime() < deadline) {
            long killed = database.count("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY%'"
                    + " AND state = 'active') t");
            if (killed > 0) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    private static Process startSync(TestDatabase database, Path log) throws IOException {
        return startSync(database.url(), log, Map.of());
    }

    private static Process startSync(String url, Path log, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", url, "--no-progress", "sync", "--from", file.toString(),
                "--full", "--batch-size", "5000"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> Map.of("DATABASE_URL", "", "DB_HOST", "").containsKey(key));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void waitForProgress(TestDatabase database, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child sync ended early with exit code " + child.exitValue() + ":\n" + Files.readString(log));
            }
            boolean migrated = database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'jobs'") > 0;
            if (migrated && database.count("SELECT coalesce(max(read_count), 0) FROM jobs") >= 5_000) {
                return;
            }
            Thread.sleep(10);
        }
        fail("the child sync made no progress in 120 s:\n" + Files.readString(log));
    }
}
