package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.DatabaseSettings;
import org.syncproducts.support.TestDatabase;

/**
 * A run on one kept connection ({@link Database.Connections#SINGLE}, what {@code stats} uses)
 * connects exactly as a pooled run does: the URL's own settings (TLS, session options such as a
 * statement timeout), the schema, the embedded server, the error for an unreachable server.
 */
class DatabaseConnectionsTest {
    @TempDir
    Path dir;

    private static DatabaseSettings settings(String url, String schema) {
        return new DatabaseSettings(url, null, null, null, 4, schema, true);
    }

    /** The session as the tool's statements see it. */
    private static List<String> session(Handle handle) {
        return handle.createQuery("""
                        SELECT current_setting('statement_timeout') AS setting UNION ALL
                        SELECT current_setting('search_path') UNION ALL
                        SELECT current_setting('application_name') UNION ALL
                        SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables
                        WHERE table_schema = current_schema() AND table_name IN ('products', 'jobs')""")
                .mapTo(String.class).list();
    }

    @Test
    void oneKeptConnectionHasTheSessionAPooledOneHas() {
        TestDatabase testDatabase = TestDatabase.create();
        String url = testDatabase.url() + "&sslmode=disable&options=-c%20statement_timeout%3D4321";
        List<String> pooled;
        try (Database database = Database.open(settings(url, "shop_data"), Database.Connections.POOLED)) {
            database.migrate();
            pooled = database.jdbi().withHandle(DatabaseConnectionsTest::session);
        }
        try (Database database = Database.open(settings(url, "shop_data"), Database.Connections.SINGLE)) {
            assertEquals(0, database.migrate(), "the schema the pooled run made is current");
            assertEquals(pooled, database.jdbi().withHandle(DatabaseConnectionsTest::session));
        }
        assertEquals(List.of("4321ms", "shop_data", "sync-products", "jobs,products"), pooled);
    }

    @Test
    void aSingleConnectionRunMigratesANewSchemaThroughFlyway() {
        TestDatabase testDatabase = TestDatabase.create();
        try (Database database = Database.open(settings(testDatabase.url(), "fresh"), Database.Connections.SINGLE)) {
            assertTrue(database.migrate() > 0, "every migration applied");
            assertEquals("fresh", database.schema());
            long products = database.jdbi().withHandle(handle ->
                    handle.createQuery("SELECT count(*) FROM products").mapTo(Long.class).one());
            assertEquals(0L, products);
        }
        assertEquals(1L, testDatabase.count("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = 'fresh' AND table_name = 'products'"));
    }

    @Test
    void handlesOneAfterTheOtherShareTheConnectionAndOneOpenedMeanwhileGetsItsOwn() throws Exception {
        TestDatabase testDatabase = TestDatabase.create();
        try (Database database = Database.open(settings(testDatabase.url(), "sync_products"),
                Database.Connections.SINGLE)) {
            String pid = "SELECT pg_backend_pid()";
            int first = database.jdbi().withHandle(handle -> handle.createQuery(pid).mapTo(Integer.class).one());
            int second = database.jdbi().withHandle(handle -> handle.createQuery(pid).mapTo(Integer.class).one());
            assertEquals(first, second, "one connection for the whole run");
            int meanwhile = database.jdbi().withHandle(handle -> CompletableFuture.supplyAsync(() ->
                    database.jdbi().withHandle(other -> other.createQuery(pid).mapTo(Integer.class).one())).join());
            assertNotEquals(first, meanwhile, "another thread's handle while the connection is lent");
            int after = database.jdbi().withHandle(handle -> handle.createQuery(pid).mapTo(Integer.class).one());
            assertEquals(first, after);
            assertEquals(1L, ours(testDatabase), "the other thread's connection was closed with its handle");
        }
    }

    /** The tool's connections to the test database, once a closed one's server process has gone. */
    private static long ours(TestDatabase testDatabase) throws InterruptedException {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sync-products'"
                + " AND datname = current_database()";
        for (int attempt = 0; attempt < 100 && testDatabase.count(sql) > 1; attempt++) {
            Thread.sleep(100);
        }
        return testDatabase.count(sql);
    }

    @ParameterizedTest
    @EnumSource(Database.Connections.class)
    void theUrlsTlsSettingIsHonoured(Database.Connections connections) {
        // The test server has no TLS: a URL that requires it must fail to connect, whichever way.
        TestDatabase testDatabase = TestDatabase.create();
        SyncProductsException e = assertThrows(SyncProductsException.class, () ->
                Database.open(settings(testDatabase.url() + "&sslmode=require", "sync_products"), connections));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
        assertTrue(e.getMessage().contains("SSL"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Database.Connections.class)
    void anUnreachableServerIsExit69WithTheSameLine(Database.Connections connections) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://localhost:" + port + "/db?password=hunter2";
        SyncProductsException e = assertThrows(SyncProductsException.class, () ->
                Database.open(settings(url, "sync_products"), connections));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot connect to the database at jdbc:postgresql://localhost:" + port
                + "/db?password=***: Connection to localhost:" + port + " refused"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; check it is running and the URL and credentials are right"),
                e.getMessage());
    }

    @Test
    void theEmbeddedServerServesASingleConnectionRun() {
        Path embedded = dir.resolve("embedded");
        DatabaseSettings settings = new DatabaseSettings(null, null, null, embedded, 4);
        try (Database database = Database.open(settings, Database.Connections.SINGLE)) {
            assertTrue(database.migrate() > 0);
            assertEquals(List.of("0", "sync_products", "sync-products", "jobs,products"),
                    database.jdbi().withHandle(DatabaseConnectionsTest::session));
        }
    }
}
