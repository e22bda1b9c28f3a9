package org.syncproducts.sync;

/**
 * Asks a running job to stop after the batch in flight. Set from a signal handler (Ctrl-C,
 * SIGTERM) or a time budget; read by the engine between batches.
 */
public final class CancellationToken {
    private volatile int exitCode;
    private volatile String reason;

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
