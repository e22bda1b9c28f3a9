package org.syncproducts.source.postgres;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.config.DatabaseUrls;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.Lookback;

/**
 * The settings of a {@code type: postgres} source, checked when the config is read. Table and
 * column names are checked to be plain identifiers and are always quoted, so nothing in the
 * config can change the shape of the statement; a {@code query} is the operator's own read-only
 * SELECT, run in a READ ONLY transaction.
 *
 * @param url             JDBC URL without credentials (from {@code url}, or the variable {@code urlEnv} names)
 * @param urlEnv          the variable holding the URL, or null
 * @param user            the user, or null (from the URL)
 * @param passwordEnv     the variable holding the password, or null
 * @param table           the table or view ({@code schema.table} allowed), or null when {@code query} is set
 * @param query           a SELECT whose rows are the records, or null
 * @param keyColumn       the unique key (with updated_at, the keyset the read pages by)
 * @param updatedAtColumn a timestamp or timestamptz column set on every change (timestamp is taken as UTC)
 * @param deletedColumn   a column marking soft-deleted rows (true, or any non-null value), or null
 * @param mapping         product field to column; {@code code} always present
 * @param fetchSize       rows fetched from the server-side cursor at a time
 */
public record PostgresOptions(String url, String urlEnv, String user, String passwordEnv, String table, String query,
                              String keyColumn, String updatedAtColumn, String deletedColumn,
                              Map<ProductField, String> mapping, Lookback lookback, int fetchSize) {

    /** The keys a postgres source's config section may have. */
    public static final Set<String> KEYS = Set.of("type", "url", "url_env", "user", "password_env", "table", "query",
            "key_column", "updated_at_column", "deleted_column", "mapping", "lookback", "fetch_size");

    /** The seed design: three times the run interval, so a transaction committing late is still read. */
    public static final Lookback DEFAULT_LOOKBACK = new Lookback(Duration.ZERO, 3);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    /** Reads a config section whose keys were checked against {@link #KEYS}. */
    public static PostgresOptions read(ConfigNode options) {
        String url = options.text("url", null);
        String urlEnv = options.text("url_env", null);
        if ((url == null) == (urlEnv == null)) {
            throw options.error("needs either url (postgresql://user@host/db) or url_env (the variable holding it)");
        }
        if (url != null) {
            DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc(url);
            if (jdbc.password() != null || jdbc.url().toLowerCase(Locale.ROOT).contains("password=")) {
                throw options.child("url").error("holds a password; secrets are read from the environment only: "
                        + "use password_env, or url_env for the whole URL");
            }
        }
        String table = options.text("table", null);
        String query = options.text("query", null);
        if ((table == null) == (query == null)) {
            throw options.error("needs either table (a table or view) or query (a read-only SELECT)");
        }
        if (table != null) {
            for (String part : table.split("\\.", -1)) {
                identifier(options, "table", part);
            }
            if (table.split("\\.").length > 2) {
                throw options.child("table").error("is a table or schema.table; got '" + table + "'");
            }
        }
        if (query != null && !query.strip().toLowerCase(Locale.ROOT).matches("(?s)(select|with)\\b.*")) {
            throw options.child("query").error("must be a SELECT (or WITH ... SELECT) statement");
        }
        String key = identifier(options, "key_column", required(options, "key_column"));
        String updatedAt = identifier(options, "updated_at_column", required(options, "updated_at_column"));
        String deleted = options.text("deleted_column", null);
        if (deleted != null) {
            identifier(options, "deleted_column", deleted);
        }
        ConfigNode mappingNode = options.child("mapping");
        Map<ProductField, String> mapping = new EnumMap<>(ProductField.class);
        for (Map.Entry<String, String> entry : options.stringMap("mapping").entrySet()) {
            ProductField field = ProductField.byConfigName(entry.getKey()).orElseThrow(() ->
                    mappingNode.child(entry.getKey()).error("unknown product field; mappable fields are: "
                            + ProductField.allConfigNames()));
            mapping.put(field, identifier(mappingNode, entry.getKey(), entry.getValue()));
        }
        if (!mapping.containsKey(ProductField.CODE)) {
            throw mappingNode.error("must map the code field (the column holding the barcode, e.g. code: gtin)");
        }
        mapping.putIfAbsent(ProductField.SOURCE_MODIFIED_AT, updatedAt);
        return new PostgresOptions(url == null ? null : DatabaseUrls.toJdbc(url).url(), urlEnv,
                options.text("user", url == null ? null : DatabaseUrls.toJdbc(url).user()), options.text("password_env", null),
                table, query, key, updatedAt, deleted, mapping, Lookback.read(options, "lookback", DEFAULT_LOOKBACK),
                options.integer("fetch_size", 1_000, 1, 1_000_000));
    }

    private static String required(ConfigNode options, String key) {
        String value = options.text(key, null);
        if (value == null || value.isBlank()) {
            throw options.error("needs " + key);
        }
        return value.strip();
    }

    private static String identifier(ConfigNode node, String key, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw node.child(key).error("must be a plain column or table name (letters, digits, _); got '" + name + "'");
        }
        return name;
    }

    /** An identifier as SQL: always quoted, so case and reserved words are kept as written. */
    static String quote(String identifier) {
        return "\"" + identifier + "\"";
    }
}
