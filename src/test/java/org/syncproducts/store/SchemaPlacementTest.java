package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * The tool keeps its objects in a schema of its own, so it runs inside an application's database,
 * and databases made by earlier versions (tables in public) keep working with their data.
 */
class SchemaPlacementTest {
    private static final String NUTELLA = "3017620422003";

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private Path sample() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(NUTELLA).name("Nutella").brands("Ferrero"));
        return fixture.write(dir.resolve("products.csv"));
    }

    private long count(String schema, String sql) {
        return database.jdbi(schema).withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private List<String> tablesIn(String schema) {
        return database.jdbi("public").withHandle(handle -> handle.createQuery(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename")
                .bind("schema", schema).mapTo(String.class).list());
    }

    /** Builds what version 0.3 left: migrations V1 to V3 applied in public, with a product in it. */
    private void createEarlierVersionDatabase() {
        Flyway.configure().dataSource(database.url() + "&currentSchema=public", null, null)
                .schemas("public").target("3").locations("classpath:db/migration").load().migrate();
        database.jdbi("public").useHandle(handle -> handle.execute("""
                INSERT INTO products (code, display_code, check_digit_valid, name, source, content_hash)
                VALUES ('03017620422003', '3017620422003', true, 'Nutella (kept)', 'off', 42)"""));
    }

    @Test
    void runsNextToAnApplicationsOwnProductsTable() {
        database.jdbi("public").useHandle(handle -> {
            handle.execute("CREATE TABLE products (id serial PRIMARY KEY, sku text NOT NULL, price numeric)");
            handle.execute("INSERT INTO products (sku, price) VALUES ('A-1', 2.50)");
            handle.execute("CREATE TABLE jobs (id serial PRIMARY KEY, title text)");
        });

        Cli.Result result = cli.run("--no-progress", "sync", "--from", sample().toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, count("sync_products", "SELECT count(*) FROM products WHERE code = '03017620422003'"));
        assertEquals(1, count("public", "SELECT count(*) FROM products WHERE sku = 'A-1' AND price = 2.50"));
        assertEquals(List.of("jobs", "products"), tablesIn("public"), "nothing created or altered in public");
        assertTrue(tablesIn("sync_products").contains("flyway_schema_history"));
    }

    /**
     * Many applications migrate with Flyway too, and "V1__initial_schema.sql" is a common first
     * script: their history in public is not an earlier version of this tool.
     */
    @Test
    void anApplicationsOwnFlywayHistoryInPublicIsNotTakenForAnEarlierVersion() {
        Flyway.configure().dataSource(database.url() + "&currentSchema=public", null, null)
                .schemas("public").locations("classpath:application-migrations").load().migrate();
        database.jdbi("public").useHandle(handle ->
                handle.execute("INSERT INTO products (sku, price) VALUES ('A-1', 2.50)"));

        Cli.Result result = cli.run("--no-progress", "sync", "--from", sample().toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, count("sync_products", "SELECT count(*) FROM products WHERE code = '03017620422003'"));
        assertEquals(List.of("flyway_schema_history", "products"), tablesIn("public"), "nothing created or altered in public");
        assertEquals(1, count("public", "SELECT count(*) FROM products WHERE sku = 'A-1'"));
        assertEquals(1, count("public", "SELECT count(*) FROM flyway_schema_history"), "the application's history is untouched");
    }

    /** A table of that name that is no Flyway history at all (another tool's) is left alone too. */
    @Test
    void aTableNamedLikeTheHistoryButShapedOtherwiseIsLeftAlone() {
        database.jdbi("public").useHandle(handle -> handle.execute("CREATE TABLE flyway_schema_history (note text)"));

        Cli.Result result = cli.run("--no-progress", "sync", "--from", sample().toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, count("sync_products", "SELECT count(*) FROM products"));
        assertEquals(List.of("flyway_schema_history"), tablesIn("public"));
    }

    @Test
    void earlierVersionDatabaseKeepsWorkingInPublicWithItsData() {
        createEarlierVersionDatabase();

        Cli.Result sync = cli.run("--no-progress", "sync", "--from", sample().toString(), "--full");

        assertEquals(0, sync.exitCode(), sync.toString());
        assertEquals(List.of(), tablesIn("sync_products"));
        assertEquals(1, count("public", "SELECT count(*) FROM products WHERE name = 'Nutella'"));
        assertEquals(1, count("public", "SELECT count(*) FROM products"));
        assertTrue(count("public", "SELECT count(*) FROM flyway_schema_history WHERE version = '4' AND success") == 1,
                "later migrations apply in public too");
        Cli.Result stats = cli.run("--json", "stats");
        assertEquals(0, stats.exitCode(), stats.toString());
    }

    @Test
    void namingASchemaMovesAnEarlierVersionsTablesWithTheirData() {
        createEarlierVersionDatabase();
        database.jdbi("public").useHandle(handle ->
                handle.execute("CREATE TABLE app_orders (id serial PRIMARY KEY)"));

        Cli.Result result = cli.run("--db-schema", "sync_products", "migrate");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(List.of("app_orders"), tablesIn("public"), "only the tool's own tables moved");
        assertEquals(1, count("sync_products", "SELECT count(*) FROM products WHERE name = 'Nutella (kept)'"));
        assertTrue(tablesIn("sync_products").containsAll(List.of("products", "jobs", "targets", "sync_pause",
                "flyway_schema_history")));
        // The sequences moved with their tables: new jobs still get ids.
        Cli.Result sync = cli.run("--no-progress", "sync", "--from", sample().toString());
        assertEquals(0, sync.exitCode(), sync.toString());
        assertEquals(1, count("sync_products", "SELECT count(*) FROM jobs"));
    }

    @Test
    void aRoleThatMayNotCreateTheSchemaGetsTheGrantThatFixesIt() {
        database.jdbi("public").useHandle(handle -> {
            handle.execute("CREATE ROLE limited_app LOGIN PASSWORD 'limited-secret'");
            handle.execute("REVOKE CREATE ON DATABASE " + database.name() + " FROM PUBLIC");
        });
        String url = database.url().replace("user=postgres", "user=limited_app&password=limited-secret");

        Cli.Result result = new Cli(Map.of("DATABASE_URL", url)).run("migrate");

        assertEquals(78, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("GRANT CREATE ON DATABASE " + database.name() + " TO limited_app"),
                result.err());
        assertFalse(result.err().contains("limited-secret"));
    }

    @Test
    void noMigrateOnAnUnmigratedDatabaseSaysToMigrate() {
        Cli.Result result = cli.run("--no-migrate", "stats");

        assertEquals(69, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("sync-products migrate"), result.err());
    }

    @Test
    void aSchemaNameThatIsNotAPlainIdentifierIsAConfigError() {
        Cli.Result result = cli.withEnv("DB_SCHEMA", "x; DROP TABLE products").run("stats");

        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("DB_SCHEMA"), result.err());
    }
}
