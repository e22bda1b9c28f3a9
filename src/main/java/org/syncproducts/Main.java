package org.syncproducts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.syncproducts.cli.SyncProductsCommand;

/**
 * Entry point: configures logging from {@code -v}/{@code -q}, runs the command line and exits
 * with the command's exit code. Nothing else calls {@link System#exit}.
 */
public final class Main {
    private static final Set<String> HELP_OR_VERSION = Set.of("-h", "--help", "-V", "--version");

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(args);
        String[] command = withDefaultCommand(args);
        int exitCode = SyncProductsCommand.commandLine(System.getenv(), command).execute(command);
        System.exit(exitCode);
    }

    /**
     * With no command, {@code sync} runs, so {@code sync-products --full} works as operators type
     * it. Help and version requests are left alone.
     */
    public static String[] withDefaultCommand(String[] args) {
        if (SyncProductsCommand.commandNamed(args) != null || Arrays.stream(args).anyMatch(HELP_OR_VERSION::contains)) {
            return args;
        }
        List<String> withSync = new ArrayList<>();
        withSync.add("sync");
        withSync.addAll(List.of(args));
        return withSync.toArray(String[]::new);
    }

    /**
     * slf4j-simple reads its settings once, when the first logger is created, so the level is
     * taken from the raw arguments before picocli parses them.
     */
    static void configureLogging(String[] args) {
        String level = "info";
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--verbose")) {
                level = "debug";
            } else if (arg.equals("-q") || arg.equals("--quiet")) {
                level = "warn";
            }
        }
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ssZ");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "false");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
        for (String noisy : List.of("org.flywaydb", "org.jdbi", "io.zonky")) {
            setDefault("org.slf4j.simpleLogger.log." + noisy, level.equals("debug") ? "info" : "warn");
        }
        // A lost database makes the pool warn, with a stack trace, for every connection it drops;
        // the run's own one line says it (SPEC §9), the pool's detail comes with -v.
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", level.equals("debug") ? "info" : "error");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
