package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.Nutrition;
import org.syncproducts.model.Product;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * The kept product counts (migration V7) stay equal to a count of the rows through every way
 * products change: the writer's loads and updates, undeletes, {@link ProductWriter#markDeleted},
 * the UPSERT path, rolled-back batches, hand edits, and the upgrade of a database with rows.
 */
class ProductCountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("400000%06d", number));
    }

    private static String canonical(int number) {
        return "0" + code(number);
    }

    /** Products first..last: categories by number, every third with an image, every other with nutrition. */
    private Path file(String name, int first, int last, String categorySuffix) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = first; i <= last; i++) {
            OffCsvFixture.Row row = OffCsvFixture.product(code(i)).name("Product " + i)
                    .categories("en:all", "en:group-" + (i % 4) + categorySuffix);
            if (i % 3 == 0) {
                row.imageUrl("https://images.example.org/" + i + ".jpg");
            }
            if (i % 2 == 0) {
                row.energyKcal(Integer.toString(100 + i));
            }
            fixture.add(row);
        }
        return fixture.write(dir.resolve(name));
    }

    private void sync(Path file, String... extra) {
        List<String> args = new ArrayList<>(List.of("--no-progress", "sync", "--from", file.toString(),
                "--source-name", "shop", "--batch-size", "7"));
        args.addAll(List.of(extra));
        Cli.Result result = cli.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.toString());
    }

    /** The kept counts match the rows, and stats shows the figures a scan of the table gives. */
    private void assertExact() throws IOException {
        assertEquals(List.of(), new ProductCounts(database.jdbi()).differences());
        Cli.Result result = cli.run("--json", "stats");
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode stats = JSON.readTree(result.out());
        JsonNode products = stats.get("products");
        assertEquals(database.count("SELECT count(*) FROM products WHERE deleted_at IS NULL"), products.get("total").asLong());
        assertEquals(database.count("SELECT count(*) FROM products WHERE deleted_at IS NULL AND image_url IS NOT NULL"),
                products.get("with_image").asLong());
        assertEquals(database.count("""
                SELECT count(*) FROM products WHERE deleted_at IS NULL AND num_nonnulls(energy_kcal_100g, fat_100g,
                    saturated_fat_100g, carbohydrates_100g, sugars_100g, fiber_100g, proteins_100g, salt_100g,
                    sodium_100g) > 0"""),
                products.get("with_nutrition").asLong());
        assertEquals(database.count("SELECT count(*) FROM products WHERE deleted_at IS NULL AND verified"),
                products.get("verified").asLong());
        Map<String, Long> categories = new LinkedHashMap<>();
        stats.get("top_categories").forEach(row -> categories.put(row.get("category").asText(), row.get("products").asLong()));
        Map<String, Long> actual = new LinkedHashMap<>();
        database.jdbi().useHandle(handle -> handle.createQuery("""
                        SELECT tag, count(*) AS n FROM products, unnest(categories) tag WHERE deleted_at IS NULL
                        GROUP BY tag ORDER BY n DESC, tag LIMIT 20""")
                .map((rs, ctx) -> actual.put(rs.getString("tag"), rs.getLong("n"))).list());
        assertEquals(actual, categories);
        JsonNode coverage = stats.get("coverage");
        assertEquals(database.count("""
                SELECT count(DISTINCT t.code) FROM targets t JOIN products p ON p.code = t.code AND p.deleted_at IS NULL"""),
                coverage.get("present").asLong());
    }

    @Test
    void loadsIncrementalAndFullSyncsWithChangesAndUndeletesKeepCountsExact() throws IOException {
        Cli.Result targets = cli.run("targets", "import", file("targets.csv", 1, 40, "").toString());
        assertEquals(0, targets.exitCode(), targets.toString());

        sync(file("first.csv", 1, 30, ""));
        assertEquals(30, database.count("SELECT products FROM product_counts WHERE dimension = 'total'"));
        assertExact();

        sync(file("more.csv", 20, 45, "-b"));
        assertEquals(45, database.count("SELECT count(*) FROM products"), "incremental adds only the new codes");
        assertExact();

        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE products SET deleted_at = now() WHERE code IN (?, ?)", canonical(3), canonical(4)));
        assertExact();

        // Full: categories change for 10..45, 1..9 come back without an image or nutrition.
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 9; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i).categories("en:all", "en:group-" + (i % 4)));
        }
        Path changed = fixture.write(dir.resolve("changed-head.csv"));
        sync(changed, "--full");
        assertEquals(0, database.count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL"), "undeleted");
        assertExact();
        sync(file("full.csv", 10, 45, "-c"), "--full");
        assertExact();
    }

    @Test
    void markDeletedUpsertAndRolledBackBatchesKeepCountsExact() throws IOException {
        sync(file("first.csv", 1, 20, ""));

        database.jdbi().useHandle(handle -> {
            handle.begin();
            ProductWriter writer = new ProductWriter(handle, 0);
            assertEquals(3, writer.markDeleted(List.of(canonical(1), canonical(2), canonical(3)), "shop", false));
            assertEquals(0, writer.markDeleted(List.of(canonical(1), canonical(4)), "other", false),
                    "only the source whose data the row holds deletes it");
            handle.commit();

            handle.begin();
            writer.write(List.of(row(3, "en:back"), row(5, "en:changed"), row(99, "en:new")), true, false,
                    ProductWriter.Mode.UPSERT);
            handle.commit();
        });
        assertEquals(2, database.count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL"));
        assertEquals(1, database.count("SELECT products FROM product_counts WHERE dimension = 'category' AND value = 'en:new'"));
        assertExact();

        Map<String, Long> before = kept();
        database.jdbi().useHandle(handle -> {
            handle.begin();
            ProductWriter writer = new ProductWriter(handle, 0);
            writer.write(List.of(row(6, "en:lost"), row(100, "en:lost")), true, false, ProductWriter.Mode.DIRECT);
            writer.markDeleted(List.of(canonical(7)), "shop", false);
            handle.rollback();
        });
        assertEquals(before, kept(), "a batch that does not commit leaves the counts as they were");
        assertExact();
    }

    @Test
    void handEditsAreCountedByTheTrigger() throws IOException {
        sync(file("first.csv", 1, 12, ""));
        database.jdbi().useHandle(handle -> {
            handle.execute("""
                    INSERT INTO products (code, display_code, check_digit_valid, source, categories, image_url, content_hash)
                    VALUES ('00000000000017', '17', false, 'by hand', '{en:all,en:manual}', 'https://x.example/1.jpg', 1)""");
            handle.execute("UPDATE products SET categories = '{en:edited}', image_url = NULL WHERE code = ?", canonical(3));
            handle.execute("UPDATE products SET fat_100g = 2, source = 'by hand' WHERE code = ?", canonical(5));
            handle.execute("UPDATE products SET verified = true WHERE code IN (?, ?)", canonical(6), canonical(7));
            handle.execute("UPDATE products SET deleted_at = now() WHERE code = ?", canonical(7));
            handle.execute("DELETE FROM products WHERE code = ?", canonical(8));
        });
        assertEquals(1, database.count("SELECT products FROM product_counts WHERE dimension = 'category' AND value = 'en:manual'"));
        assertExact();

        database.jdbi().useHandle(handle -> handle.execute("TRUNCATE products CASCADE"));
        assertEquals(0, database.count("SELECT count(*) FROM product_counts"));
        assertExact();
    }

    /**
     * A person's session whose search_path does not hold the tool's schema (psql's default, an
     * application's own connection) names the table schema-qualified; the triggers still find the
     * tool's functions and tables (migration V10), so the edit works and is counted.
     */
    @Test
    void handEditsFromASessionOfAnotherSchemaAreCounted() throws IOException {
        sync(file("first.csv", 1, 12, ""));
        long hashBefore = database.count("SELECT content_hash FROM products WHERE code = '" + canonical(4) + "'");
        database.jdbi("public").useHandle(handle -> {
            handle.execute("UPDATE sync_products.products SET verified = true WHERE code IN (?, ?)", canonical(1), canonical(2));
            handle.execute("UPDATE sync_products.products SET categories = '{en:by-hand}' WHERE code = ?", canonical(3));
            handle.execute("UPDATE sync_products.products SET name = 'renamed by hand' WHERE code = ?", canonical(4));
            handle.execute("DELETE FROM sync_products.products WHERE code = ?", canonical(5));
        });
        assertEquals(2, database.count("SELECT count(*) FROM products WHERE verified"));
        assertEquals(1, database.count("SELECT products FROM product_counts WHERE dimension = 'category' AND value = 'en:by-hand'"));
        assertTrue(database.count("SELECT content_hash FROM products WHERE code = '" + canonical(4) + "'") != hashBefore,
                "the direct-edit trigger marked the renamed row for repair");
        assertExact();

        database.jdbi("public").useHandle(handle -> handle.execute("TRUNCATE sync_products.products CASCADE"));
        assertEquals(0, database.count("SELECT count(*) FROM product_counts"));
        assertExact();
    }

    @Test
    void upgradeToV7CountsTheRowsAlreadyThere() throws IOException {
        Flyway.configure().dataSource(database.url() + "&currentSchema=sync_products", null, null)
                .schemas("sync_products").defaultSchema("sync_products").target("6")
                .locations("classpath:db/migration").load().migrate();
        database.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO products (code, display_code, check_digit_valid, source, categories, image_url,
                                      sugars_100g, deleted_at, content_hash)
                SELECT lpad(i::text, 14, '0'), i::text, true, 'src' || (i % 3), ARRAY['en:t' || (i % 5), 'en:all'],
                       CASE WHEN i % 2 = 0 THEN 'https://x.example/' || i END, CASE WHEN i % 3 = 0 THEN 1 END,
                       CASE WHEN i % 10 = 0 THEN now() END, i
                FROM generate_series(1, 50) i"""));

        Cli.Result migrate = cli.run("migrate");
        assertEquals(0, migrate.exitCode(), migrate.toString());

        assertEquals(45, database.count("SELECT products FROM product_counts WHERE dimension = 'total'"));
        assertExact();
    }

    @Test
    void verifyFindsCountsThatDifferAndRepairsThem() {
        Path first = file("first.csv", 1, 5, "");
        sync(first);
        Cli.Result clean = cli.run("verify", "--counts");
        assertTrue(clean.out().contains("the kept product counts match the rows"), clean.toString());
        database.jdbi().useHandle(handle -> {
            handle.execute("UPDATE product_counts SET products = products + 3 WHERE dimension = 'total'");
            handle.execute("DELETE FROM product_counts WHERE dimension = 'source'");
        });

        Cli.Result found = cli.run("verify", "--counts");
        assertEquals(1, found.exitCode(), found.toString());
        assertTrue(found.out().contains("2 kept product counts differ from the rows"), found.out());
        assertTrue(found.out().contains("total: kept 8, actual 5"), found.out());
        assertTrue(found.out().contains("verify --repair-counts"), found.out());

        Cli.Result repaired = cli.run("verify", "--repair-counts");
        assertTrue(repaired.out().contains("rebuilt from the rows"), repaired.toString());
        assertEquals(List.of(), new ProductCounts(database.jdbi()).differences());
    }

    /** Rows wait in batches: their counted tags are held once per encoder, not once per row. */
    @Test
    void rowsOfOneEncoderShareTheirCountedStrings() {
        CopyText encoder = new CopyText();
        ProductRow first = ProductRow.encode(product(1, new String("en:shared")), encoder);
        ProductRow second = ProductRow.encode(product(2, new String("en:shared")), encoder);
        assertEquals(List.of("en:all", "en:shared"), second.counted().categories());
        assertSame(first.counted().categories().get(1), second.counted().categories().get(1));
        assertSame(first.counted().source(), second.counted().source());
    }

    private Map<String, Long> kept() {
        Map<String, Long> counts = new LinkedHashMap<>();
        database.jdbi().useHandle(handle -> handle.createQuery(
                        "SELECT dimension || ':' || value AS counter, products FROM product_counts ORDER BY 1")
                .map((rs, ctx) -> counts.put(rs.getString("counter"), rs.getLong("products"))).list());
        return counts;
    }

    private static ProductRow row(int number, String category) {
        return ProductRow.encode(product(number, category), new CopyText());
    }

    private static Product product(int number, String category) {
        Barcode barcode = Barcode.parse(code(number)).orElseThrow();
        return new Product(barcode, "Written " + number, null, List.of("en:all", category), null,
                number % 2 == 0 ? "https://images.example.org/w" + number + ".jpg" : null,
                new Nutrition(null, BigDecimal.ONE, null, null, null, null, null, null, null), null, null, null, null,
                null, null, null, new String("shop"), null, null);
    }
}
