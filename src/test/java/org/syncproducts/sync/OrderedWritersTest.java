package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncproducts.model.JobCounts;
import org.syncproducts.store.CopyLines;

/** The order a sync's batches are written and committed in when two connections write at once. */
class OrderedWritersTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** Two writer slots; the work under test never touches their (absent) connections. */
    private static final List<OrderedWriters.Slot> TWO_SLOTS = List.of(new OrderedWriters.Slot(null, null),
            new OrderedWriters.Slot(null, null));

    private static Batch batch(long number, String... codes) {
        Batch batch = new Batch(CopyLines.unpooled());
        batch.read = number;
        for (String code : codes) {
            batch.unchanged(code);
        }
        return batch;
    }

    private static JobCounts counted(Batch batch) {
        return new JobCounts(batch.read, 0, 0, 0, 0, 0);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void laterBatchIsStagedWhileTheEarlierOneIsWrittenButCommitsAfterIt() {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch secondStaged = new CountDownLatch(1);
        OrderedWriters.BatchWork work = (batch, slot, turn) -> {
            events.add(batch.read + " staged");
            if (batch.read == 1) {
                // The first batch is still being written when the second is staged beside it.
                await(secondStaged);
            } else {
                secondStaged.countDown();
            }
            turn.await();
            events.add(batch.read + " committed");
            return counted(batch);
        };

        List<OrderedWriters.Written> written = assertTimeoutPreemptively(LIMIT, () -> {
            try (OrderedWriters writers = new OrderedWriters(TWO_SLOTS, work, "test")) {
                List<OrderedWriters.Written> all = new ArrayList<>(writers.submit(batch(1, "A")));
                all.addAll(writers.submit(batch(2, "B")));
                all.addAll(writers.drain());
                return all;
            }
        });

        assertEquals(List.of(1L, 2L), written.stream().map(done -> done.counts().read()).toList(),
                "results come back in input order");
        assertEquals(Set.of("1 staged", "2 staged"), Set.copyOf(events.subList(0, 2)),
                "both are staged before either commits: " + events);
        assertEquals(List.of("1 committed", "2 committed"), events.subList(2, 4));
    }

    @Test
    void batchSharingACodeWithOneInFlightStartsOnlyOnceThatOneHasCommitted() {
        List<String> events = new CopyOnWriteArrayList<>();
        OrderedWriters.BatchWork work = (batch, slot, turn) -> {
            events.add(batch.read + " staged");
            if (batch.read == 1) {
                sleep();
            }
            turn.await();
            events.add(batch.read + " committed");
            return counted(batch);
        };

        assertTimeoutPreemptively(LIMIT, () -> {
            try (OrderedWriters writers = new OrderedWriters(TWO_SLOTS, work, "test")) {
                writers.submit(batch(1, "A", "SHARED"));
                writers.submit(batch(2, "SHARED", "B"));
                writers.drain();
            }
        });

        assertEquals(List.of("1 staged", "1 committed", "2 staged", "2 committed"), events,
                "the last record for a code wins, and no session waits on another's uncommitted row");
    }

    @Test
    void failedBatchFailsTheLaterOneInFlightBeforeItCommitsAndIsTheFailureThrown() {
        List<String> events = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("batch 1 failed");
        CountDownLatch secondStaged = new CountDownLatch(1);
        OrderedWriters.BatchWork work = (batch, slot, turn) -> {
            if (batch.read == 1) {
                await(secondStaged);
                throw failure;
            }
            secondStaged.countDown();
            turn.await();
            events.add(batch.read + " committed");
            return counted(batch);
        };

        RuntimeException thrown = assertTimeoutPreemptively(LIMIT, () -> {
            try (OrderedWriters writers = new OrderedWriters(TWO_SLOTS, work, "test")) {
                writers.submit(batch(1, "A"));
                writers.submit(batch(2, "B"));
                return assertThrows(RuntimeException.class, writers::drain);
            }
        });

        assertSame(failure, thrown, "the first failure is the one thrown");
        assertFalse(events.contains("2 committed"), "a batch after a failed one never commits: " + events);
    }

    @Test
    void oneSlotWritesOneBatchAtATime() {
        List<String> events = new CopyOnWriteArrayList<>();
        OrderedWriters.BatchWork work = (batch, slot, turn) -> {
            events.add(batch.read + " staged");
            turn.await();
            events.add(batch.read + " committed");
            return counted(batch);
        };

        assertTimeoutPreemptively(LIMIT, () -> {
            try (OrderedWriters writers = new OrderedWriters(TWO_SLOTS.subList(0, 1), work, "test")) {
                for (long number = 1; number <= 3; number++) {
                    writers.submit(batch(number, "code" + number));
                }
                writers.drain();
            }
        });

        assertEquals(List.of("1 staged", "1 committed", "2 staged", "2 committed", "3 staged", "3 committed"), events);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
