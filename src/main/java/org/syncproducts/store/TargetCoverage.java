package org.syncproducts.store;

import java.util.ArrayList;
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

    /** Reads the coverage inside the caller's transaction. */
    public static TargetCoverage read(Handle handle) {
        long[] overall = {0, 0};
        List<Category> byCategory = new ArrayList<>();
        handle.createQuery("""
                        WITH target AS (SELECT DISTINCT coalesce(category, '(none)') AS category, code FROM targets),
                             probed AS (SELECT t.code, %s AS live FROM (SELECT DISTINCT code FROM target) t)
                        SELECT grouping(category) = 1 AS overall, category, count(DISTINCT code) AS targets,
                               count(DISTINCT code) FILTER (WHERE live) AS present
                        FROM target JOIN probed USING (code)
                        GROUP BY GROUPING SETS ((category), ())
                        ORDER BY overall, category""".formatted(ProductCounts.LIVE_PRODUCT.formatted("t.code")))
                .map((rs, ctx) -> {
                    if (rs.getBoolean("overall")) {
                        overall[0] = rs.getLong("targets");
                        overall[1] = rs.getLong("present");
                    } else {
                        byCategory.add(new Category(rs.getString("category"), rs.getLong("targets"),
                                rs.getLong("present")));
                    }
                    return true;
                })
                .list();
        return new TargetCoverage(overall[0], overall[1], List.copyOf(byCategory));
    }
}
