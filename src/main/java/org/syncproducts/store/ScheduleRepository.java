package org.syncproducts.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** When each named schedule last started a sync (table schedule_runs), for {@code sync --if-due}. */
public final class ScheduleRepository {
    private final Jdbi jdbi;

    public ScheduleRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The start of the schedule's last run, if it ever ran. */
    public Optional<Instant> lastStartedAt(String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT last_started_at FROM schedule_runs WHERE name = :name")
                .bind("name", name).mapTo(Timestamp.class).findOne().map(Timestamp::toInstant));
    }

    /** Records a run of the schedule that started at {@code startedAt} as job {@code jobId}. */
    public void recordRun(String name, Instant startedAt, long jobId) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO schedule_runs (name, last_started_at, last_job_id) VALUES (:name, :startedAt, :jobId)
                        ON CONFLICT (name) DO UPDATE SET last_started_at = excluded.last_started_at,
                               last_job_id = excluded.last_job_id""")
                .bind("name", name).bind("startedAt", Timestamp.from(startedAt)).bind("jobId", jobId).execute());
    }
}
