package org.syncproducts.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.JobCounts;
import org.syncproducts.store.ProductWriter;

/**
 * Writes a source's batches on several database connections at once and commits them in the
 * order they were read. A large load is bound by the server's COPY on one connection (its B-tree
 * and heap work, one core), and COPYs on two connections into the same table run side by side.
 *
 * <p>Contract, which keeps a run's rows, counts and checkpoints those of writing its batches one
 * after another:
 * <ul>
 *   <li>A batch starts only when it shares no code with a batch still being written
 *       ({@link Batch#sharesCodeWith}): the last record for a code wins, and no session waits on
 *       another's uncommitted row of the same code.</li>
 *   <li>A batch's {@link BatchWork} calls {@link Turn#await()} before it touches rows every batch
 *       shares (the kept counts, the job's row with its checkpoint). It returns once every earlier
 *       batch has committed, so commits, and so checkpoints, follow the input's order, and a
 *       session only ever waits for an earlier batch's.</li>
 *   <li>When a batch fails, the later ones in flight fail at their turn, before they commit.
 *       {@link #submit} and {@link #drain} throw the first failure once no batch is in flight.</li>
 * </ul>
 */
final class OrderedWriters implements AutoCloseable {

    /** A connection and the writer on it; it writes one batch at a time. */
    record Slot(Handle handle, ProductWriter writer) {
    }

    /** Waits until every earlier batch has committed; throws when one of them failed. */
    interface Turn {
        void await();
    }

    /** Writes one batch in a transaction of its own on {@code slot}, awaiting {@code turn} before it touches shared rows. */
    interface BatchWork {
        JobCounts write(Batch batch, Slot slot, Turn turn);
    }

    /** A committed batch and what it counted. */
    record Written(Batch batch, JobCounts counts) {
    }

    private record InFlight(Batch batch, Slot slot, Future<JobCounts> result) {
    }

    private final List<Slot> idle;
    private final int writers;
    private final BatchWork work;
    private final ExecutorService threads;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    /** Completes when the last batch submitted has committed (exceptionally when it failed). */
    private CompletableFuture<Void> lastCommitted = CompletableFuture.completedFuture(null);

    /**
     * @param slots the connections to write on, one batch at a time each
     * @param name  what the writer threads are named after (the source)
     */
    OrderedWriters(List<Slot> slots, BatchWork work, String name) {
        this.idle = new ArrayList<>(slots);
        this.writers = slots.size();
        this.work = work;
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(writers, runnable -> {
            Thread thread = new Thread(runnable, "sync-writer-" + name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts writing {@code batch} once a connection is free and no batch in flight shares a code
     * with it.
     *
     * @return the batches that committed while it waited, in input order
     */
    List<Written> submit(Batch batch) {
        List<Written> written = new ArrayList<>();
        while (!inFlight.isEmpty() && (idle.isEmpty() || sharesCodeWithInFlight(batch))) {
            written.add(finishOldest());
        }
        Slot slot = idle.remove(idle.size() - 1);
        CompletableFuture<Void> previous = lastCommitted;
        CompletableFuture<Void> committed = new CompletableFuture<>();
        Turn turn = () -> awaitCommitted(previous);
        lastCommitted = committed;
        inFlight.addLast(new InFlight(batch, slot, threads.submit(() -> {
            try {
                JobCounts counts = work.write(batch, slot, turn);
                // Completions stay in input order even for work that never needed its turn.
                turn.await();
                committed.complete(null);
                return counts;
            } catch (Throwable e) {
                committed.completeExceptionally(e);
                throw e;
            }
        })));
        return written;
    }

    /**
     * Waits until a connection is free, so that the caller takes its next batch from the reader
     * only once it can start writing it (a batch held meanwhile is more live data that every young
     * collection copies).
     *
     * @return the batches that committed while it waited, in input order
     */
    List<Written> awaitFreeWriter() {
        List<Written> written = new ArrayList<>();
        while (idle.isEmpty()) {
            written.add(finishOldest());
        }
        return written;
    }

    /** Waits for every batch in flight to commit, and returns them in input order. */
    List<Written> drain() {
        List<Written> written = new ArrayList<>();
        while (!inFlight.isEmpty()) {
            written.add(finishOldest());
        }
        return written;
    }

    /** Waits for the batches in flight to end, committed or not, and stops the threads. */
    @Override
    public void close() {
        awaitAll();
        threads.shutdownNow();
    }

    private boolean sharesCodeWithInFlight(Batch batch) {
        for (InFlight other : inFlight) {
            if (batch.sharesCodeWith(other.batch())) {
                return true;
            }
        }
        return false;
    }

    private Written finishOldest() {
        InFlight oldest = inFlight.removeFirst();
        try {
            JobCounts counts = oldest.result().get();
            idle.add(oldest.slot());
            return new Written(oldest.batch(), counts);
        } catch (ExecutionException e) {
            idle.add(oldest.slot());
            awaitAll();
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("writing a batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight.addFirst(oldest);
            throw new SyncProductsException(ExitCode.INTERNAL, "interrupted while writing a batch");
        }
    }

    /** Waits for every batch in flight to end, whatever its outcome (the first failure is the caller's). */
    private void awaitAll() {
        while (!inFlight.isEmpty()) {
            InFlight next = inFlight.removeFirst();
            try {
                next.result().get();
            } catch (ExecutionException e) {
                // Its own failure, or that of an earlier batch it was waiting on.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            idle.add(next.slot());
        }
    }

    private static void awaitCommitted(CompletableFuture<Void> previous) {
        try {
            previous.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an earlier batch failed, so this one is not committed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncProductsException(ExitCode.INTERNAL, "interrupted while waiting for an earlier batch to commit");
        }
    }
}
