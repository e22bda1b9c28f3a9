package org.syncproducts.health;

import java.util.List;

/**
 * A health check as stored: its id in the health_checks table, the report, and the coverage
 * metrics recorded with it.
 */
public record HealthCheck(long id, HealthReport report, List<CoverageMetric> metrics) {
    public HealthCheck {
        metrics = List.copyOf(metrics);
    }

    /** The metrics of one kind ({@link CoverageMetric#SOURCE}, ...), in stored order. */
    public List<CoverageMetric> metrics(String metric) {
        return metrics.stream().filter(point -> point.metric().equals(metric)).toList();
    }
}
