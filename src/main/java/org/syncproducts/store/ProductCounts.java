package org.syncproducts.store;

import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The product counts the database keeps (table {@code product_counts}, migration V7): live
 * products in total, by source, by category tag, with an image, with nutrition. Reading them costs
 * the same at any table size. {@link ProductWriter} keeps them in each batch's transaction, a row
 * trigger keeps them for every other change (hand edits included); verified products are counted
 * through a partial index, since people set that flag.
 */
public final class ProductCounts {
    /** Totals of live products. */
    public record Totals(long products, long withImage, long withNutrition, long verified) {
    }

    /** One counter: a dimension ({@code total}, {@code source}, {@code category}, {@code image}, {@code nutrition}) and value. */
    public record Counter(String dimension, String value, long products) {
    }

    /** A counter whose kept value differs from the rows. */
    public record Difference(String dimension, String value, long kept, long actual) {
    }

    /**
     * SQL condition "the code in column {@code %s} has a live product", for target coverage: an
     * index-only probe of the primary key and one of the small index of deleted products, so it
     * never reads the products heap. Use it in a select list or FILTER (per row), not as a join.
     * {@code OFFSET 0} keeps each probe a probe: without it the planner may instead hash every
     * code of the primary key (a million codes when work_mem allows, about 1 s against 0.1 s for
     * 20,000 probes).
     */
    public static final String LIVE_PRODUCT = "(EXISTS (SELECT 1 FROM products p WHERE p.code = %1$s OFFSET 0)"
            + " AND NOT EXISTS (SELECT 1 FROM products p WHERE p.code = %1$s AND p.deleted_at IS NOT NULL OFFSET 0))";

    private final Jdbi jdbi;

    public ProductCounts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The totals, read inside the caller's transaction. */
    public static Totals totals(Handle handle) {
        return handle.createQuery("""
                        SELECT coalesce(sum(products) FILTER (WHERE dimension = 'total'), 0) AS products,
                               coalesce(sum(products) FILTER (WHERE dimension = 'image'), 0) AS with_image,
                               coalesce(sum(products) FILTER (WHERE dimension = 'nutrition'), 0) AS with_nutrition,
                               (SELECT count(*) FROM products WHERE verified AND deleted_at IS NULL) AS verified
                        FROM product_counts WHERE dimension IN ('total', 'image', 'nutrition')""")
                .map((rs, ctx) -> new Totals(rs.getLong("products"), rs.getLong("with_image"),
                        rs.getLong("with_nutrition"), rs.getLong("verified")))
                .one();
    }

    /**
     * The largest counters of a dimension, most products first (ties by value).
     *
     * @param limit at most this many; 0 for all
     */
    public static List<Counter> top(Handle handle, String dimension, int limit) {
        return handle.createQuery("""
                        SELECT dimension, value, products FROM product_counts
                        WHERE dimension = :dimension AND products > 0
                        ORDER BY products DESC, value LIMIT :limit""")
                .bind("dimension", dimension).bind("limit", limit > 0 ? Long.valueOf(limit) : null)
                .map((rs, ctx) -> new Counter(rs.getString("dimension"), rs.getString("value"), rs.getLong("products")))
                .list();
    }

    /** Counters whose kept value is not what a count of the rows gives (reads every product). */
    public List<Difference> differences() {
        return jdbi.inTransaction(handle -> {
            handle.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return handle.createQuery("""
                            SELECT coalesce(k.dimension, a.dimension) AS dimension, coalesce(k.value, a.value) AS value,
                                   coalesce(k.products, 0) AS kept, coalesce(a.products, 0) AS actual
                            FROM (SELECT * FROM product_counts WHERE products <> 0) k
                            FULL JOIN product_counts_actual() a ON a.dimension = k.dimension AND a.value = k.value
                            WHERE k.products IS DISTINCT FROM a.products
                            ORDER BY 1, 2""")
                    .map((rs, ctx) -> new Difference(rs.getString("dimension"), rs.getString("value"),
                            rs.getLong("kept"), rs.getLong("actual")))
                    .list();
        });
    }

    /**
     * Recounts every counter from the rows. Writers wait meanwhile (a share lock on products), so
     * the result is exact when it commits.
     */
    public void rebuild() {
        jdbi.useTransaction(handle -> {
            handle.execute("LOCK TABLE products IN SHARE MODE");
            handle.execute("DELETE FROM product_counts");
            handle.execute("INSERT INTO product_counts (dimension, value, products) SELECT * FROM product_counts_actual()");
        });
    }
}
