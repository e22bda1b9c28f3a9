package org.syncproducts.sync;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.store.SyncLock;

/**
 * Ends a run whose database is gone, whatever the writer is blocked in. Every
 * {@link #PROBE_INTERVAL} it asks the database, on the sync lock's idle connection, whether the
 * writer's session still exists; a separate thread, which never touches the database, calls
 * {@code onLost} once no good answer came for {@link #LOST_AFTER}. A blocked probe (a network
 * that swallows packets) therefore still ends the run in bounded time.
 */
final class DatabaseWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatchdog.class);
    /** How long without an answer before the database counts as lost. */
    static final Duration LOST_AFTER = Duration.ofSeconds(20);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final Duration JUDGE_INTERVAL = Duration.ofMillis(500);

    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(daemon("sync-db-probe"));
    private final ScheduledExecutorService judge = Executors.newSingleThreadScheduledExecutor(daemon("sync-db-watchdog"));
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile long lastAnswer = System.nanoTime();
    private volatile long jobId;
    private volatile int writerPid;

    /**
     * Starts watching the database through the lock's connection.
     *
     * @param onLost called once, on the watchdog's thread, with the job id (0 before a job
     *               started) when the database is lost
     */
    DatabaseWatchdog(SyncLock lock, LongConsumer onLost) {
        prober.scheduleWithFixedDelay(() -> probe(lock), PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        judge.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastAnswer > LOST_AFTER.toNanos() && fired.compareAndSet(false, true)) {
                onLost.accept(jobId);
            }
        }, JUDGE_INTERVAL.toMillis(), JUDGE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From now on the writer's session (server process {@code writerPid}) of job {@code jobId} must exist too. */
    void watch(long jobId, int writerPid) {
        this.jobId = jobId;
        this.writerPid = writerPid;
    }

    private void probe(SyncLock lock) {
        try {
            int pid = writerPid;
            if (lock.sees(pid == 0 ? lock.backendPid() : pid)) {
                lastAnswer = System.nanoTime();
            } else {
                LOG.debug("the writer's database session {} is gone", pid);
            }
        } catch (RuntimeException e) {
            LOG.debug("the database did not answer the watchdog: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        judge.shutdownNow();
        prober.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
