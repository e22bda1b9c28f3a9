package org.syncproducts.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.syncproducts.config.Durations;

/**
 * Turns measurements into a health report (SPEC §7). A pure function: no clock, no database; the
 * time is {@link HealthMeasurements#measuredAt()}.
 *
 * <p>Score = coverage × 0.5 + freshness × 0.3 + quality × 0.2. Without targets the coverage term
 * is left out and the others renormalized (freshness × 0.6 + quality × 0.4). Percentages are
 * rounded to one decimal before they are compared with a threshold, so what is shown is what was
 * judged.
 */
public final class HealthScorer {
    static final double COVERAGE_WEIGHT = 0.5;
    static final double FRESHNESS_WEIGHT = 0.3;
    private static final String COMPLETED = "completed";
    static final double QUALITY_WEIGHT = 0.2;
    private static final String FAILED = "failed";
    private static final String INTERRUPTED = "interrupted";

    private final HealthThresholds thresholds;

    public HealthScorer(HealthThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public HealthReport score(HealthMeasurements measured) {
        List<Alert> alerts = new ArrayList<>();
        Double coverage = percent(measured.targetsPresent(), measured.targets());
        coverageAlerts(coverage, measured, alerts);
        Duration age = measured.lastSuccessAt() == null ? null
                : Duration.between(measured.lastSuccessAt(), measured.measuredAt());
        double freshness = freshness(age, measured, alerts);
        Double image = percent(measured.withImage(), measured.products());
        Double nutrition = percent(measured.withNutrition(), measured.products());
        Double verified = percent(measured.verified(), measured.products());
        double quality = measured.products() == 0 ? 0 : round((image + nutrition + verified) / 3);
        contentAlerts(image, nutrition, alerts);
        jobAlerts(measured, alerts);

        double score = coverage == null
                ? (freshness * FRESHNESS_WEIGHT + quality * QUALITY_WEIGHT) / (FRESHNESS_WEIGHT + QUALITY_WEIGHT)
                : coverage * COVERAGE_WEIGHT + freshness * FRESHNESS_WEIGHT + quality * QUALITY_WEIGHT;
        score = round(score);
        alerts.sort(Comparator.comparing(Alert::severity).reversed());
        boolean healthy = alerts.stream().noneMatch(alert -> alert.severity() == Alert.Severity.CRITICAL);
        return new HealthReport(measured, score, Rating.of(score), healthy, coverage, freshness, quality, image,
                nutrition, verified, age, alerts);
    }

    private void coverageAlerts(Double coverage, HealthMeasurements measured, List<Alert> alerts) {
        if (coverage == null) {
            alerts.add(new Alert(Alert.Severity.INFO, "no_targets",
                    "no target list: coverage is left out of the score and the other weights renormalized",
                    "import the Approved Product List: sync-products targets import FILE"));
            return;
        }
        String figures = coverage + "% of targets have a product (" + measured.targetsPresent() + " of "
                + measured.targets() + ")";
        String action = "sync-products sync --targets-only, then sync-products targets list --missing for what is left";
        if (coverage < thresholds.coverageCritical()) {
            alerts.add(new Alert(Alert.Severity.CRITICAL, "coverage_critical",
                    figures + ", below the critical level of " + number(thresholds.coverageCritical()) + "%", action));
        } else if (coverage < thresholds.coverageMinimum()) {
            alerts.add(new Alert(Alert.Severity.WARNING, "coverage_below_minimum",
                    figures + ", below the minimum of " + number(thresholds.coverageMinimum()) + "%", action));
        } else if (coverage < thresholds.coverageTarget()) {
            alerts.add(new Alert(Alert.Severity.INFO, "coverage_below_target",
                    figures + ", below the target of " + number(thresholds.coverageTarget()) + "%", action));
        }
    }

    /**
     * 100 while fresh, 50 in the warning band (inclusive), 0 past the critical age or never. "Never
     * synced" and "synced, but no job completed yet" are told apart, with what the failed job wrote.
     */
    private double freshness(Duration age, HealthMeasurements measured, List<Alert> alerts) {
        String action = "run sync-products sync now, and check the cron job or systemd timer that should run it";
        if (age == null && !measured.recentJobs().isEmpty() && !measured.recentJobs().get(0).status().equals(COMPLETED)) {
            HealthMeasurements.FinishedJob last = measured.recentJobs().get(0);
            alerts.add(new Alert(Alert.Severity.CRITICAL, "no_completed_sync", "no sync has completed yet: the last"
                    + " job #" + last.id() + " ended " + last.status() + " after writing " + last.written()
                    + " products (" + measured.products() + " products stored)",
                    "see why: sync-products jobs show " + last.id() + ", fix the cause and run sync-products sync"));
            return 0;
        }
        if (age == null) {
            alerts.add(new Alert(Alert.Severity.CRITICAL, "never_synced", "no sync has ever completed", action));
            return 0;
        }
        if (age.compareTo(thresholds.freshnessCritical()) > 0) {
            alerts.add(new Alert(Alert.Severity.CRITICAL, "sync_overdue", "no successful sync for "
                    + Durations.format(age) + " (critical after " + Durations.format(thresholds.freshnessCritical())
                    + ")", action));
            return 0;
        }
        if (age.compareTo(thresholds.freshnessWarning()) >= 0) {
            alerts.add(new Alert(Alert.Severity.WARNING, "sync_late", "no successful sync for "
                    + Durations.format(age) + " (warning from " + Durations.format(thresholds.freshnessWarning())
                    + ")", action));
            return 50;
        }
        return 100;
    }

    private void contentAlerts(Double image, Double nutrition, List<Alert> alerts) {
        if (image != null && image < thresholds.imageCoverageInfo()) {
            alerts.add(new Alert(Alert.Severity.INFO, "low_image_coverage", image + "% of products have an image (below "
                    + number(thresholds.imageCoverageInfo()) + "%)",
                    "add a source with images (e.g. the Open Food Facts export) and run sync-products sync --full"));
        }
        if (nutrition != null && nutrition < thresholds.nutritionCoverageInfo()) {
            alerts.add(new Alert(Alert.Severity.INFO, "low_nutrition_coverage", nutrition
                    + "% of products have nutrition facts (below " + number(thresholds.nutritionCoverageInfo()) + "%)",
                    "add a source with nutrition facts and run sync-products sync --full"));
        }
    }

    private void jobAlerts(HealthMeasurements measured, List<Alert> alerts) {
        List<HealthMeasurements.FinishedJob> jobs = measured.recentJobs();
        if (!jobs.isEmpty()) {
            HealthMeasurements.FinishedJob last = jobs.get(0);
            Double failureRate = percent(last.failed(), last.read());
            if (failureRate != null && failureRate > thresholds.failureRateWarning()) {
                alerts.add(new Alert(Alert.Severity.WARNING, "job_failure_rate", "the last job #" + last.id()
                        + " failed " + failureRate + "% of its records (" + last.failed() + " of " + last.read()
                        + "; more than " + number(thresholds.failureRateWarning()) + "%)",
                        "see what failed: sync-products errors list --job " + last.id()));
            }
        }
        int inARow = 0;
        for (HealthMeasurements.FinishedJob job : jobs) {
            if (!job.status().equals(FAILED) && !job.status().equals(INTERRUPTED)) {
                break;
            }
            inARow++;
        }
        if (inARow >= thresholds.consecutiveFailures()) {
            alerts.add(new Alert(Alert.Severity.CRITICAL, "consecutive_failures", "the last " + inARow
                    + " sync jobs failed or were interrupted",
                    "see why: sync-products jobs show " + jobs.get(0).id()));
        }
        for (HealthMeasurements.RunningJob running : measured.runningJobs()) {
            Duration silent = Duration.between(running.heartbeatAt(), measured.measuredAt());
            if (silent.compareTo(thresholds.staleHeartbeat()) > 0) {
                alerts.add(new Alert(Alert.Severity.WARNING, "stale_running_job", "job #" + running.id()
                        + " is recorded as running but its last heartbeat was " + Durations.format(silent)
                        + " ago (pid " + running.pid() + " on " + running.host() + ")",
                        "check that process: if it is gone, the next sync-products sync marks the job interrupted; "
                                + "if it hangs, stop it (kill " + running.pid() + ")"));
            }
        }
    }

    /** part / whole as a percentage rounded to one decimal, or null when whole is 0. */
    static Double percent(long part, long whole) {
        return whole == 0 ? null : round(part * 100.0 / whole);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
