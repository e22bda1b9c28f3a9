package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;

/**
 * The embedded default database: created on first use, kept between runs, shared by concurrent
 * runs, stopped by the last one to leave, and recovered after a run is killed.
 */
class EmbeddedPostgresServerTest {
    @TempDir
    static Path dir;

    @Test
    void firstUseCreatesAPasswordProtectedClusterAndTheLastUserStopsIt() throws Exception {
        Path embedded = dir.resolve("first-use");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(embedded)) {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
                assertTrue(connection.isValid(5));
            }
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(embedded.resolve("password"))));
            assertTrue(isRunning(embedded));
        }
        assertFalse(isRunning(embedded), "the last user stops the server");
    }

    @Test
    void whatARunKilledDuringCreationLeftIsRemovedAndTheClusterGetsItsSettings() throws Exception {
        Path embedded = dir.resolve("killed-during-init");
        Files.createDirectories(embedded.resolve("pgdata-init-1234").resolve("base"));
        Files.writeString(embedded.resolve("pgdata-init-1234").resolve("PG_VERSION"), "17\n");
        Files.createDirectories(embedded.resolve("runtime-unpack-5678").resolve("bin"));
        Files.createDirectories(embedded.resolve("pgdata"));

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(embedded);
             Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             var statement = connection.createStatement()) {
            assertFalse(Files.exists(embedded.resolve("pgdata-init-1234")), "the abandoned cluster is removed");
            assertFalse(Files.exists(embedded.resolve("runtime-unpack-5678")), "the abandoned unpack is removed");
            assertTrue(Files.readString(embedded.resolve("pgdata").resolve("postgresql.conf"))
                    .contains("timezone = 'UTC'"), "the cluster has its settings");
            var sockets = statement.executeQuery("SHOW unix_socket_directories");
            assertTrue(sockets.next());
            assertEquals("", sockets.getString(1), "no Unix socket, loopback only");
        }
    }

    @Test
    void dataPersistsBetweenRunsThroughTheCommandLine() {
        Path embedded = dir.resolve("persist");
        Path file = writeOneProduct(dir.resolve("one.csv"));
        Cli cli = new Cli(Map.of());
        Cli.Result sync = cli.run("--embedded-db", embedded.toString(), "sync", "--from", file.toString());
        assertEquals(ExitCode.OK, sync.exitCode(), sync::toString);
        assertFalse(isRunning(embedded));

        Cli.Result stats = cli.run("--embedded-db", embedded.toString(), "--json", "stats");
        assertEquals(ExitCode.OK, stats.exitCode(), stats::toString);
        assertTrue(stats.out().contains("\"total\" : 1"), stats::toString);
        assertFalse(isRunning(embedded));
    }

    @Test
    void aServerLeftRunningByAKilledRunIsReusedAndThenStopped() throws Exception {
        Path embedded = dir.resolve("killed");
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 0; i < 40_000; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("41%010d", i))).name("P" + i));
        }
        Path file = fixture.write(dir.resolve("many.csv"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--embedded-db", embedded.toString(), "--no-progress", "sync", "--from",
                file.toString(), "--batch-size", "100"))
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "killed-child.log")).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!Files.exists(embedded.resolve("pgdata").resolve("postmaster.pid")) || !jobStarted()) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                fail("the child sync did not get going (see killed-child.log)");
            }
            Thread.sleep(20);
        }
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(isRunning(embedded), "a killed run leaves its server up");

        Cli.Result rerun = new Cli(Map.of()).run("--embedded-db", embedded.toString(), "sync", "--from",
                file.toString());
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertFalse(isRunning(embedded), "the run that reused the orphaned server stops it when done");
    }

    private static boolean jobStarted() {
        try {
            return Files.readString(dir.resolve("killed-child.log")).contains("job #");
        } catch (java.io.IOException e) {
            return false; // the log file is not there yet
        }
    }

    private static Path writeOneProduct(Path file) {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product("3029330003533").name("Bread"));
        return fixture.write(file);
    }

    private static boolean isRunning(Path embedded) {
        Path pid = embedded.resolve("pgdata").resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return false;
        }
        try {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
            return ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
