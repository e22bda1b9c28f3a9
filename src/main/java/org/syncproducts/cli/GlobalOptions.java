package org.syncproducts.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The global options, as mixins of growing scope: each command mixes in the largest group that
 * applies to it, so its help lists only those ({@code stats} has no {@code --no-progress},
 * {@code help} none). The top command mixes in {@link All}, so any of them may also come before
 * the command name. Every value lands on the top command's instance (the picocli manual's
 * {@code @Spec(MIXEE)} pattern), wherever the option was given.
 */
final class GlobalOptions {
    private GlobalOptions() {
    }

    /** {@code --json}, {@code -v}, {@code -q}: how a command reports. */
    static class Common {
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        boolean json;
        boolean verbose;
        boolean quiet;

        @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
        void json(boolean value) {
            top().json = value;
        }

        @Option(names = {"-v", "--verbose"}, description = "Log details on stderr, and stack traces on errors.")
        void verbose(boolean value) {
            top().verbose = value;
        }

        @Option(names = {"-q", "--quiet"},
                description = "For cron: print nothing unless something needs a person (a failure, a warning).")
        void quiet(boolean value) {
            top().quiet = value;
        }

        /** The top command's options, where every value is kept. */
        final All top() {
            return ((SyncProductsCommand) mixee.root().userObject()).options();
        }
    }

    /** Adds {@code --config}: commands that read the config file. */
    static class ConfigFile extends Common {
        Path configFile;

        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML config file (default: $SYNC_PRODUCTS_CONFIG; none needed for --from).")
        void configFile(Path value) {
            top().configFile = value;
        }
    }

    /** Adds where the database is: commands that load the whole configuration. */
    static class Config extends ConfigFile {
        String dbUrl;
        String dbSchema;
        Path embeddedDir;

        @Option(names = "--db-url", paramLabel = "URL",
                description = "PostgreSQL URL, jdbc:postgresql://... or postgresql://user@host/db (overrides DATABASE_URL).")
        void dbUrl(String value) {
            top().dbUrl = value;
        }

        @Option(names = "--db-schema", paramLabel = "NAME",
                description = "Schema that holds the tool's tables (default sync_products; overrides DB_SCHEMA).")
        void dbSchema(String value) {
            top().dbSchema = value;
        }

        @Option(names = "--embedded-db", paramLabel = "DIR",
                description = "Data directory of the embedded PostgreSQL used when no database is configured.")
        void embeddedDir(Path value) {
            top().embeddedDir = value;
        }
    }

    /** Adds {@code --no-migrate}: commands that open the database (and migrate it first). */
    static class Database extends Config {
        boolean noMigrate;

        @Option(names = "--no-migrate",
                description = "Do not apply pending database migrations first (see the migrate command).")
        void noMigrate(boolean value) {
            top().noMigrate = value;
        }
    }

    /** Adds {@code --no-progress}: every global option (sync, and the top command). */
    static class All extends Database {
        boolean noProgress;

        @Option(names = "--no-progress",
                description = "No progress bar, even when stderr is a terminal (progress is then logged every few seconds).")
        void noProgress(boolean value) {
            top().noProgress = value;
        }
    }
}
