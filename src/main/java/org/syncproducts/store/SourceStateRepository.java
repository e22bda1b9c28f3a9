package org.syncproducts.store;

import org.jdbi.v3.core.Jdbi;

/** Per-source state kept between runs (the source_state table). */
public final class SourceStateRepository {
    private final Jdbi jdbi;

    public SourceStateRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Notes that a job read the whole of a source, and which input it was. */
    public void recordCompleted(String source, long jobId, String fingerprint) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO source_state (source, state, last_completed_job_id, last_completed_at, updated_at)
                        VALUES (:source, jsonb_build_object('fingerprint', cast(:fingerprint AS text)), :jobId, now(), now())
                        ON CONFLICT (source) DO UPDATE
                        SET state = source_state.state || excluded.state, last_completed_job_id = excluded.last_completed_job_id,
                            last_completed_at = excluded.last_completed_at, updated_at = excluded.updated_at""")
                .bind("source", source).bind("jobId", jobId).bind("fingerprint", fingerprint).execute());
    }
}
