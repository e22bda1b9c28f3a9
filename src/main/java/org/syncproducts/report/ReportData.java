package org.syncproducts.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.syncproducts.health.CoverageMetric;
import org.syncproducts.health.HealthThresholds;
import org.syncproducts.store.JobRecord;

/**
 * Everything the health report shows, as read from the database in one snapshot. Series are
 * averaged per time bucket so a year of hourly checks draws as a few hundred points.
 *
 * @param generatedAt the database's clock when the data was read
 * @param from        start of the window the series cover
 * @param bucket      width of one series point
 * @param latest      the newest stored health check, or null when none was stored yet
 * @param health      score and components per bucket, oldest first
 * @param coverage    coverage metrics (overall, image, nutrition, target categories of the newest check)
 *                    per bucket, oldest first
 * @param jobs        the newest jobs, newest first
 * @param errors      item errors per bucket, by type and by source
 * @param missing     targets with no live product, by category, largest first
 * @param thresholds  the configured thresholds, drawn on the coverage charts
 */
public record ReportData(Instant generatedAt, Instant from, Duration bucket, LatestCheck latest,
                         List<HealthPoint> health, List<MetricPoint> coverage, List<JobRecord> jobs,
                         List<ErrorCount> errors, List<MissingCategory> missing, HealthThresholds thresholds) {

    public ReportData {
        health = List.copyOf(health);
        coverage = List.copyOf(coverage);
        jobs = List.copyOf(jobs);
        errors = List.copyOf(errors);
        missing = List.copyOf(missing);
    }

    /**
     * The newest stored health check with its figures and coverage metrics.
     *
     * @param coverage null when there were no targets (coverage left out of the score)
     */
    public record LatestCheck(long id, Instant checkedAt, double score, String rating, boolean healthy,
                              Double coverage, double freshness, double quality, long targets, long targetsPresent,
                              long products, Double imagePercent, Double nutritionPercent, Double verifiedPercent,
                              Instant lastSuccessAt, List<StoredAlert> alerts, List<CoverageMetric> metrics) {
        public LatestCheck {
            alerts = List.copyOf(alerts);
            metrics = List.copyOf(metrics);
        }
    }

    /** An alert as stored with its check. */
    public record StoredAlert(String severity, String code, String message, String action) {
    }

    /** Mean score and components of the checks in one bucket; coverage null when no check had targets. */
    public record HealthPoint(Instant bucket, long checks, double score, Double coverage, double freshness,
                              double quality, long unhealthy) {
    }

    /**
     * Mean percentage of one coverage metric in one bucket.
     *
     * @param metric    {@link CoverageMetric#OVERALL}, {@code IMAGE}, {@code NUTRITION} or {@code TARGET_CATEGORY}
     * @param dimension the target category, empty for the others
     */
    public record MetricPoint(Instant bucket, String metric, String dimension, double percent) {
    }

    /**
     * Item errors created in one bucket.
     *
     * @param by   {@code type} or {@code source}
     * @param name the error type or source name ({@code (none)} for errors with no source)
     */
    public record ErrorCount(Instant bucket, String by, String name, long count) {
    }

    /**
     * Targets of one category with no live product.
     *
     * @param missing how many are missing
     * @param targets how many targets the category has
     * @param codes   the first missing codes as the list gives them, in code order
     */
    public record MissingCategory(String category, long missing, long targets, List<String> codes) {
        public MissingCategory {
            codes = List.copyOf(codes);
        }
    }
}
