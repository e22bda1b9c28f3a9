package org.syncproducts.health;

import java.time.Duration;
import java.util.List;

/**
 * The result of scoring one health check. Scores and percentages are 0..100, rounded to one
 * decimal.
 *
 * @param score          coverage 50 % + freshness 30 % + quality 20 % (coverage left out, and the
 *                       other weights renormalized, when there are no targets)
 * @param healthy        no critical alert
 * @param coverage       share of target codes with a product, or null when there are no targets
 * @param freshness      100 under the warning age, 50 up to the critical age, 0 after it or never
 * @param quality        mean of the verified, image and nutrition percentages (0 with no products)
 * @param lastSuccessAge age of the last successful sync, or null for never
 * @param alerts         worst first
 */
public record HealthReport(HealthMeasurements measurements, double score, Rating rating, boolean healthy,
                           Double coverage, double freshness, double quality, Double imagePercent,
                           Double nutritionPercent, Double verifiedPercent, Duration lastSuccessAge,
                           List<Alert> alerts) {

    public HealthReport {
        alerts = List.copyOf(alerts);
    }

    /** The weights the score was computed with: coverage, freshness, quality (summing to 1). */
    public java.util.Map<String, Double> weights() {
        java.util.Map<String, Double> weights = new java.util.LinkedHashMap<>();
        if (coverage == null) {
            double rest = HealthScorer.FRESHNESS_WEIGHT + HealthScorer.QUALITY_WEIGHT;
            weights.put("coverage", 0.0);
            weights.put("freshness", HealthScorer.round(HealthScorer.FRESHNESS_WEIGHT / rest * 100) / 100);
            weights.put("quality", HealthScorer.round(HealthScorer.QUALITY_WEIGHT / rest * 100) / 100);
        } else {
            weights.put("coverage", HealthScorer.COVERAGE_WEIGHT);
            weights.put("freshness", HealthScorer.FRESHNESS_WEIGHT);
            weights.put("quality", HealthScorer.QUALITY_WEIGHT);
        }
        return weights;
    }

    /** Whether an alert at or above {@code severity} was raised. */
    public boolean hasAlertAtLeast(Alert.Severity severity) {
        return alerts.stream().anyMatch(alert -> alert.severity().compareTo(severity) >= 0);
    }
}
