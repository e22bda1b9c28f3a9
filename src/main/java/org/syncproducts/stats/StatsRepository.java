package org.syncproducts.stats;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.syncproducts.store.JobRecord;
import org.syncproducts.store.JobRepository;

/** Reads the figures of {@link StatsReport} from the database, in one read-only transaction. */
public final class StatsRepository {
    /** Daemon threads, so a stats query never keeps the process alive. */
    private static final Executor STATS_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "stats-query");
        thread.setDaemon(true);
        thread.start();
    };

    private final Jdbi jdbi;

    public StatsRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Reads the report. The two full-table aggregates (by source, and the category tags) run at
     * the same time on two connections, which halves the wall time on large tables.
     */
    public StatsReport report(int historySize) {
        CompletableFuture<List<StatsReport.CategoryCount>> categories = CompletableFuture.supplyAsync(
                () -> jdbi.withHandle(StatsRepository::topCategories), STATS_THREADS);
        StatsReport partial = jdbi.inTransaction(handle -> {
            handle.execute("SET TRANSACTION READ ONLY");
            List<Row> bySource = handle.createQuery("""
                            SELECT source, count(*) AS products,
                                   count(*) FILTER (WHERE image_url IS NOT NULL) AS with_image,
                                   count(*) FILTER (WHERE num_nonnulls(energy_kcal_100g, fat_100g, saturated_fat_100g,
                                       carbohydrates_100g, sugars_100g, fiber_100g, proteins_100g, salt_100g,
                                       sodium_100g) > 0) AS with_nutrition,
                                   count(*) FILTER (WHERE verified) AS verified
                            FROM products WHERE deleted_at IS NULL
                            GROUP BY source ORDER BY products DESC, source""")
                    .map((rs, ctx) -> new Row(rs.getString("source"), rs.getLong("products"), rs.getLong("with_image"),
                            rs.getLong("with_nutrition"), rs.getLong("verified")))
                    .list();
            StatsReport.Totals totals = new StatsReport.Totals(
                    bySource.stream().mapToLong(Row::products).sum(),
                    bySource.stream().mapToLong(Row::withImage).sum(),
                    bySource.stream().mapToLong(Row::withNutrition).sum(),
                    bySource.stream().mapToLong(Row::verified).sum());
            return new StatsReport(totals,
                    bySource.stream().map(row -> new StatsReport.SourceCount(row.source(), row.products())).toList(),
                    List.of(), coverage(handle), syncMetrics(handle), history(historySize));
        });
        return new StatsReport(partial.totals(), partial.bySource(), categories.join(), partial.coverage(),
                partial.sync(), partial.history());
    }

    private static List<StatsReport.CategoryCount> topCategories(Handle handle) {
        return handle.createQuery("""
                        SELECT category, count(*) AS products
                        FROM products, unnest(categories) AS category
                        WHERE deleted_at IS NULL
                        GROUP BY category ORDER BY products DESC, category LIMIT 20""")
                .map((rs, ctx) -> new StatsReport.CategoryCount(rs.getString("category"), rs.getLong("products")))
                .list();
    }

    private static StatsReport.Coverage coverage(Handle handle) {
        List<StatsReport.CategoryCoverage> byCategory = handle.createQuery("""
                        SELECT coalesce(t.category, '(none)') AS category, count(DISTINCT t.code) AS targets,
                               count(DISTINCT p.code) AS present
                        FROM targets t LEFT JOIN products p ON p.code = t.code AND p.deleted_at IS NULL
                        GROUP BY 1 ORDER BY 1""")
                .map((rs, ctx) -> new StatsReport.CategoryCoverage(rs.getString("category"), rs.getLong("targets"),
                        rs.getLong("present"), StatsReport.percent(rs.getLong("present"), rs.getLong("targets"))))
                .list();
        return handle.createQuery("""
                        SELECT count(DISTINCT t.code) AS targets, count(DISTINCT p.code) AS present
                        FROM targets t LEFT JOIN products p ON p.code = t.code AND p.deleted_at IS NULL""")
                .map((rs, ctx) -> new StatsReport.Coverage(rs.getLong("targets"), rs.getLong("present"),
                        StatsReport.percent(rs.getLong("present"), rs.getLong("targets")), byCategory))
                .one();
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

    private record Row(String source, long products, long withImage, long withNutrition, long verified) {
    }
}
