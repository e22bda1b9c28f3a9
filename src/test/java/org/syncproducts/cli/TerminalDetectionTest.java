package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.Main;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * The progress bar goes where progress goes: drawn when stderr is a terminal, whatever stdout is,
 * and never into a redirected stderr. The child JVM runs under util-linux {@code script}, which
 * gives it a pseudo-terminal; the shell line redirects one of stdout and stderr to a file.
 */
class TerminalDetectionTest {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    Path dir;

    private TestDatabase database;
    private Path feed;

    @BeforeEach
    void prepare() throws IOException {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script gives the child a pseudo-terminal");
        database = TestDatabase.create();
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 50; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("400000%06d", i)))
                    .name("Product " + i));
        }
        feed = fixture.write(dir.resolve("feed.csv"));
    }

    @Test
    void aTerminalOnStderrOnlyGetsTheBarAndStdoutGetsThePlainResult() throws Exception {
        String terminal = runUnderTerminal("> " + dir.resolve("out.txt"));
        String out = Files.readString(dir.resolve("out.txt"));

        assertTrue(terminal.contains("records/s"), terminal);
        assertTrue(terminal.contains("50 records"), terminal);
        assertTrue(terminal.contains("\r"), "the bar redraws itself: " + terminal);
        assertTrue(out.contains("job #1 completed"), out);
        assertFalse(out.contains("\r") || out.contains("\u001b"), out);
    }

    @Test
    void aRedirectedStderrGetsLogLinesNotTheBar() throws Exception {
        String terminal = runUnderTerminal("2> " + dir.resolve("err.txt"));
        String err = Files.readString(dir.resolve("err.txt"));

        assertTrue(terminal.contains("job #1 completed"), terminal);
        assertTrue(err.contains("job #1 started"), err);
        assertFalse(err.contains("\r") || err.contains("\u001b") || err.contains("records/s,"), err);
    }

    /** Runs a sync with the pseudo-terminal as stdin, stdout and stderr except for the redirection. */
    private String runUnderTerminal(String redirection) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--db-url", database.url(), "sync",
                "--from", feed.toString()));
        String line = command.stream().map(TerminalDetectionTest::quote).collect(Collectors.joining(" "))
                + " < /dev/null " + redirection;
        Path typescript = dir.resolve("terminal.txt");
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "-q", "-e", "-c", line, typescript.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE).redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.out").toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("COLUMNS", "160");
        Process child = builder.start();
        child.getOutputStream().close();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not end");
        String terminal = Files.readString(typescript, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), terminal);
        return terminal;
    }

    private static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
