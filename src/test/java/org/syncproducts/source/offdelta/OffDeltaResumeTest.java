package org.syncproducts.source.offdelta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.TestDatabase;

/**
 * A delta run killed outright (kill -9, in a separate JVM) in the middle of a file, then run
 * again: the rerun resumes at the file and line the last committed batch reached, so the two runs
 * together read every record exactly once and the products end as one clean run leaves them.
 */
class OffDeltaResumeTest {
    private static final int PER_FILE = 15_000;
    private static final String BATCH = "200";

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesAtTheLineItWasOn() throws Exception {
        Path deltas = dir.resolve("delta");
        Files.createDirectories(deltas);
        List<String> names = new ArrayList<>();
        for (int file = 0; file < 2; file++) {
            long from = 1000L * (file + 1);
            List<String> documents = new ArrayList<>();
            for (int i = 0; i < PER_FILE; i++) {
                // The second file changes the first file's products again.
                documents.add(DeltaFiles.smallDocument(DeltaFiles.code(i + (file == 0 ? 0 : PER_FILE / 2)),
                        "Product " + i + " of file " + file, from + 1 + i % 999));
            }
            String name = DeltaFiles.name(from, from + 1000);
            Files.write(deltas.resolve(name), DeltaFiles.gzip(documents));
            names.add(name);
        }
        Files.writeString(deltas.resolve("index.txt"), String.join("\n", names) + "\n");

        TestDatabase killed = TestDatabase.create();
        Process child = startSync(killed, deltas);
        waitForProgress(killed, child);
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        long committed = killed.count("SELECT read_count FROM jobs ORDER BY id LIMIT 1");
        assertTrue(committed < 2L * PER_FILE, "the child finished before it was killed; nothing was tested");

        Cli.Result rerun = Cli.against(killed).run("sync", "--from-delta", deltas.toString(), "--batch-size", BATCH);

        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertTrue(rerun.out().contains("resumed from the checkpoint of job #"), rerun::toString);
        assertEquals(2L * PER_FILE, committed + killed.count("SELECT read_count FROM jobs ORDER BY id DESC LIMIT 1"),
                "every record is read once across the killed run and the resumed one");
        TestDatabase clean = TestDatabase.create();
        assertEquals(ExitCode.OK, Cli.against(clean).run("sync", "--from-delta", deltas.toString()).exitCode());
        String products = "SELECT count(*) || ':' || md5(string_agg(code || '|' || content_hash || '|' || name, ','"
                + " ORDER BY code)) FROM products";
        assertEquals(text(clean, products), text(killed, products));
        assertEquals(names.get(1), text(killed, "SELECT state -> 'cursor' ->> 'last_file' FROM source_state"));
    }

    private static String text(TestDatabase database, String sql) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    private Process startSync(TestDatabase database, Path deltas) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--no-progress", "sync", "--from-delta",
                deltas.toString(), "--batch-size", BATCH));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(database));
        builder.environment().keySet().removeIf(key -> Map.of("DATABASE_URL", "", "DB_HOST", "").containsKey(key));
        return builder.start();
    }

    /** Waits until the child has committed some batches of the first file (and is far from done). */
    private void waitForProgress(TestDatabase database, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                fail("the child sync ended early with exit code " + child.exitValue() + ":\n" + childLog(database));
            }
            boolean migrated = database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'jobs'") > 0;
            if (migrated && database.count("SELECT coalesce(max(read_count), 0) FROM jobs") >= 2_000) {
                return;
            }
            Thread.sleep(10);
        }
        fail("the child sync made no progress in 120 s:\n" + childLog(database));
    }

    private String childLog(TestDatabase database) {
        try {
            return Files.readString(logFile(database).toPath());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private File logFile(TestDatabase database) {
        return new File(dir.toFile(), "child-" + database.name() + ".log");
    }
}
