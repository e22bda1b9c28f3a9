package org.syncproducts.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.DatabaseSettings;

/**
 * The open database of one run: a small connection pool, Jdbi over it, Flyway migrations, and the
 * embedded server when no database was configured. Close it when the command ends.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /**
     * Connections a sync uses at once, the least the pool may open whatever {@code pool_size} says:
     * the sync lock's (held for the run), the two writers' (held; {@code sync.OrderedWriters}), the
     * unchanged-line look-ups' two (held while an export is read; {@code sync.RawLineShortcut}), and
     * one for heartbeats and cancel checks. With fewer, a sync waited 10 s for a connection and
     * failed (exit 69).
     */
    public static final int SYNC_CONNECTIONS = 6;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedPostgresServer embedded;
    private final String description;
    private final SchemaPlacement.Decision placement;

    private Database(HikariDataSource dataSource, Jdbi jdbi, EmbeddedPostgresServer embedded, String description,
                     SchemaPlacement.Decision placement) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.embedded = embedded;
        this.description = description;
        this.placement = placement;
    }

    /**
     * Connects (starting the embedded server if needed) and chooses the schema the run uses (see
     * {@link SchemaPlacement}). An unreachable database is exit 69.
     */
    public static Database open(DatabaseSettings settings) {
        EmbeddedPostgresServer embedded = null;
        String url = settings.url();
        String user = settings.user();
        String password = settings.password();
        if (settings.isEmbedded()) {
            LOG.info("using the embedded PostgreSQL in {} (set DATABASE_URL or --db-url to use your own)",
                    settings.embeddedDir());
            embedded = EmbeddedPostgresServer.start(settings.embeddedDir());
            url = embedded.jdbcUrl();
            user = embedded.user();
            password = embedded.password();
        }
        try {
            HikariDataSource dataSource = pool(url, user, password, settings, settings.schema());
            Jdbi jdbi = jdbi(dataSource);
            SchemaPlacement.Decision placement = SchemaPlacement.decide(jdbi, settings);
            if (!placement.schema().equals(settings.schema())) {
                dataSource.close();
                dataSource = pool(url, user, password, settings, placement.schema());
                jdbi = jdbi(dataSource);
            }
            return new Database(dataSource, jdbi, embedded, settings.maskedUrl(), placement);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /**
     * Jdbi over the pool. The tool's SQL never uses Jdbi's {@code <name>} templates, so statements go
     * to the parser as written: the default template engine's ANTLR lexer was a tenth of a second of
     * every command's first statement.
     */
    private static Jdbi jdbi(HikariDataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.setTemplateEngine(new NoTemplateEngine());
        return jdbi;
    }

    private static HikariDataSource pool(String url, String user, String password, DatabaseSettings settings,
                                         String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        // Opened on demand (minimum idle 1): short commands still use one or two.
        config.setMaximumPoolSize(Math.max(settings.poolSize(), SYNC_CONNECTIONS));
        config.setMinimumIdle(1);
        config.setPoolName("sync-products");
        config.setConnectionTimeout(10_000);
        // Fail fast when the server is down: a refused connection is reported within 2 s, and no
        // read waits forever on a server that stopped answering (SPEC §9, issue 8).
        config.setInitializationFailTimeout(1_000);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("socketTimeout", "300");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "sync-products");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // The driver sends this as the session's search_path at connect time: every unqualified
        // name the tool uses resolves to its own schema, never to an application's table.
        config.addDataSourceProperty("currentSchema", schema);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw SyncProductsException.unavailable("cannot connect to the database at " + settings.maskedUrl() + ": "
                    + cause.getMessage() + "; check it is running and the URL and credentials are right", e);
        }
    }

    /**
     * The version of every migration this build ships, in order. Checking them against the history
     * table is one cheap query, so a run against a current schema skips Flyway's classpath scan and
     * validation (most of a short command's start-up). {@code MigrationIndexTest} keeps this list
     * equal to the files in {@code db/migration}.
     */
    static final List<String> MIGRATIONS = List.of("1", "2", "3", "4", "6", "7", "8", "9", "10");

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
                .dataSource(dataSource)
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

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
