package org.syncproducts.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.syncproducts.model.Barcode;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.ProductSource;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.sync.CancellationToken;
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
                "Incremental by default (only products not yet in the database are added); --full",
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

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new SyncProductsException(ExitCode.USAGE, "--limit must be 0 or more");
        }
        if (batchSize != null && batchSize < 1) {
            throw new SyncProductsException(ExitCode.USAGE, "--batch-size must be at least 1");
        }
        AppConfig config = top.config();
        List<ProductSource> sources = sources(config);
        Scope scope = new Scope(codes(), categories.isEmpty() ? null : new HashSet<>(categories));
        FailureTolerance tolerance = failureTolerance != null ? FailureTolerance.parse(failureTolerance)
                : config.sync().failureTolerance();
        int batch = batchSize != null ? batchSize : config.sync().batchSize();
        Strategy strategy = full ? Strategy.FULL : Strategy.INCREMENTAL;
        SyncRequest request = new SyncRequest(sources, strategy, scope, targetsOnly, limit, batch, dryRun, tolerance,
                summary(config, sources, strategy, batch, tolerance));
        Output output = new Output(spec, top.json());
        CancellationToken cancellation = new CancellationToken();
        try (Database database = top.openDatabase(config);
             SignalHandling signals = SignalHandling.install(cancellation)) {
            ProgressListener progress = ProgressReporter.choose(top, config.sync().progressInterval());
            SyncResult result = new SyncEngine(database, config.sync().staleAfter()).run(request, cancellation, progress);
            report(result, database, output);
            return result.exitCode();
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
        List<String> names = !sourceNames.isEmpty() ? sourceNames
                : !config.sync().sources().isEmpty() ? config.sync().sources()
                : List.copyOf(config.sources().keySet());
        if (names.isEmpty()) {
            throw SyncProductsException.config("no sources to sync: give --from FILE, or a config file (--config or "
                    + "SYNC_PRODUCTS_CONFIG) with a sources: section; see sample-config/sync-products.yaml");
        }
        List<ProductSource> sources = new ArrayList<>();
        for (String name : names) {
            ProductSource source = config.sources().get(name);
            if (source == null) {
                throw SyncProductsException.config("no source named '" + name + "' in the config; configured: "
                        + String.join(", ", config.sources().keySet()));
            }
            sources.add(source);
        }
        return sources;
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
}
