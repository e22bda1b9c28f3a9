package org.syncproducts.stats;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.syncproducts.store.JobRecord;
import org.syncproducts.store.JobRepository;
import org.syncproducts.store.ProductCounts;
import org.syncproducts.store.TargetCoverage;

/** Reads the figures of {@link StatsReport} from the database, in one read-only snapshot. */
public final class StatsRepository {
    private static final int TOP_CATEGORIES = 20;

    private final Jdbi jdbi;

    public StatsRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Reads the report; product figures come from the kept counts, so its cost does not grow with the table. */
    public StatsReport report(int historySize) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            ProductCounts.Totals totals = ProductCounts.totals(handle);
            return new StatsReport(
                    new StatsReport.Totals(totals.products(), totals.withImage(), totals.withNutrition(), totals.verified()),
                    ProductCounts.top(handle, "source", 0).stream()
                            .map(counter -> new StatsReport.SourceCount(counter.value(), counter.products())).toList(),
                    ProductCounts.top(handle, "category", TOP_CATEGORIES).stream()
                            .map(counter -> new StatsReport.CategoryCount(counter.value(), counter.products())).toList(),
                    coverage(handle), syncMetrics(handle), history(historySize));
        });
    }

    private static StatsReport.Coverage coverage(Handle handle) {
        TargetCoverage coverage = TargetCoverage.read(handle);
        List<StatsReport.CategoryCoverage> byCategory = coverage.byCategory().stream()
                .map(category -> new StatsReport.CategoryCoverage(category.category(), category.targets(),
                        category.present(), StatsReport.percent(category.present(), category.targets())))
                .toList();
        return new StatsReport.Coverage(coverage.targets(), coverage.present(),
                StatsReport.percent(coverage.present(), coverage.targets()), byCategory);
    }

    private static StatsReport.SyncMetrics syncMetrics(Handle handle) {
        return handle.createQuery("""
                        SELECT count(*) FILTER (WHERE status <> 'running') AS total,
                               count(*) FILTER (WHERE status = 'completed') AS successful,
                               count(*) FILTER (WHERE status IN ('failed', 'interrupted')) AS failed,
                               avg(extract(epoch FROM ended_at - started_at)) FILTER (WHERE status = 'completed') AS avg_seconds,
                               (SELECT started_at FROM jobs WHERE NOT dry_run ORDER BY id DESC LIMIT 1) AS last_at,
                               (SELECT status FROM jobs WHERE NOT dry_run ORDER BY id DESC LIMIT 1) AS last_status,
                               (SELECT added_count + updated_count FROM jobs WHERE NOT dry_run
                                ORDER BY id DESC LIMIT 1) AS last_written,
                               max(ended_at) FILTER (WHERE status = 'completed') AS last_success_at
                        FROM jobs WHERE NOT dry_run""")
                .map((rs, ctx) -> {
                    long total = rs.getLong("total");
                    long successful = rs.getLong("successful");
                    double avg = rs.getDouble("avg_seconds");
                    boolean noAverage = rs.wasNull();
                    return new StatsReport.SyncMetrics(total, successful, rs.getLong("failed"),
                            StatsReport.percent(successful, total),
                            noAverage ? null : Duration.ofMillis(Math.round(avg * 1000)),
                            instant(rs.getTimestamp("last_at")), rs.getString("last_status"),
                            rs.getLong("last_written"), instant(rs.getTimestamp("last_success_at")));
                })
                .one();
    }

    private List<StatsReport.JobSummary> history(int size) {
        if (size <= 0) {
            return List.of();
        }
        return new JobRepository(jdbi).recent(size).stream().map(StatsRepository::summary).toList();
    }

    private static StatsReport.JobSummary summary(JobRecord job) {
        return new StatsReport.JobSummary(job.id(), job.status() + (job.dryRun() ? " (dry run)" : ""), job.strategy(),
                job.startedAt(), job.duration(), job.counts().read(), job.counts().added(), job.counts().updated(),
                job.counts().unchanged(), job.counts().skipped(), job.counts().failed());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
