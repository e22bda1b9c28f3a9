package org.syncproducts.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.Durations;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.images.ImageSync;
import org.syncproducts.model.Barcode;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.lookup.LookupPlan;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.source.lookup.TargetLookupSource;
import org.syncproducts.config.NotifySettings;
import org.syncproducts.notify.Notifier;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.store.ImageRepository;
import org.syncproducts.store.LookupRepository;
import org.syncproducts.store.PauseRepository;
import org.syncproducts.store.ScheduleRepository;
import org.syncproducts.sync.CancellationToken;
import org.syncproducts.sync.LookupPlans;
import org.syncproducts.sync.ProgressListener;
import org.syncproducts.sync.Scope;
import org.syncproducts.sync.Strategy;
import org.syncproducts.sync.SyncEngine;
import org.syncproducts.sync.SyncRequest;
import org.syncproducts.sync.SyncResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs one sync job (SPEC §4) and reports its outcome. */
@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run one sync job: read the sources, validate every record, upsert products in batches.",
                "Incremental by default (only products not yet in the database are added, and records",
                "newer than the stored product from sources with a last-modified time: rest, postgres); --full",
                "refreshes everything in scope and leaves unchanged rows untouched. Ctrl-C or SIGTERM",
                "stops after the batch in flight; a rerun continues from the checkpoint."})
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--full", description = "Refresh every product in scope, not only missing ones.")
    boolean full;

    @Option(names = "--from", paramLabel = "FILE",
            description = "Sync this file instead of the configured sources (no config needed).")
    Path from;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Format of --from: off-csv, off-jsonl or csv (default: from the name or the first line).")
    String format;

    @Option(names = "--source-name", paramLabel = "NAME",
            description = "Source name recorded for --from products (default: the file name).")
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

    @Option(names = "--images",
            description = "Then download each product's front image into the content-addressed store "
                    + "(sync.images_dir); an image already stored is not downloaded again.")
    boolean images;

    /** The lookup of this run, when lookup sources take part, for the report. */
    private TargetLookupSource lookup;

    /** What --images did, for the report. */
    private ImageSync.Tally imageTally;

    @Override
    public Integer call() {
        java.time.Instant started = java.time.Instant.now();
        if (ifCoverageBelow != null && (ifCoverageBelow < 0 || ifCoverageBelow > 100)) {
            throw new SyncProductsException(ExitCode.USAGE, "--if-coverage-below must be from 0 to 100");
        }
        if (limit < 0) {
            throw new SyncProductsException(ExitCode.USAGE, "--limit must be 0 or more");
        }
        if (batchSize != null && batchSize < 1) {
            throw new SyncProductsException(ExitCode.USAGE, "--batch-size must be at least 1");
        }
        java.time.Duration budget = budget();
        AppConfig config = top.config();
        java.time.Instant deadline = budget != null ? started.plus(budget)
                : config.sync().maxDuration() != null ? started.plus(config.sync().maxDuration()) : null;
        List<ProductSource> sources = retryFailed ? List.of() : sources(config);
        List<LookupSource> lookupSources = lookupSources(config);
        if (retryFailed && lookupSources.isEmpty()) {
            throw SyncProductsException.config("--retry-failed asks the lookup sources again, and none is configured: "
                    + "add an open_food_facts source to the config, or set OFF_CONTACT");
        }
        lookupSources.forEach(LookupSource::checkConfigured);
        Scope scope = new Scope(codes(), categories.isEmpty() ? null : new HashSet<>(categories));
        FailureTolerance tolerance = failureTolerance != null ? FailureTolerance.parse(failureTolerance)
                : config.sync().failureTolerance();
        int batch = batchSize != null ? batchSize : config.sync().batchSize();
        Strategy strategy = full || retryFailed ? Strategy.FULL : Strategy.INCREMENTAL;
        Output output = new Output(spec, top.json());
        CancellationToken cancellation = new CancellationToken();
        try (Database database = top.openDatabase(config);
             SignalHandling signals = SignalHandling.install(cancellation)) {
            java.util.Optional<PauseRepository.Pause> pause = new PauseRepository(database.jdbi()).active();
            if (pause.isPresent()) {
                reportPaused(pause.get(), output);
                return ExitCode.OK;
            }
            java.util.Optional<String> notNeeded = new RunConditions(config, database).whyNot(ifDue, ifCoverageBelow);
            if (notNeeded.isPresent()) {
                reportSkipped(notNeeded.get(), output);
                return ExitCode.OK;
            }
            java.time.Instant scheduledStart = java.time.Instant.now();
            List<ProductSource> allSources = withLookup(sources, lookupSources, scope, strategy, config, database,
                    deadline);
            SyncRequest request = new SyncRequest(allSources, strategy, scope, targetsOnly, limit, batch, dryRun,
                    tolerance, summary(config, allSources, strategy, batch, tolerance));
            ProgressListener progress = ProgressReporter.choose(top, config.sync().progressInterval());
            Notifier notifier = new Notifier(dryRun ? NotifySettings.none() : config.notifications(), top.http()::get,
                    Operator.host(top.env()));
            notifier.syncStarted();
            SyncResult result;
            try {
                result = new SyncEngine(database, config.sync().staleAfter()).run(request, cancellation, progress);
            } catch (RuntimeException e) {
                notifier.syncEnded(null, null, ErrorReporter.exitCode(e),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                throw e;
            }
            if (ifDue != null && !result.dryRun()) {
                new ScheduleRepository(database.jdbi()).recordRun(ifDue, scheduledStart, result.jobId());
            }
            if (lookup != null && lookup.tally().remaining() > 0 && !result.dryRun()) {
                new LookupRepository(database.jdbi()).noteRemaining(result.jobId(), lookup.tally().remaining());
            }
            if (images && !result.dryRun() && !cancellation.isCancelled()) {
                imageTally = new ImageSync(new ImageRepository(database.jdbi()), config.sync().images(), top.http(),
                        imageUserAgent(config), Clock.systemUTC()).run(cancellation);
            }
            report(result, database, output);
            notifier.syncEnded(result.jobId(), result.status(), result.exitCode(), result.message());
            if (result.exitCode() != ExitCode.OK) {
                // SPEC §9: every non-zero exit says on stderr what happened.
                spec.commandLine().getErr().println("sync-products: job #" + result.jobId() + " " + result.status()
                        + ": " + result.message());
                spec.commandLine().getErr().flush();
            }
            return result.exitCode();
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
            output.line("sync skipped: " + reason);
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
            output.line(PauseCommand.describe(pause) + "; nothing was done");
        }
    }

    private List<ProductSource> sources(AppConfig config) {
        if (from != null) {
            if (!sourceNames.isEmpty()) {
                throw new SyncProductsException(ExitCode.USAGE, "--from and --source cannot be combined");
            }
            String name = sourceName != null ? sourceName : FileSources.defaultName(from);
            return List.of(FileSources.forFile(from, format, name));
        }
        if (format != null || sourceName != null) {
            throw new SyncProductsException(ExitCode.USAGE, "--format and --source-name only apply to --from FILE");
        }
        List<ProductSource> sources = new ArrayList<>();
        for (String name : sourceNames(config)) {
            ProductSource source = config.sources().get(name);
            if (source == null && !config.lookupSources().containsKey(name)) {
                throw SyncProductsException.config("no source named '" + name + "' in the config; configured: "
                        + String.join(", ", config.sourceNames()));
            }
            if (source != null) {
                sources.add(source);
            }
        }
        return sources;
    }

    /** The read sources listed before the first lookup source: their products are not looked up again. */
    private List<String> higherPriorityThanLookups(AppConfig config) {
        List<String> kept = new ArrayList<>();
        for (String name : sourceNames(config)) {
            if (config.lookupSources().containsKey(name)) {
                break;
            }
            kept.add(name);
        }
        return kept;
    }

    /** Image hosts get the Open Food Facts User-Agent, with its contact when one is configured. */
    private static String imageUserAgent(AppConfig config) {
        String contact = config.lookupSources().values().stream()
                .filter(org.syncproducts.source.off.OffApiSource.class::isInstance)
                .map(source -> ((org.syncproducts.source.off.OffApiSource) source).settings().contact())
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        String product = "sync-products/" + VersionProvider.version();
        return contact == null ? product : product + " (" + contact + ")";
    }

    /** The --max-duration flag, or null. */
    private java.time.Duration budget() {
        if (maxDuration == null) {
            return null;
        }
        try {
            return Durations.parse(maxDuration, "--max-duration");
        } catch (SyncProductsException e) {
            throw new SyncProductsException(ExitCode.USAGE, e.getMessage());
        }
    }

    /** The names of the sources this run uses, in priority order. */
    private List<String> sourceNames(AppConfig config) {
        List<String> names = !sourceNames.isEmpty() ? sourceNames
                : !config.sync().sources().isEmpty() ? config.sync().sources()
                : List.copyOf(config.sourceNames());
        if (names.isEmpty()) {
            throw SyncProductsException.config("no sources to sync: give --from FILE, or a config file (--config or "
                    + "SYNC_PRODUCTS_CONFIG) with a sources: section, or OFF_CONTACT to look targets up at Open Food "
                    + "Facts; see sample-config/sync-products.yaml");
        }
        return names;
    }

    /** The lookup sources (APIs asked by barcode) this run uses, in priority order; none with --from. */
    private List<LookupSource> lookupSources(AppConfig config) {
        if (from != null) {
            return List.of();
        }
        return sourceNames(config).stream().map(config.lookupSources()::get).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The read sources, then (when lookup sources take part) one source that looks the codes of
     * this run up in them: after the files, so codes the files filled are not asked for.
     */
    private List<ProductSource> withLookup(List<ProductSource> sources, List<LookupSource> lookupSources, Scope scope,
                                           Strategy strategy, AppConfig config, Database database,
                                           java.time.Instant deadline) {
        if (lookupSources.isEmpty()) {
            return sources;
        }
        LookupRepository repository = new LookupRepository(database.jdbi());
        LookupPlan plan = retryFailed ? LookupPlans.retryFailed(repository)
                : scope.codes() != null ? LookupPlans.namedCodes(repository, scope.codes(), strategy != Strategy.FULL)
                : strategy == Strategy.FULL ? LookupPlans.allTargets(repository, higherPriorityThanLookups(config))
                : LookupPlans.missingTargets(repository, config.sync().recheckNotFoundAfter());
        lookup = new TargetLookupSource(lookupSources, plan, limit, deadline, Clock.systemUTC());
        List<ProductSource> all = new ArrayList<>(sources);
        all.add(lookup);
        return all;
    }

    /** Canonical codes from --upcs and --upcs-file, or null for no code filter. */
    private Set<String> codes() {
        if (upcs.isEmpty() && upcsFile == null) {
            return null;
        }
        Set<String> codes = new HashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String upc : upcs) {
            Barcode.parse(upc).ifPresentOrElse(code -> codes.add(code.canonical()), () -> invalid.add("'" + upc + "'"));
        }
        if (!invalid.isEmpty()) {
            throw new SyncProductsException(ExitCode.USAGE, "--upcs has invalid barcodes: " + String.join(", ", invalid));
        }
        if (upcsFile != null) {
            readCodesFile(codes);
        }
        return codes;
    }

    private void readCodesFile(Set<String> codes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(upcsFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SyncProductsException.config("cannot read --upcs-file " + upcsFile + ": " + e.getMessage());
        }
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String first = lines.get(i).split("[,;\t]", 2)[0].replace("\"", "").strip();
            if (first.isEmpty() || first.startsWith("#") || (i == 0 && !first.chars().allMatch(Character::isDigit))) {
                continue;
            }
            int lineNumber = i + 1;
            Barcode.parse(first).ifPresentOrElse(code -> codes.add(code.canonical()),
                    () -> invalid.add("line " + lineNumber + " '" + first + "'"));
        }
        if (!invalid.isEmpty()) {
            throw SyncProductsException.badInput(upcsFile + " has invalid barcodes: "
                    + String.join(", ", invalid.subList(0, Math.min(10, invalid.size())))
                    + (invalid.size() > 10 ? " and " + (invalid.size() - 10) + " more" : ""));
        }
    }

    /** What the job row records as its config: the run's settings, no secrets. */
    private Map<String, Object> summary(AppConfig config, List<ProductSource> sources, Strategy strategy, int batch,
                                        FailureTolerance tolerance) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("strategy", strategy.label());
        summary.put("sources", sources.stream().map(source -> Map.of("name", source.name(), "type", source.type(),
                "input", source.fingerprint())).toList());
        summary.put("batch_size", batch);
        summary.put("limit", limit);
        summary.put("dry_run", dryRun);
        summary.put("failure_tolerance", tolerance.toString());
        summary.put("targets_only", targetsOnly);
        summary.put("upcs", upcs.size());
        if (upcsFile != null) {
            summary.put("upcs_file", upcsFile.toString());
        }
        summary.put("categories", categories);
        if (lookup != null) {
            Map<String, Object> lookups = new LinkedHashMap<>();
            lookup.sources().forEach(source -> lookups.put(source.name(), source.describe()));
            summary.put("lookup_sources", lookups);
            summary.put("retry_failed", retryFailed);
        }
        summary.put("config_file", config.file() == null ? null : config.file().toString());
        summary.put("database", config.database().maskedUrl());
        return summary;
    }

    private void report(SyncResult result, Database database, Output output) {
        double seconds = Math.max(result.duration().toMillis(), 1) / 1000.0;
        long perSecond = Math.round(result.counts().read() / seconds);
        Map<String, Long> errorTypes = result.dryRun() ? Map.of()
                : ErrorRepository.countByType(database.jdbi(), result.jobId());
        List<ErrorRepository.ErrorRow> examples = result.dryRun() ? List.of()
                : ErrorRepository.firstOfJob(database.jdbi(), result.jobId(), 5);
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("job_id", result.jobId());
            document.put("status", result.status());
            document.put("dry_run", result.dryRun());
            document.put("exit_code", result.exitCode());
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
            document.put("errors_by_type", errorTypes);
            document.put("resumed_from_job", result.resumedFrom());
            document.put("interrupted_jobs", result.interrupted());
            if (lookup != null) {
                document.put("lookup", lookupDocument(lookup.tally()));
            }
            if (imageTally != null) {
                document.put("images", Map.of("stored", imageTally.stored(), "already_stored",
                        imageTally.alreadyOnDisk(), "failed", imageTally.failed()));
            }
            document.put("message", result.message());
            output.json(document);
            return;
        }
        for (Long interrupted : result.interrupted()) {
            output.line("note: job #" + interrupted + " had been left running by a process that died; marked interrupted");
        }
        if (result.resumedFrom() != null) {
            output.line("note: resumed from the checkpoint of job #" + result.resumedFrom());
        }
        output.line((result.dryRun() ? "dry run " : "") + "job #" + result.jobId() + " " + result.status() + " in "
                + Durations.format(result.duration()) + ": " + result.message()
                + " (" + perSecond + " records/s)");
        if (lookup != null) {
            output.line(lookupLine(lookup.tally()));
        }
        if (imageTally != null) {
            output.line("images: " + imageTally.stored() + " downloaded, " + imageTally.alreadyOnDisk()
                    + " already in the store, " + imageTally.failed() + " failed (see product_images)");
        }
        if (!errorTypes.isEmpty()) {
            StringBuilder types = new StringBuilder("failures by type:");
            errorTypes.forEach((type, count) -> types.append(' ').append(type).append(' ').append(count));
            output.line(types.toString());
            for (ErrorRepository.ErrorRow row : examples) {
                output.line("  " + (row.line() == null ? "" : "line " + row.line() + ": ") + row.type() + ": "
                        + row.message());
            }
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

    private String lookupLine(TargetLookupSource.Tally tally) {
        StringBuilder line = new StringBuilder("looked up " + (tally.codes() - tally.remaining()) + " of "
                + tally.codes() + " codes at " + lookup.name() + ": " + tally.found() + " found");
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
}
