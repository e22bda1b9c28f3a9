package org.syncproducts.source.lookup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.SyncProductsException;
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
    private final String name;
    private volatile Tally tally = new Tally(0, 0, 0, 0, 0, Map.of());

    /**
     * @param sources  in priority order, at least one
     * @param limit    the most codes to ask for, 0 for all
     * @param deadline when to stop starting new lookups, or null for none
     */
    public TargetLookupSource(List<LookupSource> sources, LookupPlan plan, long limit, Instant deadline, Clock clock) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a lookup needs at least one source");
        }
        this.sources = List.copyOf(sources);
        this.plan = plan;
        this.limit = limit;
        this.deadline = deadline;
        this.clock = clock;
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
        LOG.info("looking up {} codes ({}) at {}", codes.size(), plan.description(), name);
        tally = new Tally(codes.size(), 0, 0, 0, codes.size(), Map.of());
        return new Stream(List.copyOf(codes));
    }

    private final class Stream implements RecordStream {
        private final List<Barcode> codes;
        private final Deque<SourceRecord> ready = new ArrayDeque<>();
        private final Map<String, Long> foundBySource = new LinkedHashMap<>();
        private int next;
        private long found;
        private long notFound;
        private long failed;
        private boolean ended;

        Stream(List<Barcode> codes) {
            this.codes = codes;
            sources.forEach(source -> foundBySource.put(source.name(), 0L));
        }

        @Override
        public SourceRecord next() {
            while (ready.isEmpty()) {
                if (ended || next >= codes.size()) {
                    return null;
                }
                if (pastDeadline()) {
                    endForBudget();
                    return null;
                }
                int end = Math.min(codes.size(), next + sources.get(0).maxCodesPerLookup());
                Answer answer = lookUp(codes.subList(next, end));
                ready.addAll(answer.records());
                next += answer.handled();
                tally = new Tally(codes.size(), found, notFound, failed, codes.size() - next,
                        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(foundBySource)));
                if (next < end) {
                    endForBudget();
                }
            }
            return ready.poll();
        }

        private void endForBudget() {
            ended = true;
            LOG.info("time budget spent: {} of {} codes not looked up; the next run continues with them",
                    codes.size() - next, codes.size());
        }

        @Override
        public InputProgress progress() {
            return new InputProgress(next, codes.size());
        }

        @Override
        public void close() {
            ended = true;
        }

        /**
         * Looks a chunk up in every source in turn. The time budget is checked before each request,
         * not once per chunk (one chunk of one-code fallbacks at 6 requests a minute is minutes
         * long): once it is spent, only the codes before the first one still owed a request are
         * answered, so the checkpoint (a code) stays exact and the next run asks for the rest.
         */
        private Answer lookUp(List<Barcode> chunk) {
            Map<String, Winner> winners = new HashMap<>();
            Map<String, Loser> failures = new HashMap<>();
            List<Barcode> pending = chunk;
            boolean anyAsked = false;
            int handled = chunk.size();
            for (int index = 0; index < sources.size(); index++) {
                LookupSource source = sources.get(index);
                if (pending.isEmpty()) {
                    break;
                }
                List<Barcode> stillPending = new ArrayList<>();
                for (int from = 0; from < pending.size(); from += source.maxCodesPerLookup()) {
                    if (pastDeadline()) {
                        // Owed a request: the rest of this source's codes, and (when more sources
                        // follow) the codes this source has not found.
                        List<Barcode> owed = new ArrayList<>(pending.subList(from, pending.size()));
                        if (index < sources.size() - 1) {
                            owed.addAll(stillPending);
                        }
                        handled = owed.stream().mapToInt(chunk::indexOf).min().orElse(chunk.size());
                        break;
                    }
                    List<Barcode> part = pending.subList(from, Math.min(pending.size(), from + source.maxCodesPerLookup()));
                    Map<String, LookupResult> results = ask(source, part);
                    anyAsked |= results != null;
                    for (Barcode code : part) {
                        LookupResult result = results == null ? skipped(source)
                                : results.getOrDefault(code.canonical(), LookupResult.NotFound.INSTANCE);
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
                pending = stillPending;
                if (handled < chunk.size()) {
                    break;
                }
            }
            if (!anyAsked && handled == chunk.size()) {
                throw SyncProductsException.unavailable("every lookup source is unavailable (" + name + "): their "
                        + "circuit breakers opened after repeated failures; the codes not looked up remain for the next "
                        + "run", null);
            }
            List<String> asked = sources.stream().map(LookupSource::name).toList();
            List<SourceRecord> records = new ArrayList<>(handled);
            for (Barcode code : chunk.subList(0, handled)) {
                long position = Long.parseLong(code.canonical());
                Winner winner = winners.get(code.canonical());
                Loser loser = failures.get(code.canonical());
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
            return new Answer(records, handled);
        }
    }

    private boolean pastDeadline() {
        return deadline != null && !clock.instant().isBefore(deadline);
    }

    /** The records of a chunk's first {@code handled} codes: all of them unless the time budget ran out. */
    private record Answer(List<SourceRecord> records, int handled) {
    }

    /**
     * Asks one source through its circuit breaker.
     *
     * @return its results, or null when its breaker is open and it was not asked
     */
    private Map<String, LookupResult> ask(LookupSource source, List<Barcode> codes) {
        CircuitBreaker breaker = source.circuitBreaker();
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        long start = System.nanoTime();
        Map<String, LookupResult> results = source.lookUp(codes);
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
        return results;
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
