package org.syncproducts.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-source state kept between runs (the source_state table): the input last read to the end
 * ({@code fingerprint}) and, for sources with incremental state, where the next run starts
 * ({@code cursor}, owned by the source).
 */
public final class SourceStateRepository {
    private final Jdbi jdbi;

    public SourceStateRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Notes that a job read a source, which input it was, and (when not null) the source's state
     * at the end of it, as JSON text.
     *
     * @param wholeRead the job read all of the source in full mode, unnarrowed, within its failure
     *                  tolerance (a base load {@code sync --auto} need not repeat)
     */
    public void recordCompleted(String source, long jobId, String fingerprint, String cursorJson, boolean wholeRead) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO source_state (source, state, last_completed_job_id, last_completed_at, updated_at,
                                                  last_full_read_at)
                        VALUES (:source, jsonb_strip_nulls(jsonb_build_object('fingerprint', cast(:fingerprint AS text),
                                                                              'cursor', cast(:cursor AS jsonb))),
                                :jobId, now(), now(), CASE WHEN :wholeRead THEN now() END)
                        ON CONFLICT (source) DO UPDATE
                        SET state = source_state.state || excluded.state, last_completed_job_id = excluded.last_completed_job_id,
                            last_completed_at = excluded.last_completed_at, updated_at = excluded.updated_at,
                            last_full_read_at = coalesce(excluded.last_full_read_at, source_state.last_full_read_at)""")
                .bind("source", source).bind("jobId", jobId).bind("fingerprint", fingerprint).bind("cursor", cursorJson)
                .bind("wholeRead", wholeRead).execute());
    }

    /** When a full, unnarrowed run last read all of the source successfully; empty if never. */
    public Optional<Instant> lastWholeRead(String source) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT last_full_read_at FROM source_state WHERE source = :source AND last_full_read_at IS NOT NULL")
                .bind("source", source).mapTo(Instant.class).findOne());
    }

    /** The state a source's last completed run ended with, as JSON text. */
    public Optional<String> cursor(String source) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT state -> 'cursor' FROM source_state WHERE source = :source AND state -> 'cursor' IS NOT NULL""")
                .bind("source", source).mapTo(String.class).findOne());
    }

    /**
     * The largest value of the number {@code key} in any source's state: for the key the Open
     * Food Facts export sources report ({@code max_last_modified_t}), the last change a complete
     * full export load held. Empty when no source reported it.
     */
    public Optional<Long> largestInCursors(String key) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT max((state -> 'cursor' ->> :key)::bigint) FROM source_state
                        WHERE jsonb_typeof(state -> 'cursor' -> :key) = 'number'""")
                .bind("key", key).mapTo(Long.class).findOne());
    }

    /** What {@code sources list} shows of a source: its state and its last completed run. */
    public record Summary(String cursorJson, Long lastCompletedJobId, Instant lastCompletedAt) {
    }

    public Optional<Summary> summary(String source) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT state -> 'cursor' AS cursor, last_completed_job_id, last_completed_at
                        FROM source_state WHERE source = :source""")
                .bind("source", source)
                .map((rs, ctx) -> {
                    Timestamp completedAt = rs.getTimestamp("last_completed_at");
                    return new Summary(rs.getString("cursor"), rs.getObject("last_completed_job_id", Long.class),
                            completedAt == null ? null : completedAt.toInstant());
                })
                .findOne());
    }
}
