package org.syncproducts.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.syncproducts.Main;
import org.syncproducts.cli.SyncProductsCommand;
import picocli.CommandLine;

/**
 * Runs the real command line in-process, as {@code Main} would (default command included), with
 * stdout and stderr captured and the environment given explicitly.
 */
public final class Cli {
    /** What one invocation did. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;

    public Cli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A CLI pointed at {@code database} through DATABASE_URL. */
    public static Cli against(TestDatabase database) {
        return new Cli(Map.of("DATABASE_URL", database.url()));
    }

    public Cli withEnv(String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(key, value);
        return new Cli(copy);
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = Main.withDefaultCommand(args);
        CommandLine commandLine = SyncProductsCommand.commandLine(env, command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(command);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
