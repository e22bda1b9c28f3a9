package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.TestDatabase;

/**
 * A generic CSV holding a 100 MB field, synced in a child JVM with the shipped launcher's heap
 * (-Xmx256m): the field is one typed error, the rows around it load, and the run ends.
 */
class HugeFieldTest {
    @TempDir
    Path dir;

    @Test
    void hundredMegabyteFieldIsOneErrorAndTheRunEndsWithTheRowsAroundIt() throws Exception {
        Path file = dir.resolve("huge.csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("code,name\n3017620422003,Nutella\n3029330003533,\"");
            char[] chunk = "x".repeat(1 << 20).toCharArray();
            for (int i = 0; i < 100; i++) {
                out.write(chunk);
            }
            out.write("\"\n4006381333931,Pen\n");
        }
        TestDatabase database = TestDatabase.create();
        Path log = dir.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--no-progress", "sync", "--from", file.toString(),
                "--format", "csv", "--failure-tolerance", "1"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(180, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the run did not end in 180 s:\n" + Files.readString(log));
        }

        assertEquals(ExitCode.OK, child.exitValue(), Files.readString(log));
        assertEquals(2, database.count("SELECT count(*) FROM products"), "the rows around the huge field load");
        assertEquals("line_too_long", database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT error_type FROM errors").mapTo(String.class).one()));
        assertTrue(Files.readString(log).contains("completed"), Files.readString(log));
    }
}
