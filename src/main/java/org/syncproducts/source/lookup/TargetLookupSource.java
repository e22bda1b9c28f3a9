package org.syncproducts.source.lookup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.RequestGate;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;

/**
 * Looks a list of codes up in lookup sources tried in priority order, and yields what they said as
 * source records, so the sync engine writes them like any other source's (batches, upserts,
 * checkpoints, error rows).
 *
 * <p>Codes are asked in chunks of the first source's {@link LookupSource#maxCodesPerLookup()}. A
 * code not found at a source, or failed there, goes to the next; the highest-priority source that
 * has it wins and is recorded as the product's source. A code no source has becomes a
 * {@link SourceRecord.NotFound}; a code that failed somewhere and was found nowhere becomes a
 * {@link SourceRecord.Failure} with the failure of the highest-priority source that failed.
 *
 * <p>Each source's circuit breaker ({@link LookupSource#circuitBreaker()}) counts its failed
 * requests; once open, the source is skipped for the rest of the run and its codes go to the next
 * source. When every source is skipped the run stops (exit 69): nothing more can be looked up.
 *
 * <p>A record's position is its canonical code as a number. Codes are asked in code order, so a
 * checkpoint means "every code up to this one was handled" whatever the list is on the next run.
 * With a deadline ({@code --max-duration}), no new request starts once it has passed and the stream
 * ends early; {@link #tally()} tells how many codes remain.
 */
public final class TargetLookupSource implements ProductSource {
    public static final String TYPE = "lookup";
    private static final Logger LOG = LoggerFactory.getLogger(TargetLookupSource.class);

    /** What a run of this source did, for the report. */
    public record Tally(long codes, long found, long notFound, long failed, long remaining,
                        Map<String, Long> foundBySource) {
    }

    private final List<LookupSource> sources;
    private final LookupPlan plan;
    private final long limit;
    private final Instant deadline;
    private final Clock clock;
    private final int concurrency;
    private final String name;
    private volatile Tally tally = new Tally(0, 0, 0, 0, 0, Map.of());

    /** One request at a time, one chunk at a time. */
    public TargetLookupSource(List<LookupSource> sources, LookupPlan plan, long limit, Instant deadline, Clock clock) {
        this(sources, plan, limit, deadline, clock, 1);
    }

    /**
     * @param sources     in priority order, at least one
     * @param limit       the most codes to ask for, 0 for all
     * @param deadline    when to stop starting new requests, or null for none
     * @param concurrency requests in flight at once across the sources ({@code --concurrency}); 1
     *                    asks one chunk at a time, one request after the other
     */
    public TargetLookupSource(List<LookupSource> sources, LookupPlan plan, long limit, Instant deadline, Clock clock,
                              int concurrency) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a lookup needs at least one source");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.sources = List.copyOf(sources);
        this.plan = plan;
        this.limit = limit;
        this.deadline = deadline;
        this.clock = clock;
        this.concurrency = concurrency;
        this.name = String.join("+", sources.stream().map(LookupSource::name).toList());
        sources.forEach(LookupSource::checkConfigured);
    }

    /** The source names joined by {@code +}, in priority order. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String fingerprint() {
        return plan.description() + " via " + name;
    }

    /** One chunk of codes per batch, so each page of answers is committed as soon as it is in. */
    @Override
    public int maxBatchSize() {
        return sources.get(0).maxCodesPerLookup();
    }

    /** What the sources looked up so far (complete once the stream has ended). */
    public Tally tally() {
        return tally;
    }

    public List<LookupSource> sources() {
        return sources;
    }

    @Override
    public RecordStream open(long resumeAfter) throws IOException {
        String after = resumeAfter > 0 ? String.format("%014d", resumeAfter) : null;
        List<Barcode> codes = plan.codesAfter().apply(after);
        if (limit > 0 && codes.size() > limit) {
            codes = codes.subList(0, (int) limit);
        }
        LOG.info("looking up {} codes ({}) at {}, {} request(s) in flight at most", codes.size(), plan.description(),
                name, concurrency);
        tally = new Tally(codes.size(), 0, 0, 0, codes.size(), Map.of());
        return new Stream(List.copyOf(codes));
    }

    /**
     * Yields the chunks' records in code order while up to {@code concurrency} chunks are looked up
     * ahead: the fallbacks work on the codes of one chunk while the first source is asked for the
     * next ones (its requests one after the other, as its rate limit has them anyway). Each source
     * has its own workers (as many as the concurrency), so a source waiting for its rate limiter
     * never holds up another; the {@link RequestGate} bounds the requests on the wire and stops new
     * ones once the time budget is spent. A chunk's answer only depends on what the sources said
     * about its codes, never on the order the requests went in.
     */
    private final class Stream implements RecordStream {
        private final List<Barcode> codes;
        private final Deque<SourceRecord> ready = new ArrayDeque<>();
        private final Deque<CompletableFuture<Answer>> ahead = new ArrayDeque<>();
        private final Map<String, Long> foundBySource = new LinkedHashMap<>();
        private final Map<LookupSource, ExecutorService> workers = new IdentityHashMap<>();
        private final RequestGate gate;
        /** The first source's requests go one after the other, so its breaker sees each answer before the next. */
        private CompletableFuture<?> firstSourceTurn = CompletableFuture.completedFuture(null);
        private int next;
        private int submitted;
        private long found;
        private long notFound;
        private long failed;
        private boolean ended;

        Stream(List<Barcode> codes) {
            this.codes = codes;
            this.gate = new RequestGate(concurrency, deadline, clock);
            AtomicInteger threads = new AtomicInteger();
            for (LookupSource source : sources) {
                foundBySource.put(source.name(), 0L);
                workers.computeIfAbsent(source, key -> Executors.newFixedThreadPool(concurrency, task -> {
                    Thread thread = new Thread(task, "lookup-" + key.name() + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }));
            }
        }

        @Override
        public SourceRecord next() {
            while (ready.isEmpty()) {
                if (ended || next >= codes.size()) {
                    close();
                    return null;
                }
                while (ahead.size() < concurrency && submitted < codes.size()) {
                    int end = Math.min(codes.size(), submitted + sources.get(0).maxCodesPerLookup());
                    ahead.add(lookUp(codes.subList(submitted, end)));
                    submitted = end;
                }
                Answer answer = await(ahead.poll());
                int chunkSize = answer.chunk().size();
                if (!answer.anyAsked() && answer.handled() == chunkSize) {
                    close();
                    throw SyncProductsException.unavailable("every lookup source is unavailable (" + name + "): their "
                            + "circuit breakers opened after repeated failures; the codes not looked up remain for "
                            + "the next run", null);
                }
                ready.addAll(records(answer));
                next += answer.handled();
                tally = new Tally(codes.size(), found, notFound, failed, codes.size() - next,
                        Collections.unmodifiableMap(new LinkedHashMap<>(foundBySource)));
                if (answer.handled() < chunkSize) {
                    endForBudget();
                }
            }
            return ready.poll();
        }

        private void endForBudget() {
            ended = true;
            close();
            LOG.info("time budget spent: {} of {} codes not looked up; the next run continues with them",
                    codes.size() - next, codes.size());
        }

        @Override
        public InputProgress progress() {
            return new InputProgress(next, codes.size());
        }

        /** Stops the workers; requests waiting for their turn are not made. */
        @Override
        public void close() {
            ended = true;
            ahead.forEach(pending -> pending.cancel(true));
            ahead.clear();
            workers.values().forEach(ExecutorService::shutdownNow);
        }

        private Answer await(CompletableFuture<Answer> pending) {
            try {
                return pending.join();
            } catch (CompletionException e) {
                close();
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }

        /**
         * Looks a chunk up in every source in turn: each source gets the codes the ones before it
         * did not have, in requests of its own size, all in flight at once (its workers and rate
         * limiter pace them). The time budget is checked before each request, not once per chunk
         * (one chunk of one-code fallbacks at 6 requests a minute is minutes long).
         */
        private CompletableFuture<Answer> lookUp(List<Barcode> chunk) {
            Chunk state = new Chunk(chunk);
            CompletableFuture<List<Barcode>> pending = firstSourceTurn.thenCompose(
                    done -> askAll(sources.get(0), chunk, state));
            firstSourceTurn = pending;
            for (LookupSource source : sources.subList(1, sources.size())) {
                pending = pending.thenCompose(codesLeft -> askAll(source, codesLeft, state));
            }
            return pending.thenApply(codesLeft -> state.answer());
        }

        /** Asks {@code source} for {@code codesLeft}; completes with the codes it did not have. */
        private CompletableFuture<List<Barcode>> askAll(LookupSource source, List<Barcode> codesLeft, Chunk state) {
            if (codesLeft.isEmpty()) {
                return CompletableFuture.completedFuture(codesLeft);
            }
            List<CompletableFuture<Asked>> parts = new ArrayList<>();
            for (int from = 0; from < codesLeft.size(); from += source.maxCodesPerLookup()) {
                List<Barcode> part = codesLeft.subList(from, Math.min(codesLeft.size(), from + source.maxCodesPerLookup()));
                parts.add(CompletableFuture.supplyAsync(() -> ask(source, part, gate), workers.get(source)));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                    .thenApply(done -> state.note(source, parts.stream().map(CompletableFuture::join).toList()));
        }

        private List<SourceRecord> records(Answer answer) {
            List<String> asked = sources.stream().map(LookupSource::name).toList();
            List<SourceRecord> records = new ArrayList<>(answer.handled());
            for (Barcode code : answer.chunk().subList(0, answer.handled())) {
                long position = Long.parseLong(code.canonical());
                Winner winner = answer.winners().get(code.canonical());
                Loser loser = answer.failures().get(code.canonical());
                if (winner != null) {
                    if (winner.product().get(ProductField.CODE) == null) {
                        winner.product().set(ProductField.CODE, code.display());
                    }
                    found++;
                    foundBySource.merge(winner.source(), 1L, Long::sum);
                    records.add(new SourceRecord.Item(position, winner.product(), winner.source()));
                } else if (loser != null) {
                    failed++;
                    LookupResult.Failed failure = loser.failure();
                    records.add(new SourceRecord.Failure(position, new ItemError(failure.type(), 0, code.display(),
                            failure.message(), loser.source(), Math.max(1, failure.attempts()),
                            failure.httpStatus() == null ? null : failure.httpStatus().toString())));
                } else {
                    notFound++;
                    records.add(new SourceRecord.NotFound(position, code.canonical(), asked));
                }
            }
            return records;
        }
    }

    /**
     * What the sources said about one chunk so far. Each source's answers are noted once all its
     * requests for the chunk are back, in request order, so the outcome does not depend on timing.
     */
    private static final class Chunk {
        private final List<Barcode> codes;
        private final Map<String, Winner> winners = new HashMap<>();
        private final Map<String, Loser> failures = new HashMap<>();
        private final Set<String> notAsked = new HashSet<>();
        private boolean anyAsked;

        Chunk(List<Barcode> codes) {
            this.codes = codes;
        }

        /** Notes one source's answers; returns the codes it did not have (for the next source). */
        synchronized List<Barcode> note(LookupSource source, List<Asked> parts) {
            List<Barcode> stillPending = new ArrayList<>();
            for (Asked part : parts) {
                if (part.budgetSpent()) {
                    // Owed a request: the code is not answered this run (the next source must not
                    // take it as missing here).
                    part.codes().forEach(code -> notAsked.add(code.canonical()));
                    continue;
                }
                anyAsked |= part.results() != null;
                for (Barcode code : part.codes()) {
                    LookupResult result = part.results() == null ? skipped(source)
                            : part.results().getOrDefault(code.canonical(), LookupResult.NotFound.INSTANCE);
                    if (result instanceof LookupResult.Found hit) {
                        winners.put(code.canonical(), new Winner(source.name(), hit.product()));
                    } else {
                        if (result instanceof LookupResult.Failed failure) {
                            failures.putIfAbsent(code.canonical(), new Loser(source.name(), failure));
                        }
                        stillPending.add(code);
                    }
                }
            }
            return stillPending;
        }

        /**
         * Only the codes before the first one still owed a request are answered, so the checkpoint
         * (a code) stays exact and the next run asks for the rest.
         */
        synchronized Answer answer() {
            int handled = codes.size();
            for (int index = 0; index < codes.size(); index++) {
                if (notAsked.contains(codes.get(index).canonical())) {
                    handled = index;
                    break;
                }
            }
            return new Answer(codes, handled, anyAsked, Map.copyOf(winners), Map.copyOf(failures));
        }
    }

    /**
     * A chunk's outcome: its first {@code handled} codes are answered (all of them unless the time
     * budget ran out).
     *
     * @param anyAsked whether any source was asked (false: every breaker is open)
     */
    private record Answer(List<Barcode> chunk, int handled, boolean anyAsked, Map<String, Winner> winners,
                          Map<String, Loser> failures) {
    }

    /**
     * One request's outcome.
     *
     * @param results     by canonical code, or null when the source's breaker is open and it was not asked
     * @param budgetSpent the request was not made: the time budget is spent
     */
    private record Asked(List<Barcode> codes, Map<String, LookupResult> results, boolean budgetSpent) {
    }

    /**
     * Asks one source through its circuit breaker, unless the time budget is spent (checked here
     * and again by the gate after the rate limiter's turn).
     */
    private static Asked ask(LookupSource source, List<Barcode> codes, RequestGate gate) {
        if (gate.budgetSpent()) {
            return new Asked(codes, null, true);
        }
        CircuitBreaker breaker = source.circuitBreaker();
        if (!breaker.tryAcquirePermission()) {
            return new Asked(codes, null, false);
        }
        long start = System.nanoTime();
        Map<String, LookupResult> results;
        try {
            results = source.lookUp(codes, gate);
        } catch (RequestGate.BudgetSpentException e) {
            breaker.releasePermission();
            return new Asked(codes, null, true);
        }
        long elapsed = System.nanoTime() - start;
        LookupResult.Failed failure = results.values().stream()
                .filter(LookupResult.Failed.class::isInstance).map(LookupResult.Failed.class::cast)
                .filter(failed -> countsAgainstSource(failed.type()))
                .findFirst().orElse(null);
        if (failure == null) {
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, new SourceFailure(failure.message()));
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                LOG.warn("{} is failing ({}); skipping it for the rest of the run", source.name(), failure.message());
            }
        }
        return new Asked(codes, results, false);
    }

    private static LookupResult.Failed skipped(LookupSource source) {
        return new LookupResult.Failed(ErrorType.SERVER, source.name() + " was skipped: its circuit breaker opened "
                + "after repeated failures in this run", null, 1);
    }

    /** Failures that say the source itself is in trouble, rather than something about the codes asked. */
    private static boolean countsAgainstSource(ErrorType type) {
        return type != ErrorType.VALIDATION;
    }

    private record Winner(String source, RawProduct product) {
    }

    private record Loser(String source, LookupResult.Failed failure) {
    }

    /** What the circuit breaker records for a failed request; the message is the request's failure. */
    private static final class SourceFailure extends RuntimeException {
        SourceFailure(String message) {
            super(message, null, false, false);
        }
    }
}
