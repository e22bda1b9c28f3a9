package org.syncproducts.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.syncproducts.store.ProductCounts;
import org.syncproducts.store.TargetCoverage;

/**
 * The database side of health checks: takes the measurements, stores each check (health_checks)
 * with its coverage metrics (coverage_metrics), and reads the series back for trends.
 */
public final class HealthRepository {
    /** Breakdowns (by source, by target category) keep the largest this many. */
    public static final int TOP = 20;
    /** Finished jobs looked at for failure streaks. */
    private static final int RECENT_JOBS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;

    public HealthRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Measures, scores and stores one check, in one transaction. */
    public HealthCheck check(HealthScorer scorer) {
        return jdbi.inTransaction(handle -> {
            TargetCoverage coverage = TargetCoverage.read(handle);
            HealthMeasurements measured = measure(handle, coverage);
            HealthReport report = scorer.score(measured);
            List<CoverageMetric> metrics = metrics(handle, measured, coverage);
            long id = store(handle, report, metrics);
            return new HealthCheck(id, report, metrics);
        });
    }

    static HealthMeasurements measure(Handle handle, TargetCoverage coverage) {
        Instant now = handle.createQuery("SELECT now()").mapTo(OffsetDateTime.class).one().toInstant();
        ProductCounts.Totals products = ProductCounts.totals(handle);
        Instant lastSuccess = handle.createQuery("""
                        SELECT max(ended_at) FROM jobs WHERE status = 'completed' AND NOT dry_run""")
                .mapTo(OffsetDateTime.class).findOne().map(OffsetDateTime::toInstant).orElse(null);
        List<HealthMeasurements.FinishedJob> recent = handle.createQuery("""
                        SELECT id, status, read_count, failed_count, added_count + updated_count AS written FROM jobs
                        WHERE status <> 'running' AND NOT dry_run ORDER BY id DESC LIMIT :limit""")
                .bind("limit", RECENT_JOBS)
                .map((rs, ctx) -> new HealthMeasurements.FinishedJob(rs.getLong("id"), rs.getString("status"),
                        rs.getLong("read_count"), rs.getLong("failed_count"), rs.getLong("written")))
                .list();
        List<HealthMeasurements.RunningJob> running = handle.createQuery("""
                        SELECT id, heartbeat_at, pid, host FROM jobs WHERE status = 'running' ORDER BY id""")
                .map((rs, ctx) -> new HealthMeasurements.RunningJob(rs.getLong("id"),
                        rs.getTimestamp("heartbeat_at").toInstant(),
                        rs.getObject("pid") == null ? null : rs.getLong("pid"), rs.getString("host")))
                .list();
        return new HealthMeasurements(now, coverage.targets(), coverage.present(), products.products(), products.withImage(),
                products.withNutrition(), products.verified(),
                lastSuccess, recent, running);
    }

    static List<CoverageMetric> metrics(Handle handle, HealthMeasurements measured, TargetCoverage coverage) {
        List<CoverageMetric> metrics = new ArrayList<>();
        if (measured.targets() > 0) {
            metrics.add(CoverageMetric.of(CoverageMetric.OVERALL, "", measured.targetsPresent(), measured.targets()));
        }
        if (measured.products() > 0) {
            metrics.add(CoverageMetric.of(CoverageMetric.IMAGE, "", measured.withImage(), measured.products()));
            metrics.add(CoverageMetric.of(CoverageMetric.NUTRITION, "", measured.withNutrition(), measured.products()));
        }
        if (measured.targets() == 0) {
            return metrics;
        }
        handle.createQuery("""
                        SELECT p.source, count(DISTINCT t.code) AS covered
                        FROM targets t JOIN products p ON p.code = t.code AND p.deleted_at IS NULL
                        GROUP BY p.source ORDER BY covered DESC, p.source LIMIT :top""")
                .bind("top", TOP)
                .map((rs, ctx) -> CoverageMetric.of(CoverageMetric.SOURCE, rs.getString("source"),
                        rs.getLong("covered"), measured.targets()))
                .forEach(metrics::add);
        coverage.byCategory().stream()
                .sorted(Comparator.comparingLong(TargetCoverage.Category::targets).reversed()
                        .thenComparing(TargetCoverage.Category::category))
                .limit(TOP)
                .map(category -> CoverageMetric.of(CoverageMetric.TARGET_CATEGORY, category.category(),
                        category.present(), category.targets()))
                .forEach(metrics::add);
        return metrics;
    }

    private static long store(Handle handle, HealthReport report, List<CoverageMetric> metrics) {
        Instant checkedAt = report.measurements().measuredAt();
        long id = handle.createUpdate("""
                        INSERT INTO health_checks (checked_at, score, rating, healthy, coverage, freshness, quality,
                                                   alerts, details)
                        VALUES (:checkedAt, :score, :rating, :healthy, :coverage, :freshness, :quality,
                                cast(:alerts AS jsonb), cast(:details AS jsonb))""")
                .bind("checkedAt", Timestamp.from(checkedAt))
                .bind("score", report.score())
                .bind("rating", report.rating().label())
                .bind("healthy", report.healthy())
                .bind("coverage", report.coverage())
                .bind("freshness", report.freshness())
                .bind("quality", report.quality())
                .bind("alerts", json(report.alerts().stream().map(HealthRepository::alertDocument).toList()))
                .bind("details", json(details(report)))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        if (!metrics.isEmpty()) {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO coverage_metrics (recorded_at, metric, dimension, covered, total, percent)
                    VALUES (:recordedAt, :metric, :dimension, :covered, :total, :percent)""");
            for (CoverageMetric metric : metrics) {
                batch.bind("recordedAt", Timestamp.from(checkedAt)).bindMethods(metric).add();
            }
            batch.execute();
        }
        return id;
    }

    /** An alert as stored and as printed in JSON. */
    public static Map<String, Object> alertDocument(Alert alert) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("severity", alert.severity().label());
        document.put("code", alert.code());
        document.put("message", alert.message());
        document.put("action", alert.action());
        return document;
    }

    private static Map<String, Object> details(HealthReport report) {
        HealthMeasurements measured = report.measurements();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("targets", measured.targets());
        details.put("targets_present", measured.targetsPresent());
        details.put("products", measured.products());
        details.put("image_percent", report.imagePercent());
        details.put("nutrition_percent", report.nutritionPercent());
        details.put("verified_percent", report.verifiedPercent());
        details.put("last_success_at", measured.lastSuccessAt() == null ? null : measured.lastSuccessAt().toString());
        return details;
    }

    /** Codes of the critical alerts of the check stored before {@code checkId} (none if it is the first). */
    public java.util.Set<String> criticalCodesBefore(long checkId) {
        return jdbi.withHandle(handle -> java.util.Set.copyOf(handle.createQuery("""
                        SELECT alert ->> 'code'
                        FROM (SELECT alerts FROM health_checks WHERE id < :id ORDER BY id DESC LIMIT 1) previous,
                             jsonb_array_elements(previous.alerts) AS alert
                        WHERE alert ->> 'severity' = 'critical'""")
                .bind("id", checkId).mapTo(String.class).list()));
    }

    /** Job counts by status, dry runs excluded, for the Prometheus file. */
    public Map<String, Long> jobsByStatus() {
        return jdbi.withHandle(handle -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            handle.createQuery("SELECT status, count(*) AS n FROM jobs WHERE NOT dry_run GROUP BY status ORDER BY status")
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                    .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
            return counts;
        });
    }

    /** One stored check, for trends. */
    public record CheckPoint(long id, Instant checkedAt, double score, String rating, boolean healthy,
                             Double coverage) {
    }

    /** The last {@code limit} checks, oldest first. */
    public List<CheckPoint> recent(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT * FROM (SELECT id, checked_at, score, rating, healthy, coverage FROM health_checks
                                       ORDER BY checked_at DESC, id DESC LIMIT :limit) latest
                        ORDER BY checked_at, id""")
                .bind("limit", limit)
                .map((rs, ctx) -> new CheckPoint(rs.getLong("id"), rs.getTimestamp("checked_at").toInstant(),
                        rs.getDouble("score"), rs.getString("rating"), rs.getBoolean("healthy"),
                        rs.getObject("coverage") == null ? null : rs.getDouble("coverage")))
                .list());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health check details must be serializable", e);
        }
    }
}
