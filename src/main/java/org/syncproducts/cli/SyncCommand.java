package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.Durations;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.lookup.TargetLookupSource;
import org.syncproducts.source.offdelta.OffDeltaSource;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.store.PauseRepository;
import org.syncproducts.sync.CancellationToken;
import org.syncproducts.sync.CodeList;
import org.syncproducts.sync.SyncResult;
import org.syncproducts.sync.SyncRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs one sync job (SPEC §4) and reports its outcome. */
@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run one sync job: read the sources, validate every record, upsert products in batches.",
                "Incremental by default (only products not yet in the database are added, and records",
                "newer than the stored product when they carry a last-modified time, e.g. last_modified_t); --full",
                "refreshes everything in scope and leaves unchanged rows untouched. Ctrl-C or SIGTERM",
                "stops after the batches in flight; a rerun continues from the checkpoint."})
final class SyncCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.All globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--full", description = "Refresh every product in scope, not only missing ones.")
    boolean full;

    @Option(names = "--from", paramLabel = "FILE|URL",
            description = "Sync this file instead of the configured sources (no config needed); an http(s) URL of an "
                    + "Open Food Facts export is downloaded into the cache first (resumed if interrupted, skipped "
                    + "when unchanged).")
    String from;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Format of --from: off-csv, off-jsonl or csv (default: from the name or the first line).")
    String format;

    @Option(names = "--source-name", paramLabel = "NAME",
            description = "Source name recorded for --from products (default: the file name) or --from-delta "
                    + "ones (default: off-delta).")
    String sourceName;

    @Option(names = "--source", paramLabel = "NAME", split = ",",
            description = "Only these configured sources, in this order (default: sync.sources, else all).")
    List<String> sourceNames = new ArrayList<>();

    @Option(names = "--upcs", paramLabel = "CODE", split = ",", description = "Only these barcodes.")
    List<String> upcs = new ArrayList<>();

    @Option(names = "--upcs-file", paramLabel = "FILE",
            description = "Only the barcodes in this file (one per line, or the first column of a CSV).")
    Path upcsFile;

    @Option(names = "--categories", paramLabel = "CATEGORY", split = ",",
            description = "Only products in these categories (en:milk or milk).")
    List<String> categories = new ArrayList<>();

    @Option(names = "--targets-only", description = "Only barcodes on the target list (see 'targets import').")
    boolean targetsOnly;

    @Option(names = "--limit", paramLabel = "N", description = "Process at most N products.")
    long limit;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Products per transaction and checkpoint (default: sync.batch_size, else 5000).")
    Integer batchSize;

    @Option(names = "--failure-tolerance", paramLabel = "N|N%",
            description = "Item failures allowed before the job counts as failed (default: sync.failure_tolerance, else 1%%).")
    String failureTolerance;

    @Option(names = "--dry-run", description = "Read and validate, write no products; report what would change.")
    boolean dryRun;

    @Option(names = "--if-due", paramLabel = "SCHEDULE",
            description = "Only sync when this named schedule (config schedules:) is due; else exit 0 at once.")
    String ifDue;

    @Option(names = "--if-coverage-below", paramLabel = "PERCENT",
            description = "Only sync when under this share of targets has a product; else exit 0 at once.")
    Double ifCoverageBelow;

    @Option(names = "--retry-failed",
            description = "Ask the lookup sources again for the codes with unresolved retryable errors; errors of "
                    + "codes that now succeed are marked resolved.")
    boolean retryFailed;

    @Option(names = "--max-duration", paramLabel = "DURATION",
            description = "Time budget, e.g. 25m: no new lookup starts once it is spent; the run ends cleanly (exit 0) "
                    + "and the next incremental run continues (default: sync.max_duration, else none).")
    String maxDuration;

    @Option(names = "--no-resume",
            description = "Start fresh instead of continuing after the checkpoint of an earlier cancelled or "
                    + "interrupted job of the same input (the default resumes).")
    boolean noResume;

    @Option(names = "--images",
            description = "Then fetch each product's front image into the image store (sync.images_store: a "
                    + "directory or s3://bucket/prefix), content-addressed; an image already stored is not fetched "
                    + "again. --limit and --max-duration bound it too; with --upcs, those images are fetched again.")
    boolean images;

    @Option(names = "--auto",
            description = "Choose the polite way per run and say why: at most auto.realtime_max (default 10) --upcs "
                    + "codes are read from the API; an export never loaded whole is loaded (full); otherwise the daily "
                    + "deltas (an off-delta source) since the last applied one; then API lookups only for targets "
                    + "still missing.")
    boolean auto;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where exports fetched by URL are kept (default: sync.cache_dir, else "
                    + "$XDG_CACHE_HOME/sync-products/exports or ~/.cache/sync-products/exports).")
    Path cacheDir;
    @Option(names = "--concurrency", paramLabel = "N",
            description = "Lookup requests in flight at once across the lookup sources; each source's rate limit "
                    + "still bounds it, and the fallbacks work on the codes Open Food Facts lacks while it is asked "
                    + "for the next ones (default: sync.concurrency, else 4; 1 asks one request after the other).")
    Integer concurrency;

    @Option(names = "--from-delta", paramLabel = "URL|DIR",
            description = {"Apply the Open Food Facts daily delta files not yet applied, from this base URL (e.g. "
                    + OffDeltaSource.DEFAULT_URL + ") or local directory holding index.txt and the files (no config "
                    + "needed). A gap (the deltas do not continue the last delta or full export applied, or a listed "
                    + "file is missing) fails the run (exit 1) and names the full export sync that repairs it. With "
                    + "--full, every offered file is applied and no gap is judged."})
    String fromDelta;

    @Option(names = "--allow-gap",
            description = "Apply delta files even when they do not continue what was applied before (a warning instead "
                    + "of exit 1).")
    boolean allowGap;

    @Override
    public Integer call() {
        boolean fromUrl = from != null && FileSources.isUrl(from);
        SyncRun.Options options = new SyncRun.Options(full, from == null || fromUrl ? null : Path.of(from), format,
                sourceName, sourceNames,
                CodeList.parse(upcs, upcsFile), upcs.size(), upcsFile, categories, targetsOnly, limit, batchSize,
                tolerance(), dryRun, ifDue,
                ifCoverageBelow, retryFailed, budget(), images, !noResume, auto, fromUrl ? from : null, cacheDir,
                concurrency, fromDelta, allowGap);
        AppConfig config = top.config();
        SyncRun run = new SyncRun(config, options, top.http(), top.env(), Operator.host(top.env()),
                "sync-products/" + VersionProvider.version());
        Output output = new Output(spec, top.json(), top.quiet());
        CancellationToken cancellation = new CancellationToken();
        Database opened;
        try {
            opened = top.openDatabase(config);
        } catch (SyncProductsException e) {
            run.announceNotStarted(e);
            throw e;
        }
        try (Database database = opened;
             SignalHandling signals = SignalHandling.install(cancellation)) {
            SyncRun.Outcome outcome = run.run(database, cancellation,
                    ProgressReporter.choose(top, config.sync().progressInterval()));
            if (outcome instanceof SyncRun.Paused paused) {
                reportPaused(paused.pause(), output);
            } else if (outcome instanceof SyncRun.Skipped skipped) {
                reportSkipped(skipped.reason(), output);
            } else if (outcome instanceof SyncRun.Ran ran) {
                report(ran, output);
            }
            return outcome.exitCode();
        }
    }

    /** The --max-duration flag, or null; 0 is allowed (no lookup starts). */
    private Duration budget() {
        return maxDuration == null ? null : asUsage(() -> Durations.parse(maxDuration, "--max-duration"));
    }

    /** The --failure-tolerance flag, or null. */
    private FailureTolerance tolerance() {
        return failureTolerance == null ? null
                : asUsage(() -> FailureTolerance.parse(failureTolerance, "--failure-tolerance"));
    }

    /** A flag value the config parsers read: wrong on the command line, it is a usage error (64), not 78. */
    private static <T> T asUsage(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SyncProductsException e) {
            throw new SyncProductsException(ExitCode.USAGE, e.getMessage());
        }
    }

    /** A sync whose --if-due / --if-coverage-below condition does not hold does nothing and says why. */
    private static void reportSkipped(String reason, Output output) {
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("status", "skipped");
            document.put("reason", reason);
            document.put("exit_code", ExitCode.OK);
            output.json(document);
        } else {
            output.notice("sync skipped: " + reason);
        }
    }

    /** A paused sync does nothing and says so (exit 0: pausing is the operator's intent). */
    private static void reportPaused(PauseRepository.Pause pause, Output output) {
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>(PauseCommand.document(pause));
            document.put("status", "paused");
            document.put("exit_code", ExitCode.OK);
            output.json(document);
        } else {
            output.notice(PauseCommand.describe(pause) + "; nothing was done");
        }
    }

    private void report(SyncRun.Ran ran, Output output) {
        SyncResult result = ran.result();
        double seconds = Math.max(result.duration().toMillis(), 1) / 1000.0;
        long perSecond = Math.round(result.counts().read() / seconds);
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("job_id", result.jobId());
            document.put("status", result.status());
            document.put("dry_run", result.dryRun());
            document.put("exit_code", result.exitCode());
            if (ran.plan() != null) {
                document.put("auto", ran.plan());
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("read", result.counts().read());
            counts.put("added", result.counts().added());
            counts.put("updated", result.counts().updated());
            counts.put("unchanged", result.counts().unchanged());
            counts.put("skipped", result.counts().skipped());
            counts.put("failed", result.counts().failed());
            document.put("counts", counts);
            document.put("duration_ms", result.duration().toMillis());
            document.put("records_per_second", perSecond);
            document.put("errors_by_type", ran.errorsByType());
            document.put("resumed_from_job", result.resumedFrom());
            document.put("interrupted_jobs", result.interrupted());
            if (ran.lookup() != null) {
                document.put("lookup", lookupDocument(ran.lookup()));
            }
            if (ran.images() != null) {
                document.put("images", ran.images());
            }
            document.put("message", result.message());
            output.json(document);
        } else if (!output.isQuiet() || result.exitCode() != ExitCode.OK) {
            // Under -q a job that needs no one prints nothing (cron mails any output).
            for (Long interrupted : result.interrupted()) {
                output.line("note: job #" + interrupted
                        + " had been left running by a process that died; marked interrupted");
            }
            if (result.resumedFrom() != null) {
                output.line("note: resumed from the checkpoint of job #" + result.resumedFrom());
            }
            if (ran.plan() != null) {
                output.line("auto: " + ran.plan());
            }
            output.line((result.dryRun() ? "dry run " : "") + "job #" + result.jobId() + " " + result.status() + " in "
                    + Durations.format(result.duration()) + ": " + result.message()
                    + " (" + perSecond + " records/s)");
            if (ran.lookup() != null) {
                output.line(lookupLine(ran.lookupName(), ran.lookup()));
            }
            if (ran.images() != null) {
                output.line(ran.images().summary());
            }
            if (!ran.errorsByType().isEmpty()) {
                StringBuilder types = new StringBuilder("failures by type:");
                ran.errorsByType().forEach((type, count) -> types.append(' ').append(type).append(' ').append(count));
                output.line(types.toString());
                for (ErrorRepository.ErrorRow row : ran.errorExamples()) {
                    output.line("  " + (row.line() == null ? "" : "line " + row.line() + ": ") + row.type() + ": "
                            + row.message());
                }
            }
        }
        if (result.exitCode() != ExitCode.OK) {
            // SPEC §9: every non-zero exit says on stderr what happened.
            spec.commandLine().getErr().println("sync-products: job #" + result.jobId() + " " + result.status()
                    + ": " + result.message());
            spec.commandLine().getErr().flush();
        }
    }

    private static Map<String, Object> lookupDocument(TargetLookupSource.Tally tally) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("codes", tally.codes());
        document.put("found", tally.found());
        document.put("found_by_source", tally.foundBySource());
        document.put("not_found", tally.notFound());
        document.put("failed", tally.failed());
        document.put("remaining", tally.remaining());
        return document;
    }

    private static String lookupLine(String lookupName, TargetLookupSource.Tally tally) {
        StringBuilder line = new StringBuilder("looked up " + (tally.codes() - tally.remaining()) + " of "
                + tally.codes() + " codes at " + lookupName + ": " + tally.found() + " found");
        if (tally.foundBySource().size() > 1) {
            StringBuilder bySource = new StringBuilder();
            tally.foundBySource().forEach((source, count) -> bySource.append(bySource.length() == 0 ? "" : ", ")
                    .append(source).append(' ').append(count));
            line.append(" (").append(bySource).append(')');
        }
        line.append(", ").append(tally.notFound()).append(" not found anywhere, ").append(tally.failed())
                .append(" failed");
        if (tally.remaining() > 0) {
            line.append("; ").append(tally.remaining()).append(" left for the next run");
        }
        return line.toString();
    }

    /** What --images did, in --json (a record: one key order). */
}
