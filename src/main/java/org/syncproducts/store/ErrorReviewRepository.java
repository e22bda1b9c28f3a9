package org.syncproducts.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The errors table as operators review it: list, and mark resolved. */
public final class ErrorReviewRepository {
    /** One item error as listed. */
    public record ErrorEntry(long id, long jobId, String barcode, String source, Long line, String type,
                             String message, boolean retryable, Instant createdAt, Instant resolvedAt) {
    }

    private final Jdbi jdbi;

    public ErrorReviewRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Errors newest first, optionally only unresolved ones and only of one job. */
    public List<ErrorEntry> list(boolean unresolvedOnly, Long jobId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, job_id, barcode, source, line_number, error_type, message, retryable, created_at,
                               resolved_at
                        FROM errors
                        WHERE (NOT :unresolved OR resolved_at IS NULL)
                          AND (cast(:jobId AS bigint) IS NULL OR job_id = :jobId)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("unresolved", unresolvedOnly).bind("jobId", jobId).bind("limit", limit)
                .map((rs, ctx) -> new ErrorEntry(rs.getLong("id"), rs.getLong("job_id"), rs.getString("barcode"),
                        rs.getString("source"), rs.getObject("line_number") == null ? null : rs.getLong("line_number"),
                        rs.getString("error_type"), rs.getString("message"), rs.getBoolean("retryable"),
                        instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("resolved_at"))))
                .list());
    }

    /** How many errors match, as {@link #list} filters them. */
    public long count(boolean unresolvedOnly, Long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM errors
                        WHERE (NOT :unresolved OR resolved_at IS NULL)
                          AND (cast(:jobId AS bigint) IS NULL OR job_id = :jobId)""")
                .bind("unresolved", unresolvedOnly).bind("jobId", jobId).mapTo(Long.class).one());
    }

    /** Whether an error with this id exists. */
    public boolean exists(long errorId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM errors WHERE id = :id")
                .bind("id", errorId).mapTo(Long.class).one()) > 0;
    }

    /** Marks one error resolved; false when it already was. */
    public boolean resolve(long errorId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE errors SET resolved_at = now() WHERE id = :id AND resolved_at IS NULL""")
                .bind("id", errorId).execute()) == 1;
    }

    /** Marks every unresolved error (of one job, when given) resolved; returns how many. */
    public int resolveAll(Long jobId) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE errors SET resolved_at = now()
                        WHERE resolved_at IS NULL AND (cast(:jobId AS bigint) IS NULL OR job_id = :jobId)""")
                .bind("jobId", jobId).execute());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
