package org.syncproducts.source.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.RequestGate;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.support.OffCsvFixture;

/**
 * The routing of codes through lookup sources in priority order, with in-memory sources: which
 * source wins, what becomes a failure or a miss, the breaker, the deadline and the checkpoint
 * positions. (The HTTP sources themselves are tested against a real server.)
 */
class TargetLookupSourceTest {

    /** A lookup source answering from a map; codes in {@code failing} fail; each call advances the clock. */
    private static final class InMemorySource implements LookupSource {
        private final String name;
        private final int perLookup;
        private final Set<String> known;
        private final Set<String> failing;
        private final CircuitBreaker breaker;
        private final StepClock clock;
        final List<List<String>> calls = new ArrayList<>();

        InMemorySource(String name, int perLookup, Set<String> known, Set<String> failing, BreakerSettings breaker,
                       StepClock clock) {
            this.name = name;
            this.perLookup = perLookup;
            this.known = known;
            this.failing = failing;
            this.breaker = breaker.create(name);
            this.clock = clock;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String type() {
            return "in-memory";
        }

        @Override
        public int maxCodesPerLookup() {
            return perLookup;
        }

        @Override
        public void checkConfigured() {
        }

        @Override
        public CircuitBreaker circuitBreaker() {
            return breaker;
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of();
        }

        @Override
        public Map<String, LookupResult> lookUp(List<Barcode> codes, RequestGate gate) {
            calls.add(codes.stream().map(Barcode::display).toList());
            clock.advance(Duration.ofSeconds(10));
            Map<String, LookupResult> results = new HashMap<>();
            for (Barcode code : codes) {
                if (failing.contains(code.display())) {
                    results.put(code.canonical(), new LookupResult.Failed(ErrorType.TIMEOUT, name + " timed out", null, 3));
                } else if (known.contains(code.display())) {
                    results.put(code.canonical(), new LookupResult.Found(new RawProduct()
                            .set(ProductField.CODE, code.display()).set(ProductField.NAME, name + " " + code.display())));
                }
            }
            return results;
        }
    }

    /** A clock tests move by hand. */
    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    private static List<Barcode> codes(int count) {
        List<Barcode> codes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            codes.add(Barcode.parse(code(i)).orElseThrow());
        }
        return codes;
    }

    private static LookupPlan plan(List<Barcode> codes) {
        return new LookupPlan("test codes", after -> codes.stream()
                .filter(code -> after == null || code.canonical().compareTo(after) > 0).toList());
    }

    private static List<SourceRecord> readAll(TargetLookupSource source, long resumeAfter) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordStream stream = source.open(resumeAfter)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    private final StepClock clock = new StepClock();

    @Test
    void theHighestPrioritySourceThatHasACodeWins() throws IOException {
        InMemorySource primary = new InMemorySource("primary", 2, Set.of(code(1), code(2)), Set.of(code(3)),
                BreakerSettings.defaults(), clock);
        InMemorySource fallback = new InMemorySource("fallback", 1, Set.of(code(2), code(3)), Set.of(),
                BreakerSettings.defaults(), clock);
        TargetLookupSource source = new TargetLookupSource(List.of(primary, fallback), plan(codes(4)), 0, null, clock);
        List<SourceRecord> records = readAll(source, 0);
        assertEquals("primary", assertInstanceOf(SourceRecord.Item.class, records.get(0)).origin());
        assertEquals("primary", assertInstanceOf(SourceRecord.Item.class, records.get(1)).origin());
        SourceRecord.Item third = assertInstanceOf(SourceRecord.Item.class, records.get(2));
        assertEquals("fallback", third.origin(), "failed at the primary, found at the fallback");
        SourceRecord.NotFound fourth = assertInstanceOf(SourceRecord.NotFound.class, records.get(3));
        assertEquals(List.of("primary", "fallback"), fourth.sources());
        assertEquals(List.of(List.of(code(3)), List.of(code(4))), fallback.calls, "only what the primary lacks");
        assertEquals(Long.parseLong("0" + code(3)), third.position(), "positions are the codes");
        TargetLookupSource.Tally tally = source.tally();
        assertEquals(3, tally.found());
        assertEquals(1, tally.notFound());
        assertEquals(Map.of("primary", 2L, "fallback", 1L), tally.foundBySource());
    }

    @Test
    void aCodeFailedSomewhereAndFoundNowhereIsAFailureOfTheFirstSourceThatFailed() throws IOException {
        InMemorySource primary = new InMemorySource("primary", 10, Set.of(), Set.of(code(1)), BreakerSettings.defaults(),
                clock);
        InMemorySource fallback = new InMemorySource("fallback", 10, Set.of(), Set.of(), BreakerSettings.defaults(), clock);
        List<SourceRecord> records = readAll(new TargetLookupSource(List.of(primary, fallback), plan(codes(1)), 0,
                null, clock), 0);
        SourceRecord.Failure failure = assertInstanceOf(SourceRecord.Failure.class, records.get(0));
        assertEquals(ErrorType.TIMEOUT, failure.error().type());
        assertEquals("primary", failure.error().source());
        assertEquals(3, failure.error().attempts());
        assertEquals(code(1), failure.error().barcode());
    }

    @Test
    void anOpenBreakerSkipsItsSourceAndWhenAllAreOpenTheRunStops() throws IOException {
        List<String> all = codes(6).stream().map(Barcode::display).toList();
        InMemorySource failing = new InMemorySource("failing", 2, Set.of(), Set.copyOf(all), new BreakerSettings(2, 50),
                clock);
        TargetLookupSource source = new TargetLookupSource(List.of(failing), plan(codes(6)), 0, null, clock);
        try (RecordStream stream = source.open(0)) {
            for (int i = 0; i < 4; i++) {
                assertInstanceOf(SourceRecord.Failure.class, stream.next());
            }
            SyncProductsException stop = assertThrows(SyncProductsException.class, stream::next);
            assertEquals(69, stop.exitCode());
        }
        assertEquals(2, failing.calls.size(), "not asked once its breaker opened");
    }

    @Test
    void noNewLookupStartsOnceTheDeadlineHasPassed() throws IOException {
        InMemorySource only = new InMemorySource("only", 2, Set.copyOf(codes(10).stream().map(Barcode::display).toList()),
                Set.of(), BreakerSettings.defaults(), clock);
        Instant deadline = clock.instant().plus(Duration.ofSeconds(25));
        TargetLookupSource source = new TargetLookupSource(List.of(only), plan(codes(10)), 0, deadline, clock);
        List<SourceRecord> records = readAll(source, 0);
        assertEquals(6, records.size(), "three lookups of 10 s fit before the 25 s deadline is seen as passed");
        assertEquals(4, source.tally().remaining());
        assertEquals(10, source.tally().codes());
    }

    @Test
    void theDeadlineIsCheckedBetweenRequestsNotBetweenChunks() throws IOException {
        // One primary request for all 10 codes finds the odd ones; the fallback asks one code per
        // request, 10 s each: with a 35 s budget it asks codes 2, 4 and 6 (the primary took 10 s).
        List<Barcode> all = codes(10);
        Set<String> odd = Set.of(code(1), code(3), code(5), code(7), code(9));
        InMemorySource primary = new InMemorySource("primary", 10, odd, Set.of(), BreakerSettings.defaults(), clock);
        InMemorySource fallback = new InMemorySource("fallback", 1, Set.of(code(4)), Set.of(),
                BreakerSettings.defaults(), clock);
        Instant deadline = clock.instant().plus(Duration.ofSeconds(35));
        TargetLookupSource source = new TargetLookupSource(List.of(primary, fallback), plan(all), 0, deadline, clock);

        List<SourceRecord> records = readAll(source, 0);

        assertEquals(List.of(List.of(code(2)), List.of(code(4)), List.of(code(6))), fallback.calls);
        assertEquals(7, records.size(), "codes 1 to 7: code 8, the first not asked at the fallback, ends the chunk");
        assertEquals(Long.parseLong(all.get(6).canonical()), records.get(6).position(), "the checkpoint is code 7");
        assertInstanceOf(SourceRecord.Item.class, records.get(3), "code 4 found at the fallback");
        assertInstanceOf(SourceRecord.NotFound.class, records.get(5), "code 6 asked everywhere");
        assertEquals(3, source.tally().remaining());

        InMemorySource nextPrimary = new InMemorySource("primary", 10, odd, Set.of(), BreakerSettings.defaults(), clock);
        List<SourceRecord> rest = readAll(new TargetLookupSource(List.of(nextPrimary, fallback), plan(all), 0, null,
                clock), records.get(6).position());
        assertEquals(3, rest.size(), "the next run continues with codes 8 to 10");
    }

    @Test
    void aResumedRunStartsAfterTheCheckpointCode() throws IOException {
        InMemorySource only = new InMemorySource("only", 5, Set.of(), Set.of(), BreakerSettings.defaults(), clock);
        TargetLookupSource source = new TargetLookupSource(List.of(only), plan(codes(5)), 0, null, clock);
        long afterSecond = Long.parseLong(Barcode.parse(code(2)).orElseThrow().canonical());
        List<SourceRecord> records = readAll(source, afterSecond);
        assertEquals(3, records.size());
        assertEquals(List.of(List.of(code(3), code(4), code(5))), only.calls);
    }

    @Test
    void theLimitCapsTheCodesAsked() throws IOException {
        InMemorySource only = new InMemorySource("only", 5, Set.of(), Set.of(), BreakerSettings.defaults(), clock);
        assertEquals(2, readAll(new TargetLookupSource(List.of(only), plan(codes(5)), 2, null, clock), 0).size());
        assertEquals(List.of(List.of(code(1), code(2))), only.calls);
    }
}
