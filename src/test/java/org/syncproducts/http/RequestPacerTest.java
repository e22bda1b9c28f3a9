package org.syncproducts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pacer's decisions, read from the limiter's reservations (how long each request would wait)
 * and from the gap rule given explicit times, rather than from timing real requests, so the test
 * does not depend on the machine's speed.
 */
class RequestPacerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void fifteenAMinuteSpacesRequestsJustOverFourSecondsApart() {
        RequestPacer pacer = RequestPacer.perMinute("off.product", 15);
        assertEquals(4_040, pacer.period().toMillis(), "4 s and a 1 % margin");
        RateLimiter limiter = pacer.limiter();
        long first = limiter.reservePermission();
        long second = limiter.reservePermission();
        long third = limiter.reservePermission();
        assertEquals(0, first, "the first request goes at once");
        assertTrue(second > 0 && second <= pacer.period().toNanos(), "second waits for the next slot: " + second);
        assertTrue(Math.abs(third - second - pacer.period().toNanos()) < TimeUnit.MILLISECONDS.toNanos(10),
                "third waits one period more: " + (third - second));
    }

    @Test
    void consecutiveRequestsAreNeverCloserThanAPeriod() {
        RequestPacer pacer = RequestPacer.perMinute("off.search", 10);
        long period = pacer.period().toNanos();
        long start = 1_000 * SECOND;
        assertEquals(0, pacer.reserveGap(start), "the first request waits for nothing more");
        // The limiter's next cycle began 0.1 s later: the pacer holds the request back to a full period.
        assertEquals(period - SECOND / 10, pacer.reserveGap(start + SECOND / 10));
        // After an idle minute the next request goes at once, and the one after waits a full period again.
        long idle = start + 70 * SECOND;
        assertEquals(0, pacer.reserveGap(idle));
        assertEquals(period, pacer.reserveGap(idle));
    }

    @Test
    void aMinuteOfReservationsNeverExceedsTheLimit() {
        RateLimiter limiter = RequestPacer.perMinute("off.search", 10).limiter();
        int withinAMinute = 0;
        for (int i = 0; i < 30; i++) {
            if (limiter.reservePermission() < TimeUnit.SECONDS.toNanos(60)) {
                withinAMinute++;
            }
        }
        assertEquals(10, withinAMinute);
    }

    @Test
    void aRequestHeldAtTheGateMovesThePaceSoTheNextStaysAPeriodBehindIt() throws InterruptedException {
        RequestPacer pacer = RequestPacer.perMinute("upcitemdb.lookup", 600);
        RequestGate gate = new RequestGate(1, null, Clock.systemUTC());
        RequestGate.Slot busy = gate.enter();
        long[] entered = new long[1];
        Thread first = new Thread(() -> {
            try (RequestGate.Slot slot = pacer.acquire(gate)) {
                entered[0] = System.nanoTime();
            }
        });
        first.start();
        Thread.sleep(300); // the first request's turn came long ago; it waits for the slot
        busy.close();
        first.join();
        try (RequestGate.Slot slot = pacer.acquire(gate)) {
            long gap = System.nanoTime() - entered[0];
            assertTrue(gap >= pacer.period().toNanos() - TimeUnit.MILLISECONDS.toNanos(1),
                    "the second request left " + gap / 1_000_000 + " ms after the first");
        }
    }

    @Test
    void aSpentBudgetLetsNoRequestThrough() {
        RequestGate spent = new RequestGate(4, Instant.now().minusSeconds(1), Clock.systemUTC());
        assertThrows(RequestGate.BudgetSpentException.class,
                () -> RequestPacer.perMinute("off.search", 600).acquire(spent));
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> RequestPacer.perMinute("x", 0));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("30", clock));
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Thu, 01 Jan 2026 00:01:30 GMT", clock));
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 31 Dec 2025 23:00:00 GMT", clock));
        assertEquals(null, RetryAfter.parse("soon", clock));
        assertEquals(null, RetryAfter.parse(null, clock));
    }
}
