package org.syncproducts.http;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * Admits the requests of one lookup run: at most N on the wire at once across every source and
 * endpoint kind that shares the gate ({@code --concurrency N}), and none once the run's time
 * budget ({@code --max-duration}) is spent. A request enters after its rate limiter's turn (see
 * {@link RequestPacer#acquire(RequestGate)}), so waiting for one source's pace never holds a slot
 * another source could use; the limiters, not N, bound each source.
 */
public final class RequestGate {
    /** No bound and no budget: for checks and single requests outside a lookup run. */
    public static final RequestGate UNBOUNDED = new RequestGate(0, null, Clock.systemUTC());

    private final Semaphore slots;
    private final Instant deadline;
    private final Clock clock;

    /**
     * @param maxInFlight requests at once, at least 1 (0: no bound)
     * @param deadline    no request enters from then on; null for none
     */
    public RequestGate(int maxInFlight, Instant deadline, Clock clock) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("requests in flight must be 0 (no bound) or more");
        }
        this.slots = maxInFlight == 0 ? null : new Semaphore(maxInFlight, true);
        this.deadline = deadline;
        this.clock = clock;
    }

    /** Whether the time budget is spent: no new request may start. */
    public boolean budgetSpent() {
        return deadline != null && !clock.instant().isBefore(deadline);
    }

    /**
     * Blocks until a slot is free and takes it; close the slot once the answer is read.
     *
     * @throws BudgetSpentException when the time budget is spent (nothing was taken)
     */
    public Slot enter() {
        if (budgetSpent()) {
            throw new BudgetSpentException();
        }
        if (slots == null) {
            return () -> { };
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BudgetSpentException();
        }
        return slots::release;
    }

    /** A request's place in flight, given back by {@link #close()}. */
    @FunctionalInterface
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The request was not made: the run's time budget is spent (or the run was stopped while it
     * waited). Not an answer of the source: the code stays for the next run.
     */
    public static final class BudgetSpentException extends RuntimeException {
        BudgetSpentException() {
            super("the time budget is spent; the request was not made", null, false, false);
        }
    }
}
