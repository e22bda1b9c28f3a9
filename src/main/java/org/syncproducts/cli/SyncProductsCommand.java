package org.syncproducts.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.ConfigLoader;
import org.syncproducts.config.ResolvedConfig;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.store.Database;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;

/**
 * The top-level command: every global option (a subcommand takes after its name those that apply
 * to it, see {@link GlobalOptions}) and the wiring the subcommands share: config loading and
 * opening the database.
 */
@Command(name = "sync-products",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
                "Keeps a PostgreSQL product database in sync with Open Food Facts (API and",
                "data exports), UPC databases and your own feeds (CSV files, REST APIs,",
                "PostgreSQL tables), records every run, and tells you how healthy the database is.",
                "",
                "With no command, sync runs: 'sync-products --full' = 'sync-products sync --full'.",
                "With no --db-url, DATABASE_URL or DB_HOST, an embedded PostgreSQL is used; its",
                "data stays in ~/.local/share/sync-products/postgres (or --embedded-db DIR)."},
        subcommands = {SyncCommand.class, StatsCommand.class, MonitorCommand.class, VerifyCommand.class,
                TargetsCommand.class, JobsCommand.class, ErrorsCommand.class, PauseCommand.class,
                ResumeCommand.class, CleanupCommand.class, ScheduleCommand.class, ReportCommand.class,
                MigrateCommand.class, SourcesCommand.class, ConfigCommand.class, AutoComplete.GenerateCompletion.class, HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0 success, healthy, verify clean   64 usage error",
                "  1 job failed or cancelled, or failures over tolerance; monitor alert at",
                "    --fail-on; verify found discrepancies",
                "  65 input not in the declared format",
                "  69 database or every lookup source unavailable   70 internal error",
                "  75 another sync holds the lock (try later)   78 configuration error",
                "  130/143 stopped by SIGINT/SIGTERM (job recorded as cancelled)",
                "Environment: SYNC_PRODUCTS_CONFIG, DATABASE_URL, DB_HOST DB_PORT DB_NAME,",
                "  DB_USER DB_PASSWORD DB_SCHEMA, OFF_API_URL OFF_CONTACT, UPCITEMDB_API_URL,",
                "  UPCITEMDB_API_KEY, UPC_DATABASE_API_URL UPC_DATABASE_API_KEY."})
public final class SyncProductsCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions.All options;

    private final Map<String, String> env;
    /** The process's one HTTP client, built on first use by a source that needs it. */
    private final SharedHttpClient http = new SharedHttpClient();

    public SyncProductsCommand(Map<String, String> env) {
        this.env = env;
    }

    /** For picocli's generators (man pages), which build the command model reflectively. */
    public SyncProductsCommand() {
        this(System.getenv());
    }

    /** The command line with its error handling, ready to execute. */
    public static CommandLine commandLine(Map<String, String> env) {
        SyncProductsCommand top = new SyncProductsCommand(env);
        CommandLine commandLine = new CommandLine(top);
        ErrorReporter errors = new ErrorReporter(top);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli hides its completion generator by default; it is a supported command here.
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        commandLine.setExecutionStrategy(parseResult -> versionAsJson(top, commandLine, parseResult)
                ? ExitCode.OK : new CommandLine.RunLast().execute(parseResult));
        return commandLine;
    }

    /** {@code --json -V}: the version as one JSON document, like every other --json answer. */
    private static boolean versionAsJson(SyncProductsCommand top, CommandLine commandLine, ParseResult parseResult) {
        boolean requested = false;
        for (ParseResult part = parseResult; part != null; part = part.subcommand()) {
            requested |= part.isVersionHelpRequested();
        }
        if (!requested || !top.options.json) {
            return false;
        }
        new Output(commandLine.getCommandSpec(), true).json(VersionProvider.Build.current());
        return true;
    }

    @Override
    public Integer call() {
        // Main inserts "sync" when no command is given, so this only runs for an empty command line
        // passed by a caller that bypasses Main.
        return ExitCode.USAGE;
    }

    /** The merged configuration (flags &gt; environment &gt; file &gt; defaults). */
    public AppConfig config() {
        return configLoader().load(configOverrides());
    }

    /** The merged configuration with each value's origin and no secret ({@code config show}). */
    public ResolvedConfig explainConfig() {
        return configLoader().explain(configOverrides());
    }

    private ConfigLoader configLoader() {
        LookupContext lookups = new LookupContext(env, http, Clock.systemUTC(), "sync-products/" + VersionProvider.version());
        return new ConfigLoader(env, SourceTypes.builtIn(lookups));
    }

    private ConfigLoader.Overrides configOverrides() {
        return new ConfigLoader.Overrides(options.configFile, options.dbUrl, options.embeddedDir, options.dbSchema);
    }

    /** Opens the configured database and applies migrations unless --no-migrate. */
    public Database openDatabase(AppConfig config) {
        Database database = Database.open(config.database());
        try {
            if (options.noMigrate) {
                database.requireCurrentSchema();
            } else {
                database.migrate();
            }
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The process's one HTTP client (built on first use). */
    public SharedHttpClient http() {
        return http;
    }

    /** The --config flag as given, or null. */
    public Path configFileOption() {
        return options.configFile;
    }

    public boolean json() {
        return options.json;
    }

    public boolean verbose() {
        return options.verbose;
    }

    public boolean quiet() {
        return options.quiet;
    }

    public boolean noProgress() {
        return options.noProgress;
    }

    /** The global options' values, wherever on the command line they were given. */
    GlobalOptions.All options() {
        return options;
    }

    public Map<String, String> env() {
        return env;
    }
}
