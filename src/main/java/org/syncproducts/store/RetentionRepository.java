package org.syncproducts.store;

import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/** Deletes history older than a cut-off: finished jobs (with their errors), health checks, metrics. */
public final class RetentionRepository {
    /** What a cleanup deleted. */
    public record Deleted(long jobs, long errors, long healthChecks, long coverageMetrics) {
    }

    private final Jdbi jdbi;

    public RetentionRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Deletes, in one transaction, finished jobs that ended more than {@code olderThan} ago
     * (running jobs are never deleted) with their errors, and health checks and coverage metrics
     * recorded before then. Newer jobs that resumed from a deleted one keep running history but
     * lose the link.
     */
    public Deleted deleteOlderThan(Duration olderThan) {
        double seconds = (double) olderThan.toSeconds();
        return jdbi.inTransaction(handle -> {
            handle.execute("""
                    CREATE TEMP TABLE expired_jobs ON COMMIT DROP AS
                    SELECT id FROM jobs WHERE status <> 'running' AND coalesce(ended_at, started_at)
                        < now() - make_interval(secs => ?)""", seconds);
            long errors = handle.createUpdate("DELETE FROM errors WHERE job_id IN (SELECT id FROM expired_jobs)")
                    .execute();
            handle.execute("""
                    UPDATE jobs SET resumed_from = NULL
                    WHERE resumed_from IN (SELECT id FROM expired_jobs)""");
            long jobs = handle.createUpdate("DELETE FROM jobs WHERE id IN (SELECT id FROM expired_jobs)").execute();
            long checks = handle.createUpdate("""
                    DELETE FROM health_checks WHERE checked_at < now() - make_interval(secs => :seconds)""")
                    .bind("seconds", seconds).execute();
            long metrics = handle.createUpdate("""
                    DELETE FROM coverage_metrics WHERE recorded_at < now() - make_interval(secs => :seconds)""")
                    .bind("seconds", seconds).execute();
            return new Deleted(jobs, errors, checks, metrics);
        });
    }
}
