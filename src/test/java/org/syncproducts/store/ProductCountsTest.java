package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * The counts {@code stats} and {@code monitor} read (product_counts, category_counts) stay equal
 * to a scan of the products table, whoever changes it and however.
 */
class ProductCountsTest {
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
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    /** Products 1..count; even ones have an image, multiples of 3 nutrition; categories by number. */
    private Path file(String name, int count, String suffix) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            OffCsvFixture.Row row = OffCsvFixture.product(code(i)).name("Product " + i + suffix)
                    .categories(i % 2 == 0 ? new String[] {"en:snacks", "en:sweet"} : new String[] {"en:drinks"});
            if (i % 2 == 0) {
                row.imageUrl("https://images.example.org/" + i + ".jpg");
            }
            if (i % 3 == 0) {
                row.energyKcal("100");
            }
            fixture.add(row);
        }
        return fixture.write(dir.resolve(name));
    }

    private void sync(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
    }

    private List<Map<String, Object>> rows(String sql) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapToMap().list());
    }

    private void assertCountsMatchAScan(String when) {
        assertEquals(rows("""
                        SELECT source, count(*) AS products, count(*) FILTER (WHERE image_url IS NOT NULL) AS with_image,
                               count(*) FILTER (WHERE num_nonnulls(energy_kcal_100g, fat_100g, saturated_fat_100g,
                                   carbohydrates_100g, sugars_100g, fiber_100g, proteins_100g, salt_100g, sodium_100g) > 0)
                                   AS with_nutrition,
                               count(*) FILTER (WHERE verified) AS verified
                        FROM products WHERE deleted_at IS NULL GROUP BY source ORDER BY source"""),
                rows("""
                        SELECT source, products, with_image, with_nutrition, verified FROM product_counts
                        WHERE products > 0 ORDER BY source"""), when + ": by source");
        assertEquals(rows("""
                        SELECT category, count(*) AS products FROM products, unnest(categories) AS category
                        WHERE deleted_at IS NULL GROUP BY category ORDER BY category"""),
                rows("SELECT category, products FROM category_counts WHERE products > 0 ORDER BY category"),
                when + ": by category");
    }

    @Test
    void countsFollowEveryWayProductsChange() {
        sync("migrate");
        assertCountsMatchAScan("empty");

        sync("sync", "--from", file("feed.csv", 30, "").toString(), "--full");
        assertCountsMatchAScan("first load");

        sync("sync", "--from", file("feed.csv", 40, " v2").toString(), "--full", "--batch-size", "7");
        assertCountsMatchAScan("re-sync with changes and new products");

        database.jdbi().useHandle(handle -> {
            handle.execute("UPDATE products SET verified = true WHERE code IN (SELECT code FROM products LIMIT 5)");
            handle.execute("UPDATE products SET deleted_at = now() WHERE code IN (SELECT code FROM products ORDER BY code DESC LIMIT 3)");
            handle.execute("UPDATE products SET image_url = NULL, categories = '{en:other}' WHERE code = '0" + code(2) + "'");
            handle.execute("DELETE FROM products WHERE code = '0" + code(4) + "'");
        });
        assertCountsMatchAScan("edits, soft and hard deletes by people");

        sync("sync", "--from", file("feed.csv", 40, " v2").toString(), "--full");
        assertCountsMatchAScan("a --full that brings deleted and edited rows back");

        sync("sync", "--from", file("other.csv", 10, " other").toString(), "--source-name", "other", "--full");
        assertCountsMatchAScan("a second source taking over some codes");

        database.jdbi().useHandle(handle -> handle.execute("TRUNCATE products CASCADE"));
        assertCountsMatchAScan("truncate");
        assertEquals(0, database.count("SELECT count(*) FROM product_counts WHERE products <> 0"));
    }
}
