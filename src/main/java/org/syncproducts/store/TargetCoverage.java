package org.syncproducts.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * How much of the target list has a live product: overall and per target category. Each distinct
 * target code is probed once ({@link ProductCounts#LIVE_PRODUCT}, two index-only probes), so the
 * cost grows with the target list, never with the products table; {@code stats} and
 * {@code monitor} read it this one way.
 *
 * @param targets    distinct target codes
 * @param present    of them, those with a live product
 * @param byCategory per category ({@code (none)} for targets without one), by category name
 */
public record TargetCoverage(long targets, long present, List<Category> byCategory) {
    /** One target category: its distinct codes and those present. */
    public record Category(String category, long targets, long present) {
    }

    /** One row of the query: a category's figures, or (overall) the whole list's. */
    private record Row(boolean overall, Category figures) {
    }

    /** Reads the coverage inside the caller's transaction. */
    public static TargetCoverage read(Handle handle) {
        List<Row> rows = handle.createQuery("""
                        WITH target AS (SELECT DISTINCT coalesce(category, '(none)') AS category, code FROM targets),
                             probed AS (SELECT t.code, %s AS live FROM (SELECT DISTINCT code FROM target) t)
                        SELECT grouping(category) = 1 AS overall, category, count(DISTINCT code) AS targets,
                               count(DISTINCT code) FILTER (WHERE live) AS present
                        FROM target JOIN probed USING (code)
                        GROUP BY GROUPING SETS ((category), ())
                        ORDER BY overall, category""".formatted(ProductCounts.LIVE_PRODUCT.formatted("t.code")))
                .map((rs, ctx) -> new Row(rs.getBoolean("overall"),
                        new Category(rs.getString("category"), rs.getLong("targets"), rs.getLong("present"))))
                .list();
        Category overall = rows.stream().filter(Row::overall).map(Row::figures).findFirst()
                .orElse(new Category(null, 0, 0));
        return new TargetCoverage(overall.targets(), overall.present(),
                rows.stream().filter(row -> !row.overall()).map(Row::figures).toList());
    }
}
