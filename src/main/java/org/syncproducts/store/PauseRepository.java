package org.syncproducts.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The persisted pause switch (table sync_pause): while paused, {@code sync} does nothing and says
 * who paused it, why and until when. A pause with an end time lifts itself when that passes.
 */
public final class PauseRepository {
    /**
     * An active pause.
     *
     * @param until when it lifts by itself, or null for "until resume"
     */
    public record Pause(Instant pausedAt, String pausedBy, String reason, Instant until) {
    }

    private final Jdbi jdbi;

    public PauseRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Pauses syncs (replacing any earlier pause) and returns the pause as stored. */
    public Pause pause(String pausedBy, String reason, Instant until) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        INSERT INTO sync_pause (singleton, paused_at, paused_by, reason, paused_until)
                        VALUES (true, now(), :by, :reason, :until)
                        ON CONFLICT (singleton) DO UPDATE SET paused_at = now(), paused_by = excluded.paused_by,
                               reason = excluded.reason, paused_until = excluded.paused_until
                        RETURNING paused_at, paused_by, reason, paused_until""")
                .bind("by", pausedBy).bind("reason", reason).bind("until", until == null ? null : Timestamp.from(until))
                .map((rs, ctx) -> map(rs)).one());
    }

    /** Lifts the pause; returns the pause that was active, if any. */
    public Optional<Pause> resume() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        DELETE FROM sync_pause
                        RETURNING paused_at, paused_by, reason, paused_until,
                                  paused_until IS NULL OR paused_until > now() AS active""")
                .map((rs, ctx) -> rs.getBoolean("active") ? Optional.of(map(rs)) : Optional.<Pause>empty())
                .findOne().flatMap(pause -> pause));
    }

    /** The pause in force now, if any (an expired one is not). */
    public Optional<Pause> active() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT paused_at, paused_by, reason, paused_until FROM sync_pause
                        WHERE paused_until IS NULL OR paused_until > now()""")
                .map((rs, ctx) -> map(rs)).findOne());
    }

    private static Pause map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp until = rs.getTimestamp("paused_until");
        return new Pause(rs.getTimestamp("paused_at").toInstant(), rs.getString("paused_by"), rs.getString("reason"),
                until == null ? null : until.toInstant());
    }
}
