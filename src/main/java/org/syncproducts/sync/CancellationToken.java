package org.syncproducts.sync;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Asks a running job to stop after the batches in flight. Set from a signal handler (Ctrl-C,
 * SIGTERM) or a time budget; read by the engine between batches. When the process must end at
 * once instead (a second signal), {@link #forceStop} first lets the engine record its job.
 */
public final class CancellationToken {
    private volatile int exitCode;
    private volatile String reason;
    private volatile Consumer<String> lastWords = why -> { };

    /** What {@link #forceStop} runs: the engine records its job as cancelled, with {@code why}. */
    public void onForcedStop(Consumer<String> lastWords) {
        this.lastWords = lastWords;
    }

    /**
     * Called just before the process ends at once: runs the last words on a thread of their own
     * and waits for them at most {@code timeout} (the database may be what blocks the run).
     *
     * @return whether they finished in time
     */
    public boolean forceStop(String why, Duration timeout) {
        Consumer<String> words = lastWords;
        Thread thread = new Thread(() -> words.accept(why), "sync-forced-stop");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Requests a stop; the first request wins. */
    public synchronized void cancel(int exitCode, String reason) {
        if (this.reason == null) {
            this.exitCode = exitCode;
            this.reason = reason;
            notifyAll();
        }
    }

    /**
     * Waits until a stop is requested or {@code timeout} has passed, for loops that pause between
     * rounds ({@code monitor --watch}).
     *
     * @return whether a stop was requested
     */
    public synchronized boolean awaitCancellation(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** The exit code the run should end with (130 for SIGINT, 143 for SIGTERM). */
    public int exitCode() {
        return exitCode;
    }

    public String reason() {
        return reason;
    }
}
