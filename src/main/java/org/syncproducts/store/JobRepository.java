package org.syncproducts.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.syncproducts.model.JobCounts;

/**
 * The jobs table: one row per sync run, with status, counters, heartbeat and checkpoint.
 */
public final class JobRepository {
    /** Job states (SPEC §4). */
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String INTERRUPTED = "interrupted";

    private static final String SELECT = """
            SELECT id, status, strategy, dry_run, sources, host, pid, started_at, ended_at, heartbeat_at,
                   read_count, added_count, updated_count, unchanged_count, skipped_count, failed_count,
                   progress_done, progress_total, message,
                   checkpoint ->> 'source' AS checkpoint_source,
                   checkpoint ->> 'fingerprint' AS checkpoint_fingerprint,
                   coalesce((checkpoint ->> 'position')::bigint, 0) AS checkpoint_position
            FROM jobs""";

    private final Jdbi jdbi;

    public JobRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a new running job and returns its id. {@code configJson} must hold no secrets. */
    public long start(String strategy, boolean dryRun, List<String> sources, String configJson, Long resumedFrom) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO jobs (status, strategy, dry_run, sources, config, host, pid, resumed_from)
                        VALUES ('running', :strategy, :dryRun, :sources, cast(:config AS jsonb), :host, :pid, :resumedFrom)""")
                .bind("strategy", strategy)
                .bind("dryRun", dryRun)
                .bindArray("sources", String.class, sources)
                .bind("config", configJson)
                .bind("host", hostName())
                .bind("pid", ProcessHandle.current().pid())
                .bind("resumedFrom", resumedFrom)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /**
     * Marks every job still recorded as running as interrupted. Only call this while holding the
     * sync lock: then no live process can own a running job, whatever its heartbeat says.
     *
     * @return the jobs marked
     */
    public List<JobRecord> markAbandonedRunsInterrupted() {
        return jdbi.withHandle(handle -> {
            List<JobRecord> abandoned = handle.createQuery(SELECT + " WHERE status = 'running' ORDER BY id")
                    .map(JobRepository::map).list();
            for (JobRecord job : abandoned) {
                handle.createUpdate("""
                                UPDATE jobs SET status = 'interrupted', ended_at = heartbeat_at,
                                       message = :message WHERE id = :id AND status = 'running'""")
                        .bind("id", job.id())
                        .bind("message", "process ended without finishing (pid " + job.pid() + " on " + job.host()
                                + "); last heartbeat " + job.heartbeatAt())
                        .execute();
            }
            return abandoned;
        });
    }

    /** Adds a batch's counts and moves the checkpoint, inside the batch's own transaction. */
    public void recordBatch(Handle handle, long jobId, JobCounts delta, String checkpointJson, long progressDone,
                            long progressTotal) {
        handle.createUpdate("""
                        UPDATE jobs SET read_count = read_count + :read, added_count = added_count + :added,
                               updated_count = updated_count + :updated, unchanged_count = unchanged_count + :unchanged,
                               skipped_count = skipped_count + :skipped, failed_count = failed_count + :failed,
                               checkpoint = coalesce(cast(:checkpoint AS jsonb), checkpoint),
                               progress_done = :done, progress_total = :total, heartbeat_at = now()
                        WHERE id = :id""")
                .bind("id", jobId)
                .bind("read", delta.read())
                .bind("added", delta.added())
                .bind("updated", delta.updated())
                .bind("unchanged", delta.unchanged())
                .bind("skipped", delta.skipped())
                .bind("failed", delta.failed())
                .bind("checkpoint", checkpointJson)
                .bind("done", progressDone)
                .bind("total", progressTotal)
                .execute();
    }

    /** Counts products a job changed outside its batches (marked deleted at the end of an export) as updated. */
    public void addUpdated(Handle handle, long jobId, long updated) {
        handle.createUpdate("UPDATE jobs SET updated_count = updated_count + :updated WHERE id = :id")
                .bind("id", jobId).bind("updated", updated).execute();
    }

    public void heartbeat(long jobId) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE jobs SET heartbeat_at = now() WHERE id = :id AND status = 'running'")
                .bind("id", jobId).execute());
    }

    /**
     * Ends a running job with its final status and a one-line message; a job that already ended
     * keeps its status (a forced stop after the job completed must not rewrite it).
     */
    public void finish(long jobId, String status, String message) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE jobs SET status = :status, ended_at = now(), heartbeat_at = now(), message = :message
                        WHERE id = :id AND status = 'running'""")
                .bind("id", jobId).bind("status", status).bind("message", message).execute());
    }

    /**
     * The first job of the chain of resumed runs that {@code jobId} continues (itself when it
     * resumed nothing): products that chain added are this run's own, a later record may replace them.
     */
    public long firstOfResumeChain(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        WITH RECURSIVE chain (id, resumed_from) AS (
                            SELECT id, resumed_from FROM jobs WHERE id = :id
                            UNION ALL
                            SELECT j.id, j.resumed_from FROM jobs j JOIN chain c ON j.id = c.resumed_from)
                        SELECT min(id) FROM chain""")
                .bind("id", jobId).mapTo(Long.class).one());
    }

    /** Removes a job that wrote nothing because its input was refused before any record was read. */
    public void discard(long jobId) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM jobs WHERE id = :id AND read_count = 0")
                .bind("id", jobId).execute());
    }

    public Optional<JobRecord> find(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " WHERE id = :id").bind("id", jobId)
                .map(JobRepository::map).findOne());
    }

    /**
     * The newest unfinished run of {@code source} (interrupted or cancelled, not a dry run) that a
     * new run with the same input and strategy can resume, if no run of it completed since.
     */
    public Optional<JobRecord> findResumable(String source, String fingerprint, String strategy) {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " " + """
                         WHERE status IN ('interrupted', 'cancelled') AND NOT dry_run AND strategy = :strategy
                           AND checkpoint ->> 'source' = :source AND checkpoint ->> 'fingerprint' = :fingerprint
                           AND id > coalesce((SELECT max(id) FROM jobs j2 WHERE j2.status IN ('completed', 'failed')
                                              AND NOT j2.dry_run AND :source = ANY (j2.sources)), 0)
                         ORDER BY id DESC LIMIT 1""")
                .bind("source", source).bind("fingerprint", fingerprint).bind("strategy", strategy)
                .map(JobRepository::map).findOne());
    }

    /** The source state stored with a job's last checkpoint, as JSON text, if it has one. */
    public Optional<String> checkpointState(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT checkpoint -> 'state' FROM jobs WHERE id = :id AND checkpoint -> 'state' IS NOT NULL""")
                .bind("id", jobId).mapTo(String.class).findOne());
    }

    /** The most recent jobs, newest first. */
    public List<JobRecord> recent(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit).map(JobRepository::map).list());
    }

    /** The running job that holds the lock now, for the "another sync is running" message. */
    public Optional<JobRecord> currentlyRunning() {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " WHERE status = 'running' ORDER BY id DESC LIMIT 1")
                .map(JobRepository::map).findOne());
    }

    /** The newest jobs, optionally only those with {@code status}, newest first. */
    public List<JobRecord> list(String status, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " " + """
                         WHERE (cast(:status AS text) IS NULL OR status = :status) ORDER BY id DESC LIMIT :limit""")
                .bind("status", status).bind("limit", limit).map(JobRepository::map).list());
    }

    /** A source as the newest job that read it recorded it: its type and its input (a file's fingerprint). */
    public record RecordedSource(String name, String type, String input) {
    }

    /** The newest record of a source by name, also one synced with {@code --from} and no config. */
    public Optional<RecordedSource> lastRecordedSource(String name) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT source->>'type' AS type, source->>'input' AS input
                        FROM jobs, jsonb_array_elements(CASE jsonb_typeof(config->'sources')
                                                         WHEN 'array' THEN config->'sources' ELSE '[]' END) AS source
                        WHERE source->>'name' = :name AND NOT dry_run ORDER BY id DESC LIMIT 1""")
                .bind("name", name)
                .map((rs, ctx) -> new RecordedSource(name, rs.getString("type"), rs.getString("input")))
                .findOne());
    }

    /** The settings a job ran with, as recorded (secrets were never stored), as JSON text. */
    public Optional<String> configJson(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT config::text FROM jobs WHERE id = :id")
                .bind("id", jobId).mapTo(String.class).findOne());
    }

    /** What the images phase of {@code sync --images} recorded on the job (see ImageSync.Tally), if it ran. */
    public Optional<String> imagesJson(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT images::text FROM jobs WHERE id = :id AND images IS NOT NULL")
                .bind("id", jobId).mapTo(String.class).findOne());
    }

    /** A recorded request to cancel a job. */
    public record CancelRequest(Instant requestedAt, String requestedBy) {
    }

    /**
     * Asks a running job to stop after its batches in flight (the engine checks between batches).
     *
     * @return false when the job is not running
     */
    public boolean requestCancel(long jobId, String requestedBy) {
        return jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()),
                               cancel_requested_by = coalesce(cancel_requested_by, :by)
                        WHERE id = :id AND status = 'running'""")
                .bind("id", jobId).bind("by", requestedBy).execute()) == 1;
    }

    /** The cancel request of a job, if one was made. */
    public Optional<CancelRequest> cancelRequest(long jobId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT cancel_requested_at, cancel_requested_by FROM jobs
                        WHERE id = :id AND cancel_requested_at IS NOT NULL""")
                .bind("id", jobId)
                .map((rs, ctx) -> new CancelRequest(instant(rs.getTimestamp("cancel_requested_at")),
                        rs.getString("cancel_requested_by")))
                .findOne());
    }

    static JobRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
        java.sql.Array sources = rs.getArray("sources");
        long pidValue = rs.getLong("pid");
        Long pid = rs.wasNull() ? null : pidValue;
        return new JobRecord(
                rs.getLong("id"),
                rs.getString("status"),
                rs.getString("strategy"),
                rs.getBoolean("dry_run"),
                sources == null ? List.of() : Arrays.asList((String[]) sources.getArray()),
                rs.getString("host"),
                pid,
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("ended_at")),
                instant(rs.getTimestamp("heartbeat_at")),
                new JobCounts(rs.getLong("read_count"), rs.getLong("added_count"), rs.getLong("updated_count"),
                        rs.getLong("unchanged_count"), rs.getLong("skipped_count"), rs.getLong("failed_count")),
                rs.getLong("progress_done"),
                rs.getLong("progress_total"),
                rs.getString("checkpoint_source"),
                rs.getString("checkpoint_fingerprint"),
                rs.getLong("checkpoint_position"),
                rs.getString("message"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
