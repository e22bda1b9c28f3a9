package org.syncproducts.health;

/**
 * One point of the coverage time series.
 *
 * @param metric    {@code overall} (targets with a product), {@code image}, {@code nutrition}
 *                  (products with one), {@code source} (targets covered by that source's products)
 *                  or {@code target_category} (targets of that category with a product)
 * @param dimension the source or category name; empty for the others
 * @param percent   covered / total × 100, rounded to one decimal
 */
public record CoverageMetric(String metric, String dimension, long covered, long total, double percent) {
    public static final String OVERALL = "overall";
    public static final String IMAGE = "image";
    public static final String NUTRITION = "nutrition";
    public static final String SOURCE = "source";
    public static final String TARGET_CATEGORY = "target_category";

    /** A metric of {@code covered} out of {@code total}; total must be above 0. */
    public static CoverageMetric of(String metric, String dimension, long covered, long total) {
        return new CoverageMetric(metric, dimension, covered, total, HealthScorer.percent(covered, total));
    }
}
