package org.syncproducts.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client-side rate limit of one endpoint kind of one source, "N requests a minute".
 *
 * <p>A resilience4j rate limiter hands out one permit every 60/N seconds. Its permits belong to
 * fixed cycles, so on its own it can let two requests through a moment apart (one late in a cycle,
 * the next at the start of the following one) and a server counting over a sliding minute would
 * then see N+1. The pacer also keeps consecutive requests at least one period apart, and the
 * period has a 1 % margin so network jitter cannot bring two requests closer at the server.
 * Requests are spread evenly rather than sent in bursts, so a long run needs no 429 to find the
 * pace.
 */
public final class RequestPacer {
    /** Longest a request waits for its permit; far above any pace a source is configured with. */
    private static final Duration MAX_WAIT = Duration.ofHours(1);
    private static final double MARGIN = 1.01;

    private final RateLimiter limiter;
    private final long periodNanos;
    /** Held from a request's turn until it has entered its gate, so requests leave one period apart. */
    private final ReentrantLock turn = new ReentrantLock(true);
    private boolean granted;
    private long lastGrantedNanos;

    private RequestPacer(RateLimiter limiter, long periodNanos) {
        this.limiter = limiter;
        this.periodNanos = periodNanos;
    }

    /**
     * @param name      shown in logs, e.g. {@code open_food_facts.search}
     * @param perMinute requests allowed a minute, above 0
     */
    public static RequestPacer perMinute(String name, double perMinute) {
        if (!(perMinute > 0)) {
            throw new IllegalArgumentException("a rate limit must be above 0 requests a minute");
        }
        long periodNanos = Math.max(1, Math.round(60_000_000_000.0 * MARGIN / perMinute));
        RateLimiter limiter = RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(MAX_WAIT)
                .build());
        return new RequestPacer(limiter, periodNanos);
    }

    /** Blocks until the next request may go. */
    public void acquire() {
        RateLimiter.waitForPermission(limiter);
        long wait = reserveGap(System.nanoTime());
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.github.resilience4j.core.exception.AcquirePermissionCancelledException(
                        "interrupted while pacing requests to " + limiter.getName());
            }
        }
    }

    /**
     * Blocks until the next request may go and it has entered {@code gate}, which may make it wait
     * longer (other requests in flight). The time it leaves is what the next request's period
     * counts from, so neither a wait at the gate nor a thread waking up late on a busy machine can
     * bring two requests closer than one period (a late request moves the pace instead).
     *
     * @return the request's slot in the gate, to close once its answer is read
     * @throws RequestGate.BudgetSpentException when the gate's time budget is spent by then
     */
    public RequestGate.Slot acquire(RequestGate gate) {
        try {
            turn.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestGate.BudgetSpentException();
        }
        try {
            acquire();
            RequestGate.Slot slot = gate.enter();
            leftAt(System.nanoTime());
            return slot;
        } finally {
            turn.unlock();
        }
    }

    /** Records that the request granted last left at {@code nowNanos} (later than its grant). */
    private synchronized void leftAt(long nowNanos) {
        lastGrantedNanos = Math.max(lastGrantedNanos, nowNanos);
    }

    /**
     * After the limiter's permit: how long to wait so this request goes at least one period after
     * the previous one, which is recorded as going then.
     */
    synchronized long reserveGap(long nowNanos) {
        long wait = granted ? Math.max(0, lastGrantedNanos + periodNanos - nowNanos) : 0;
        granted = true;
        lastGrantedNanos = nowNanos + wait;
        return wait;
    }

    /** The time between two requests. */
    public Duration period() {
        return Duration.ofNanos(periodNanos);
    }

    /** The underlying resilience4j limiter. */
    public RateLimiter limiter() {
        return limiter;
    }
}
