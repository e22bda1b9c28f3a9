package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import picocli.CommandLine;

/** The command line as a whole: version, help, the default command, usage errors, migrate. */
class MainCommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * A CLI whose database cannot be reached (nothing listens on port 1) and whose embedded
     * database would live in the temp dir: anything that touches a database fails loudly instead
     * of starting a server in the user's home.
     */
    private Cli offline() {
        return new Cli(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nothing",
                "XDG_DATA_HOME", dir.toString()));
    }

    /** The command names listed under "Commands:" in a usage text. */
    private static Set<String> listedCommands(String usage) {
        Set<String> commands = new LinkedHashSet<>();
        boolean inCommands = false;
        for (String line : usage.lines().toList()) {
            if (line.startsWith("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands && line.startsWith("  ") && !line.startsWith("   ")) {
                commands.add(line.strip().split("\\s+")[0].replace(",", ""));
            }
        }
        return commands;
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        for (String flag : List.of("--version", "-V")) {
            Cli.Result result = offline().run(flag);

            assertEquals(0, result.exitCode(), result.toString());
            assertTrue(result.out().lines().findFirst().orElse("").matches("sync-products \\d+\\.\\d+\\.\\d+.*"),
                    result.out());
            assertEquals("", result.err());
        }
    }

    @Test
    void versionNamesTheCommitAndBuildDateAndIsJsonWithJson() throws IOException {
        Cli.Result text = offline().run("-V");
        assertTrue(text.out().lines().findFirst().orElse("")
                .matches("sync-products \\d+\\.\\d+\\.\\d+.* \\(commit \\S+, built \\d{4}-\\d\\d-\\d\\dT.*Z\\)"), text.out());

        for (String[] args : List.of(new String[] {"--json", "-V"}, new String[] {"stats", "--json", "--version"})) {
            Cli.Result json = offline().run(args);
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode document = JSON.readTree(json.out());
            assertEquals(List.of("name", "version", "commit", "built_at", "java", "exit_code"),
                    iterable(document.fieldNames()), json.out());
            assertTrue(document.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), json.out());
            assertEquals(0, document.get("exit_code").asInt());
            assertEquals("", json.err());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void helpWithACommandPathShowsThatSubcommand() {
        Cli.Result result = offline().run("help", "jobs", "show");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("Usage: sync-products jobs show"), result.out());
        assertEquals(64, offline().run("help", "jobs", "nope").exitCode());
    }

    @Test
    void generateCompletionPrintsAScriptFromTheCommandModel() {
        Cli.Result result = offline().run("generate-completion");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("#!/usr/bin/env bash"), result.out());
        assertTrue(result.out().contains("--if-coverage-below") && result.out().contains("jobs show"),
                "every command and option, from the picocli model");
    }

    @Test
    void helpListsTheImplementedCommandsAndNothingElse() {
        Cli.Result result = offline().run("--help");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(Set.of("sync", "stats", "monitor", "verify", "targets", "jobs", "errors", "pause", "resume",
                "cleanup", "schedule", "report", "migrate", "sources", "config", "generate-completion", "help"),
                listedCommands(result.out()),
                result.out());
        assertTrue(result.out().contains("--db-url") && result.out().contains("--json"), result.out());
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithExitZeroWithoutTouchingTheDatabase() {
        List<List<String>> paths = new ArrayList<>();
        collect(org.syncproducts.cli.SyncProductsCommand.commandLine(Map.of()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 8, "sync, stats, targets (import, list, count), migrate, help: " + paths);

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result result = offline().run(args.toArray(String[]::new));

            assertEquals(0, result.exitCode(), args + ": " + result);
            assertTrue(result.out().contains("Usage:"), args + ": " + result.out());
            assertEquals("", result.err(), args + " writes nothing on stderr");
        }
        assertEquals(Set.of("import", "list", "count"), listedCommands(offline().run("targets", "--help").out()));
    }

    private static void collect(CommandLine commandLine, List<String> path, List<List<String>> paths) {
        commandLine.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) {
                return;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            paths.add(subPath);
            collect(sub, subPath, paths);
        });
    }

    @Test
    void subcommandsListOnlyTheGlobalOptionsThatApplyToThem() {
        Set<String> all = Set.of("--json", "--verbose", "--quiet", "--config", "--db-url", "--db-schema",
                "--embedded-db", "--no-migrate", "--no-progress");
        Map<List<String>, Set<String>> expected = Map.of(
                List.of(), all,
                List.of("sync"), all,
                List.of("stats"), Set.of("--json", "--verbose", "--quiet", "--config", "--db-url", "--db-schema",
                        "--embedded-db", "--no-migrate"),
                List.of("jobs", "show"), Set.of("--json", "--verbose", "--quiet", "--config", "--db-url",
                        "--db-schema", "--embedded-db", "--no-migrate"),
                List.of("config", "show"), Set.of("--json", "--verbose", "--quiet", "--config", "--db-url",
                        "--db-schema", "--embedded-db"),
                List.of("schedule"), Set.of("--json", "--verbose", "--quiet", "--config"),
                List.of("help", "help"), Set.of(),
                List.of("generate-completion"), Set.of());
        expected.forEach((path, options) -> {
            List<String> args = new ArrayList<>(path);
            if (!path.contains("help")) {
                args.add("--help");
            }
            String help = offline().run(args.toArray(String[]::new)).out();
            Set<String> listed = new java.util.HashSet<>(all);
            listed.removeIf(option -> !help.contains(option + " ") && !help.contains(option + "=")
                    && !help.contains(option + "]") && !help.contains(option + "\n"));
            assertEquals(options, listed, path + " --help:\n" + help);
        });
    }

    @Test
    void aGlobalOptionWorksBeforeOrAfterTheCommandButOnlyWhereItApplies() throws Exception {
        Cli cli = offline();
        assertTrue(cli.run("config", "show", "--db-schema", "after").out().contains("after"));
        assertTrue(cli.run("--db-schema", "before", "config", "show").out().contains("before"));
        assertTrue(cli.run("config", "show", "--json").out().contains("\"exit_code\" : 0"));
        Cli.Result misplaced = cli.run("config", "show", "--no-migrate");
        assertEquals(ExitCode.USAGE, misplaced.exitCode(), misplaced.toString());
        assertTrue(misplaced.err().contains("Unknown option: '--no-migrate'"), misplaced.err());
    }

    @Test
    void helpCommandShowsTheHelpOfACommand() {
        Cli.Result result = offline().run("help", "sync");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("--full") && result.out().contains("--upcs-file"), result.out());
    }

    @Test
    void noCommandMeansSync() {
        TestDatabase database = TestDatabase.create();
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product("3017620422003").name("Nutella"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = Cli.against(database).run("--full", "--from", file.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("completed"), result.out());
        assertEquals(1, database.count("SELECT count(*) FROM products"));
        assertEquals("full", database.jdbi().withHandle(handle -> handle.createQuery("SELECT strategy FROM jobs")
                .mapTo(String.class).one()));
    }

    @Test
    void aRunBuildsTheModelOfItsOwnCommandOnlyAndItReadsTheSame() {
        CommandLine every = SyncProductsCommand.commandLine(Map.of());
        for (Map.Entry<String, CommandLine> command : every.getSubcommands().entrySet()) {
            String name = command.getKey();
            CommandLine only = SyncProductsCommand.commandLine(Map.of(), new String[] {"-q", name, "--help"});
            if (name.equals("help") || name.equals("generate-completion")) {
                assertEquals(every.getSubcommands().keySet(), only.getSubcommands().keySet(), name);
            } else {
                assertEquals(Set.of(name), only.getSubcommands().keySet(), name);
            }
            assertEquals(command.getValue().getUsageMessage(), only.getSubcommands().get(name).getUsageMessage(), name);
        }
        // No command named (top-level help, the default sync inserted later, a typo): every command.
        assertEquals(every.getSubcommands().keySet(),
                SyncProductsCommand.commandLine(Map.of(), new String[] {"--help"}).getSubcommands().keySet());
        // An option's value is not a command, whichever global option takes it.
        for (String option : List.of("--config", "--db-url", "--db-schema", "--embedded-db")) {
            assertEquals("stats", SyncProductsCommand.commandNamed(new String[] {option, "sync", "stats"}), option);
        }
    }

    /** The launcher runs every command but sync on the quick compiler alone: its list must name them all. */
    @Test
    void launcherKnowsEveryCommandButSyncAsShort() throws IOException {
        String launcher = Files.readString(Path.of("scripts/sync-products"));
        Matcher list = Pattern.compile("(?m)^short_commands=\" ([^\"]*) \"$").matcher(launcher);
        assertTrue(list.find(), "short_commands line in scripts/sync-products");
        Set<String> expected = new TreeSet<>(SyncProductsCommand.commandLine(Map.of()).getSubcommands().keySet());
        expected.remove("sync");
        assertEquals(expected, new TreeSet<>(List.of(list.group(1).split(" "))));
    }

    @Test
    void defaultCommandIsInsertedOnlyWhenNoCommandIsGiven() {
        assertArrayEquals(new String[] {"sync", "--full"}, Main.withDefaultCommand(new String[] {"--full"}));
        assertArrayEquals(new String[] {"sync"}, Main.withDefaultCommand(new String[] {}));
        assertArrayEquals(new String[] {"--json", "stats"}, Main.withDefaultCommand(new String[] {"--json", "stats"}));
        for (String command : List.of("monitor", "verify", "jobs", "errors", "pause", "resume", "cleanup", "schedule")) {
            assertArrayEquals(new String[] {"-q", command}, Main.withDefaultCommand(new String[] {"-q", command}),
                    command + " is a command, not options of sync");
        }
        assertArrayEquals(new String[] {"--help"}, Main.withDefaultCommand(new String[] {"--help"}));
        assertArrayEquals(new String[] {"-V"}, Main.withDefaultCommand(new String[] {"-V"}));
        // A config file that happens to be called "stats" is an option value, not a command.
        assertArrayEquals(new String[] {"sync", "--config", "stats", "--full"},
                Main.withDefaultCommand(new String[] {"--config", "stats", "--full"}));
    }

    @Test
    void unknownFlagIsAUsageErrorWithOneLineOnStderr() {
        Cli.Result result = offline().run("--no-such-flag");

        assertEquals(64, result.exitCode(), result.toString());
        assertEquals("", result.out());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
        assertTrue(result.err().contains("--no-such-flag"), result.err());
        assertTrue(result.err().contains("--help"), "says what to do: " + result.err());
    }

    @Test
    void misspelledFlagIsAUsageErrorWhoseOneLineSuggestsTheRightFlag() {
        Cli.Result result = offline().run("sync", "--ful");

        assertEquals(64, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
        assertTrue(result.err().contains("--full"), result.err());
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        for (List<String> args : List.of(List.of("sync", "--limit", "many"), List.of("sync", "--limit", "-1"),
                List.of("sync", "--batch-size", "0"), List.of("stats", "--history", "x"))) {
            Cli.Result result = offline().run(args.toArray(String[]::new));

            assertEquals(64, result.exitCode(), args + ": " + result);
            assertTrue(result.err().startsWith("sync-products: "), args + ": " + result.err());
        }
    }

    @Test
    void migrateTwiceIsIdempotent() throws IOException {
        TestDatabase database = TestDatabase.create();
        Cli cli = Cli.against(database);

        Cli.Result first = cli.run("--json", "migrate");
        assertEquals(0, first.exitCode(), first.toString());
        JsonNode applied = JSON.readTree(first.out());
        assertTrue(applied.get("applied").asInt() >= 1, first.out());

        Cli.Result second = cli.run("--json", "migrate");
        assertEquals(0, second.exitCode(), second.toString());
        JsonNode again = JSON.readTree(second.out());
        assertEquals(0, again.get("applied").asInt());
        assertEquals(applied.get("schema_version").asText(), again.get("schema_version").asText());

        Cli.Result text = cli.run("migrate");
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("up to date"), text.out());
        assertEquals(1, database.count("SELECT count(*) FROM flyway_schema_history WHERE version = '1'"));
    }
}
