package org.syncproducts.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The health score as a pure function: a table of cases at every threshold boundary. */
class HealthScorerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final HealthScorer SCORER = new HealthScorer(HealthThresholds.defaults());

    /** 1000 targets with {@code present} of them covered, 100 products all with image, nutrition, verified. */
    private static HealthMeasurements coverage(long present) {
        return new HealthMeasurements(NOW, 1000, present, 100, 100, 100, 100, NOW.minus(Duration.ofHours(1)),
                List.of(new HealthMeasurements.FinishedJob(1, "completed", 10, 0)), List.of());
    }

    private static HealthMeasurements lastSuccess(Duration age) {
        return new HealthMeasurements(NOW, 10, 10, 100, 100, 100, 100, age == null ? null : NOW.minus(age),
                List.of(), List.of());
    }

    private static String codes(HealthReport report) {
        return report.alerts().stream().map(alert -> alert.severity().label() + ":" + alert.code())
                .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} of 1000 targets -> coverage {1}, alerts [{2}]")
    @CsvSource(delimiter = '|', value = {
            "1000 | 100.0 | ''",
            " 950 |  95.0 | ''",
            " 949 |  94.9 | info:coverage_below_target",
            " 850 |  85.0 | info:coverage_below_target",
            " 849 |  84.9 | warning:coverage_below_minimum",
            " 700 |  70.0 | warning:coverage_below_minimum",
            " 699 |  69.9 | critical:coverage_critical",
            "   0 |   0.0 | critical:coverage_critical"})
    void coverageAlertsAtEachThreshold(long present, double expectedCoverage, String expectedAlerts) {
        HealthReport report = SCORER.score(coverage(present));

        assertEquals(expectedCoverage, report.coverage());
        assertEquals(expectedAlerts, codes(report));
        assertEquals(!expectedAlerts.startsWith("critical"), report.healthy());
    }

    @ParameterizedTest(name = "last success {0} ago -> freshness {1}, alerts [{2}]")
    @CsvSource(delimiter = '|', value = {
            "PT1H       | 100 | ''",
            "PT47H59M59S | 100 | ''",
            "PT48H      |  50 | warning:sync_late",
            "PT72H      |  50 | warning:sync_late",
            "PT72H0M1S  |   0 | critical:sync_overdue",
            "P30D       |   0 | critical:sync_overdue",
            "never      |   0 | critical:never_synced"})
    void freshnessAtEachThreshold(String age, double expectedFreshness, String expectedAlerts) {
        HealthReport report = SCORER.score(lastSuccess(age.equals("never") ? null : Duration.parse(age)));

        assertEquals(expectedFreshness, report.freshness());
        assertEquals(expectedAlerts, codes(report));
    }

    @ParameterizedTest(name = "coverage {0}, freshness from age {1}, quality {2} -> {3} {4}")
    @CsvSource(delimiter = '|', value = {
            // coverage, last success age, products with everything of 100, score, rating
            "1000 | PT1H | 100 | 100.0 | excellent",
            " 800 | PT1H | 100 |  90.0 | excellent",
            " 798 | PT1H | 100 |  89.9 | good",
            " 600 | PT1H | 100 |  80.0 | good",
            " 598 | PT1H | 100 |  79.9 | fair",
            " 400 | PT1H | 100 |  70.0 | fair",
            " 398 | PT1H | 100 |  69.9 | poor",
            "1000 | PT50H | 100 |  85.0 | good",
            "1000 | never | 100 |  70.0 | fair",
            "1000 | PT1H |   0 |  80.0 | good",
            "   0 | never |   0 |   0.0 | poor"})
    void scoreIsWeightedAndRated(long present, String age, long complete, double expectedScore, String expectedRating) {
        HealthMeasurements measured = new HealthMeasurements(NOW, 1000, present, 100, complete, complete, complete,
                age.equals("never") ? null : NOW.minus(Duration.parse(age)), List.of(), List.of());

        HealthReport report = SCORER.score(measured);

        assertEquals(expectedScore, report.score());
        assertEquals(expectedRating, report.rating().label());
    }

    @Test
    void withoutTargetsCoverageIsLeftOutAndTheWeightsRenormalized() {
        // freshness 100 x 0.6 + quality 50 x 0.4 = 80
        HealthMeasurements measured = new HealthMeasurements(NOW, 0, 0, 100, 50, 50, 50,
                NOW.minus(Duration.ofHours(1)), List.of(), List.of());

        HealthReport report = SCORER.score(measured);

        assertNull(report.coverage());
        assertEquals(50.0, report.quality());
        assertEquals(80.0, report.score());
        assertEquals("info:no_targets", codes(report));
        assertTrue(report.alerts().get(0).action().contains("sync-products targets import"));
    }

    @Test
    void qualityIsTheMeanOfVerifiedImageAndNutrition() {
        HealthMeasurements measured = new HealthMeasurements(NOW, 0, 0, 200, 150, 100, 20,
                NOW.minus(Duration.ofHours(1)), List.of(), List.of());

        HealthReport report = SCORER.score(measured);

        assertEquals(75.0, report.imagePercent());
        assertEquals(50.0, report.nutritionPercent());
        assertEquals(10.0, report.verifiedPercent());
        assertEquals(45.0, report.quality());
    }

    @ParameterizedTest(name = "{0} with image, {1} with nutrition of 100 -> [{2}]")
    @CsvSource(delimiter = '|', value = {
            "50 | 50 | ''",
            "49 | 50 | info:low_image_coverage",
            "50 | 49 | info:low_nutrition_coverage",
            " 0 |  0 | info:low_image_coverage info:low_nutrition_coverage"})
    void lowImageAndNutritionCoverageAreInfo(long withImage, long withNutrition, String expectedAlerts) {
        HealthMeasurements measured = new HealthMeasurements(NOW, 10, 10, 100, withImage, withNutrition, 100,
                NOW.minus(Duration.ofHours(1)), List.of(), List.of());

        assertEquals(expectedAlerts, codes(SCORER.score(measured)));
    }

    @Test
    void aFailedFirstJobIsToldApartFromNeverSyncedWithWhatItWrote() {
        HealthReport report = SCORER.score(new HealthMeasurements(NOW, 0, 0, 989, 989, 989, 0, null,
                List.of(new HealthMeasurements.FinishedJob(3, "failed", 1000, 11, 989)), List.of()));

        Alert alert = report.alerts().get(0);
        assertEquals("no_completed_sync", alert.code());
        assertEquals("no sync has completed yet: the last job #3 ended failed after writing 989 products"
                + " (989 products stored)", alert.message());
        assertTrue(alert.action().contains("sync-products jobs show 3"), alert.action());
    }

    @Test
    void noProductsMeansQualityZeroAndNoContentAlerts() {
        HealthReport report = SCORER.score(new HealthMeasurements(NOW, 0, 0, 0, 0, 0, 0, null, List.of(), List.of()));

        assertEquals(0.0, report.quality());
        assertNull(report.imagePercent());
        assertEquals("critical:never_synced info:no_targets", codes(report));
        assertFalse(report.healthy());
    }

    @ParameterizedTest(name = "last job failed {0} of 1000 -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "  0 | ''",
            "100 | ''",
            "101 | warning:job_failure_rate"})
    void lastJobFailureRateAboveTenPercentIsAWarning(long failed, String expectedAlerts) {
        HealthMeasurements measured = new HealthMeasurements(NOW, 10, 10, 100, 100, 100, 100,
                NOW.minus(Duration.ofHours(1)), List.of(new HealthMeasurements.FinishedJob(7, "completed", 1000, failed),
                new HealthMeasurements.FinishedJob(6, "completed", 1000, 900)), List.of());

        HealthReport report = SCORER.score(measured);

        assertEquals(expectedAlerts, codes(report));
        if (!expectedAlerts.isEmpty()) {
            assertTrue(report.alerts().get(0).action().contains("sync-products errors list --job 7"),
                    report.alerts().get(0).action());
        }
    }

    @ParameterizedTest(name = "jobs newest first {0} -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "failed,failed,completed,failed | ''",
            "failed,interrupted,failed,completed | critical:consecutive_failures",
            "completed,failed,failed,failed | ''",
            "cancelled,failed,failed,failed | ''",
            "failed,failed,failed | critical:consecutive_failures"})
    void threeFailedJobsInARowAreCritical(String statuses, String expectedAlerts) {
        List<String> list = List.of(statuses.split(","));
        List<HealthMeasurements.FinishedJob> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            jobs.add(new HealthMeasurements.FinishedJob(100 - i, list.get(i), 0, 0));
        }
        HealthMeasurements measured = new HealthMeasurements(NOW, 10, 10, 100, 100, 100, 100,
                NOW.minus(Duration.ofHours(1)), jobs, List.of());

        HealthReport report = SCORER.score(measured);

        assertEquals(expectedAlerts, codes(report));
        if (!expectedAlerts.isEmpty()) {
            assertTrue(report.alerts().get(0).action().contains("sync-products jobs show 100"));
            assertFalse(report.healthy());
        }
    }

    @ParameterizedTest(name = "heartbeat {0} old -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "PT2M   | ''",
            "PT2M1S | warning:stale_running_job"})
    void aRunningJobWithAStaleHeartbeatIsAWarning(String silence, String expectedAlerts) {
        HealthMeasurements measured = new HealthMeasurements(NOW, 10, 10, 100, 100, 100, 100,
                NOW.minus(Duration.ofHours(1)), List.of(),
                List.of(new HealthMeasurements.RunningJob(5, NOW.minus(Duration.parse(silence)), 4242L, "worker-1")));

        HealthReport report = SCORER.score(measured);

        assertEquals(expectedAlerts, codes(report));
        if (!expectedAlerts.isEmpty()) {
            assertTrue(report.alerts().get(0).message().contains("pid 4242 on worker-1"));
        }
    }

    @Test
    void alertsAreOrderedWorstFirstAndEachHasAnAction() {
        HealthMeasurements measured = new HealthMeasurements(NOW, 100, 50, 100, 10, 10, 0, null,
                List.of(new HealthMeasurements.FinishedJob(3, "failed", 10, 5)), List.of());

        HealthReport report = SCORER.score(measured);

        List<Alert.Severity> severities = report.alerts().stream().map(Alert::severity).toList();
        assertEquals(severities.stream().sorted(java.util.Comparator.reverseOrder()).toList(), severities);
        assertEquals(Alert.Severity.CRITICAL, severities.get(0));
        report.alerts().forEach(alert -> assertTrue(alert.action().contains("sync-products "), alert.toString()));
        assertTrue(report.hasAlertAtLeast(Alert.Severity.WARNING));
    }

    @Test
    void thresholdsAreConfigurable() {
        HealthThresholds strict = new HealthThresholds(99, 98, 97, Duration.ofHours(1), Duration.ofHours(2), 1, 1, 90,
                90, Duration.ofSeconds(10));

        HealthReport report = new HealthScorer(strict).score(coverage(975));

        assertEquals("warning:coverage_below_minimum warning:sync_late", codes(report),
                "97.5% is under the minimum of 98; one hour is the warning age");
        assertEquals("critical:coverage_critical", codes(new HealthScorer(strict).score(coverage(969))).split(" ")[0]);
    }
}
