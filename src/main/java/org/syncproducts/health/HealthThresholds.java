package org.syncproducts.health;

import java.time.Duration;

/**
 * The thresholds of the health score and its alerts (SPEC §7), from the {@code monitor:} section
 * of the config. Percentages are 0..100.
 *
 * @param coverageTarget        target coverage below this is an info alert
 * @param coverageMinimum       below this, a warning
 * @param coverageCritical      below this, critical
 * @param freshnessWarning      a last successful sync at least this old is a warning
 * @param freshnessCritical     older than this (or never) is critical
 * @param failureRateWarning    the last job failing more than this share of its records is a warning
 * @param consecutiveFailures   this many failed jobs in a row is critical
 * @param imageCoverageInfo     fewer products with an image than this share is an info alert
 * @param nutritionCoverageInfo fewer products with nutrition facts than this share is an info alert
 * @param staleHeartbeat        a running job whose heartbeat is older than this is stale (sync.stale_after)
 */
public record HealthThresholds(double coverageTarget, double coverageMinimum, double coverageCritical,
                               Duration freshnessWarning, Duration freshnessCritical, double failureRateWarning,
                               int consecutiveFailures, double imageCoverageInfo, double nutritionCoverageInfo,
                               Duration staleHeartbeat) {

    public HealthThresholds {
        if (!(coverageCritical <= coverageMinimum && coverageMinimum <= coverageTarget)) {
            throw new IllegalArgumentException("coverage thresholds must be critical <= minimum <= target; got "
                    + coverageCritical + ", " + coverageMinimum + ", " + coverageTarget);
        }
        if (freshnessWarning.compareTo(freshnessCritical) > 0) {
            throw new IllegalArgumentException("freshness warning must not be later than freshness critical");
        }
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutive failures must be at least 1");
        }
    }

    /** The defaults of SPEC §7: coverage 95 / 85 / 70, freshness 48 h / 72 h. */
    public static HealthThresholds defaults() {
        return new HealthThresholds(95, 85, 70, Duration.ofHours(48), Duration.ofHours(72), 10, 3, 50, 50,
                Duration.ofMinutes(2));
    }

    /** The same thresholds with another stale-heartbeat limit. */
    public HealthThresholds withStaleHeartbeat(Duration staleAfter) {
        return new HealthThresholds(coverageTarget, coverageMinimum, coverageCritical, freshnessWarning,
                freshnessCritical, failureRateWarning, consecutiveFailures, imageCoverageInfo, nutritionCoverageInfo,
                staleAfter);
    }
}
