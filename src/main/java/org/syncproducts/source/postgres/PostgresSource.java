package org.syncproducts.source.postgres;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.DatabaseUrls;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.lookup.LookupContext;

/**
 * A table (or read-only query) of an operator's own PostgreSQL as a source ({@code type: postgres}).
 *
 * <p>A read is one REPEATABLE READ, READ ONLY transaction with a server-side cursor ordered by
 * {@code (updated_at, key)}: every row is read exactly once from one snapshot, rows changing
 * while it pages are neither skipped nor read twice (no LIMIT/OFFSET), and the watermark (the
 * largest updated_at read) comes from the same snapshot as the rows. An incremental read starts
 * at the watermark less the lookback, inclusive, so rows sharing the boundary time and rows of a
 * transaction that committed late are read again; the keyed upsert leaves unchanged ones alone.
 * The keyset of the last row read is part of the state stored with every batch, so a killed run
 * resumes right after it.
 */
public final class PostgresSource implements ProductSource.Stateful {
    public static final String TYPE = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPDATED_AT = "sync_products_updated_at";
    private static final String KEY = "sync_products_key";
    private static final String DELETED = "sync_products_deleted";

    private final String name;
    private final PostgresOptions options;
    private final LookupContext context;

    public PostgresSource(String name, PostgresOptions options, LookupContext context) {
        this.name = name;
        this.options = options;
        this.context = context;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    public PostgresOptions options() {
        return options;
    }

    /** Where and what it reads, never a secret: a resumed run must be reading the same rows. */
    @Override
    public String fingerprint() {
        String where = options.url() != null ? DatabaseUrls.mask(options.url()) : "$" + options.urlEnv();
        String what = options.table() != null ? options.table() : "query " + Integer.toHexString(options.query().hashCode());
        return TYPE + " " + where + " " + what;
    }

    @Override
    public boolean appliesNewerRecords() {
        return true;
    }

    @Override
    public List<String> secretVariables() {
        List<String> variables = new ArrayList<>();
        if (options.urlEnv() != null) {
            variables.add(options.urlEnv());
        }
        if (options.passwordEnv() != null) {
            variables.add(options.passwordEnv());
        }
        return variables;
    }

    @Override
    public RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        return new Stream(resumeAfter, readState(state));
    }

    /** The state between runs: the watermark, and the read in progress (absent once a read is complete). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record State(String watermark, String readAt, Run run) {
    }

    /**
     * A read in progress: its lower bound, the keyset of the last row read, the largest updated_at so far.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Run(String since, String afterUpdatedAt, String afterKey, String maxSeen, String startedAt) {
    }

    private State readState(JsonNode state) {
        if (state == null || state.isNull()) {
            return new State(null, null, null);
        }
        try {
            return JSON.treeToValue(state, State.class);
        } catch (JsonProcessingException e) {
            LOG.warn("{}: the stored state is not one this version reads ({}); reading every row", name,
                    e.getOriginalMessage());
            return new State(null, null, null);
        }
    }

    /** Opens a connection to the source database, with credentials from the environment only. */
    Connection connect() {
        String url = options.url();
        String user = options.user();
        String password = null;
        if (options.urlEnv() != null) {
            String text = context.envValue(options.urlEnv());
            if (text == null) {
                throw SyncProductsException.config("source " + name + " needs the environment variable "
                        + options.urlEnv() + " (the database URL); set it and run again");
            }
            DatabaseUrls.Jdbc jdbc = DatabaseUrls.toJdbc(text);
            url = jdbc.url();
            user = user != null ? user : jdbc.user();
            password = jdbc.password();
        }
        if (options.passwordEnv() != null) {
            password = context.envValue(options.passwordEnv());
            if (password == null) {
                throw SyncProductsException.config("source " + name + " needs the environment variable "
                        + options.passwordEnv() + " (the database password); set it and run again");
            }
        }
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "sync-products source " + name);
        properties.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = name + ": cannot connect to " + DatabaseUrls.mask(url) + ": " + firstLine(e.getMessage());
            // 28xxx: the credentials were refused; 3D000: no such database.
            if (state.startsWith("28") || state.equals("3D000")) {
                throw SyncProductsException.config(message);
            }
            throw SyncProductsException.unavailable(message, e);
        }
    }

    /** The statement of a read: fixed text, quoted checked identifiers, every value a bind parameter. */
    String sql(boolean since, boolean after) {
        Set<String> columns = new LinkedHashSet<>(options.mapping().values());
        String relation = options.table() != null
                ? List.of(options.table().split("\\.")).stream().map(PostgresOptions::quote).collect(Collectors.joining("."))
                : "(" + options.query().strip().replaceAll(";\\s*$", "") + ")";
        String updatedAt = PostgresOptions.quote(options.updatedAtColumn());
        String key = PostgresOptions.quote(options.keyColumn());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String column : columns) {
            sql.append("cast(s.").append(PostgresOptions.quote(column)).append(" AS text) AS ")
                    .append(PostgresOptions.quote(column)).append(", ");
        }
        sql.append("cast(s.").append(updatedAt).append(" AS timestamptz) AS ").append(UPDATED_AT)
                .append(", cast(s.").append(key).append(" AS text) AS ").append(KEY);
        if (options.deletedColumn() != null) {
            sql.append(", cast(s.").append(PostgresOptions.quote(options.deletedColumn())).append(" AS text) AS ")
                    .append(DELETED);
        }
        sql.append(" FROM ").append(relation).append(" AS s WHERE true");
        if (since) {
            sql.append(" AND s.").append(updatedAt).append(" >= cast(? AS timestamptz)");
        }
        if (after) {
            sql.append(" AND (s.").append(updatedAt).append(", s.").append(key).append(") > (cast(? AS timestamptz), ?)");
        }
        return sql.append(" ORDER BY s.").append(updatedAt).append(", s.").append(key).toString();
    }

    /** One read: one snapshot, one cursor. */
    private final class Stream implements RecordStream {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final String watermark;
        private final String readAt;
        private final String since;
        private final String startedAt;
        private long position;
        private long read;
        private String maxSeen;
        /** {@link #maxSeen} as an instant, so rows are compared without parsing it again. */
        private Instant newest;
        private String afterUpdatedAt;
        private String afterKey;
        private boolean finished;

        Stream(long resumeAfter, State state) {
            this.watermark = state.watermark();
            this.readAt = state.readAt();
            this.position = resumeAfter;
            Run run = state.run();
            this.connection = connect();
            try {
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement setup = connection.createStatement()) {
                    // timestamp (without time zone) columns are taken as UTC, the same in every session.
                    setup.execute("SET TIME ZONE 'UTC'");
                    startedAt = snapshotTime(setup);
                }
                if (run != null) {
                    since = run.since();
                    afterUpdatedAt = run.afterUpdatedAt();
                    afterKey = run.afterKey();
                    maxSeen = run.maxSeen();
                    newest = maxSeen == null ? null : Instant.parse(maxSeen);
                    LOG.info("{}: going on with the read started at {}, after key {}", name, run.startedAt(), afterKey);
                } else {
                    since = watermark == null ? null : Instant.parse(watermark)
                            .minus(options.lookback().at(readAt == null ? null : Instant.parse(readAt),
                                    Instant.parse(startedAt))).toString();
                }
                statement = connection.prepareStatement(sql(since != null, afterKey != null),
                        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(options.fetchSize());
                int parameter = 1;
                if (since != null) {
                    statement.setString(parameter++, since);
                }
                if (afterKey != null) {
                    statement.setString(parameter++, afterUpdatedAt);
                    statement.setObject(parameter, afterKey, Types.OTHER);
                }
                rows = statement.executeQuery();
            } catch (SQLException e) {
                closeQuietly();
                throw refused(e);
            } catch (RuntimeException e) {
                closeQuietly();
                throw e;
            }
        }

        private static String snapshotTime(Statement statement) throws SQLException {
            try (ResultSet now = statement.executeQuery("SELECT now()")) {
                now.next();
                return now.getObject(1, OffsetDateTime.class).toInstant().toString();
            }
        }

        private SyncProductsException refused(SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = name + ": the source database refused the read: " + firstLine(e.getMessage());
            // 42xxx: no such table or column, or a query that does not parse; 28xxx/42501: no permission.
            if (state.startsWith("42") || state.startsWith("28")) {
                return SyncProductsException.config(message);
            }
            return SyncProductsException.unavailable(message, e);
        }

        @Override
        public SourceRecord next() throws IOException {
            if (finished) {
                return null;
            }
            try {
                if (!rows.next()) {
                    finished = true;
                    connection.commit();
                    return null;
                }
                position++;
                read++;
                OffsetDateTime updated = rows.getObject(UPDATED_AT, OffsetDateTime.class);
                String updatedAt = updated == null ? null : updated.toInstant().toString();
                afterUpdatedAt = updatedAt;
                afterKey = rows.getString(KEY);
                if (updated != null && (newest == null || updated.toInstant().isAfter(newest))) {
                    newest = updated.toInstant();
                    maxSeen = updatedAt;
                }
                String code = rows.getString(options.mapping().get(ProductField.CODE));
                if (options.deletedColumn() != null && isDeleted(rows.getString(DELETED))) {
                    return new SourceRecord.Deleted(position, code);
                }
                RawProduct product = new RawProduct();
                for (Map.Entry<ProductField, String> entry : options.mapping().entrySet()) {
                    product.set(entry.getKey(), entry.getKey() == ProductField.SOURCE_MODIFIED_AT
                            && entry.getValue().equals(options.updatedAtColumn()) ? updatedAt
                            : rows.getString(entry.getValue()));
                }
                return new SourceRecord.Item(position, product);
            } catch (SQLException e) {
                throw new IOException(name + ": reading the source database failed: " + firstLine(e.getMessage()), e);
            }
        }

        private static boolean isDeleted(String value) {
            return value != null && !value.equals("false") && !value.equals("f");
        }

        @Override
        public InputProgress progress() {
            return new InputProgress(read, 0);
        }

        @Override
        public JsonNode state() {
            State state;
            if (finished) {
                String newest = maxSeen == null || watermark != null
                        && !Instant.parse(maxSeen).isAfter(Instant.parse(watermark)) ? watermark : maxSeen;
                state = new State(newest, startedAt, null);
            } else {
                state = new State(watermark, readAt, new Run(since, afterUpdatedAt, afterKey, maxSeen, startedAt));
            }
            return JSON.valueToTree(state);
        }

        @Override
        public void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("{}: closing the source connection: {}", name, e.getMessage());
            }
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
