package org.syncproducts.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ObjLongConsumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.Durations;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.JobCounts;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.store.BatchOutcome;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.store.ExportPresence;
import org.syncproducts.store.JobRecord;
import org.syncproducts.store.JobRepository;
import org.syncproducts.store.LookupRepository;
import org.syncproducts.store.CopyLines;
import org.syncproducts.store.CopyText;
import org.syncproducts.store.ProductRow;
import org.syncproducts.store.ProductWriter;
import org.syncproducts.store.SourceStateRepository;
import org.syncproducts.store.SyncLock;
import org.syncproducts.store.TargetRepository;

/**
 * Runs sync jobs: read → validate → batch → upsert → checkpoint.
 *
 * <p>One reader thread pulls records from the source and builds batches; the calling thread
 * writes each batch, its item errors and the job's counters and checkpoint in one transaction.
 * A bounded queue between them keeps memory flat whatever the input size. Cancellation is
 * checked between batches, so a stop never leaves a half-written batch. Only one job runs per
 * database (advisory lock); jobs left "running" by a dead process are marked interrupted, and a
 * rerun with the same input resumes after their checkpoint.
 */
public final class SyncEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** How long the writer waits for the reader before it looks again for a stop request or a dead reader. */
    private static final Duration READER_POLL = Duration.ofMillis(250);
    /** How often, at most, a run asks whether an operator cancelled its job (`jobs cancel`). */
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofMillis(250);
    /** How long a run whose database is lost tries to record its job as failed before it ends. */
    private static final Duration LOST_JOB_MARK_TIMEOUT = Duration.ofSeconds(5);

    private final Database database;
    private final JobRepository jobs;
    private final Duration staleAfter;
    private final ObjLongConsumer<String> onDatabaseLost;

    /**
     * @param staleAfter a running job whose heartbeat is older than this is reported as possibly
     *                   hung when it blocks a new run
     */
    public SyncEngine(Database database, Duration staleAfter) {
        this(database, staleAfter, (message, jobId) -> { });
    }

    /**
     * @param onDatabaseLost told (message, job id or 0) when the database is lost and the process
     *                       is about to end at once, so the run can announce it (a webhook); it
     *                       gets as long as marking the job failed does
     */
    public SyncEngine(Database database, Duration staleAfter, ObjLongConsumer<String> onDatabaseLost) {
        this.database = database;
        this.jobs = new JobRepository(database.jdbi());
        this.staleAfter = staleAfter;
        this.onDatabaseLost = onDatabaseLost;
    }

    public SyncResult run(SyncRequest request, CancellationToken cancellation, ProgressListener progress) {
        SyncLock lock = SyncLock.tryAcquire(database.jdbi()).orElseThrow(this::lockHeld);
        // Declared before the lock's try block, so it is closed after the lock is released: a
        // database lost at any point of the locked run, its last words included, ends the run.
        DatabaseWatchdog watchdog = new DatabaseWatchdog(lock, this::databaseLost);
        try (watchdog; lock) {
            List<Long> interrupted = new ArrayList<>();
            for (JobRecord abandoned : jobs.markAbandonedRunsInterrupted()) {
                LOG.warn("job #{} was left running by a process that is gone (last heartbeat {}); marked interrupted",
                        abandoned.id(), abandoned.heartbeatAt());
                interrupted.add(abandoned.id());
            }
            return runLocked(request, cancellation, progress, interrupted, watchdog);
        }
    }

    private SyncProductsException lockHeld() {
        Optional<JobRecord> running = jobs.currentlyRunning();
        String holder = running
                .map(job -> "job #" + job.id() + " (pid " + job.pid() + " on " + job.host() + ", started "
                        + job.startedAt() + ")")
                .orElse("another process");
        String hung = running
                .filter(job -> job.heartbeatAt().isBefore(Instant.now().minus(staleAfter)))
                .map(job -> "; its heartbeat is " + Durations.format(Duration.between(job.heartbeatAt(), Instant.now()))
                        + " old, so it may be hung: stop that process and its lock is released")
                .orElse("; try again when it has finished");
        return new SyncProductsException(ExitCode.TEMPORARY, "another sync is running: " + holder
                + "; nothing was done" + hung);
    }

    private SyncResult runLocked(SyncRequest request, CancellationToken cancellation, ProgressListener progress,
                                 List<Long> interrupted, DatabaseWatchdog watchdog) {
        Scope scope = request.scope();
        if (request.targetsOnly()) {
            Set<String> targets = new TargetRepository(database.jdbi()).allCodes();
            Set<String> codes = scope.codes() == null ? targets
                    : scope.codes().stream().filter(targets::contains).collect(java.util.stream.Collectors.toSet());
            scope = new Scope(codes, scope.categories());
        }
        // Each input is identified once, as the run finds it: checkpoints and the completion record
        // name that input even if the file is replaced while it is read.
        Map<ProductSource, String> fingerprints = new LinkedHashMap<>();
        Map<ProductSource, JobRecord> resumable = new LinkedHashMap<>();
        for (ProductSource source : request.sources()) {
            String fingerprint = source.fingerprint();
            fingerprints.put(source, fingerprint);
            if (!request.dryRun() && request.resume()) {
                jobs.findResumable(source.name(), fingerprint, request.strategy().label())
                        .filter(job -> job.checkpointPosition() > 0)
                        .ifPresent(job -> resumable.put(source, job));
            }
        }
        Map<ProductSource, JsonNode> states = new LinkedHashMap<>();
        SourceStateRepository sourceStates = new SourceStateRepository(database.jdbi());
        for (ProductSource source : request.sources()) {
            // A resumed run goes on from its own checkpoint's state; a new incremental run from
            // where the last completed one ended; a full run reads everything.
            Optional<String> state = resumable.containsKey(source) ? jobs.checkpointState(resumable.get(source).id())
                    : request.strategy() == Strategy.FULL ? Optional.empty() : sourceStates.cursor(source.name());
            states.put(source, state.map(SyncEngine::parseJson).orElse(null));
        }
        Long resumedFrom = resumable.values().stream().map(JobRecord::id).findFirst().orElse(null);
        Instant started = Instant.now();
        long jobId = jobs.start(request.strategy().label(), request.dryRun(),
                request.sources().stream().map(ProductSource::name).toList(), toJson(request.configSummary()), resumedFrom);
        // A forced stop (a second signal) ends the process at once: the job says so when the
        // database takes it in time, rather than being found "interrupted" by the next run.
        cancellation.onForcedStop(why -> jobs.finish(jobId, JobRepository.CANCELLED, why
                + "; committed batches are kept and the next run continues from the checkpoint"));
        LOG.info("job #{} started: {} sync of {}{}", jobId, request.strategy().label(),
                String.join(", ", request.sources().stream().map(ProductSource::name).toList()),
                request.dryRun() ? " (dry run: no product is written)" : "");
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("sync-heartbeat"));
        heartbeat.scheduleAtFixedRate(() -> beat(jobId), HEARTBEAT_INTERVAL.toMillis(), HEARTBEAT_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        JobCounts total = JobCounts.ZERO;
        boolean refused = false;
        List<String> endedEarly = new ArrayList<>();
        try (Handle handle = database.jdbi().open()) {
            watchdog.watch(jobId, handle.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            long runId = resumedFrom == null ? jobId : jobs.firstOfResumeChain(resumedFrom);
            ProductWriter writer = new ProductWriter(handle, runId);
            long remaining = request.limit() > 0 ? request.limit() : Long.MAX_VALUE;
            for (ProductSource source : request.sources()) {
                if (cancellation.isCancelled() || remaining <= 0) {
                    break;
                }
                JobRecord resume = resumable.get(source);
                long resumeAfter = resume == null ? 0 : resume.checkpointPosition();
                if (resume != null) {
                    LOG.info("resuming {} after position {} where job #{} stopped", source.name(), resumeAfter, resume.id());
                }
                RecordStream stream;
                try {
                    stream = source.open(resumeAfter, states.get(source));
                } catch (IOException e) {
                    throw SyncProductsException.unavailable("cannot read source " + source.name() + ": " + e.getMessage(), e);
                } catch (SyncProductsException e) {
                    // SPEC: a format refusal writes nothing; it leaves no failed job to count toward alerts.
                    refused = e.exitCode() == ExitCode.DATA_ERROR && total.read() == 0;
                    throw e;
                }
                if (marksMissing(request, source)) {
                    handle.useTransaction(transaction -> ExportPresence.forgetOtherRuns(handle, runId, source.name()));
                }
                SourceOutcome outcome = syncSource(source, stream, fingerprints.get(source), resumeAfter,
                        states.get(source), request, scope, remaining, handle, writer, jobId, runId, total, cancellation,
                        progress, endedEarly);
                JobCounts sourceCounts = outcome.counts();
                total = total.plus(sourceCounts);
                remaining -= sourceCounts.read() - sourceCounts.failed();
                if (!cancellation.isCancelled() && !request.dryRun() && endedEarly.isEmpty()) {
                    // Only a source read to its end has a state the next run may start from.
                    boolean wholeRead = request.readsEverything() && outcome.complete()
                            && !request.failureTolerance().isExceeded(sourceCounts.failed(), sourceCounts.read());
                    sourceStates.recordCompleted(source.name(), jobId, fingerprints.get(source),
                            outcome.complete() && outcome.state() != null ? toJson(outcome.state()) : null, wholeRead);
                    if (wholeRead && marksMissing(request, source)) {
                        long marked = markAbsentDeleted(handle, writer, jobId, runId, source, request.markMissing());
                        total = total.plus(new JobCounts(0, 0, marked, 0, 0, 0));
                    }
                }
            }
        } catch (RuntimeException e) {
            heartbeat.shutdownNow();
            progress.onEnd();
            if (refused) {
                discard(jobId);
            } else {
                String message = e instanceof SyncProductsException ? e.getMessage() : "sync failed: " + describe(e);
                recordEnd(jobId, JobRepository.FAILED, message);
            }
            throw e;
        }
        heartbeat.shutdownNow();
        progress.onEnd();
        Duration duration = Duration.between(started, Instant.now());
        return finish(jobId, request, total, duration, cancellation, resumedFrom, interrupted, endedEarly);
    }

    private SyncResult finish(long jobId, SyncRequest request, JobCounts total, Duration duration,
                              CancellationToken cancellation, Long resumedFrom, List<Long> interrupted,
                              List<String> endedEarly) {
        String status;
        int exitCode;
        String message;
        if (!endedEarly.isEmpty()) {
            status = JobRepository.FAILED;
            exitCode = ExitCode.FAILURE;
            message = "input is truncated (" + String.join("; ", endedEarly) + "); the records before the cut are kept: "
                    + summary(total);
        } else if (cancellation.isCancelled()) {
            status = JobRepository.CANCELLED;
            exitCode = cancellation.exitCode();
            message = "stopped (" + cancellation.reason() + ") after the batches in flight; " + summary(total)
                    + "; run again to continue from the checkpoint";
        } else if (request.failureTolerance().isExceeded(total.failed(), total.read())) {
            status = JobRepository.FAILED;
            exitCode = ExitCode.FAILURE;
            message = total.failed() + " of " + total.read() + " records failed, more than the tolerance of "
                    + request.failureTolerance() + "; " + summary(total) + "; see: sync-products errors list --job "
                    + jobId;
        } else {
            status = JobRepository.COMPLETED;
            exitCode = ExitCode.OK;
            message = summary(total);
        }
        recordEnd(jobId, status, message);
        return new SyncResult(jobId, status, total, duration, exitCode, message, resumedFrom, interrupted,
                request.dryRun());
    }

    /**
     * What reading one source came to.
     *
     * @param complete whether the source was read to its end (not stopped by a limit or a cancel)
     * @param state    the source's state at the end of what was read, or null
     */
    private record SourceOutcome(JobCounts counts, boolean complete, JsonNode state) {
    }

    /** A job's checkpoint: the last committed position of a source, and the source's state there. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Checkpoint(String source, String fingerprint, long position, JsonNode state) {
    }

    private SourceOutcome syncSource(ProductSource source, RecordStream stream, String fingerprint, long resumeAfter,
                                     JsonNode state, SyncRequest request, Scope scope, long limit, Handle handle,
                                     ProductWriter writer, long jobId, long runId, JobCounts before,
                                     CancellationToken cancellation, ProgressListener progress,
                                     List<String> endedEarly) {
        // One batch waiting is enough to keep the writer busy while the next is read; each more is
        // thousands of live rows that every young collection copies (measured: GC time -25%).
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
        // Export lines are hashed, and in a run that reads everything, lines the database holds
        // unchanged are skipped unparsed (RawLineShortcut says when and why that is exact).
        RawLineShortcut shortcut = new RawLineShortcut(database.jdbi(), source.name(), request.languages(),
                request.readsEverything());
        stream.skipUnchanged(shortcut);
        Reader reader = new Reader(source, stream, request, scope, limit, resumeAfter, state, queue);
        Thread thread = new Thread(reader, "sync-reader-" + source.name());
        thread.setDaemon(true);
        progress.onStart(source.name(), stream.progress());
        thread.start();
        Committed committed = new Committed(before, state, source, jobId, cancellation, progress, endedEarly);
        boolean complete = false;
        // Batches are written on two connections at once (OrderedWriters); a dry run writes nothing,
        // so one is enough for it.
        try (Handle second = request.dryRun() ? null : database.jdbi().open()) {
            List<OrderedWriters.Slot> slots = new ArrayList<>(List.of(new OrderedWriters.Slot(handle, writer)));
            if (second != null) {
                slots.add(new OrderedWriters.Slot(second, new ProductWriter(second, runId)));
            }
            try (OrderedWriters writers = new OrderedWriters(slots, (batch, slot, turn) ->
                    writeBatch(batch, source, fingerprint, request, slot, turn, jobId, runId), source.name())) {
                while (!cancellation.isCancelled()) {
                    writers.awaitFreeWriter().forEach(committed::add);
                    Object next = take(queue, thread, source);
                    if (next == Reader.END) {
                        complete = reader.reachedEnd();
                        break;
                    }
                    if (next instanceof Throwable failure) {
                        writers.drain().forEach(committed::add);
                        throw readerFailure(source, failure);
                    }
                    if (next != null) {
                        writers.submit((Batch) next).forEach(committed::add);
                    }
                }
                writers.drain().forEach(committed::add);
            }
        } finally {
            reader.stop();
            thread.interrupt();
            try {
                thread.join(10_000);
                shortcut.close();
                stream.close();
            } catch (IOException e) {
                LOG.debug("closing source {}: {}", source.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new SourceOutcome(committed.counts, complete, committed.lastState);
    }

    /** What the committed batches of one source add up to, taken in input order as they commit. */
    private final class Committed {
        private final JobCounts before;
        private final ProductSource source;
        private final long jobId;
        private final CancellationToken cancellation;
        private final ProgressListener progress;
        private final List<String> endedEarly;
        private JobCounts counts = JobCounts.ZERO;
        private JsonNode lastState;
        /** When a cancel request was last asked for ({@link System#nanoTime}); the first batch asks. */
        private long lastCancelCheck = System.nanoTime() - CANCEL_CHECK_INTERVAL.toNanos();

        Committed(JobCounts before, JsonNode state, ProductSource source, long jobId, CancellationToken cancellation,
                  ProgressListener progress, List<String> endedEarly) {
            this.before = before;
            this.lastState = state;
            this.source = source;
            this.jobId = jobId;
            this.cancellation = cancellation;
            this.progress = progress;
            this.endedEarly = endedEarly;
        }

        void add(OrderedWriters.Written written) {
            Batch batch = written.batch();
            batch.lines.release();
            counts = counts.plus(written.counts());
            if (batch.inputEnded != null) {
                endedEarly.add(source.name() + ": " + batch.inputEnded.message());
            }
            lastState = batch.state;
            progress.onBatch(before.plus(counts), batch.progress);
            // An operator's `jobs cancel ID` is honoured here, between batches, like a signal; asked
            // at most every CANCEL_CHECK_INTERVAL (a bulk load commits a batch every few hundredths of
            // a second, and each question took a pooled connection).
            long now = System.nanoTime();
            if (now - lastCancelCheck >= CANCEL_CHECK_INTERVAL.toNanos()) {
                lastCancelCheck = now;
                jobs.cancelRequest(jobId).ifPresent(cancelRequest -> cancellation.cancel(ExitCode.FAILURE,
                        "cancelled by " + cancelRequest.requestedBy() + " with 'jobs cancel'"));
            }
        }
    }

    private JobCounts writeBatch(Batch batch, ProductSource source, String fingerprint, SyncRequest request,
                                 OrderedWriters.Slot slot, OrderedWriters.Turn turn, long jobId, long runId) {
        try {
            return writeBatch(batch, source, fingerprint, request, slot, turn, jobId, runId,
                    ProductWriter.Mode.DIRECT);
        } catch (ProductWriter.ConcurrentInsertException e) {
            LOG.debug("batch ending at position {} raced another writer; redoing it with upserts", batch.lastPosition);
            return writeBatch(batch, source, fingerprint, request, slot, turn, jobId, runId,
                    ProductWriter.Mode.UPSERT);
        }
    }

    /**
     * One batch in one transaction: the products staged and the codes recorded present while other
     * batches are written too, then, at the batch's turn, what all batches share (the kept counts,
     * deletions, errors, lookups, the job's counts and checkpoint).
     */
    private JobCounts writeBatch(Batch batch, ProductSource source, String fingerprint, SyncRequest request,
                                 OrderedWriters.Slot slot, OrderedWriters.Turn turn, long jobId, long runId,
                                 ProductWriter.Mode mode) {
        Handle handle = slot.handle();
        ProductWriter writer = slot.writer();
        return handle.inTransaction(transaction -> {
            boolean full = request.strategy() == Strategy.FULL;
            ProductWriter.Staged staged = writer.stage(batch.products(), full, !full && source.appliesNewerRecords(),
                    request.dryRun(), mode);
            if (!request.dryRun() && marksMissing(request, source)) {
                ExportPresence.record(handle, runId, source.name(), batch.presentCodes());
            }
            turn.await();
            BatchOutcome outcome = writer.complete(staged);
            long deleted = writer.markDeleted(batch.deleted, source.name(), request.dryRun());
            long present = batch.products().size() + batch.unchangedCount() - outcome.added() - outcome.updated();
            JobCounts delta = new JobCounts(batch.read, outcome.added(), outcome.updated() + deleted, full ? present : 0,
                    batch.skipped + (full ? 0 : present) + batch.deleted.size() - deleted, batch.errors().size());
            if (!request.dryRun()) {
                ErrorRepository.insert(handle, jobId, source.name(), batch.errors());
                LookupRepository.rememberMisses(handle, jobId, batch.notFound);
                LookupRepository.settle(handle, jobId, batch.lookedUp,
                        batch.notFound.stream().map(SourceRecord.NotFound::code).toList());
            }
            String checkpoint = request.dryRun() ? null : toJson(new Checkpoint(source.name(), fingerprint,
                    batch.lastPosition, batch.state));
            jobs.recordBatch(handle, jobId, delta, checkpoint, batch.progress.done(), batch.progress.total());
            return delta;
        });
    }

    /** Whether the run marks the products of {@code source} absent from it deleted (sync.mark_missing_deleted). */
    private static boolean marksMissing(SyncRequest request, ProductSource source) {
        return request.markMissing() != null && request.readsEverything() && source.readsWholeCatalogue();
    }

    /**
     * At the end of a complete read of a whole export: marks the source's live products the run did
     * not see deleted, in one transaction, unless there are more than {@code limit} of them (a
     * truncated or wrong export must not empty the database: then a warning says so and none is marked).
     *
     * @return how many were marked
     */
    private long markAbsentDeleted(Handle handle, ProductWriter writer, long jobId, long runId, ProductSource source,
                                   FailureTolerance limit) {
        return handle.inTransaction(transaction -> {
            List<String> absent = ExportPresence.absent(handle, runId, source.name());
            long live = ExportPresence.live(handle, source.name());
            long marked = 0;
            if (limit.isExceeded(absent.size(), live)) {
                LOG.warn("{} of the {} products of source {} are absent from this export, more than "
                                + "sync.mark_missing_limit ({}) allows: none was marked deleted; check the export, or "
                                + "raise the limit", absent.size(), live, source.name(), limit);
            } else if (!absent.isEmpty()) {
                marked = writer.markDeleted(absent, source.name(), false);
                jobs.addUpdated(handle, jobId, marked);
                LOG.info("marked {} products of source {} deleted: absent from this full export", marked, source.name());
            }
            ExportPresence.forget(handle, runId, source.name());
            return marked;
        });
    }

    private void beat(long jobId) {
        try {
            jobs.heartbeat(jobId);
        } catch (RuntimeException e) {
            LOG.debug("heartbeat of job #{} failed: {}", jobId, e.getMessage());
        }
    }

    /**
     * The watchdog's last resort when the database is gone and the writer may be blocked for
     * good: record the job failed if the database takes it within a few seconds (else the next
     * run marks it interrupted), announce it (the webhook, the /fail ping), say so in one line
     * and end the process, exit 69.
     */
    private void databaseLost(long jobId) {
        String message = "lost the database connection: no answer for " + DatabaseWatchdog.LOST_AFTER.toSeconds()
                + " s" + (jobId > 0 ? " while job #" + jobId + " ran" : "");
        AtomicBoolean marked = new AtomicBoolean();
        Thread marker = new Thread(() -> {
            if (jobId > 0) {
                jobs.finish(jobId, JobRepository.FAILED, message);
                marked.set(true);
            }
        }, "sync-db-lost");
        marker.setDaemon(true);
        marker.start();
        Thread announcer = new Thread(() -> onDatabaseLost.accept(message, jobId), "sync-db-lost-announce");
        announcer.setDaemon(true);
        announcer.start();
        long deadline = System.nanoTime() + LOST_JOB_MARK_TIMEOUT.toNanos();
        try {
            marker.join(LOST_JOB_MARK_TIMEOUT.toMillis());
            announcer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("sync-products: " + message + (jobId <= 0 ? "" : marked.get() ? "; the job is marked failed"
                : "; the next run marks the job interrupted and resumes after its checkpoint"));
        System.err.flush();
        Runtime.getRuntime().halt(ExitCode.UNAVAILABLE);
    }

    private void discard(long jobId) {
        try {
            jobs.discard(jobId);
        } catch (RuntimeException e) {
            LOG.warn("could not remove job #{}, whose input was refused: {}", jobId, e.getMessage());
        }
    }

    private void recordEnd(long jobId, String status, String message) {
        try {
            jobs.finish(jobId, status, message);
        } catch (RuntimeException e) {
            LOG.warn("could not record the end of job #{} ({}): {}", jobId, status, e.getMessage());
        }
    }

    static String summary(JobCounts counts) {
        return counts.read() + " read, " + counts.added() + " added, " + counts.updated() + " updated, "
                + counts.unchanged() + " unchanged, " + counts.skipped() + " skipped, " + counts.failed() + " failed";
    }

    /**
     * The next item from the reader, or null after a short wait (so the caller checks for a stop
     * request). A reader thread that died without a word ends the run rather than leaving it
     * waiting forever.
     */
    private static Object take(BlockingQueue<Object> queue, Thread reader, ProductSource source) {
        try {
            Object next = queue.poll(READER_POLL.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null && !reader.isAlive()) {
                next = queue.poll();
                if (next == null) {
                    throw new SyncProductsException(ExitCode.INTERNAL, "the reader of source " + source.name()
                            + " stopped without a word; nothing after the last committed batch was written");
                }
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncProductsException(ExitCode.INTERNAL, "interrupted while waiting for the source");
        }
    }

    /**
     * What the reader's failure ends the run with: its own exit code when it says (65 for input
     * that cannot be used), else 70, a bug, with what the thread died of (an Error included).
     */
    private static RuntimeException readerFailure(ProductSource source, Throwable failure) {
        if (failure instanceof SyncProductsException known) {
            return known;
        }
        String what = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        if (failure instanceof IOException) {
            return SyncProductsException.unavailable("cannot read source " + source.name() + ": " + what, failure);
        }
        return new SyncProductsException(ExitCode.INTERNAL, "reading source " + source.name() + " failed ("
                + what + "); nothing after the last committed batch was written", failure);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored source state is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job config must be serializable", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The reader thread: turns source records into batches on the queue, then {@link #END}. */
    private static final class Reader implements Runnable {
        static final Object END = new Object();

        private final ProductSource source;
        private final RecordStream stream;
        private final SyncRequest request;
        private final Scope scope;
        private final long limit;
        private final int batchSize;
        private final BlockingQueue<Object> queue;
        /** Memory for the batches' COPY lines, handed back by the writer batch after batch. */
        private final CopyLines.Pool linePool = new CopyLines.Pool();
        private volatile boolean stopped;
        private volatile boolean reachedEnd;
        /** The position and source state of the last batch put on the queue. */
        private long lastPosition;
        private JsonNode lastState;

        Reader(ProductSource source, RecordStream stream, SyncRequest request, Scope scope, long limit,
               long resumeAfter, JsonNode state, BlockingQueue<Object> queue) {
            this.source = source;
            this.stream = stream;
            this.request = request;
            this.scope = scope;
            this.limit = limit;
            this.batchSize = Math.min(request.batchSize(), source.maxBatchSize());
            this.queue = queue;
            this.lastPosition = resumeAfter;
            this.lastState = state;
        }

        /** Whether the source was read to its end (the last record was followed by null). */
        boolean reachedEnd() {
            return reachedEnd;
        }

        void stop() {
            stopped = true;
            queue.clear();
        }

        @Override
        public void run() {
            try {
                long taken = 0;
                CopyText encoder = new CopyText();
                Batch batch = new Batch(linePool.lines());
                SourceRecord record;
                while (!stopped && taken < limit && (record = stream.next()) != null) {
                    batch.read++;
                    batch.lastPosition = record.position();
                    if (record instanceof SourceRecord.Deleted deleted) {
                        Optional<Barcode> code = Barcode.parse(deleted.code());
                        if (code.isPresent()) {
                            batch.delete(code.get().canonical());
                        } else {
                            batch.skipped++;
                        }
                    } else if (record instanceof SourceRecord.Failure failure) {
                        batch.fail(failure.error());
                    } else if (record instanceof SourceRecord.Unchanged unchanged) {
                        taken++;
                        if (!batch.unchanged(unchanged.code())) {
                            batch.skipped++;
                        }
                    } else if (record instanceof SourceRecord.NotFound notFound) {
                        batch.notFound.add(notFound);
                        batch.skipped++;
                    } else if (record instanceof SourceRecord.Item item) {
                        String origin = item.origin() != null ? item.origin() : source.name();
                        // A lookup's position is its code, not a line: its errors get no line number.
                        ProductParser.Result result = ProductParser.parse(item.product(), origin,
                                item.origin() == null ? item.position() : 0, request.languages());
                        if (result instanceof ProductParser.Refused refused) {
                            batch.fail(item.origin() == null ? refused.error() : refused.error().withSource(origin));
                        } else {
                            var product = ((ProductParser.Parsed) result).product();
                            if (!scope.includes(product)) {
                                batch.skipped++;
                            } else {
                                taken++;
                                if (!batch.add(ProductRow.encode(product, item.rawHash(), encoder, batch.lines))) {
                                    batch.skipped++;
                                }
                                if (item.origin() != null) {
                                    batch.lookedUp.add(product.code().canonical());
                                }
                            }
                        }
                    }
                    if (batch.size() >= batchSize) {
                        putBatch(batch);
                        batch = new Batch(linePool.lines());
                    }
                }
                reachedEnd = !stopped && taken < limit;
                // The state at the very end (a watermark settled once everything was read) is
                // committed too, in a batch of its own when the last one was full.
                if (batch.read > 0 || !Objects.equals(stream.state(), lastState)) {
                    putBatch(batch);
                }
                put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                // Any death, an Error included, is handed to the writer, which ends the run with it.
                try {
                    put(e);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void putBatch(Batch batch) throws InterruptedException {
            batch.progress = stream.progress();
            batch.state = stream.state();
            if (batch.read == 0) {
                batch.lastPosition = lastPosition;
            }
            lastPosition = batch.lastPosition;
            lastState = batch.state;
            put(batch);
        }

        private void put(Object item) throws InterruptedException {
            if (!stopped) {
                queue.put(item);
            }
        }
    }
}
