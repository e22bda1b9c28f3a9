package org.syncproducts.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
    /**
     * Every command, in the order {@code --help} lists them. They are registered by
     * {@link #commandLine(Map, String[])} rather than by the annotation, so a run reflects on the
     * options of the one command it runs: building every command's model is about half of a short
     * command's start-up.
     */
    private static final List<Class<?>> COMMANDS = List.of(SyncCommand.class, StatsCommand.class,
            MonitorCommand.class, VerifyCommand.class, TargetsCommand.class, JobsCommand.class, ErrorsCommand.class,
            PauseCommand.class, ResumeCommand.class, CleanupCommand.class, ScheduleCommand.class, ReportCommand.class,
            MigrateCommand.class, SourcesCommand.class, ConfigCommand.class, AutoComplete.GenerateCompletion.class,
            HelpCommand.class);
    /** Command names, for finding the command in raw arguments (read from the annotations, no model built). */
    private static final Map<String, Class<?>> COMMANDS_BY_NAME = COMMANDS.stream()
            .collect(Collectors.toMap(command -> command.getAnnotation(Command.class).name(), command -> command,
                    (first, second) -> first, LinkedHashMap::new));
    /** Global options that take a value, so their values are not mistaken for command names. */
    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--config", "--db-url", "--db-schema", "--embedded-db");
    /** Commands that need the whole command model: help lists every command, completion covers them all. */
    private static final Set<String> NEEDS_EVERY_COMMAND = Set.of("help", "generate-completion");

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

    /** The command line with every command and its error handling (help, completion, man pages). */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, COMMANDS);
    }

    /**
     * The command line for executing {@code args}: with only the command they name, or with every
     * command when they name none (top-level help, an unknown command, picocli's suggestions) or
     * ask for help or completion. What it prints and does is the same either way.
     */
    public static CommandLine commandLine(Map<String, String> env, String[] args) {
        String named = commandNamed(args);
        boolean onlyOne = named != null && !NEEDS_EVERY_COMMAND.contains(named);
        return commandLine(env, onlyOne ? List.of(COMMANDS_BY_NAME.get(named)) : COMMANDS);
    }

    /** The first argument that is a command's name (option values skipped), or null. */
    public static String commandNamed(String[] args) {
        boolean expectValue = false;
        for (String arg : args) {
            if (expectValue) {
                expectValue = false;
            } else if (COMMANDS_BY_NAME.containsKey(arg)) {
                return arg;
            } else {
                expectValue = OPTIONS_WITH_VALUES.contains(arg);
            }
        }
        return null;
    }

    private static CommandLine commandLine(Map<String, String> env, List<Class<?>> commands) {
        SyncProductsCommand top = new SyncProductsCommand(env);
        CommandLine commandLine = new CommandLine(top);
        for (Class<?> command : commands) {
            commandLine.addSubcommand(command);
        }
        ErrorReporter errors = new ErrorReporter(top);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli hides its completion generator by default; it is a supported command here.
        CommandLine completion = commandLine.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false);
        }
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
