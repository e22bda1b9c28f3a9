package org.syncproducts.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.images.ImageStore;
import org.syncproducts.images.ImageStores;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.store.Database;
import org.syncproducts.store.ImageRepository;
import org.syncproducts.verify.StoredImagesCheck;
import org.syncproducts.verify.Verifier;
import org.syncproducts.verify.VerifyCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Consistency checks for CI and operators (SPEC §8): exit 0 clean, 1 on any discrepancy. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Check the database for CI and operators: exit 0 when clean, 1 on any discrepancy.",
                "Checks target coverage against a minimum, barcodes stored twice, jobs stuck running, "
                        + "(--source) whether a source and the products it produced agree: record counts for a file, "
                        + "a re-fetched sample (--sample) for an API; (--images) whether a sample of the stored "
                        + "product images is still in the image store; (--counts) whether the kept product counts "
                        + "match the rows.",
                "Data quality (GTINs with a wrong check digit, codes that are not GTINs) is counted; it fails "
                        + "only past --max-invalid-check-digits / --max-non-gtin, or when a target code is one."})
final class VerifyCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    private static final int DEFAULT_SAMPLE = 20;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--min-coverage", paramLabel = "PERCENT",
            description = "Fail when under this share of targets has a product (default: monitor.coverage_minimum, else 85; "
                    + "skipped without targets unless given).")
    Double minCoverage;

    @Option(names = "--max-invalid-check-digits", paramLabel = "PERCENT",
            description = "Fail when more than this share of products are GTINs with a wrong check digit "
                    + "(default: count only).")
    Double maxInvalidCheckDigits;

    @Option(names = "--max-non-gtin", paramLabel = "PERCENT",
            description = "Fail when more than this share of products have codes that are not GTINs (default: count only).")
    Double maxNonGtin;

    @Option(names = "--source", paramLabel = "NAME", split = ",",
            description = "Also compare these sources with the products they produced: record counts for a file "
                    + "source (configured, or synced with --from FILE or URL under that name: a URL's cached "
                    + "download), a re-fetched sample (--sample) "
                    + "for an API source.")
    List<String> sourceNames = new ArrayList<>();

    @Option(names = "--sample", paramLabel = "N",
            description = "Products of each API source to re-fetch and compare field by field, and stored images to "
                    + "look for with --images (default: 20).")
    Integer sample;

    @Option(names = "--images",
            description = "Also check that a sample (--sample) of the images recorded as stored are still in the "
                    + "image store (a HEAD each for a bucket), naming the command that fetches missing ones again.")
    boolean images;

    @Option(names = "--counts",
            description = "Also compare the product counts the database keeps (for stats, monitor and the report) with "
                    + "a count of the rows (reads every product).")
    boolean counts;

    @Option(names = "--repair-counts",
            description = "As --counts, and rebuild the kept counts from the rows when they differ.")
    boolean repairCounts;

    @Override
    public Integer call() {
        if (minCoverage != null && (minCoverage < 0 || minCoverage > 100)) {
            throw new SyncProductsException(ExitCode.USAGE, "--min-coverage must be from 0 to 100");
        }
        for (Double percent : new Double[] {maxInvalidCheckDigits, maxNonGtin}) {
            if (percent != null && (percent < 0 || percent > 100)) {
                throw new SyncProductsException(ExitCode.USAGE,
                        "--max-invalid-check-digits and --max-non-gtin must be from 0 to 100");
            }
        }
        if (sample != null && sample < 1) {
            throw new SyncProductsException(ExitCode.USAGE, "--sample must be at least 1");
        }
        AppConfig config = top.config();
        List<ProductSource> sources = new ArrayList<>();
        List<LookupSource> apiSources = new ArrayList<>();
        List<String> recordedNames = new ArrayList<>();
        for (String name : sourceNames) {
            ProductSource source = config.sources().get(name);
            LookupSource api = config.lookupSources().get(name);
            if (source == null && api == null) {
                recordedNames.add(name);
            } else if (api != null) {
                api.checkConfigured();
                apiSources.add(api);
            } else if (!Verifier.FILE_TYPES.contains(source.type())) {
                throw new SyncProductsException(ExitCode.USAGE, "verify --source compares file and API sources; "
                        + name + " is of type " + source.type());
            } else {
                sources.add(source);
            }
        }
        if (sample != null && apiSources.isEmpty() && !images) {
            throw new SyncProductsException(ExitCode.USAGE, "--sample applies to API sources named with --source "
                    + "and to --images");
        }
        List<VerifyCheck> checks = new ArrayList<>();
        try (Database database = top.openDatabase(config)) {
            Verifier verifier = new Verifier(database.jdbi(), config.sync().languages());
            for (String name : recordedNames) {
                sources.add(verifier.recordedFileSource(name, config.sync().cacheDir()).orElseThrow(() -> SyncProductsException.config(
                        "no source named '" + name + "' in the config, and no sync recorded a file source of that name;"
                                + " configured: " + (config.sourceNames().isEmpty() ? "none"
                                : String.join(", ", config.sourceNames())))));
            }
            checks.add(verifier.coverage(minCoverage != null ? minCoverage
                    : config.monitor().thresholds().coverageMinimum(), minCoverage != null));
            checks.add(verifier.checkDigits(maxInvalidCheckDigits));
            checks.add(verifier.nonGtinCodes(maxNonGtin));
            checks.add(verifier.duplicateCodes());
            checks.add(verifier.staleJobs(config.sync().staleAfter()));
            for (ProductSource source : sources) {
                checks.add(verifier.source(source));
            }
            for (LookupSource api : apiSources) {
                checks.add(verifier.drift(api, sample != null ? sample : DEFAULT_SAMPLE));
            }
            if (counts || repairCounts) {
                checks.add(verifier.productCounts(repairCounts));
            }
            if (images) {
                try (ImageStore store = ImageStores.open(config.sync().images(), top.env())) {
                    checks.add(StoredImagesCheck.run(new ImageRepository(database.jdbi()), store,
                            config.sync().images().storeName(), sample != null ? sample : DEFAULT_SAMPLE));
                }
            }
        }
        List<VerifyCheck> failed = checks.stream().filter(check -> !check.passed()).toList();
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("clean", failed.isEmpty());
            document.put("checks", checks.stream().map(check -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("check", check.name());
                row.put("passed", check.passed());
                row.put("message", check.message());
                row.putAll(check.figures());
                return row;
            }).toList());
            output.json(document, failed.isEmpty() ? ExitCode.OK : ExitCode.FAILURE);
        } else {
            for (VerifyCheck check : checks) {
                output.line(String.format("%-4s  %-18s %s", check.passed() ? "ok" : "FAIL", check.name(), check.message()));
            }
            output.line(failed.isEmpty() ? "verify: clean (" + checks.size() + " checks passed)"
                    : "verify: " + failed.size() + " of " + checks.size() + " checks failed");
        }
        if (failed.isEmpty()) {
            return ExitCode.OK;
        }
        spec.commandLine().getErr().println("sync-products: verify found discrepancies in "
                + String.join(", ", failed.stream().map(VerifyCheck::name).toList()) + "; see the report on stdout");
        spec.commandLine().getErr().flush();
        return ExitCode.FAILURE;
    }
}
