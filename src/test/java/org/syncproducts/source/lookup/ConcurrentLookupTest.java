package org.syncproducts.source.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.off.OffApiSource;
import org.syncproducts.source.upc.UpcApiSettings;
import org.syncproducts.source.upc.UpcDatabaseSource;
import org.syncproducts.source.upc.UpcItemDbSource;
import org.syncproducts.support.FakeOpenFoodFacts;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestHttpServer;

/**
 * {@code --concurrency N}: lookups against real HTTP servers (Open Food Facts, UPCitemdb and
 * upcdatabase.org stand-ins) with requests in flight at once, within each source's rate limit.
 */
class ConcurrentLookupTest {
    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(10), 1 << 20, 2, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1));
    private static final double UNLIMITED = 6_000_000;

    /** What the servers saw, in the order they saw it: "NAME start|end CODE" with a time. */
    private record Event(String what, long nanos) {
    }

    /**
     * A server standing in for one source: answers after {@code latency}, knows some codes, fails
     * others with 500, and records when each request started and ended.
     */
    private final class FakeSource extends Dispatcher {
        final String name;
        final Set<String> known = ConcurrentHashMap.newKeySet();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        final FakeOpenFoodFacts off = new FakeOpenFoodFacts();
        volatile long latencyMillis;

        FakeSource(String name) {
            this.name = name;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            long arrived = System.nanoTime();
            arrivals.add(arrived);
            HttpUrl url = request.getRequestUrl();
            String code = name.equals("upc_database") ? url.pathSegments().get(1) : url.queryParameter("upc");
            String label = name + " " + (code == null ? "search" : code);
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            events.add(new Event(label + " start", arrived));
            try {
                Thread.sleep(latencyMillis);
                return answer(request, code);
            } finally {
                inFlight.decrementAndGet();
                events.add(new Event(label + " end", System.nanoTime()));
            }
        }

        private MockResponse answer(RecordedRequest request, String code) {
            if (name.equals("off")) {
                return off.dispatch(request);
            }
            if (failing.contains(code)) {
                return FakeOpenFoodFacts.json(500, "{}");
            }
            if (name.equals("upcitemdb")) {
                return FakeOpenFoodFacts.json(200, known.contains(code)
                        ? "{\"code\":\"OK\",\"total\":1,\"items\":[{\"ean\":\"" + code + "\",\"title\":\"Item " + code
                        + "\"}]}"
                        : "{\"code\":\"OK\",\"total\":0,\"items\":[]}");
            }
            return known.contains(code)
                    ? FakeOpenFoodFacts.json(200, "{\"success\":true,\"barcode\":\"" + code + "\",\"title\":\"Upc "
                    + code + "\"}")
                    : FakeOpenFoodFacts.json(404, "{\"success\":false,\"error\":{\"code\":404,\"message\":\"none\"}}");
        }
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final LookupContext context = new LookupContext(Map.of(), new SharedHttpClient(), Clock.systemUTC(),
            "sync-products/test");
    private final List<MockWebServer> servers = new ArrayList<>();
    private FakeSource off;
    private FakeSource upcItemDb;
    private FakeSource upcDatabase;

    @BeforeEach
    void startServers() throws IOException {
        off = start(new FakeSource("off"));
        upcItemDb = start(new FakeSource("upcitemdb"));
        upcDatabase = start(new FakeSource("upc_database"));
    }

    @AfterEach
    void stopServers() throws IOException {
        for (MockWebServer server : servers) {
            server.shutdown();
        }
    }

    private FakeSource start(FakeSource fake) throws IOException {
        MockWebServer server = TestHttpServer.create();
        server.setDispatcher(fake);
        server.start();
        servers.add(server);
        return fake;
    }

    private HttpUrl url(FakeSource fake) {
        return servers.get(List.of(off, upcItemDb, upcDatabase).indexOf(fake)).url("/");
    }

    private OffApiSource offSource(double searchesPerMinute) {
        return new OffApiSource("open_food_facts", new OffApiSource.Settings(url(off), "ops@example.org", UNLIMITED,
                searchesPerMinute, FAST, BreakerSettings.defaults()), context);
    }

    private UpcItemDbSource upcItemDbSource(double perMinute) {
        return new UpcItemDbSource("upcitemdb", new UpcApiSettings(url(upcItemDb), null, perMinute, FAST,
                BreakerSettings.defaults()), context);
    }

    private UpcDatabaseSource upcDatabaseSource(double perMinute) {
        return new UpcDatabaseSource("upc_database", new UpcApiSettings(url(upcDatabase), "key", perMinute, FAST,
                BreakerSettings.defaults()), context);
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

    private static List<SourceRecord> readAll(TargetLookupSource source) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordStream stream = source.open(0)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    /** A record as text: kind, position, source and product name or error type. */
    private static String describe(SourceRecord record) {
        if (record instanceof SourceRecord.Item item) {
            return "item " + item.position() + " " + item.origin() + " " + item.product().get(ProductField.NAME);
        }
        if (record instanceof SourceRecord.Failure failure) {
            return "failure " + failure.position() + " " + failure.error().source() + " " + failure.error().type();
        }
        return "not found " + record.position();
    }

    private long firstEvent(String what) {
        return events.stream().filter(event -> event.what().equals(what)).mapToLong(Event::nanos).min()
                .orElseThrow(() -> new AssertionError("no " + what + " in " + events));
    }

    @Test
    void requestsOverlapUpToNAndNoMore() throws IOException {
        upcDatabase.latencyMillis = 150;
        List<Barcode> all = codes(9);
        TargetLookupSource three = new TargetLookupSource(List.of(offSource(UNLIMITED), upcDatabaseSource(UNLIMITED)),
                plan(all), 0, null, Clock.systemUTC(), 3);
        assertEquals(9, readAll(three).size());
        assertEquals(3, maxInFlight.get(), "nine one-code requests, three at a time");

        maxInFlight.set(0);
        TargetLookupSource one = new TargetLookupSource(List.of(offSource(UNLIMITED), upcDatabaseSource(UNLIMITED)),
                plan(all), 0, null, Clock.systemUTC(), 1);
        assertEquals(9, readAll(one).size());
        assertEquals(1, maxInFlight.get());
    }

    @Test
    void requestsInFlightNeverGoPastASourcesRateLimit() throws IOException {
        // 300 a minute: one request every 200 ms, however many may be in flight (unpaced, eight
        // requests would arrive within a few ms).
        List<Barcode> all = codes(8);
        TargetLookupSource source = new TargetLookupSource(List.of(offSource(UNLIMITED), upcItemDbSource(300)),
                plan(all), 0, null, Clock.systemUTC(), 8);
        assertEquals(8, readAll(source).size());
        List<Long> arrivals = upcItemDb.arrivals.stream().sorted().toList();
        assertEquals(8, arrivals.size());
        // Arrivals jitter by a connection set-up or a busy machine; the pace holds over the run.
        for (int i = 1; i < arrivals.size(); i++) {
            long gapMillis = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
            assertTrue(gapMillis >= 100, "requests " + i + " and " + (i + 1) + " came " + gapMillis + " ms apart");
        }
        long spanMillis = (arrivals.get(7) - arrivals.get(0)) / 1_000_000;
        assertTrue(spanMillis >= 1_250, "eight requests within " + spanMillis + " ms");
    }

    @Test
    void theFallbacksWorkWhileOpenFoodFactsIsAskedForTheNextChunk() throws IOException {
        // Code 1 is only at the fallback; Open Food Facts has the rest of the three chunks.
        for (int i = 2; i <= 300; i++) {
            off.off.product(code(i), "Product " + i);
        }
        off.latencyMillis = 100;
        upcDatabase.known.add(code(1));
        upcDatabase.latencyMillis = 400;
        TargetLookupSource source = new TargetLookupSource(List.of(offSource(UNLIMITED), upcDatabaseSource(UNLIMITED)),
                plan(codes(300)), 0, null, Clock.systemUTC(), 4);

        List<SourceRecord> records = readAll(source);

        assertEquals(300, records.size());
        assertEquals("item " + Long.parseLong("0" + code(1)) + " upc_database Upc " + code(1), describe(records.get(0)));
        long fallbackStarted = firstEvent("upc_database " + code(1) + " start");
        long fallbackEnded = firstEvent("upc_database " + code(1) + " end");
        // A search in flight at the same time as the fallback's request (one after the other, none is).
        long searchesMeanwhile = events.stream().filter(event -> event.what().equals("off search end"))
                .filter(event -> event.nanos() > fallbackStarted && event.nanos() < fallbackEnded).count();
        assertTrue(searchesMeanwhile >= 1, "Open Food Facts was asked for the next chunk while the fallback worked: "
                + events);
    }

    @Test
    void aSpentTimeBudgetStopsNewRequestsAndTheAnsweredCodesAreAPrefix() throws IOException, InterruptedException {
        // Nothing at Open Food Facts; the fallback answers 10 a second, so 2 s cannot cover 40 codes.
        List<Barcode> all = codes(40);
        upcDatabase.known.addAll(all.stream().map(Barcode::display).toList());
        Instant deadline = Instant.now().plusMillis(1_500);
        TargetLookupSource source = new TargetLookupSource(List.of(offSource(UNLIMITED), upcDatabaseSource(600)),
                plan(all), 0, deadline, Clock.systemUTC(), 4);

        List<SourceRecord> records = readAll(source);

        int asked = upcDatabase.arrivals.size();
        assertTrue(asked > 0 && asked < 40, asked + " fallback requests");
        long deadlineNanos = System.nanoTime() - Duration.between(deadline, Instant.now()).toNanos();
        for (long arrival : upcDatabase.arrivals) {
            assertTrue(arrival < deadlineNanos + 100_000_000L, "a request started "
                    + (arrival - deadlineNanos) / 1_000_000 + " ms after the budget was spent");
        }
        assertTrue(records.size() <= asked, "only codes answered everywhere are records: " + records.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(Long.parseLong(all.get(i).canonical()), records.get(i).position(), "a prefix of the codes");
        }
        assertEquals(40 - records.size(), source.tally().remaining());
        Thread.sleep(300);
        assertEquals(asked, upcDatabase.arrivals.size(), "no request after the stream ended");
    }

    @Test
    void theRecordsAreTheSameWhateverTheConcurrency() throws IOException {
        // Of 120 codes (two chunks): Open Food Facts has every third, UPCitemdb every fifth (and
        // fails on some), upcdatabase.org every seventh.
        for (int i = 1; i <= 120; i++) {
            if (i % 3 == 0) {
                off.off.product(code(i), "Product " + i);
            }
            if (i % 5 == 0) {
                upcItemDb.known.add(code(i));
            }
            if (i % 7 == 0) {
                upcDatabase.known.add(code(i));
            }
            if (i % 11 == 0) {
                upcItemDb.failing.add(code(i));
            }
        }
        upcDatabase.latencyMillis = 2;
        List<String> bySequence = readAll(new TargetLookupSource(List.of(offSource(UNLIMITED),
                upcItemDbSource(UNLIMITED), upcDatabaseSource(UNLIMITED)), plan(codes(120)), 0, null, Clock.systemUTC(),
                1)).stream().map(ConcurrentLookupTest::describe).toList();
        List<String> concurrently = readAll(new TargetLookupSource(List.of(offSource(UNLIMITED),
                upcItemDbSource(UNLIMITED), upcDatabaseSource(UNLIMITED)), plan(codes(120)), 0, null, Clock.systemUTC(),
                6)).stream().map(ConcurrentLookupTest::describe).toList();
        assertEquals(120, bySequence.size());
        assertTrue(bySequence.stream().anyMatch(record -> record.contains("upcitemdb SERVER")), bySequence.toString());
        assertTrue(bySequence.stream().anyMatch(record -> record.contains(" upc_database Upc")), bySequence.toString());
        assertEquals(bySequence, concurrently);
    }
}
