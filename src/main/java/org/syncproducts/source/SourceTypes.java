package org.syncproducts.source;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.time.Clock;
import okhttp3.HttpUrl;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.download.Checksum;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.csv.CsvOptions;
import org.syncproducts.source.csv.CsvSource;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.source.lookup.ApiOptions;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.source.lookup.LookupSourceFactory;
import org.syncproducts.source.off.OffApiSource;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;
import org.syncproducts.source.offdelta.OffDeltaSource;
import org.syncproducts.source.postgres.PostgresOptions;
import org.syncproducts.source.postgres.PostgresSource;
import org.syncproducts.source.rest.RestOptions;
import org.syncproducts.source.rest.RestSource;
import org.syncproducts.source.upc.UpcApiSettings;
import org.syncproducts.source.upc.UpcDatabaseSource;
import org.syncproducts.source.upc.UpcItemDbSource;

/**
 * The registry of source types: the {@code type:} names config files use, the config keys each
 * declares, and how each is built. A new source type is one package under {@code source/} and one
 * {@link #register} line here. Unknown keys are refused (exit 78) before the factory runs.
 * Registering a type twice is a programming error.
 */
public final class SourceTypes {
    /** Environment variables that configure a lookup source of a type with no config file entry. */
    private static final Map<String, List<String>> ENVIRONMENT_SETTINGS = environmentSettings();

    /** Keys of the Open Food Facts export types: a local {@code path}, or a {@code url} to download. */
    private static final Set<String> EXPORT_KEYS = Set.of("type", "path", "url", "sha256", "checksum_url", "timeout",
            "attempts", "backoff", "max_backoff");

    private final Map<String, SourceFactory> factories = new LinkedHashMap<>();
    private final Map<String, Set<String>> keys = new LinkedHashMap<>();
    private final Map<String, LookupSourceFactory> lookupFactories = new LinkedHashMap<>();
    /** The keys of the UPC lookup types; {@code api_key} is not one (keys come from the environment). */
    private static final Set<String> UPC_KEYS = union(ApiOptions.NAMES, Set.of("requests_per_minute"));
    private final LookupContext lookupContext;

    private SourceTypes(LookupContext lookupContext) {
        this.lookupContext = lookupContext;
    }

    /** The registry with every built-in type, lookup sources configured without any environment. */
    public static SourceTypes builtIn() {
        return builtIn(new LookupContext(Map.of(), new SharedHttpClient(), Clock.systemUTC(), "sync-products"));
    }

    /** The registry with every built-in type; lookup sources are built with {@code lookupContext}. */
    public static SourceTypes builtIn(LookupContext lookupContext) {
        SourceTypes types = new SourceTypes(lookupContext);
        types.registerLookup(OffApiSource.TYPE,
                union(ApiOptions.NAMES, Set.of("contact", "product_reads_per_minute", "searches_per_minute")),
                (name, options, context) -> {
            String contact = context.envValue("OFF_CONTACT") != null ? context.envValue("OFF_CONTACT")
                    : options.text("contact", null);
            return new OffApiSource(name, new OffApiSource.Settings(
                    ApiOptions.baseUrl(options, context.envValue("OFF_API_URL"), "OFF_API_URL",
                            OffApiSource.DEFAULT_BASE_URL),
                    contact == null || contact.isBlank() ? null : contact.strip(),
                    ApiOptions.perMinute(options, "product_reads_per_minute", OffApiSource.DEFAULT_PRODUCT_READS_PER_MINUTE),
                    ApiOptions.perMinute(options, "searches_per_minute", OffApiSource.DEFAULT_SEARCHES_PER_MINUTE),
                    ApiOptions.http(options),
                    ApiOptions.breaker(options)), context);
        });
        types.registerLookup(UpcItemDbSource.TYPE, UPC_KEYS, (name, options, context) -> {
            String key = apiKey(options, context, "UPCITEMDB_API_KEY");
            return new UpcItemDbSource(name, new UpcApiSettings(
                    ApiOptions.baseUrl(options, context.envValue("UPCITEMDB_API_URL"), "UPCITEMDB_API_URL",
                            UpcItemDbSource.DEFAULT_BASE_URL),
                    key,
                    ApiOptions.perMinute(options, "requests_per_minute", UpcItemDbSource.DEFAULT_REQUESTS_PER_MINUTE),
                    ApiOptions.http(options),
                    ApiOptions.breaker(options)), context);
        });
        types.registerLookup(UpcDatabaseSource.TYPE, UPC_KEYS, (name, options, context) -> {
            String key = apiKey(options, context, UpcDatabaseSource.KEY_VARIABLE);
            return new UpcDatabaseSource(name, new UpcApiSettings(
                    ApiOptions.baseUrl(options, context.envValue("UPC_DATABASE_API_URL"), "UPC_DATABASE_API_URL",
                            UpcDatabaseSource.DEFAULT_BASE_URL),
                    key,
                    ApiOptions.perMinute(options, "requests_per_minute", UpcDatabaseSource.DEFAULT_REQUESTS_PER_MINUTE),
                    ApiOptions.http(options),
                    ApiOptions.breaker(options)), context);
        });
        types.register(OffCsvSource.TYPE, EXPORT_KEYS, (name, options, baseDir) -> options.text("url", null) != null
                ? urlExport(name, OffCsvSource.TYPE, options) : new OffCsvSource(name, exportPath(options, baseDir)));
        types.register(OffJsonlSource.TYPE, EXPORT_KEYS, (name, options, baseDir) -> options.text("url", null) != null
                ? urlExport(name, OffJsonlSource.TYPE, options) : new OffJsonlSource(name, exportPath(options, baseDir)));
        types.register(OffDeltaSource.TYPE, Set.of("type", "url", "path", "max_file_bytes", "allow_gap", "contact",
                "requests_per_minute", "timeout", "attempts", "backoff", "max_backoff", "max_retry_after"),
                (name, options, baseDir) -> offDelta(name, options, baseDir, lookupContext));
        types.register(CsvSource.TYPE, Set.of("type", "path", "delimiter", "quote", "header", "encoding", "mapping", "extra"),
                (name, options, baseDir) -> new CsvSource(name, requiredPath(options, baseDir), csvOptions(options)));
        types.register(RestSource.TYPE, RestOptions.KEYS,
                (name, options, baseDir) -> new RestSource(name, RestOptions.read(options), lookupContext));
        types.register(PostgresSource.TYPE, PostgresOptions.KEYS,
                (name, options, baseDir) -> new PostgresSource(name, PostgresOptions.read(options), lookupContext));
        return types;
    }

    /**
     * An {@code off-delta} source: a local {@code path} (a directory), else {@code url} (default the
     * official one), fetched with the Open Food Facts User-Agent (contact from OFF_CONTACT or the file).
     */
    private static OffDeltaSource offDelta(String name, ConfigNode options, Path baseDir, LookupContext context) {
        long maxFileBytes = maxFileBytes(options);
        boolean allowGap = options.bool("allow_gap", false);
        if (options.text("path", null) != null) {
            if (options.text("url", null) != null) {
                throw options.error("give either url or path (a local directory), not both");
            }
            return OffDeltaSource.inDirectory(name, requiredPath(options, baseDir), maxFileBytes, allowGap);
        }
        String contact = context.envValue("OFF_CONTACT") != null ? context.envValue("OFF_CONTACT")
                : options.text("contact", null);
        String urlText = options.text("url", OffDeltaSource.DEFAULT_URL);
        HttpUrl url = HttpUrl.parse(urlText.strip());
        if (url == null) {
            throw options.child("url").error("must be an http:// or https:// URL; got '" + urlText + "'");
        }
        return OffDeltaSource.atUrl(name, url, maxFileBytes, allowGap, ApiOptions.http(options),
                ApiOptions.perMinute(options, "requests_per_minute", OffDeltaSource.DEFAULT_REQUESTS_PER_MINUTE),
                context.userAgent(contact == null || contact.isBlank() ? null : contact.strip()), context);
    }

    private static long maxFileBytes(ConfigNode options) {
        String text = options.text("max_file_bytes", null);
        if (text == null) {
            return OffDeltaSource.DEFAULT_MAX_FILE_BYTES;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 1_024) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the key.
        }
        throw options.child("max_file_bytes").error("must be a number of bytes, at least 1024; got '" + text + "'");
    }

    /** In the priority order env-only sources get: Open Food Facts first, then the UPC fallbacks. */
    private static Map<String, List<String>> environmentSettings() {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put(OffApiSource.TYPE, List.of("OFF_CONTACT", "OFF_API_URL"));
        settings.put(UpcItemDbSource.TYPE, List.of("UPCITEMDB_API_KEY", "UPCITEMDB_API_URL"));
        settings.put(UpcDatabaseSource.TYPE, List.of(UpcDatabaseSource.KEY_VARIABLE, "UPC_DATABASE_API_URL"));
        return java.util.Collections.unmodifiableMap(settings);
    }

    /**
     * The API key of a source, from the environment only: a key in the config file is refused,
     * so it cannot end up in a repository or a backup of the config.
     */
    private static String apiKey(ConfigNode options, LookupContext context, String variable) {
        if (options.text("api_key", null) != null) {
            throw options.child("api_key").error("API keys are read from the environment only: remove it from the "
                    + "file and set " + variable);
        }
        return context.envValue(variable);
    }

    /**
     * Adds a read source type.
     *
     * @param keys every config key the type reads ({@code type} included); others are refused
     */
    public void register(String type, Set<String> keys, SourceFactory factory) {
        if (lookupFactories.containsKey(type) || factories.putIfAbsent(type, factory) != null) {
            throw new IllegalStateException("source type registered twice: " + type);
        }
        this.keys.put(type, Set.copyOf(keys));
    }

    /**
     * Adds a lookup source type (an API asked by barcode).
     *
     * @param keys every config key the type reads ({@code type} included); others are refused
     *             once the factory has read its own (so it can say why a key does not belong)
     */
    public void registerLookup(String type, Set<String> keys, LookupSourceFactory factory) {
        if (factories.containsKey(type) || lookupFactories.putIfAbsent(type, factory) != null) {
            throw new IllegalStateException("source type registered twice: " + type);
        }
        this.keys.put(type, Set.copyOf(keys));
    }

    /** The environment variables that set up a lookup source of {@code type} without a config entry. */
    public static List<String> environmentVariables(String type) {
        return ENVIRONMENT_SETTINGS.getOrDefault(type, List.of());
    }

    /** The config keys {@code type} declares, sorted; empty for an unknown type. */
    public List<String> keys(String type) {
        return keys.getOrDefault(type, Set.of()).stream().sorted().toList();
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> union = new HashSet<>(first);
        union.addAll(second);
        return Set.copyOf(union);
    }

    /** Every type name, read sources first. */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(factories.keySet());
        names.addAll(lookupFactories.keySet());
        return names;
    }

    /** Whether the config section {@code options} describes a lookup source (an API asked by barcode). */
    public boolean isLookup(ConfigNode options) {
        return lookupFactories.containsKey(options.text("type", ""));
    }

    public ProductSource create(String name, ConfigNode options, Path baseDir) {
        String type = options.text("type", null);
        if (type == null) {
            throw options.error("needs a type: one of " + String.join(", ", names()));
        }
        SourceFactory factory = factories.get(type);
        if (factory == null) {
            throw options.child("type").error("unknown source type '" + type + "'; known: " + String.join(", ", names()));
        }
        options.allowOnly(keys.get(type));
        return factory.create(name, options, baseDir);
    }

    public LookupSource createLookup(String name, ConfigNode options) {
        LookupSourceFactory factory = lookupFactories.get(options.text("type", ""));
        if (factory == null) {
            throw options.child("type").error("is not a lookup source type; known: " + String.join(", ", names()));
        }
        LookupSource source = factory.create(name, options, lookupContext);
        options.allowOnly(keys.get(options.text("type", "")));
        return source;
    }

    /**
     * Lookup sources set up by the environment alone ({@code OFF_CONTACT}, {@code OFF_API_URL}),
     * for cron lines without a config file: one per type the config does not already have, named
     * after the type.
     */
    public Map<String, LookupSource> fromEnvironment(Set<String> configuredTypes) {
        Map<String, LookupSource> sources = new LinkedHashMap<>();
        ENVIRONMENT_SETTINGS.forEach((type, variables) -> {
            if (!configuredTypes.contains(type) && variables.stream().anyMatch(v -> lookupContext.envValue(v) != null)) {
                sources.put(type, lookupFactories.get(type).create(type, new ConfigNode(null, "sources." + type),
                        lookupContext));
            }
        });
        return sources;
    }

    /**
     * An export by URL ({@code url:} instead of {@code path:}), with its checksum and download
     * timeouts and retries.
     */
    private static UrlExportSource urlExport(String name, String type, ConfigNode options) {
        if (options.text("path", null) != null) {
            throw options.error("has both path and url: give one (a local file, or an export to download)");
        }
        HttpUrl url = HttpUrl.parse(options.text("url", "").strip());
        if (url == null || url.pathSegments().get(url.pathSegments().size() - 1).isEmpty()) {
            throw options.child("url").error("must be the http:// or https:// URL of an export file; got '"
                    + options.text("url", "") + "'");
        }
        String sha256 = options.text("sha256", null);
        if (sha256 != null && !Checksum.isSha256(sha256)) {
            throw options.child("sha256").error("must be a SHA-256: 64 hexadecimal digits");
        }
        String checksumUrlText = options.text("checksum_url", null);
        HttpUrl checksumUrl = checksumUrlText == null ? null : HttpUrl.parse(checksumUrlText.strip());
        if (checksumUrlText != null && checksumUrl == null) {
            throw options.child("checksum_url").error("must be an http:// or https:// URL (for Open Food Facts, the "
                    + "export's URL followed by .sha256sum); got '" + checksumUrlText + "'");
        }
        HttpSettings configured = ApiOptions.http(options);
        HttpSettings http = new HttpSettings(configured.connectTimeout(), configured.readTimeout(),
                configured.callTimeout(), configured.maxResponseBytes(),
                options.integer("attempts", UrlExportSource.DEFAULT_ATTEMPTS, 1, 20), configured.initialBackoff(),
                configured.maxBackoff(), configured.maxRetryAfter());
        return new UrlExportSource(name, type, url, new Checksum(sha256, checksumUrl), http);
    }

    /** The local file of an export source; the download options only apply to {@code url}. */
    private static Path exportPath(ConfigNode options, Path baseDir) {
        String path = options.text("path", null);
        if (path == null || path.isBlank()) {
            throw options.error("needs a path (a local export file) or a url (an export to download)");
        }
        for (String key : List.of("sha256", "checksum_url", "timeout", "attempts", "backoff", "max_backoff")) {
            if (options.text(key, null) != null) {
                throw options.child(key).error("applies to an export downloaded by url, not to a path");
            }
        }
        return requiredPath(options, baseDir);
    }

    private static Path requiredPath(ConfigNode options, Path baseDir) {
        String path = options.text("path", null);
        if (path == null || path.isBlank()) {
            throw options.error("needs a path");
        }
        return baseDir.resolve(expandHome(path)).normalize();
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** Reads and checks the options of a {@code csv} source; a mapping to an unknown field is refused. */
    static CsvOptions csvOptions(ConfigNode options) {
        String delimiter = unescape(options.text("delimiter", ","));
        if (delimiter.length() != 1) {
            throw options.child("delimiter").error("must be one character (use \"\\t\" for tab); got '" + delimiter + "'");
        }
        String quoteText = options.text("quote", "\"");
        Character quote;
        if (quoteText.equalsIgnoreCase("none") || quoteText.isEmpty()) {
            quote = null;
        } else if (quoteText.length() == 1) {
            quote = quoteText.charAt(0);
        } else {
            throw options.child("quote").error("must be one character or none; got '" + quoteText + "'");
        }
        Charset encoding;
        String encodingName = options.text("encoding", "UTF-8");
        try {
            encoding = Charset.forName(encodingName);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw options.child("encoding").error("unknown character set '" + encodingName + "'");
        }
        ConfigNode mappingNode = options.child("mapping");
        Map<ProductField, String> mapping = new EnumMap<>(ProductField.class);
        for (Map.Entry<String, String> entry : options.stringMap("mapping").entrySet()) {
            ProductField field = ProductField.byConfigName(entry.getKey()).orElseThrow(() ->
                    mappingNode.child(entry.getKey()).error("unknown product field; mappable fields are: "
                            + ProductField.allConfigNames()));
            mapping.put(field, entry.getValue());
        }
        if (!mapping.containsKey(ProductField.CODE)) {
            throw mappingNode.error("must map the code field (the column holding the barcode)");
        }
        boolean header = options.bool("header", true);
        Map<String, String> extra = options.stringMap("extra");
        if (!header) {
            requireColumnNumbers(mappingNode, options.stringMap("mapping"));
            requireColumnNumbers(options.child("extra"), extra);
        }
        return new CsvOptions(delimiter.charAt(0), quote, header, encoding, mapping, extra);
    }

    /** Without a header, columns can only be named by number; checked here so the error names the key. */
    private static void requireColumnNumbers(ConfigNode node, Map<String, String> columns) {
        columns.forEach((key, column) -> {
            if (!column.strip().matches("[0-9]{1,9}") || Integer.parseInt(column.strip()) < 1) {
                throw node.child(key).error("header is false, so columns are named by number (1, 2, ...); got '"
                        + column + "'");
            }
        });
    }

    private static String unescape(String text) {
        return switch (text) {
            case "\\t", "tab" -> "\t";
            default -> text;
        };
    }
}
