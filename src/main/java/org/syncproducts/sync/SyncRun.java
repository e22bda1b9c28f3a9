package org.syncproducts.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.config.NotifySettings;
import org.syncproducts.config.SyncSettings;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.download.DownloadListener;
import org.syncproducts.download.ExportDownload;
import org.syncproducts.images.ImageSync;
import org.syncproducts.notify.Notifier;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.UrlExportSource;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupPlan;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.source.lookup.TargetLookupSource;
import org.syncproducts.source.off.ExportHorizon;
import org.syncproducts.source.off.OffApiSource;
import org.syncproducts.source.offdelta.DeltaGapException;
import org.syncproducts.source.offdelta.OffDeltaSource;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.store.ImageRepository;
import org.syncproducts.store.JobRepository;
import org.syncproducts.store.LookupRepository;
import org.syncproducts.store.PauseRepository;
import org.syncproducts.store.ScheduleRepository;
import org.syncproducts.store.SourceStateRepository;

/**
 * One {@code sync} invocation from start to report: the pause check, the run conditions
 * ({@code --if-due}, {@code --if-coverage-below}), the sources and the lookup plan, start and end
 * notifications, the job itself, {@code --images}, and what the report needs. The command only
 * turns its flags into {@link Options} and prints the {@link Outcome}.
 *
 * <p>The constructor checks everything that needs no database (flags against the config), so a
 * misconfigured run fails before it connects.
 */
public final class SyncRun {
    /** How many item errors the report shows as examples. */
    private static final int ERROR_EXAMPLES = 5;

    /**
     * What the operator asked for (the {@code sync} flags); null or empty means "not given".
     *
     * @param codes           canonical codes of {@code --upcs} / {@code --upcs-file} (see {@link CodeList}), or null
     * @param upcsCount       how many codes {@code --upcs} named, for the job row
     * @param batchSize       {@code --batch-size}, or null for the config's
     * @param failureTolerance {@code --failure-tolerance}, or null for the config's
     * @param maxDuration     {@code --max-duration}, or null for the config's
     * @param resume          false for {@code --no-resume}: ignore checkpoints of earlier jobs
     * @param auto            {@code --auto}: choose sources and strategy per run ({@link AutoStrategy})
     * @param fromUrl         {@code --from URL}: an export to download and sync, or null
     * @param cacheDir        {@code --cache-dir}, or null for the config's
     * @param concurrency     {@code --concurrency}, or null for the config's
     * @param fromDelta       {@code --from-delta}: a base URL or a local directory of Open Food Facts delta files, or null
     * @param allowGap        {@code --allow-gap}: apply delta files even when they do not continue what was applied
     */
    public record Options(boolean full, Path from, String format, String sourceName, List<String> sourceNames,
                          Set<String> codes, int upcsCount, Path upcsFile, List<String> categories,
                          boolean targetsOnly, long limit, Integer batchSize, FailureTolerance failureTolerance,
                          boolean dryRun, String ifDue, Double ifCoverageBelow, boolean retryFailed,
                          Duration maxDuration, boolean images, boolean resume, boolean auto, String fromUrl,
                          Path cacheDir, Integer concurrency, String fromDelta, boolean allowGap) {
        public Options {
            if (auto && (full || from != null || fromUrl != null || retryFailed)) {
                throw new SyncProductsException(ExitCode.USAGE, "--auto chooses the strategy itself: it cannot be "
                        + "combined with " + (full ? "--full" : retryFailed ? "--retry-failed" : "--from"));
            }
            sourceNames = List.copyOf(sourceNames);
            categories = List.copyOf(categories);
            if (ifCoverageBelow != null && (ifCoverageBelow < 0 || ifCoverageBelow > 100)) {
                throw new SyncProductsException(ExitCode.USAGE, "--if-coverage-below must be from 0 to 100");
            }
            if (limit < 0) {
                throw new SyncProductsException(ExitCode.USAGE, "--limit must be 0 or more");
            }
            if (batchSize != null && batchSize < 1) {
                throw new SyncProductsException(ExitCode.USAGE, "--batch-size must be at least 1");
            }
            if (concurrency != null && (concurrency < 1 || concurrency > SyncSettings.MAX_CONCURRENCY)) {
                throw new SyncProductsException(ExitCode.USAGE, "--concurrency must be from 1 to "
                        + SyncSettings.MAX_CONCURRENCY);
            }
        }
    }

    /** How a sync invocation ended; {@link #exitCode()} is what the process exits with. */
    public sealed interface Outcome {
        int exitCode();
    }

    /** Syncs are paused ({@code sync-products pause}): nothing was done. */
    public record Paused(PauseRepository.Pause pause) implements Outcome {
        @Override
        public int exitCode() {
            return ExitCode.OK;
        }
    }

    /** A run condition does not hold: nothing was done, for this reason. */
    public record Skipped(String reason) implements Outcome {
        @Override
        public int exitCode() {
            return ExitCode.OK;
        }
    }

    /**
     * A job ran.
     *
     * @param plan          why {@code --auto} chose what it did, else null
     * @param lookupName    the lookup source's name when lookups took part, else null
     * @param lookup        what the lookups did, or null
     * @param images        what {@code --images} did, or null
     * @param errorsByType  item errors of the job by type (empty for a dry run)
     * @param errorExamples the job's first few item errors
     */
    public record Ran(SyncResult result, String plan, String lookupName, TargetLookupSource.Tally lookup, ImageSync.Tally images,
                      Map<String, Long> errorsByType, List<ErrorRepository.ErrorRow> errorExamples)
            implements Outcome {
        @Override
        public int exitCode() {
            return result.exitCode();
        }
    }

    private final AppConfig config;
    private final Options options;
    private final SharedHttpClient http;
    private final Map<String, String> env;
    private final String host;
    private final String product;
    private final Instant started;
    private final List<ProductSource> sources;
    private final List<LookupSource> lookupSources;
    private final Scope scope;
    private final FailureTolerance tolerance;
    private final int batchSize;
    private final Strategy strategy;
    private final Instant deadline;
    private final int concurrency;

    /**
     * @param http    the process's HTTP client (lookups, images, notifications)
     * @param env     the environment (the S3 image store's credentials and endpoint)
     * @param host    names this machine in notifications
     * @param product this tool's User-Agent product token, e.g. {@code sync-products/1.2.0}
     * @throws SyncProductsException when the flags do not fit the config (64 or 78)
     */
    public SyncRun(AppConfig config, Options options, SharedHttpClient http, Map<String, String> env, String host,
                   String product) {
        this.config = config;
        this.options = options;
        this.http = http;
        this.env = env;
        this.host = host;
        this.product = product;
        this.started = Instant.now();
        Duration budget = options.maxDuration() != null ? options.maxDuration() : config.sync().maxDuration();
        this.deadline = budget == null ? null : started.plus(budget);
        this.sources = options.retryFailed() ? List.of() : readSources();
        this.lookupSources = lookupSources();
        if (options.retryFailed() && lookupSources.isEmpty()) {
            throw SyncProductsException.config("--retry-failed asks the lookup sources again, and none is configured: "
                    + "add an open_food_facts source to the config, or set OFF_CONTACT");
        }
        lookupSources.forEach(LookupSource::checkConfigured);
        this.scope = new Scope(options.codes(), options.categories().isEmpty() ? null
                : new HashSet<>(options.categories()));
        this.tolerance = options.failureTolerance() != null ? options.failureTolerance()
                : config.sync().failureTolerance();
        this.batchSize = options.batchSize() != null ? options.batchSize() : config.sync().batchSize();
        this.strategy = options.full() || options.retryFailed() ? Strategy.FULL : Strategy.INCREMENTAL;
        this.concurrency = options.concurrency() != null ? options.concurrency() : config.sync().concurrency();
    }

    /**
     * Runs against {@code database}: does nothing when paused or not needed, else runs the job
     * (then {@code --images}) and gathers its report. A job that fails to run at all is notified
     * and rethrown.
     */
    public Outcome run(Database database, CancellationToken cancellation, ProgressListener progress) {
        Optional<PauseRepository.Pause> pause = new PauseRepository(database.jdbi()).active();
        if (pause.isPresent()) {
            return new Paused(pause.get());
        }
        Optional<String> notNeeded = new RunConditions(config, database)
                .whyNot(options.ifDue(), options.ifCoverageBelow());
        if (notNeeded.isPresent()) {
            return new Skipped(notNeeded.get());
        }
        Instant scheduledStart = Instant.now();
        AutoStrategy.Choice choice = options.auto() ? AutoStrategy.choose(forRun(sources, database), scope.codes(),
                config.auto().realtimeMax(), !lookupSources.isEmpty(), new SourceStateRepository(database.jdbi()))
                : new AutoStrategy.Choice(forRun(sources, database), strategy, null, null);
        Notifier notifier = notifier();
        ImageSync imageSync = options.images() && !options.dryRun() ? new ImageSync(new ImageRepository(database.jdbi()),
                config.sync().images(), env, http, imageUserAgent(), config.sync().progressInterval(), Clock.systemUTC())
                : null;
        if (imageSync != null) {
            // A missing bucket or wrong credentials end the run (78) before any work.
            imageSync.checkStore();
        }
        notifier.syncStarted();
        TargetLookupSource lookup = lookupSources.isEmpty() ? null : lookup(database, choice);
        SyncResult result;
        try {
            try {
                result = runJob(database, choice, lookup, notifier, cancellation, progress);
            } catch (DeltaGapException gap) {
                // --auto repairs a gap in the deltas itself, with the full export (the gap's job is failed).
                Optional<AutoStrategy.Choice> repair = options.auto() ? AutoStrategy.exportAfterGap(
                        forRun(sources, database), !lookupSources.isEmpty(), gap.why()) : Optional.empty();
                if (repair.isEmpty()) {
                    throw gap;
                }
                choice = repair.get();
                lookup = lookupSources.isEmpty() ? null : lookup(database, choice);
                result = runJob(database, choice, lookup, notifier, cancellation, progress);
            }
        } catch (RuntimeException e) {
            notifier.syncEnded(null, null, ExitCode.of(e), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
        if (options.ifDue() != null && !result.dryRun()) {
            new ScheduleRepository(database.jdbi()).recordRun(options.ifDue(), scheduledStart, result.jobId());
        }
        if (lookup != null && lookup.tally().remaining() > 0 && !result.dryRun()) {
            new LookupRepository(database.jdbi()).noteRemaining(result.jobId(), lookup.tally().remaining());
        }
        ImageSync.Tally images = null;
        if (imageSync != null && !cancellation.isCancelled()) {
            images = imageSync.run(result.jobId(), scope.codes(), options.limit(), deadline, cancellation);
        }
        if (imageSync != null && cancellation.isCancelled() && result.exitCode() == ExitCode.OK) {
            // A stop after the job completed (before or during the images phase): the job stays
            // completed, the process exits as stopped, so a caller knows images were left.
            result = result.stoppedAfterwards(cancellation.exitCode(), "images stopped by " + cancellation.reason());
        }
        Ran ran = new Ran(result, choice.reason(), lookup == null ? null : lookup.name(), lookup == null ? null : lookup.tally(), images,
                result.dryRun() ? Map.of() : ErrorRepository.countByType(database.jdbi(), result.jobId()),
                result.dryRun() ? List.of() : ErrorRepository.firstOfJob(database.jdbi(), result.jobId(),
                        ERROR_EXAMPLES));
        notifier.syncEnded(result.jobId(), result.status(), result.exitCode(), result.message());
        return ran;
    }

    /** Runs the job for {@code choice}; exports by URL are fetched first (the job's input is the version downloaded). */
    private SyncResult runJob(Database database, AutoStrategy.Choice choice, TargetLookupSource lookup,
                              Notifier notifier, CancellationToken cancellation, ProgressListener progress) {
        fetchExports(choice.sources(), cancellation, progress.downloads());
        // A lost database ends the process at once, from the engine's watchdog: announced there.
        return new SyncEngine(database, config.sync().staleAfter(), (message, jobId) -> notifier.syncEnded(
                jobId > 0 ? jobId : null, JobRepository.FAILED, ExitCode.UNAVAILABLE, message))
                .run(request(choice, lookup), cancellation, progress);
    }

    /** The job for {@code choice}: its read sources, then the lookups (after the files, so codes they filled are not asked for). */
    private SyncRequest request(AutoStrategy.Choice choice, TargetLookupSource lookup) {
        List<ProductSource> allSources = new ArrayList<>(choice.sources());
        if (lookup != null) {
            allSources.add(lookup);
        }
        return new SyncRequest(allSources, choice.strategy(), scope, options.targetsOnly(), options.limit(),
                batchSize, options.dryRun(), tolerance, summary(allSources, lookup, choice), options.resume(),
                config.sync().languages(), config.sync().markMissingDeleted() ? config.sync().markMissingLimit() : null);
    }

    /**
     * Announces a run that could not start (the database unreachable, say) like a failed one: the
     * webhook and the {@code /fail} ping, since nothing else would tell anyone (SPEC §9).
     */
    public void announceNotStarted(SyncProductsException e) {
        notifier().syncEnded(null, null, e.exitCode(), e.getMessage());
    }

    private Notifier notifier() {
        return new Notifier(options.dryRun() ? NotifySettings.none() : config.notifications(), http::get, host);
    }

    /**
     * Brings every export read by URL up to date in the download cache ({@link ExportDownload}), with
     * the User-Agent of Open Food Facts requests; a stop during a download ends the run with the
     * signal's exit code, the part kept for the next run.
     */
    private void fetchExports(List<ProductSource> runSources, CancellationToken cancellation, DownloadListener listener) {
        Path cacheDir = options.cacheDir() != null ? options.cacheDir() : config.sync().cacheDir();
        for (ProductSource source : runSources) {
            if (source instanceof UrlExportSource export && !cancellation.isCancelled()) {
                try {
                    export.fetch(cacheDir, http, imageUserAgent(), listener, cancellation::isCancelled);
                } catch (ExportDownload.Stopped e) {
                    throw new SyncProductsException(cancellation.exitCode(), e.getMessage());
                }
            }
        }
        if (cancellation.isCancelled()) {
            throw new SyncProductsException(cancellation.exitCode(), "stopped before the sync started ("
                    + cancellation.reason() + ")");
        }
    }

    /**
     * A delta source learns what its gaps are judged against (the last complete full export load),
     * which export source repairs one, and whether gaps are allowed.
     */
    private List<ProductSource> forRun(List<ProductSource> sources, Database database) {
        return sources.stream().map(source -> forRun(source, database)).toList();
    }

    private ProductSource forRun(ProductSource source, Database database) {
        if (!(source instanceof OffDeltaSource delta)) {
            return source;
        }
        Long exportUpTo = new SourceStateRepository(database.jdbi()).largestInCursors(ExportHorizon.KEY).orElse(null);
        List<String> exportSources = AutoStrategy.exports(List.copyOf(config.sources().values())).stream()
                .map(ProductSource::name).toList();
        return delta.forRun(new OffDeltaSource.Run(exportUpTo, exportSources, options.allowGap(),
                strategy == Strategy.FULL));
    }

    /** The source of {@code --from-delta}: built as a config entry of type off-delta would be. */
    private ProductSource deltaSource() {
        if (options.from() != null || options.fromUrl() != null || !options.sourceNames().isEmpty()
                || options.format() != null) {
            throw new SyncProductsException(ExitCode.USAGE, "--from-delta cannot be combined with --from, --source or "
                    + "--format");
        }
        String where = options.fromDelta().strip();
        ObjectNode entry = JsonNodeFactory.instance.objectNode().put("type", OffDeltaSource.TYPE);
        if (where.startsWith("http://") || where.startsWith("https://")) {
            entry.put("url", where);
        } else {
            if (!Files.isDirectory(Path.of(where))) {
                throw SyncProductsException.config("--from-delta " + where + ": no such directory; give the base URL of "
                        + "the delta files (" + OffDeltaSource.DEFAULT_URL + ") or a directory holding index.txt and "
                        + "the files");
            }
            entry.put("path", where);
        }
        String name = options.sourceName() != null ? options.sourceName() : OffDeltaSource.TYPE;
        SourceTypes types = SourceTypes.builtIn(new LookupContext(env, http, Clock.systemUTC(), product));
        return types.create(name, new ConfigNode(entry, "--from-delta"), Path.of("").toAbsolutePath());
    }

    private List<ProductSource> readSources() {
        if (options.fromDelta() != null) {
            return List.of(deltaSource());
        }
        if (options.fromUrl() != null) {
            if (!options.sourceNames().isEmpty()) {
                throw new SyncProductsException(ExitCode.USAGE, "--from and --source cannot be combined");
            }
            return List.of(FileSources.forUrl(options.fromUrl(), options.format(), options.sourceName()));
        }
        if (options.from() != null) {
            if (!options.sourceNames().isEmpty()) {
                throw new SyncProductsException(ExitCode.USAGE, "--from and --source cannot be combined");
            }
            if (!Files.isRegularFile(options.from())) {
                throw SyncProductsException.config("--from " + options.from() + ": file not found; give the path of "
                        + "an Open Food Facts export (CSV or JSONL, plain or .gz) or a CSV file");
            }
            String name = options.sourceName() != null ? options.sourceName() : FileSources.defaultName(options.from());
            return List.of(FileSources.forFile(options.from(), options.format(), name));
        }
        if (options.format() != null || options.sourceName() != null) {
            throw new SyncProductsException(ExitCode.USAGE, "--format and --source-name only apply to --from FILE "
                    + "(and --source-name to --from-delta)");
        }
        List<ProductSource> read = new ArrayList<>();
        for (String name : sourceNames()) {
            ProductSource source = config.sources().get(name);
            if (source == null && !config.lookupSources().containsKey(name)) {
                throw SyncProductsException.config("no source named '" + name + "' in the config; configured: "
                        + String.join(", ", config.sourceNames()));
            }
            if (source != null) {
                read.add(source);
            }
        }
        return read;
    }

    /** The names of the sources this run uses, in priority order. */
    private List<String> sourceNames() {
        List<String> names = !options.sourceNames().isEmpty() ? options.sourceNames()
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
    private List<LookupSource> lookupSources() {
        if (options.from() != null || options.fromUrl() != null || options.fromDelta() != null) {
            return List.of();
        }
        return sourceNames().stream().map(config.lookupSources()::get).filter(Objects::nonNull).toList();
    }

    /** The read sources listed before the first lookup source: their products are not looked up again. */
    private List<String> higherPriorityThanLookups() {
        List<String> kept = new ArrayList<>();
        for (String name : sourceNames()) {
            if (config.lookupSources().containsKey(name)) {
                break;
            }
            kept.add(name);
        }
        return kept;
    }

    /** One source that looks the codes of this run up in the lookup sources. */
    private TargetLookupSource lookup(Database database, AutoStrategy.Choice choice) {
        LookupRepository repository = new LookupRepository(database.jdbi());
        LookupPlan plan = choice.lookups() == AutoStrategy.Lookups.NAMED_CODES
                ? LookupPlans.namedCodes(repository, scope.codes(), false)
                : choice.lookups() == AutoStrategy.Lookups.MISSING_TARGETS && scope.codes() != null
                ? LookupPlans.namedCodes(repository, scope.codes(), true)
                : choice.lookups() == AutoStrategy.Lookups.MISSING_TARGETS
                ? LookupPlans.missingTargets(repository, config.sync().recheckNotFoundAfter())
                : options.retryFailed() ? LookupPlans.retryFailed(repository)
                : scope.codes() != null ? LookupPlans.namedCodes(repository, scope.codes(), strategy != Strategy.FULL)
                : strategy == Strategy.FULL ? LookupPlans.allTargets(repository, higherPriorityThanLookups())
                : LookupPlans.missingTargets(repository, config.sync().recheckNotFoundAfter());
        return new TargetLookupSource(lookupSources, plan, options.limit(), deadline, Clock.systemUTC(), concurrency);
    }

    /** Image hosts get the Open Food Facts User-Agent, with its contact when one is configured. */
    private String imageUserAgent() {
        String contact = config.lookupSources().values().stream()
                .filter(OffApiSource.class::isInstance)
                .map(source -> ((OffApiSource) source).settings().contact())
                .filter(Objects::nonNull).findFirst().orElse(null);
        return contact == null ? product : product + " (" + contact + ")";
    }

    /** What the job row records as its config: the run's settings, no secrets. */
    private Map<String, Object> summary(List<ProductSource> allSources, TargetLookupSource lookup,
                                        AutoStrategy.Choice choice) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("strategy", choice.strategy().label());
        if (choice.reason() != null) {
            summary.put("auto", choice.reason());
        }
        summary.put("sources", allSources.stream().map(source -> Map.of("name", source.name(), "type", source.type(),
                "input", source.fingerprint())).toList());
        summary.put("batch_size", batchSize);
        summary.put("limit", options.limit());
        summary.put("dry_run", options.dryRun());
        summary.put("failure_tolerance", tolerance.toString());
        summary.put("targets_only", options.targetsOnly());
        summary.put("upcs", options.upcsCount());
        if (options.upcsFile() != null) {
            summary.put("upcs_file", options.upcsFile().toString());
        }
        summary.put("categories", options.categories());
        if (lookup != null) {
            Map<String, Object> lookups = new LinkedHashMap<>();
            lookup.sources().forEach(source -> lookups.put(source.name(), source.describe()));
            summary.put("lookup_sources", lookups);
            summary.put("retry_failed", options.retryFailed());
            summary.put("concurrency", concurrency);
        }
        summary.put("config_file", config.file() == null ? null : config.file().toString());
        summary.put("database", config.database().maskedUrl());
        return summary;
    }
}
