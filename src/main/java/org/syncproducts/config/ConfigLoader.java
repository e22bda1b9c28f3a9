package org.syncproducts.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.syncproducts.SyncProductsException;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupSource;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML config file and merges it with the environment and command-line flags, in the
 * order of SPEC §3: flags &gt; environment &gt; config file &gt; built-in defaults. Every problem is a
 * {@link SyncProductsException} with exit code 78 naming the key at fault.
 */
public final class ConfigLoader {
    /** Environment variable naming the config file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "SYNC_PRODUCTS_CONFIG";

    /** What flags say about configuration; null means "not given". */
    public record Overrides(Path configFile, String dbUrl, Path embeddedDir, String dbSchema) {
        public static final Overrides NONE = new Overrides(null, null, null, null);

        public Overrides(Path configFile, String dbUrl, Path embeddedDir) {
            this(configFile, dbUrl, embeddedDir, null);
        }
    }

    /**
     * A schema name the tool accepts: a plain lower-case PostgreSQL identifier, so it never needs
     * quoting and the search path names it exactly.
     */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Map<String, String> env;
    private final SourceTypes sourceTypes;

    public ConfigLoader(Map<String, String> env, SourceTypes sourceTypes) {
        this.env = env;
        this.sourceTypes = sourceTypes;
    }

    public AppConfig load(Overrides overrides) {
        return read(overrides).config();
    }

    /**
     * The merged configuration with each value's origin, for {@code config show}; a bad config
     * fails as {@link #load} does.
     */
    public ResolvedConfig explain(Overrides overrides) {
        Loaded loaded = read(overrides);
        return new ConfigExplainer(loaded.config(), loaded.origins(), env, sourceTypes).explain();
    }

    /** A loaded configuration and where its layered values came from. */
    private record Loaded(AppConfig config, ConfigOrigins origins) {
    }

    private Loaded read(Overrides overrides) {
        Path file = overrides.configFile() != null ? overrides.configFile()
                : env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank() ? Path.of(env.get(CONFIG_ENV)) : null;
        String origin = overrides.configFile() != null ? "--config " + file : CONFIG_ENV + "=" + file;
        ConfigNode root = new ConfigNode(file == null ? null : readYaml(file, origin), "");
        ConfigOrigins origins = new ConfigOrigins(file);
        root.allowOnly(Set.of("database", "sync", "sources", "monitor", "schedules", "notify", "auto"));
        Path baseDir = file == null ? Path.of("").toAbsolutePath()
                : file.toAbsolutePath().getParent() == null ? Path.of("/") : file.toAbsolutePath().getParent();
        DatabaseSettings database = database(root.child("database"), overrides, baseDir, origins);
        Map<String, ProductSource> sources = new LinkedHashMap<>();
        Map<String, LookupSource> lookupSources = new LinkedHashMap<>();
        sources(root.child("sources"), baseDir, sources, lookupSources);
        Set<String> sourceNames = new HashSet<>(sources.keySet());
        sourceNames.addAll(lookupSources.keySet());
        SyncSettings sync = sync(root.child("sync"), sourceNames, baseDir,
                defaultEmbeddedDir().getParent().resolve("images"));
        MonitorSettings monitor = MonitorSettings.read(root.child("monitor"), sync.staleAfter());
        return new Loaded(new AppConfig(file, database, sync, sources, monitor, lookupSources,
                ScheduleSettings.read(root.child("schedules")), NotifySettings.read(root.child("notify"), env),
                AutoSettings.read(root.child("auto"))), origins);
    }

    /** @param origin what named the file ({@code --config FILE} or the environment), for the error line */
    private static JsonNode readYaml(Path file, String origin) {
        if (!Files.isRegularFile(file)) {
            throw SyncProductsException.config(origin + ": config file not found; give the path of a YAML config "
                    + "(commented example: sample-config/sync-products.yaml)");
        }
        try {
            // YAML 1.1 reads off/on/yes/no as booleans, which would turn a source named "off" into
            // "false"; only true/false are booleans here (ConfigNode.bool still accepts the rest).
            YAMLFactory yaml = YAMLFactory.builder().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS).build();
            JsonNode tree = new ObjectMapper(yaml).readTree(file.toFile());
            if (tree != null && !tree.isNull() && !tree.isMissingNode() && !tree.isObject()) {
                throw SyncProductsException.config("config file " + file + " must be a YAML mapping (key: value)");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw SyncProductsException.config("config file " + file + " is not valid YAML" + yamlProblem(e)
                    + "; fix that line (indent with spaces, 'key: value')");
        } catch (IOException e) {
            throw SyncProductsException.config("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** Where and what the parser's problem is, on one line (its own message spans several). */
    private static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            return " at line " + (marked.getProblemMark().getLine() + 1) + ", column "
                    + (marked.getProblemMark().getColumn() + 1) + ": " + marked.getProblem();
        }
        String message = String.join(" ", e.getOriginalMessage().strip().split("\\s*\\R\\s*"));
        return (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ": " + message;
    }

    private DatabaseSettings database(ConfigNode node, Overrides overrides, Path baseDir, ConfigOrigins origins) {
        node.allowOnly(Set.of("url", "user", "password", "embedded_dir", "pool_size", "schema"));
        String url = null;
        boolean urlFromFile = false;
        String user = node.text("user", null);
        String password = node.text("password", null);
        if (overrides.dbUrl() != null) {
            url = overrides.dbUrl();
            origins.flag("database.url", "--db-url");
        } else if (nonBlank(env.get("DATABASE_URL"))) {
            url = env.get("DATABASE_URL");
            origins.env("database.url", "DATABASE_URL");
        } else if (nonBlank(env.get("DB_HOST"))) {
            origins.env("database.url", "DB_HOST");
            String port = nonBlank(env.get("DB_PORT")) ? env.get("DB_PORT") : "5432";
            String name = nonBlank(env.get("DB_NAME")) ? env.get("DB_NAME") : "postgres";
            if (!port.chars().allMatch(Character::isDigit)) {
                throw SyncProductsException.config("DB_PORT must be a number; got '" + port + "'");
            }
            url = "jdbc:postgresql://" + env.get("DB_HOST") + ":" + port + "/" + name;
        } else {
            url = node.text("url", null);
            urlFromFile = url != null;
        }
        DatabaseUrls.Jdbc jdbc = url == null ? null : DatabaseUrls.toJdbc(url);
        // Credentials in the URL itself win over separately given ones of the same layer (they
        // came together), and the layers keep their order: DB_USER / DB_PASSWORD win over a URL
        // from the file, a URL from the environment or a flag wins over them.
        if (urlFromFile) {
            origins.sameAs("database.user", jdbc.user() != null, "database.url");
            origins.sameAs("database.password", jdbc.password() != null, "database.url");
            user = jdbc.user() != null ? jdbc.user() : user;
            password = jdbc.password() != null ? jdbc.password() : password;
        }
        if (nonBlank(env.get("DB_USER"))) {
            user = env.get("DB_USER");
            origins.env("database.user", "DB_USER");
        }
        if (nonBlank(env.get("DB_PASSWORD"))) {
            password = env.get("DB_PASSWORD");
            origins.env("database.password", "DB_PASSWORD");
        }
        String jdbcUrl = null;
        if (jdbc != null) {
            jdbcUrl = jdbc.url();
            if (!urlFromFile) {
                origins.sameAs("database.user", jdbc.user() != null, "database.url");
                origins.sameAs("database.password", jdbc.password() != null, "database.url");
                user = jdbc.user() != null ? jdbc.user() : user;
                password = jdbc.password() != null ? jdbc.password() : password;
            }
        }
        if (overrides.embeddedDir() != null) {
            origins.flag("database.embedded_dir", "--embedded-db");
        }
        Path embeddedDir = overrides.embeddedDir() != null ? overrides.embeddedDir()
                : node.text("embedded_dir", null) != null ? baseDir.resolve(node.text("embedded_dir", null))
                : defaultEmbeddedDir();
        int poolSize = node.integer("pool_size", 4, 2, 64);
        String schema = overrides.dbSchema() != null ? overrides.dbSchema()
                : nonBlank(env.get("DB_SCHEMA")) ? env.get("DB_SCHEMA").strip()
                : node.text("schema", null);
        String origin = overrides.dbSchema() != null ? "--db-schema"
                : nonBlank(env.get("DB_SCHEMA")) ? "DB_SCHEMA" : "database.schema";
        if (overrides.dbSchema() != null) {
            origins.flag("database.schema", "--db-schema");
        } else if (nonBlank(env.get("DB_SCHEMA"))) {
            origins.env("database.schema", "DB_SCHEMA");
        }
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            throw SyncProductsException.config(origin + " must be a lower-case PostgreSQL identifier (letters a-z, digits"
                    + " and '_', not starting with a digit, at most 63 characters); got '" + schema + "'");
        }
        return new DatabaseSettings(jdbcUrl, user, password, embeddedDir.toAbsolutePath().normalize(), poolSize,
                schema == null ? DatabaseSettings.DEFAULT_SCHEMA : schema, schema != null);
    }

    /**
     * {@code $XDG_DATA_HOME/sync-products/postgres}, else {@code $HOME/.local/share/sync-products/postgres}.
     * The environment's HOME wins over Java's {@code user.home} (read from the password file), so
     * {@code HOME=/var/lib/sync-products} or a systemd {@code StateDirectory=} gives the data a home.
     */
    private Path defaultEmbeddedDir() {
        String xdg = env.get("XDG_DATA_HOME");
        String home = nonBlank(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        Path base = nonBlank(xdg) ? Path.of(xdg) : Path.of(home, ".local", "share");
        return base.resolve("sync-products").resolve("postgres");
    }

    /**
     * Builds the configured sources: read sources (files) and lookup sources (APIs asked by
     * barcode), then the lookup sources the environment alone sets up (OFF_CONTACT, ...).
     */
    private void sources(ConfigNode node, Path baseDir, Map<String, ProductSource> sources,
                         Map<String, LookupSource> lookupSources) {
        Set<String> lookupTypes = new HashSet<>();
        for (String name : node.keys()) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw node.child(name).error("source names may use letters, digits, '_', '-' and '.' only");
            }
            ConfigNode options = node.child(name);
            if (sourceTypes.isLookup(options)) {
                lookupSources.put(name, sourceTypes.createLookup(name, options));
                lookupTypes.add(options.text("type", ""));
            } else {
                sources.put(name, sourceTypes.create(name, options, baseDir));
            }
        }
        sourceTypes.fromEnvironment(lookupTypes).forEach((name, source) -> {
            if (sources.containsKey(name) || lookupSources.containsKey(name)) {
                throw node.child(name).error("is configured with another type, so the environment cannot add the "
                        + name + " source; name the file's source differently");
            }
            lookupSources.put(name, source);
        });
    }

    private SyncSettings sync(ConfigNode node, Set<String> sources, Path baseDir, Path defaultImagesDir) {
        Set<String> keys = new HashSet<>(Set.of("sources", "batch_size", "failure_tolerance",
                "progress_interval", "stale_after", "recheck_not_found_after", "max_duration", "languages",
                "mark_missing_deleted", "mark_missing_limit", "cache_dir", "concurrency"));
        keys.addAll(ImageSettings.KEYS);
        node.allowOnly(keys);
        SyncSettings defaults = SyncSettings.defaults();
        List<String> order = node.list("sources");
        for (String name : order) {
            if (!sources.contains(name)) {
                throw node.child("sources").error("names source '" + name + "', which is not configured under sources:");
            }
        }
        String tolerance = node.text("failure_tolerance", null);
        String progress = node.text("progress_interval", null);
        String stale = node.text("stale_after", null);
        String recheck = node.text("recheck_not_found_after", null);
        String maxDuration = node.text("max_duration", null);
        String markMissingLimit = node.text("mark_missing_limit", null);
        return new SyncSettings(
                order,
                node.integer("batch_size", defaults.batchSize(), 1, 1_000_000),
                tolerance == null ? defaults.failureTolerance() : FailureTolerance.parse(tolerance, "sync.failure_tolerance"),
                progress == null ? defaults.progressInterval() : Durations.parse(progress, "sync.progress_interval"),
                stale == null ? defaults.staleAfter() : Durations.parse(stale, "sync.stale_after"),
                recheck == null ? defaults.recheckNotFoundAfter()
                        : Durations.parse(recheck, "sync.recheck_not_found_after"),
                maxDuration == null ? defaults.maxDuration() : Durations.parse(maxDuration, "sync.max_duration"),
                ImageSettings.read(node, baseDir, defaultImagesDir, env),
                languages(node),
                node.bool("mark_missing_deleted", false),
                markMissingLimit == null ? null : FailureTolerance.parse(markMissingLimit, "sync.mark_missing_limit"),
                node.text("cache_dir", null) != null ? baseDir.resolve(node.text("cache_dir", null)).normalize()
                        : defaultCacheDir(),
                node.integer("concurrency", defaults.concurrency(), 1, SyncSettings.MAX_CONCURRENCY));
    }

    /**
     * Where exports fetched by URL are kept: {@code $XDG_CACHE_HOME/sync-products/exports}, else
     * {@code $HOME/.cache/sync-products/exports}, following the environment as the data directory does.
     */
    private Path defaultCacheDir() {
        String xdg = env.get("XDG_CACHE_HOME");
        String home = nonBlank(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        Path base = nonBlank(xdg) ? Path.of(xdg) : Path.of(home, ".cache");
        return base.resolve("sync-products").resolve("exports");
    }

    /** {@code sync.languages}: language codes like {@code en} or {@code fr}, lower-cased. */
    private static List<String> languages(ConfigNode node) {
        List<String> languages = node.list("languages").stream().map(code -> code.strip().toLowerCase(Locale.ROOT))
                .toList();
        for (String language : languages) {
            if (!language.matches("[a-z]{2,3}")) {
                throw node.child("languages").error("must list language codes such as en or fr; got '" + language + "'");
            }
        }
        return languages;
    }

    private static boolean nonBlank(String text) {
        return text != null && !text.isBlank();
    }
}
