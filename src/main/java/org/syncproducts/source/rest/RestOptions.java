package org.syncproducts.source.rest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.Lookback;
import org.syncproducts.source.lookup.ApiOptions;

/**
 * The settings of a {@code type: rest} source, checked when the config is read. Secrets are
 * never here, only the names of the environment variables holding them.
 *
 * @param url               the first page's URL (query parameters may be in it or in {@code params})
 * @param post              POST the parameters as a JSON object instead of GET with a query string
 * @param params            request parameters sent with every built page request
 * @param headers           extra request headers (no secrets: use {@code auth})
 * @param recordsPath       where the array of records is in a page ({@code data.items}; empty: the page is the array)
 * @param mapping           product field to the path of its value in a record; {@code code} always present
 * @param updatedAt         the path of a record's last-modified time, or null (no incremental reads)
 * @param updatedSinceParam the request parameter the watermark is sent in, or null
 * @param maxPages          most pages one run reads; the next run goes on from there
 */
public record RestOptions(HttpUrl url, boolean post, Map<String, String> params, Map<String, String> headers, Auth auth,
                          JsonPath recordsPath, Map<ProductField, JsonPath> mapping, JsonPath updatedAt,
                          String updatedSinceParam, Lookback lookback, Pagination pagination, int maxPages,
                          double requestsPerMinute, HttpSettings http) {

    /** The keys a rest source's config section may have. */
    public static final Set<String> KEYS = Set.of("type", "url", "method", "params", "headers", "auth", "records_path",
            "mapping", "updated_at", "updated_since_param", "lookback", "pagination", "max_pages", "requests_per_minute",
            "timeout", "max_response_bytes", "attempts", "backoff", "max_backoff", "max_retry_after");

    /** Polite unless told otherwise: one request a second. */
    public static final double DEFAULT_REQUESTS_PER_MINUTE = 60;

    /** How the source proves who it is; every secret comes from the environment. */
    public enum AuthKind { NONE, BEARER, BASIC, API_KEY }

    /**
     * @param tokenEnv    bearer: the variable holding the token
     * @param username    basic: the user name (or {@code usernameEnv})
     * @param passwordEnv basic: the variable holding the password
     * @param keyEnv      api_key: the variable holding the key
     * @param header      api_key: the header it goes in, or null
     * @param queryParam  api_key: the query parameter it goes in, or null
     */
    public record Auth(AuthKind kind, String tokenEnv, String username, String usernameEnv, String passwordEnv,
                       String keyEnv, String header, String queryParam) {
        static final Auth NONE = new Auth(AuthKind.NONE, null, null, null, null, null, null, null);

        /** The variables holding secrets, for {@code sources list}. */
        public List<String> secretVariables() {
            List<String> names = new ArrayList<>();
            for (String name : new String[] {tokenEnv, usernameEnv, passwordEnv, keyEnv}) {
                if (name != null) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /** How the next page is asked for (an RFC 8288 {@code Link: rel="next"} header is always followed). */
    public enum PaginationStyle { NONE, PAGE, OFFSET, CURSOR, NEXT_URL }

    /**
     * @param pageSize records asked per page (sent in {@code sizeParam} when set); a shorter page is the last
     */
    public record Pagination(PaginationStyle style, String pageParam, int startPage, String sizeParam, int pageSize,
                             String offsetParam, String limitParam, String cursorParam, JsonPath cursorPath,
                             JsonPath nextUrlPath) {
    }

    /** Reads a config section whose keys were checked against {@link #KEYS}. */
    public static RestOptions read(ConfigNode options) {
        String urlText = options.text("url", null);
        if (urlText == null || urlText.isBlank()) {
            throw options.error("needs a url (the first page, e.g. https://api.example.com/v1/products)");
        }
        HttpUrl url = HttpUrl.parse(urlText.strip());
        if (url == null) {
            throw options.child("url").error("must be an http:// or https:// URL; got '" + urlText + "'");
        }
        String method = options.text("method", "GET").strip().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw options.child("method").error("must be GET or POST; got '" + method + "'");
        }
        Map<String, String> headers = options.stringMap("headers");
        for (String header : headers.keySet()) {
            if (header.equalsIgnoreCase("Authorization")) {
                throw options.child("headers").child(header).error("secrets are read from the environment only: "
                        + "use auth: with token_env, password_env or key_env");
            }
        }
        Map<ProductField, JsonPath> mapping = new EnumMap<>(ProductField.class);
        ConfigNode mappingNode = options.child("mapping");
        for (Map.Entry<String, String> entry : options.stringMap("mapping").entrySet()) {
            ProductField field = ProductField.byConfigName(entry.getKey()).orElseThrow(() ->
                    mappingNode.child(entry.getKey()).error("unknown product field; mappable fields are: "
                            + ProductField.allConfigNames()));
            mapping.put(field, path(mappingNode, entry.getKey(), entry.getValue()));
        }
        if (!mapping.containsKey(ProductField.CODE)) {
            throw mappingNode.error("must map the code field (the path of the barcode in a record, e.g. code: gtin)");
        }
        JsonPath updatedAt = options.text("updated_at", null) == null ? null
                : path(options, "updated_at", options.text("updated_at", null));
        if (updatedAt != null) {
            mapping.putIfAbsent(ProductField.SOURCE_MODIFIED_AT, updatedAt);
        }
        String since = options.text("updated_since_param", null);
        if (since != null && updatedAt == null) {
            throw options.child("updated_since_param").error("needs updated_at: the path of each record's last-modified "
                    + "time, which the watermark is taken from");
        }
        return new RestOptions(url, method.equals("POST"), options.stringMap("params"), headers, auth(options.child("auth")),
                path(options, "records_path", options.text("records_path", "")), mapping, updatedAt, since,
                Lookback.read(options, "lookback", Lookback.NONE), pagination(options.child("pagination")),
                options.integer("max_pages", 100_000, 1, 100_000_000),
                ApiOptions.perMinute(options, "requests_per_minute", DEFAULT_REQUESTS_PER_MINUTE),
                ApiOptions.http(options));
    }

    private static Auth auth(ConfigNode node) {
        if (node.isMissing()) {
            return Auth.NONE;
        }
        for (String secret : List.of("token", "password", "key", "api_key")) {
            if (node.text(secret, null) != null) {
                throw node.child(secret).error("secrets are read from the environment only: remove it from the file "
                        + "and name the variable holding it (" + secret.replace("api_", "") + "_env)");
            }
        }
        String type = node.text("type", "").strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "bearer" -> {
                node.allowOnly(Set.of("type", "token_env"));
                yield new Auth(AuthKind.BEARER, required(node, "token_env"), null, null, null, null, null, null);
            }
            case "basic" -> {
                node.allowOnly(Set.of("type", "username", "username_env", "password_env"));
                String username = node.text("username", null);
                String usernameEnv = node.text("username_env", null);
                if ((username == null) == (usernameEnv == null)) {
                    throw node.error("basic auth needs either username or username_env");
                }
                yield new Auth(AuthKind.BASIC, null, username, usernameEnv, required(node, "password_env"), null, null,
                        null);
            }
            case "api_key" -> {
                node.allowOnly(Set.of("type", "key_env", "header", "query_param"));
                String header = node.text("header", null);
                String query = node.text("query_param", null);
                if ((header == null) == (query == null)) {
                    throw node.error("api_key auth sends the key in either a header (header: X-Api-Key) or a query "
                            + "parameter (query_param: api_key)");
                }
                yield new Auth(AuthKind.API_KEY, null, null, null, null, required(node, "key_env"), header, query);
            }
            default -> throw node.child("type").error("must be bearer, basic or api_key; got '" + type + "'");
        };
    }

    private static Pagination pagination(ConfigNode node) {
        if (node.isMissing()) {
            return new Pagination(PaginationStyle.NONE, null, 1, null, 0, null, null, null, null, null);
        }
        String type = node.text("type", "").strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "none" -> {
                node.allowOnly(Set.of("type"));
                yield new Pagination(PaginationStyle.NONE, null, 1, null, 0, null, null, null, null, null);
            }
            case "page" -> {
                node.allowOnly(Set.of("type", "page_param", "start_page", "size_param", "page_size"));
                yield new Pagination(PaginationStyle.PAGE, node.text("page_param", "page"),
                        node.integer("start_page", 1, 0, 1_000_000), node.text("size_param", null),
                        node.integer("page_size", 0, 0, 1_000_000), null, null, null, null, null);
            }
            case "offset" -> {
                node.allowOnly(Set.of("type", "offset_param", "limit_param", "page_size"));
                yield new Pagination(PaginationStyle.OFFSET, null, 0, null, node.integer("page_size", 100, 1, 1_000_000),
                        node.text("offset_param", "offset"), node.text("limit_param", "limit"), null, null, null);
            }
            case "cursor" -> {
                node.allowOnly(Set.of("type", "cursor_param", "cursor_path", "size_param", "page_size"));
                yield new Pagination(PaginationStyle.CURSOR, null, 0, node.text("size_param", null),
                        node.integer("page_size", 0, 0, 1_000_000), null, null, node.text("cursor_param", "cursor"),
                        path(node, "cursor_path", required(node, "cursor_path")), null);
            }
            case "next_url" -> {
                node.allowOnly(Set.of("type", "next_url_path", "size_param", "page_size"));
                yield new Pagination(PaginationStyle.NEXT_URL, null, 0, node.text("size_param", null),
                        node.integer("page_size", 0, 0, 1_000_000), null, null, null, null,
                        path(node, "next_url_path", required(node, "next_url_path")));
            }
            default -> throw node.child("type").error("must be none, page, offset, cursor or next_url; got '" + type
                    + "' (a Link: rel=\"next\" header is followed without any setting)");
        };
    }

    private static String required(ConfigNode node, String key) {
        String value = node.text(key, null);
        if (value == null || value.isBlank()) {
            throw node.error("needs " + key);
        }
        return value.strip();
    }

    private static JsonPath path(ConfigNode node, String key, String text) {
        try {
            return JsonPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw node.child(key).error("is not a path like data.items or images[0].url: " + e.getMessage());
        }
    }
}
