package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;

/**
 * SPEC §9: every failure is one line on stderr, saying what happened and what to do, with the
 * exit code of its class; nothing on stdout, or with --json one document carrying the code.
 */
class ErrorLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Nothing listens on port 1: the database is unreachable without waiting for a timeout. */
    private final Cli cli = new Cli(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));

    @TempDir
    Path dir;

    private void assertOneLine(int exitCode, List<String> mentions, String... args) throws IOException {
        Cli.Result result = cli.run(args);
        assertEquals(exitCode, result.exitCode(), result::toString);
        assertEquals("", result.out(), result::toString);
        List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), result::toString);
        assertTrue(lines.get(0).startsWith("sync-products: "), result::toString);
        for (String mention : mentions) {
            assertTrue(lines.get(0).contains(mention), "'" + mention + "' missing from: " + lines.get(0));
        }
        List<String> withJson = new ArrayList<>(List.of("--json"));
        withJson.addAll(List.of(args));
        Cli.Result json = cli.run(withJson.toArray(String[]::new));
        assertEquals(exitCode, json.exitCode(), json::toString);
        JsonNode document = JSON.readTree(json.out());
        assertEquals(exitCode, document.get("exit_code").asInt(), json::toString);
        assertEquals(1, json.err().lines().count(), json::toString);
    }

    @Test
    void invalidYamlIsOneLineWithItsPositionAndExit78() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "sources:\n  a:\n    type: csv\n   path: x\n",
                StandardCharsets.UTF_8);
        assertOneLine(ExitCode.CONFIG, List.of("bad.yaml", "not valid YAML", "line 4, column 4"),
                "--config", config.toString(), "stats");
    }

    @Test
    void aTabInYamlIsOneLine() throws IOException {
        Path config = Files.writeString(dir.resolve("tab.yaml"), "sync:\n\tbatch_size: 10\n", StandardCharsets.UTF_8);
        assertOneLine(ExitCode.CONFIG, List.of("tab.yaml", "line 2"), "--config", config.toString(), "stats");
    }

    @Test
    void badFlagValuesAreUsageErrorsWhateverParsesThem() throws IOException {
        Path file = Files.writeString(dir.resolve("feed.csv"), "code,name\n", StandardCharsets.UTF_8);
        assertOneLine(ExitCode.USAGE, List.of("--failure-tolerance", "'abc'"),
                "sync", "--from", file.toString(), "--failure-tolerance", "abc");
        assertOneLine(ExitCode.USAGE, List.of("--max-duration", "'5x'"),
                "sync", "--from", file.toString(), "--max-duration", "5x");
        assertOneLine(ExitCode.USAGE, List.of("--limit", "'abc'"), "sync", "--limit", "abc");
        assertOneLine(ExitCode.USAGE, List.of("--bogus", "sync --help"), "sync", "--bogus");
    }

    @Test
    void aMissingFileNamesTheOptionThatNamedIt() throws IOException {
        String missing = dir.resolve("missing.csv").toString();
        assertOneLine(ExitCode.CONFIG, List.of("--config " + missing, "not found", "sample-config"),
                "--config", missing, "stats");
        assertOneLine(ExitCode.CONFIG, List.of("--from " + missing, "not found"), "sync", "--from", missing);
        Path file = Files.writeString(dir.resolve("feed.csv"), "code,name\n", StandardCharsets.UTF_8);
        assertOneLine(ExitCode.CONFIG, List.of("--upcs-file " + missing, "not found"),
                "sync", "--from", file.toString(), "--upcs-file", missing);
        assertOneLine(ExitCode.CONFIG, List.of("targets import " + missing, "not found"), "targets", "import", missing);
        Cli fromEnvironment = cli.withEnv("SYNC_PRODUCTS_CONFIG", missing);
        Cli.Result result = fromEnvironment.run("stats");
        assertEquals(ExitCode.CONFIG, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("sync-products: SYNC_PRODUCTS_CONFIG=" + missing + ": config file not found"),
                result::toString);
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExit69() throws IOException {
        assertOneLine(ExitCode.UNAVAILABLE, List.of("127.0.0.1:1"), "stats");
    }
}
