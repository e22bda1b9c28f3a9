package org.syncproducts.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.syncproducts.config.DatabaseSettings;
import org.syncproducts.store.Database;

/**
 * A real PostgreSQL for tests: one embedded server per test JVM, and a fresh empty database for
 * each test that asks, so tests never see each other's rows.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final String name;
    private final String url;

    private TestDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    /** A new, empty database (no schema yet: the tool migrates it). */
    public static synchronized TestDatabase create() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
            }
            String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            try (Connection connection = server.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
            }
            return new TestDatabase(name, server.getJdbcUrl("postgres", name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    /** JDBC URL with the user in it, as a user would pass to --db-url. */
    public String url() {
        return url;
    }

    public String name() {
        return name;
    }

    /** Jdbi whose unqualified names resolve in the tool's default schema, where its tables are. */
    public Jdbi jdbi() {
        return jdbi(DatabaseSettings.DEFAULT_SCHEMA);
    }

    /** Jdbi whose unqualified names resolve in {@code schema} (e.g. {@code public}, an application's tables). */
    public Jdbi jdbi(String schema) {
        return Jdbi.create(url + "&currentSchema=" + schema);
    }

    /** The tool's own view of this database, migrated, with a pool of {@code poolSize}; close it after the test. */
    public Database open(int poolSize) {
        Database database = Database.open(new DatabaseSettings(url, null, null, null, poolSize));
        database.migrate();
        return database;
    }

    /** A single long value from a query, for assertions. */
    public long count(String sql) {
        return jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
