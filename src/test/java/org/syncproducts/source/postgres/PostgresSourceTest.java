package org.syncproducts.source.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code type: postgres} reading a second database on the embedded PostgreSQL, CLI to database. */
class PostgresSourceTest {
    @TempDir
    Path dir;

    private TestDatabase database;
    private TestDatabase shop;
    private Cli cli;

    @BeforeEach
    void setUp() throws SQLException {
        database = TestDatabase.create();
        shop = TestDatabase.create();
        cli = Cli.against(database).withEnv("SHOP_DB_URL", shop.url());
        execute("""
                CREATE TABLE catalog (
                    sku        text PRIMARY KEY,
                    gtin       text NOT NULL,
                    title      text,
                    brand      text,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    deleted    boolean NOT NULL DEFAULT false)""");
    }

    static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("400000%06d", number));
    }

    static String canonical(int number) {
        String code = code(number);
        return "0".repeat(14 - code.length()) + code;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(shop.url());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Rows 1..count (sku-0001 ...), all updated at {@code updatedAt} (an SQL expression). */
    private void rows(int from, int to, String updatedAt) throws SQLException {
        execute("INSERT INTO catalog (sku, gtin, title, brand, updated_at) SELECT format('sku-%s', lpad(i::text, 6, '0')),"
                + " '400000' || lpad(i::text, 6, '0'), 'Product ' || i, 'Brand ' || (i % 7), " + updatedAt
                + " FROM generate_series(" + from + ", " + to + ") AS i");
        // The generated codes need their check digit: set it the way the fixture computes it.
        try (Connection connection = DriverManager.getConnection(shop.url())) {
            var update = connection.prepareStatement("UPDATE catalog SET gtin = ? WHERE sku = ?");
            for (int i = from; i <= to; i++) {
                update.setString(1, code(i));
                update.setString(2, String.format("sku-%06d", i));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private Path config(String lookback) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  shop:
                    type: postgres
                    url_env: SHOP_DB_URL
                    table: catalog
                    key_column: sku
                    updated_at_column: updated_at
                    deleted_column: deleted
                    mapping: {code: gtin, name: title, brands: brand}
                    lookback: %s
                    fetch_size: 3
                """.formatted(lookback));
    }

    private Cli.Result sync(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "sync"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private String name(int number) {
        return database.jdbi().withHandle(handle -> handle.createQuery("SELECT name FROM products WHERE code = :code")
                .bind("code", canonical(number)).mapTo(String.class).one());
    }

    private long lastJob(String column) {
        return database.count("SELECT " + column + " FROM jobs ORDER BY id DESC LIMIT 1");
    }

    @Test
    void aFirstRunReadsEveryRowAndLaterRunsOnlyWhatChanged() throws Exception {
        rows(1, 10, "now() - interval '1 hour' + i * interval '1 second'");
        Path config = config("0s");
        Cli.Result first = sync(config);
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(10, database.count("SELECT count(*) FROM products WHERE source = 'shop'"));
        assertEquals("Brand 3", database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT brands FROM products WHERE code = :code").bind("code", canonical(3)).mapTo(String.class).one()));

        execute("UPDATE catalog SET title = 'Product 4, new recipe', updated_at = now() WHERE sku = 'sku-000004'");
        rows(11, 11, "now()");
        Cli.Result second = sync(config);
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(3, lastJob("read_count"), "only rows at or past the watermark are read (row 10 is on it)");
        assertEquals(1, lastJob("updated_count"), "a changed row is applied in an incremental run");
        assertEquals(1, lastJob("added_count"));
        assertEquals("Product 4, new recipe", name(4));

        Cli.Result third = sync(config);
        assertEquals(0, third.exitCode(), third.toString());
        assertEquals(0, lastJob("added_count + updated_count"), "rows at the watermark are read again, not rewritten");
    }

    @Test
    void rowsSharingTheBoundaryTimestampAreNotLost() throws Exception {
        rows(1, 3, "timestamptz '2026-12-01 08:00:00+00'");
        Path config = config("0s");
        assertEquals(0, sync(config).exitCode());
        // Committed after the first run, with the very timestamp the watermark stopped at.
        rows(4, 5, "timestamptz '2026-12-01 08:00:00+00'");
        Cli.Result second = sync(config);
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(5, database.count("SELECT count(*) FROM products"));
        assertEquals(2, lastJob("added_count"));
    }

    @Test
    void aTransactionCommittingLateIsReadWithinTheLookback() throws Exception {
        rows(1, 3, "now() - interval '1 hour'");
        Path config = config("10m");
        assertEquals(0, sync(config).exitCode());
        try (Connection late = DriverManager.getConnection(shop.url())) {
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                // now() is the start of this transaction: its row is older than what commits meanwhile.
                statement.execute("UPDATE catalog SET title = 'Late title', updated_at = now() WHERE sku = 'sku-000002'");
            }
            Thread.sleep(20);
            execute("UPDATE catalog SET title = 'Early title', updated_at = now() WHERE sku = 'sku-000003'");
            Cli.Result during = sync(config);
            assertEquals(0, during.exitCode(), during.toString());
            assertEquals("Early title", name(3));
            assertEquals("Product 2", name(2), "not committed yet: not visible");
            late.commit();
        }
        Cli.Result after = sync(config);
        assertEquals(0, after.exitCode(), after.toString());
        assertEquals("Late title", name(2), "its updated_at is before the watermark, but inside the lookback");
    }

    @Test
    void softDeletedRowsMarkTheirProductsDeleted() throws Exception {
        rows(1, 4, "now() - interval '1 hour'");
        Path config = config("0s");
        assertEquals(0, sync(config).exitCode());
        execute("UPDATE catalog SET deleted = true, updated_at = now() WHERE sku = 'sku-000002'");
        Cli.Result second = sync(config);
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(1, database.count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL"));
        assertNotNull(database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT deleted_at FROM products WHERE code = :code").bind("code", canonical(2)).mapToMap().one()
                .get("deleted_at")));

        execute("UPDATE catalog SET deleted = false, title = 'Back again', updated_at = now() WHERE sku = 'sku-000002'");
        assertEquals(0, sync(config).exitCode());
        assertEquals(0, database.count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL"));
        assertEquals("Back again", name(2));
    }

    @Test
    void rowsUpdatedWhileARunPagesAreReadOnceFromOneSnapshot() throws Exception {
        rows(1, 10, "now() - interval '1 hour'");
        ProductSource source = source();
        List<String> codes = new ArrayList<>();
        JsonNode state;
        try (RecordStream stream = source.open(0, null)) {
            for (int i = 0; i < 4; i++) {
                codes.add(((SourceRecord.Item) stream.next()).product().get(ProductField.CODE));
            }
            // Move a row not yet read past the end of the order, and change one already read:
            // LIMIT/OFFSET paging would now skip a row; one snapshot reads each exactly once.
            execute("UPDATE catalog SET updated_at = now(), title = 'Moved' WHERE sku IN ('sku-000001', 'sku-000008')");
            execute("DELETE FROM catalog WHERE sku = 'sku-000009'");
            SourceRecord record;
            while ((record = stream.next()) != null) {
                codes.add(((SourceRecord.Item) record).product().get(ProductField.CODE));
            }
            state = stream.state();
        }
        assertEquals(10, codes.size(), codes.toString());
        assertEquals(10, codes.stream().distinct().count());
        assertNull(state.get("run"), "the read is complete");
        assertTrue(state.get("watermark").asText().compareTo(java.time.Instant.now().minusSeconds(1800).toString()) < 0,
                "the watermark comes from the snapshot the rows were read in, not from changes made meanwhile: " + state);

        List<String> next = new ArrayList<>();
        try (RecordStream stream = source.open(0, state)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                next.add(((SourceRecord.Item) record).product().get(ProductField.NAME));
            }
        }
        assertTrue(next.containsAll(List.of("Moved", "Moved")) && next.stream().filter("Moved"::equals).count() == 2,
                "the next read picks the rows changed during the last one up: " + next);
    }

    private ProductSource source() throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SHOP_DB_URL", shop.url());
        LookupContext context = new LookupContext(env, new SharedHttpClient(), Clock.systemUTC(), "sync-products/test");
        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(config("0s")));
        return SourceTypes.builtIn(context).create("shop", new ConfigNode(yaml.path("sources").path("shop"), "sources.shop"),
                dir);
    }

    @Test
    void sourcesTestAndListShowTheTableSource() throws Exception {
        rows(1, 3, "timestamptz '2026-12-01 08:00:00+00'");
        Path config = config("0s");
        Cli.Result test = cli.run("--config", config.toString(), "sources", "test", "shop");
        assertEquals(0, test.exitCode(), test.toString());
        assertTrue(test.out().contains("shop (postgres): usable: read 3 records, 3 mapped"), test.out());
        assertTrue(test.out().contains("first product: " + code(1) + " \"Product 1\" brands=Brand 1"), test.out());

        assertEquals(0, sync(config).exitCode());
        Cli.Result list = cli.run("--config", config.toString(), "sources", "list");
        assertTrue(list.out().matches("(?s)1\\s+shop\\s+postgres\\s+watermark 2026-12-01T08:00:00Z\\s+SHOP_DB_URL set\\s*"),
                list.out());

        Cli.Result unset = new Cli(Map.of("DATABASE_URL", database.url())).run("--config", config.toString(), "sources",
                "test", "shop");
        assertEquals(ExitCode.CONFIG, unset.exitCode(), unset.toString());
        assertTrue(unset.err().contains("SHOP_DB_URL"), unset.err());
    }

    @Test
    void badSettingsAreConfigurationErrors() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                sources:
                  shop:
                    type: postgres
                    url: postgresql://shop:hunter2@localhost/shop
                    table: catalog
                    key_column: sku
                    updated_at_column: updated_at
                    mapping: {code: gtin}
                """);
        Cli.Result password = cli.run("--config", dir.resolve("bad.yaml").toString(), "sync");
        assertEquals(ExitCode.CONFIG, password.exitCode(), password.toString());
        assertTrue(password.err().contains("password_env"), password.err());
        assertFalse(password.err().contains("hunter2"), password.err());

        Files.writeString(dir.resolve("bad.yaml"), Files.readString(config("0s")).replace("table: catalog",
                "table: \"catalog; DROP TABLE catalog\""));
        Cli.Result injection = cli.run("--config", dir.resolve("bad.yaml").toString(), "sync");
        assertEquals(ExitCode.CONFIG, injection.exitCode(), injection.toString());

        Files.writeString(dir.resolve("bad.yaml"), Files.readString(config("0s")).replace("table: catalog",
                "table: no_such_table"));
        Cli.Result missing = cli.run("--config", dir.resolve("bad.yaml").toString(), "sync");
        assertEquals(ExitCode.CONFIG, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("no_such_table"), missing.err());
    }

    @Test
    void aKilledRunResumesAfterTheLastCommittedRow() throws Exception {
        int total = 40_000;
        rows(1, total, "now() - interval '1 hour' + i * interval '1 ms'");
        Path config = config("0s");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--config", config.toString(), "--no-progress", "sync",
                "--batch-size", "100").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        builder.environment().keySet().removeIf(key -> key.equals("DATABASE_URL") || key.equals("DB_HOST"));
        builder.environment().put("SHOP_DB_URL", shop.url());
        Process child = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'jobs'") > 0
                    && database.count("SELECT coalesce(max(read_count), 0) FROM jobs") >= 1_000)) {
                assertTrue(child.isAlive(), "the child ended early: " + Files.readString(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the child committed nothing in 120 s");
                Thread.sleep(10);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long committed = database.count("SELECT count(*) FROM products");
        assertTrue(committed < total, "the child finished before it was killed; nothing was tested");
        Cli.Result rerun = sync(config, "--batch-size", "100");
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertTrue(rerun.out().contains("resumed from the checkpoint of job #1"), rerun.out());
        assertEquals(total, database.count("SELECT count(*) FROM products"));
        assertEquals(total - committed, lastJob("read_count"), "the rerun reads only the rows after the checkpoint");
    }
}
