package org.syncproducts.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.syncproducts.health.CoverageMetric;
import org.syncproducts.health.HealthThresholds;
import org.syncproducts.store.JobRepository;
import org.syncproducts.store.ProductCounts;

/**
 * Reads what the health report shows: the newest check and the series in one repeatable-read
 * snapshot. Time series are averaged per bucket in SQL, so the cost grows with the number of
 * stored checks, never with the products table: the figures of "now" come from the newest stored
 * check (run {@code monitor} first), and missing targets are found by index-only probes
 * ({@link ProductCounts#LIVE_PRODUCT}), never a scan or a heap visit of products. The missing
 * targets, a live list like the jobs, are read on a second connection while the snapshot's
 * queries run: the probes are the longest query.
 */
public final class ReportRepository {
    /** Series points at most; the bucket width is the first of {@link #BUCKETS} that keeps under it. */
    static final int MAX_POINTS = 200;
    static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2),
            Duration.ofDays(7), Duration.ofDays(14), Duration.ofDays(30));
    /**
     * SQL: the start of the bucket that time column {@code %s} falls in, as epoch seconds (cheaper
     * to read than a timestamp, a few thousand rows a report). Buckets are aligned on 2001-01-01 UTC.
     */
    private static final String BUCKET = "extract(epoch FROM date_bin(make_interval(secs => :seconds), %s, "
            + "timestamptz '2001-01-01 00:00:00+00'))::bigint";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What to read.
     *
     * @param window       how far back the series go (shortened to the oldest stored data)
     * @param jobs         how many of the newest jobs
     * @param missingCodes how many missing codes to list per target category
     */
    public record Request(Duration window, int jobs, int missingCodes) {
        public Request {
            if (window.isNegative() || window.isZero() || jobs < 0 || missingCodes < 0) {
                throw new IllegalArgumentException("window must be positive, jobs and missing codes not negative");
            }
        }
    }

    private final Jdbi jdbi;

    public ReportRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Reads the report's data; {@code thresholds} are carried along for the charts. */
    public ReportData read(Request request, HealthThresholds thresholds) {
        CompletableFuture<List<ReportData.MissingCategory>> missing = CompletableFuture.supplyAsync(
                () -> jdbi.withHandle(handle -> missing(handle, request.missingCodes())));
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            Instant now = handle.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one().toInstant();
            Instant from = windowStart(handle, now, request.window());
            Duration bucket = bucket(Duration.between(from, now));
            ReportData.LatestCheck latest = latest(handle);
            List<String> categories = latest == null ? List.of() : latest.metrics().stream()
                    .filter(metric -> metric.metric().equals(CoverageMetric.TARGET_CATEGORY))
                    .map(CoverageMetric::dimension).toList();
            return new ReportData(now, from, bucket, latest, health(handle, from, bucket),
                    coverage(handle, from, bucket, categories),
                    request.jobs() == 0 ? List.of() : new JobRepository(jdbi).recent(request.jobs()),
                    errors(handle, from, bucket), await(missing), thresholds);
        });
    }

    /** The value of {@code future}, or what it failed with, as thrown in this thread would be. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The bucket width for a span: the narrowest that keeps the series within {@link #MAX_POINTS}. */
    static Duration bucket(Duration span) {
        for (Duration bucket : BUCKETS) {
            if (span.dividedBy(bucket) < MAX_POINTS) {
                return bucket;
            }
        }
        return BUCKETS.get(BUCKETS.size() - 1);
    }

    /** Now minus the window, or the oldest stored check, error or job when that is later. */
    private static Instant windowStart(Handle handle, Instant now, Duration window) {
        Instant oldest = handle.createQuery("""
                        SELECT least((SELECT min(checked_at) FROM health_checks),
                                     (SELECT min(started_at) FROM jobs),
                                     (SELECT min(created_at) FROM errors))""")
                .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null);
        Instant earliest = now.minus(window);
        if (oldest == null || oldest.isAfter(now)) {
            return now.minus(Duration.ofDays(1).compareTo(window) < 0 ? Duration.ofDays(1) : window);
        }
        return oldest.isAfter(earliest) ? oldest : earliest;
    }

    private static ReportData.LatestCheck latest(Handle handle) {
        return handle.createQuery("""
                        SELECT id, checked_at, score, rating, healthy, coverage, freshness, quality, alerts::text AS alerts,
                               coalesce((details ->> 'targets')::bigint, 0) AS targets,
                               coalesce((details ->> 'targets_present')::bigint, 0) AS targets_present,
                               coalesce((details ->> 'products')::bigint, 0) AS products,
                               (details ->> 'image_percent')::numeric AS image_percent,
                               (details ->> 'nutrition_percent')::numeric AS nutrition_percent,
                               (details ->> 'verified_percent')::numeric AS verified_percent,
                               (details ->> 'last_success_at')::timestamptz AS last_success_at
                        FROM health_checks ORDER BY checked_at DESC, id DESC LIMIT 1""")
                .map((rs, ctx) -> {
                    Instant checkedAt = instant(rs.getTimestamp("checked_at"));
                    return new ReportData.LatestCheck(rs.getLong("id"), checkedAt, rs.getDouble("score"),
                            rs.getString("rating"), rs.getBoolean("healthy"), nullableDouble(rs, "coverage"),
                            rs.getDouble("freshness"), rs.getDouble("quality"), rs.getLong("targets"),
                            rs.getLong("targets_present"), rs.getLong("products"), nullableDouble(rs, "image_percent"),
                            nullableDouble(rs, "nutrition_percent"), nullableDouble(rs, "verified_percent"),
                            instant(rs.getTimestamp("last_success_at")), alerts(rs.getString("alerts")),
                            metricsAt(handle, checkedAt));
                })
                .findOne().orElse(null);
    }

    private static List<CoverageMetric> metricsAt(Handle handle, Instant recordedAt) {
        return handle.createQuery("""
                        SELECT metric, dimension, covered, total, percent FROM coverage_metrics
                        WHERE recorded_at = :recordedAt ORDER BY id""")
                .bind("recordedAt", Timestamp.from(recordedAt))
                .map((rs, ctx) -> new CoverageMetric(rs.getString("metric"), rs.getString("dimension"),
                        rs.getLong("covered"), rs.getLong("total"), rs.getDouble("percent")))
                .list();
    }

    private static List<ReportData.HealthPoint> health(Handle handle, Instant from, Duration bucket) {
        return handle.createQuery("""
                        SELECT %s AS bucket, count(*) AS checks, round(avg(score), 1) AS score,
                               round(avg(coverage), 1) AS coverage,
                               round(avg(freshness), 1) AS freshness, round(avg(quality), 1) AS quality,
                               count(*) FILTER (WHERE NOT healthy) AS unhealthy
                        FROM health_checks WHERE checked_at >= :from
                        GROUP BY 1 ORDER BY 1""".formatted(BUCKET.formatted("checked_at")))
                .bind("seconds", bucket.toSeconds()).bind("from", Timestamp.from(from))
                .map((rs, ctx) -> new ReportData.HealthPoint(bucketStart(rs), rs.getLong("checks"),
                        rs.getDouble("score"), nullableDouble(rs, "coverage"), rs.getDouble("freshness"),
                        rs.getDouble("quality"), rs.getLong("unhealthy")))
                .list();
    }

    private static List<ReportData.MetricPoint> coverage(Handle handle, Instant from, Duration bucket,
                                                         List<String> categories) {
        return handle.createQuery("""
                        SELECT %s AS bucket, metric, dimension, round(avg(percent), 1) AS percent
                        FROM coverage_metrics
                        WHERE recorded_at >= :from
                          AND (metric IN ('overall', 'image', 'nutrition')
                               OR (metric = 'target_category' AND dimension = ANY (:categories)))
                        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""".formatted(BUCKET.formatted("recorded_at")))
                .bind("seconds", bucket.toSeconds()).bind("from", Timestamp.from(from))
                .bindArray("categories", String.class, categories)
                .map((rs, ctx) -> new ReportData.MetricPoint(bucketStart(rs), rs.getString("metric"),
                        rs.getString("dimension"), rs.getDouble("percent")))
                .list();
    }

    private static List<ReportData.ErrorCount> errors(Handle handle, Instant from, Duration bucket) {
        return handle.createQuery("""
                        WITH counted AS (
                            SELECT %s AS bucket, error_type, coalesce(source, '(none)') AS source, count(*) AS n
                            FROM errors WHERE created_at >= :from
                            GROUP BY 1, 2, 3)
                        SELECT bucket, error_type, source, grouping(error_type) AS by_source, sum(n) AS n
                        FROM counted
                        GROUP BY GROUPING SETS ((bucket, error_type), (bucket, source))
                        ORDER BY bucket""".formatted(BUCKET.formatted("created_at")))
                .bind("seconds", bucket.toSeconds()).bind("from", Timestamp.from(from))
                .map((rs, ctx) -> {
                    boolean bySource = rs.getInt("by_source") == 1;
                    return new ReportData.ErrorCount(bucketStart(rs), bySource ? "source" : "type",
                            rs.getString(bySource ? "source" : "error_type"), rs.getLong("n"));
                })
                .list();
    }

    private static List<ReportData.MissingCategory> missing(Handle handle, int codes) {
        Map<String, List<String>> codesByCategory = new LinkedHashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        handle.createQuery("""
                        WITH target AS (
                            SELECT coalesce(t.category, '(none)') AS category, t.code,
                                   min(t.display_code) AS display_code, %s AS present
                            FROM targets t GROUP BY 1, 2),
                        counted AS (
                            SELECT category, code, display_code, present,
                                   count(*) OVER (PARTITION BY category) AS targets
                            FROM target),
                        ranked AS (
                            SELECT category, targets, display_code,
                                   row_number() OVER (PARTITION BY category ORDER BY code) AS rank,
                                   count(*) OVER (PARTITION BY category) AS missing
                            FROM counted WHERE NOT present)
                        SELECT category, missing, targets, display_code, rank
                        FROM ranked
                        WHERE rank <= greatest(:codes, 1)
                        ORDER BY missing DESC, category, rank"""
                        .formatted(ProductCounts.LIVE_PRODUCT.formatted("t.code")))
                .bind("codes", codes)
                .map((rs, ctx) -> {
                    String category = rs.getString("category");
                    counts.putIfAbsent(category, new long[] {rs.getLong("missing"), rs.getLong("targets")});
                    List<String> list = codesByCategory.computeIfAbsent(category, key -> new ArrayList<>());
                    if (rs.getLong("rank") <= codes) {
                        list.add(rs.getString("display_code"));
                    }
                    return category;
                })
                .list();
        List<ReportData.MissingCategory> missing = new ArrayList<>();
        counts.forEach((category, count) -> missing.add(
                new ReportData.MissingCategory(category, count[0], count[1], codesByCategory.get(category))));
        return missing;
    }

    private static List<ReportData.StoredAlert> alerts(String json) {
        try {
            return List.of(JSON.readValue(json, ReportData.StoredAlert[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored health check alerts are not valid JSON", e);
        }
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** The start of a series row's bucket (column {@code bucket}, from {@link #BUCKET}). */
    private static Instant bucketStart(ResultSet rs) throws SQLException {
        return Instant.ofEpochSecond(rs.getLong("bucket"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
