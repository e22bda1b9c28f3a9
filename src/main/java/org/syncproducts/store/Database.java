package org.syncproducts.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.DatabaseSettings;
import org.syncproducts.config.DatabaseUrls;

/**
 * The open database of one run: a small connection pool (or, for a command that runs a few
 * statements and ends, one kept connection), Jdbi over it, Flyway migrations, and the embedded
 * server when no database was configured. Close it when the command ends.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How a run gets its connections. */
    public enum Connections {
        /** A pool ({@code sync}, {@code monitor}, {@code report}: long runs, connections used side by side). */
        POOLED,
        /**
         * One connection, opened at once and kept until {@link #close()} ({@link SingleConnection}):
         * for a command that runs its statements one after the other and ends. Starting a pool was
         * about a tenth of such a run.
         */
        SINGLE
    }

    /** Where the server is and who connects: the same for every connection of the run. */
    private record Server(String url, String user, String password, DatabaseSettings settings) {
        @Override
        public String toString() {
            return "Server[url=" + DatabaseUrls.mask(url) + ", user=" + user + "]";
        }
    }

    private final Server server;
    private final SingleConnection single;
    private final Jdbi jdbi;
    private final EmbeddedPostgresServer embedded;
    private final String description;
    private final SchemaPlacement.Decision placement;
    /** The pool; in a {@link Connections#SINGLE} run only Flyway's, made when migrations need it. */
    private HikariDataSource pool;

    private Database(Server server, Opened opened, EmbeddedPostgresServer embedded, SchemaPlacement.Decision placement) {
        this.server = server;
        this.pool = opened.pool();
        this.single = opened.single();
        this.jdbi = opened.jdbi();
        this.embedded = embedded;
        this.description = server.settings().maskedUrl();
        this.placement = placement;
    }

    /** Connects through a pool; see {@link #open(DatabaseSettings, Connections)}. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, Connections.POOLED);
    }

    /**
     * Connects (starting the embedded server if needed) and chooses the schema the run uses (see
     * {@link SchemaPlacement}). An unreachable database is exit 69.
     */
    public static Database open(DatabaseSettings settings, Connections connections) {
        EmbeddedPostgresServer embedded = null;
        Server server = new Server(settings.url(), settings.user(), settings.password(), settings);
        if (settings.isEmbedded()) {
            LOG.info("using the embedded PostgreSQL in {} (set DATABASE_URL or --db-url to use your own)",
                    settings.embeddedDir());
            embedded = EmbeddedPostgresServer.start(settings.embeddedDir());
            server = new Server(embedded.jdbcUrl(), embedded.user(), embedded.password(), settings);
        }
        try {
            Opened opened = Opened.connect(server, settings.schema(), connections);
            SchemaPlacement.Decision placement = SchemaPlacement.decide(opened.jdbi(), settings);
            if (!placement.schema().equals(settings.schema())) {
                opened.close();
                opened = Opened.connect(server, placement.schema(), connections);
            }
            return new Database(server, opened, embedded, placement);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** The connections of one schema, by either way, and Jdbi over them. */
    private record Opened(HikariDataSource pool, SingleConnection single, Jdbi jdbi) {
        static Opened connect(Server server, String schema, Connections connections) {
            if (connections == Connections.POOLED) {
                HikariDataSource pool = startPool(server, schema);
                return new Opened(pool, null, jdbiOver(pool::getConnection));
            }
            try {
                SingleConnection single = new SingleConnection(server.url(), properties(server, schema));
                return new Opened(null, single, jdbiOver(single));
            } catch (SQLException e) {
                throw unreachable(server, e.getMessage(), e);
            }
        }

        void close() {
            close(pool, single);
        }

        static void close(HikariDataSource pool, SingleConnection single) {
            if (pool != null) {
                pool.close();
            }
            if (single != null) {
                single.close();
            }
        }
    }

    /**
     * Jdbi over the run's connections. The tool's SQL never uses Jdbi's {@code <name>} templates, so
     * statements go to the parser as written: the default template engine's ANTLR lexer was a tenth
     * of a second of every command's first statement.
     */
    private static Jdbi jdbiOver(ConnectionFactory connections) {
        Jdbi jdbi = Jdbi.create(connections);
        jdbi.setTemplateEngine(new NoTemplateEngine());
        return jdbi;
    }

    /**
     * What every connection is opened with, pooled or not: the credentials and the driver settings
     * below (a setting in the URL itself, {@code sslmode} or {@code options} say, takes precedence).
     */
    private static Properties properties(Server server, String schema) {
        Properties properties = new Properties();
        if (server.user() != null) {
            properties.setProperty("user", server.user());
        }
        if (server.password() != null) {
            properties.setProperty("password", server.password());
        }
        // Fail fast when the server is down: a refused connection is reported within 2 s, and no
        // read waits forever on a server that stopped answering (SPEC §9, issue 8).
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "300");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "sync-products");
        properties.setProperty("reWriteBatchedInserts", "true");
        // The driver sends this as the session's search_path at connect time: every unqualified
        // name the tool uses resolves to its own schema, never to an application's table.
        properties.setProperty("currentSchema", schema);
        return properties;
    }

    private static HikariDataSource startPool(Server server, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.url());
        config.setDataSourceProperties(properties(server, schema));
        config.setMaximumPoolSize(server.settings().poolSize());
        config.setMinimumIdle(1);
        config.setPoolName("sync-products");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1_000);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw unreachable(server, (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    private static SyncProductsException unreachable(Server server, String reason, Exception cause) {
        return SyncProductsException.unavailable("cannot connect to the database at " + server.settings().maskedUrl()
                + ": " + reason + "; check it is running and the URL and credentials are right", cause);
    }

    /**
     * The version of every migration this build ships, in order. Checking them against the history
     * table is one cheap query, so a run against a current schema skips Flyway's classpath scan and
     * validation (most of a short command's start-up). {@code MigrationIndexTest} keeps this list
     * equal to the files in {@code db/migration}.
     */
    static final List<String> MIGRATIONS = List.of("1", "2", "3", "4", "6", "7", "8");

    /** Applies pending migrations (creating the tool's schema first). Returns how many were applied. */
    public int migrate() {
        if (isCurrent()) {
            return 0;
        }
        SchemaPlacement.prepare(jdbi, placement);
        try {
            MigrateResult result = flyway().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("applied {} database migration(s); schema {} is at version {}", result.migrationsExecuted,
                        placement.schema(), result.targetSchemaVersion);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new SyncProductsException(ExitCode.UNAVAILABLE, "database migration failed: " + firstLine(e.getMessage())
                    + " (run with -v for details)", e);
        }
    }

    /**
     * For {@code --no-migrate}: fails with one line (exit 69) when the database is not at the
     * schema this version needs, instead of failing later on a missing table or column.
     */
    public void requireCurrentSchema() {
        if (isCurrent()) {
            return;
        }
        MigrationInfo[] pending;
        try {
            pending = flyway().info().pending();
        } catch (FlywayException e) {
            throw new SyncProductsException(ExitCode.UNAVAILABLE, "cannot read the database's migration history: "
                    + firstLine(e.getMessage()), e);
        }
        if (pending.length > 0) {
            throw new SyncProductsException(ExitCode.UNAVAILABLE, "the database schema " + placement.schema()
                    + " lacks " + pending.length + " migration(s) this version needs (up to version "
                    + pending[pending.length - 1].getVersion() + "): run 'sync-products migrate', or drop --no-migrate");
        }
    }

    /** True when every migration of {@link #MIGRATIONS} succeeded here and none failed. */
    private boolean isCurrent() {
        return jdbi.withHandle(handle -> {
            if (handle.createQuery("SELECT to_regclass('flyway_schema_history') IS NULL").mapTo(Boolean.class).one()) {
                return false;
            }
            return handle.createQuery("""
                            SELECT count(DISTINCT version) FILTER (WHERE success AND version = ANY(:versions)) = :expected
                                   AND count(*) FILTER (WHERE NOT success) = 0
                            FROM flyway_schema_history""")
                    .bind("versions", MIGRATIONS.toArray(String[]::new)).bind("expected", MIGRATIONS.size())
                    .mapTo(Boolean.class).one();
        });
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(pool())
                .schemas(placement.schema())
                .defaultSchema(placement.schema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }

    /** The version of the newest applied migration (e.g. "4"), or null before the first. */
    public String schemaVersion() {
        MigrationInfo current = flyway().info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The schema that holds the tool's tables in this database. */
    public String schema() {
        return placement.schema();
    }

    public Jdbi jdbi() {
        return jdbi;
    }


    /** Where the database is, passwords masked. */
    public String description() {
        return description;
    }

    /** The pool, made here for Flyway in a {@link Connections#SINGLE} run (only when migrations need it). */
    private synchronized HikariDataSource pool() {
        if (pool == null) {
            pool = startPool(server, placement.schema());
        }
        return pool;
    }

    @Override
    public void close() {
        Opened.close(pool, single);
        if (embedded != null) {
            embedded.close();
        }
    }
}
