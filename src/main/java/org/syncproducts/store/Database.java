package org.syncproducts.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
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

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedPostgresServer embedded;
    private final String description;

    private Database(HikariDataSource dataSource, EmbeddedPostgresServer embedded, String description) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Connects (starting the embedded server if needed). An unreachable database is exit 69.
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
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.poolSize());
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
        try {
            return new Database(new HikariDataSource(config), embedded, settings.maskedUrl());
        } catch (HikariPool.PoolInitializationException e) {
            if (embedded != null) {
                embedded.close();
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw SyncProductsException.unavailable("cannot connect to the database at " + settings.maskedUrl() + ": "
                    + cause.getMessage() + "; check it is running and the URL and credentials are right", e);
        }
    }

    /** Applies pending migrations. Returns how many were applied. */
    public int migrate() {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("applied {} database migration(s); schema is at version {}", result.migrationsExecuted,
                        result.targetSchemaVersion);
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new SyncProductsException(ExitCode.UNAVAILABLE, "database migration failed: " + e.getMessage(), e);
        }
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
