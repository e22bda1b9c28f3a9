package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.TestDatabase;

/**
 * Cron mails any output: every command of the shipped crontab, run as cron runs it (a child JVM,
 * the sample config) against a healthy database, prints nothing on stdout or stderr.
 */
class CronQuietnessTest {
    private static final Path CONFIG = Path.of("sample-config/sync-products.yaml");
    /** A crontab line, commented out or not: five time fields, the wrapper script, its arguments. */
    private static final Pattern LINE = Pattern.compile(
            "^#?\\s*\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S*/scripts/sync-products\\s+(.*?)\\s*(\\|\\|.*)?$");

    @TempDir
    Path dir;

    @Test
    void everyCrontabCommandIsSilentOnAHealthyDatabase() throws Exception {
        TestDatabase database = TestDatabase.create();
        Cli cli = Cli.against(database).withEnv("SYNC_PRODUCTS_CONFIG", CONFIG.toString());
        // Healthy: the sample data synced, and every target has a product.
        assertEquals(0, cli.run("sync").exitCode());
        List<String> codes = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT code FROM products ORDER BY code LIMIT 50").mapTo(String.class).list());
        Path targets = Files.writeString(dir.resolve("targets.csv"), "code\n" + String.join("\n", codes) + "\n",
                StandardCharsets.UTF_8);
        Cli.Result imported = cli.run("targets", "import", targets.toString());
        assertEquals(0, imported.exitCode(), imported::toString);

        List<List<String>> commands = crontabCommands();
        assertTrue(commands.size() >= 6, "the crontab's commands: " + commands);
        // The first --if-due tick syncs; a second one is not due: both must be silent.
        commands.addAll(commands.stream().filter(arguments -> arguments.contains("--if-due")).toList());
        for (List<String> arguments : commands) {
            Process child = start(database, arguments);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "no end: " + arguments);
            String out = Files.readString(dir.resolve("out"));
            String err = Files.readString(dir.resolve("err"));
            assertEquals(0, child.exitValue(), arguments + "\n" + out + err);
            assertEquals("", out, "stdout of " + arguments);
            assertEquals("", err, "stderr of " + arguments);
        }
    }

    /** The arguments of every sync-products line of sample-config/crontab, paths made local. */
    private List<List<String>> crontabCommands() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("sample-config/crontab"))) {
            Matcher matcher = LINE.matcher(line.strip());
            if (matcher.matches()) {
                commands.add(Arrays.stream(matcher.group(1).split("\\s+"))
                        .map(argument -> argument.startsWith("/var/lib/") ? dir.resolve("metrics.prom").toString()
                                : argument.startsWith("/var/www/") ? dir.resolve("report.html").toString()
                                : argument)
                        .collect(Collectors.toList()));
            }
        }
        return commands;
    }

    private Process start(TestDatabase database, List<String> arguments) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("OFF_")
                || key.startsWith("UPC"));
        builder.environment().put("DATABASE_URL", database.url());
        builder.environment().put("SYNC_PRODUCTS_CONFIG", CONFIG.toString());
        return builder.start();
    }
}
