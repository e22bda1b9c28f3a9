package org.syncproducts.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code stats} reports (SPEC §6). Percentages are 0..100, null when there is nothing to
 * divide by.
 */
public record StatsReport(Totals totals, List<SourceCount> bySource, List<CategoryCount> topCategories,
                          Coverage coverage, SyncMetrics sync, List<JobSummary> history) {

    /** Live (not soft-deleted) products. */
    public record Totals(long products, long withImage, long withNutrition, long verified) {
    }

    public record SourceCount(String source, long products) {
    }

    public record CategoryCount(String category, long products) {
    }

    /** How many target codes have a product, overall and by target category. */
    public record Coverage(long targets, long present, Double percent, List<CategoryCoverage> byCategory) {
    }

    public record CategoryCoverage(String category, long targets, long present, Double percent) {
    }

    /**
     * Sync jobs other than dry runs.
     *
     * @param lastWritten products the last job added or updated, also when it failed: its batches committed
     */
    public record SyncMetrics(long total, long successful, long failed, Double successRate,
                              Duration averageDuration, Instant lastSyncAt, String lastStatus, long lastWritten,
                              Instant lastSuccessAt) {
    }

    public record JobSummary(long id, String status, String strategy, Instant startedAt, Duration duration,
                             long read, long added, long updated, long unchanged, long skipped, long failed) {
    }

    public static Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 1000.0 / whole) / 10.0;
    }
}
