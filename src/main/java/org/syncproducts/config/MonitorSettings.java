package org.syncproducts.config;

import java.time.Duration;
import java.util.Set;
import org.syncproducts.health.HealthThresholds;

/**
 * How health checks judge the database, from the {@code monitor:} section of the config.
 *
 * @param thresholds    the health score's thresholds (SPEC §7)
 * @param watchInterval time between checks of {@code monitor --watch} when {@code --interval} is not given
 */
public record MonitorSettings(HealthThresholds thresholds, Duration watchInterval) {
    private static final Set<String> KEYS = Set.of("coverage_target", "coverage_minimum", "coverage_critical",
            "freshness_warning", "freshness_critical", "failure_rate_warning", "consecutive_failures",
            "image_coverage_info", "nutrition_coverage_info", "interval");

    public static MonitorSettings defaults() {
        return new MonitorSettings(HealthThresholds.defaults(), Duration.ofMinutes(5));
    }

    /**
     * Reads the section; every key is optional.
     *
     * @param staleAfter {@code sync.stale_after}, which also decides when a running job is stale
     */
    static MonitorSettings read(ConfigNode node, Duration staleAfter) {
        node.allowOnly(KEYS);
        HealthThresholds defaults = HealthThresholds.defaults();
        double target = percent(node, "coverage_target", defaults.coverageTarget());
        double minimum = percent(node, "coverage_minimum", defaults.coverageMinimum());
        double critical = percent(node, "coverage_critical", defaults.coverageCritical());
        if (!(critical <= minimum && minimum <= target)) {
            throw node.error("coverage_critical <= coverage_minimum <= coverage_target must hold; got " + critical
                    + ", " + minimum + ", " + target);
        }
        Duration warning = duration(node, "freshness_warning", defaults.freshnessWarning());
        Duration late = duration(node, "freshness_critical", defaults.freshnessCritical());
        if (warning.compareTo(late) > 0) {
            throw node.error("freshness_warning must not be longer than freshness_critical");
        }
        Duration interval = duration(node, "interval", defaults().watchInterval());
        if (interval.isZero()) {
            throw node.error("interval must be at least 1s");
        }
        return new MonitorSettings(new HealthThresholds(target, minimum, critical, warning, late,
                percent(node, "failure_rate_warning", defaults.failureRateWarning()),
                node.integer("consecutive_failures", defaults.consecutiveFailures(), 1, 1000),
                percent(node, "image_coverage_info", defaults.imageCoverageInfo()),
                percent(node, "nutrition_coverage_info", defaults.nutritionCoverageInfo()),
                staleAfter), interval);
    }

    private static double percent(ConfigNode node, String key, double fallback) {
        String text = node.text(key, null);
        if (text == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text.strip().replace("%", ""));
        } catch (NumberFormatException e) {
            throw node.child(key).error("must be a percentage from 0 to 100; got '" + text + "'");
        }
        if (!(value >= 0 && value <= 100)) {
            throw node.child(key).error("must be a percentage from 0 to 100; got '" + text + "'");
        }
        return value;
    }

    private static Duration duration(ConfigNode node, String key, Duration fallback) {
        String text = node.text(key, null);
        return text == null ? fallback : Durations.parse(text, "config " + node.child(key).path());
    }
}
