package org.syncproducts.store;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The one-sync-at-a-time guarantee: a PostgreSQL session-level advisory lock held on a dedicated
 * connection for the whole run. It is released when the run ends or its process dies (the
 * server drops the session), so a crashed run never leaves a stale lock behind.
 */
public final class SyncLock implements AutoCloseable {
    /** The advisory lock key: "sync-products" as a fixed number, shared by every version of the tool. */
    public static final long KEY = 0x5359_4e43_5052_4fL;

    private final Handle handle;
    private final int backendPid;

    private SyncLock(Handle handle) {
        this.handle = handle;
        this.backendPid = handle.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
    }

    /** The server process id of the lock's session. */
    public int backendPid() {
        return backendPid;
    }

    /** Takes the lock without waiting; empty if another process holds it. */
    public static Optional<SyncLock> tryAcquire(Jdbi jdbi) {
        Handle handle = jdbi.open();
        try {
            boolean acquired = handle.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", KEY)
                    .mapTo(Boolean.class).one();
            if (acquired) {
                return Optional.of(new SyncLock(handle));
            }
            handle.close();
            return Optional.empty();
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /**
     * Whether the database still answers on the lock's connection and the server session
     * {@code backendPid} (the writer's) still exists. For a watchdog: the lock's connection is
     * otherwise idle, so asking on it never waits for a pool or a row lock.
     */
    public boolean sees(int backendPid) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = :pid)")
                .bind("pid", backendPid).mapTo(Boolean.class).one();
    }

    @Override
    public void close() {
        try {
            handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", KEY).mapTo(Boolean.class).one();
        } finally {
            handle.close();
        }
    }
}
