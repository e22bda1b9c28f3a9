package org.syncproducts.verify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.syncproducts.download.ExportCache;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.lookup.LookupSource;
import org.syncproducts.source.csv.CsvSource;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;
import org.syncproducts.store.JobRepository;
import org.syncproducts.store.ProductCounts;

/**
 * The checks of {@code verify} (SPEC §8): target coverage against a threshold, integrity of the
 * stored data, and agreement of file sources with the rows they produced.
 */
public final class Verifier {
    /** Source types that read a file, whose records can be counted again. */
    public static final Set<String> FILE_TYPES = Set.of(OffCsvSource.TYPE, OffJsonlSource.TYPE, CsvSource.TYPE);

    private final Jdbi jdbi;
    private final IntegrityRepository integrity;
    private final List<String> languages;

    /** @param languages the name languages syncs use (sync.languages) */
    public Verifier(Jdbi jdbi, List<String> languages) {
        this.jdbi = jdbi;
        this.integrity = new IntegrityRepository(jdbi);
        this.languages = languages;
    }

    /**
     * Target coverage against {@code minimum} percent. With no targets the check fails when the
     * minimum was asked for explicitly and passes (saying so) otherwise.
     */
    public VerifyCheck coverage(double minimum, boolean explicit) {
        IntegrityRepository.Coverage coverage = integrity.coverage();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("targets", coverage.targets());
        figures.put("present", coverage.present());
        figures.put("minimum", minimum);
        if (coverage.targets() == 0) {
            figures.put("percent", null);
            return new VerifyCheck("coverage", !explicit, explicit
                    ? "no targets to cover: import the list first with sync-products targets import FILE"
                    : "no targets imported; coverage not checked", figures);
        }
        double percent = Math.round(coverage.present() * 1000.0 / coverage.targets()) / 10.0;
        figures.put("percent", percent);
        boolean passed = percent >= minimum;
        String figuresText = percent + "% of targets have a product (" + coverage.present() + " of "
                + coverage.targets() + ")";
        return new VerifyCheck("coverage", passed, passed ? figuresText + ", at least " + number(minimum) + "%"
                : figuresText + ", below " + number(minimum) + "%: run sync-products sync --targets-only, then "
                + "sync-products targets list --missing", figures);
    }

    /**
     * GTINs with a wrong check digit. Real Open Food Facts data always holds some, so they are
     * counted and fail only past {@code maxPercent} (null: no limit) or when a target code has one.
     */
    public VerifyCheck checkDigits(Double maxPercent) {
        return quality("check_digits", integrity.invalidCheckDigits(), maxPercent, "GTINs with a wrong check digit",
                "correct them at the source; a target's code must be a valid GTIN: check the Approved Product List");
    }

    /** Product codes that are not GTINs, counted like {@link #checkDigits}. */
    public VerifyCheck nonGtinCodes(Double maxPercent) {
        return quality("non_gtin_codes", integrity.nonGtinCodes(), maxPercent, "codes that are not GTINs",
                "they are kept under their own digits; check the source if they should be GTINs");
    }

    private static VerifyCheck quality(String name, IntegrityRepository.QualityFinding finding, Double maxPercent,
                                       String what, String action) {
        double percent = finding.products() == 0 ? 0 : Math.round(finding.count() * 1000.0 / finding.products()) / 10.0;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", finding.count());
        figures.put("percent", percent);
        figures.put("max_percent", maxPercent);
        figures.put("targets", finding.targets());
        figures.put("examples", finding.examples());
        boolean overLimit = maxPercent != null && percent > maxPercent;
        boolean passed = !overLimit && finding.targets() == 0;
        String counts = finding.count() + " of " + finding.products() + " products (" + percent + "%) have " + what
                + (finding.examples().isEmpty() ? "" : " (e.g. " + String.join(", ", finding.examples()) + ")");
        if (passed) {
            return new VerifyCheck(name, true, counts + (maxPercent == null ? "; reported only (no limit set)"
                    : "; within the limit of " + number(maxPercent) + "%"), figures);
        }
        List<String> problems = new ArrayList<>();
        if (overLimit) {
            problems.add("over the limit of " + number(maxPercent) + "%");
        }
        if (finding.targets() > 0) {
            problems.add(finding.targets() + " of them are target codes");
        }
        return new VerifyCheck(name, false, counts + ", " + String.join(" and ", problems) + ": " + action, figures);
    }

    /**
     * The file a source was last synced from, as its job recorded it: how {@code verify --source}
     * finds a file synced with {@code --from} and no config, or the cached copy of an export synced
     * from a URL.
     *
     * @param exportCache where exports fetched by URL are kept ({@code sync.cache_dir})
     * @return the source, or empty when no job recorded a file source of that name
     */
    public Optional<ProductSource> recordedFileSource(String name, Path exportCache) {
        return new JobRepository(jdbi).lastRecordedSource(name)
                .filter(recorded -> FILE_TYPES.contains(recorded.type()) && recorded.input() != null)
                .map(recorded -> FileSources.isUrl(recorded.input())
                        ? FileSources.forRecordedDownload(name, recorded.type(), recorded.input(),
                                new ExportCache(exportCache))
                        : FileSources.forRecorded(name, recorded.type(), recorded.input()));
    }

    /**
     * The kept product counts ({@code stats}, {@code monitor}, the report) against a count of the
     * rows; with {@code repair}, counts that differ are rebuilt and the check passes saying so.
     */
    public VerifyCheck productCounts(boolean repair) {
        ProductCounts counts = new ProductCounts(jdbi);
        List<ProductCounts.Difference> differences = counts.differences();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("differences", differences.size());
        List<String> examples = differences.stream().limit(IntegrityRepository.EXAMPLES)
                .map(d -> d.dimension() + (d.value().isEmpty() ? "" : " " + d.value()) + ": kept " + d.kept()
                        + ", actual " + d.actual())
                .toList();
        figures.put("examples", examples);
        figures.put("repaired", false);
        if (differences.isEmpty()) {
            return new VerifyCheck("product_counts", true, "the kept product counts match the rows", figures);
        }
        String found = differences.size() + " kept product counts differ from the rows (" + String.join("; ", examples)
                + ")";
        if (repair) {
            counts.rebuild();
            figures.put("repaired", true);
            return new VerifyCheck("product_counts", true, found + "; rebuilt from the rows", figures);
        }
        return new VerifyCheck("product_counts", false,
                found + ": run sync-products verify --repair-counts to rebuild them", figures);
    }

    public VerifyCheck duplicateCodes() {
        IntegrityRepository.Finding finding = integrity.duplicateCanonicalCodes();
        return finding("duplicate_codes", finding, "every barcode is stored once, under its canonical code",
                finding.count() + " barcodes are stored under more than one code or a non-canonical one ("
                        + String.join("; ", finding.examples()) + "): rows were written around sync-products;"
                        + " delete the non-canonical rows");
    }

    public VerifyCheck staleJobs(Duration staleAfter) {
        IntegrityRepository.Finding finding = integrity.staleRunningJobs(staleAfter);
        return finding("stale_jobs", finding, "no job is stuck running",
                finding.count() + " jobs are recorded as running with no heartbeat for over "
                        + org.syncproducts.config.Durations.format(staleAfter) + ": "
                        + String.join(", ", finding.examples())
                        + "; if those processes are gone the next sync-products sync marks them interrupted");
    }

    /**
     * Record-count agreement of a file source (one of {@link #FILE_TYPES}) with the products it
     * produced.
     */
    public VerifyCheck source(ProductSource source) {
        if (!FILE_TYPES.contains(source.type())) {
            throw new IllegalArgumentException("not a file source: " + source.name() + " (" + source.type() + ")");
        }
        SourceAgreement.Result result = new SourceAgreement(jdbi).compare(source);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("source", source.name());
        figures.put("file_records", result.records());
        figures.put("file_invalid", result.invalid());
        figures.put("file_codes", result.codes());
        figures.put("database_products", result.products());
        figures.put("missing_from_database", result.missing());
        figures.put("from_other_sources", result.fromOtherSources());
        figures.put("not_in_file", result.extra());
        figures.put("missing_examples", result.missingExamples());
        figures.put("not_in_file_examples", result.extraExamples());
        String counts = result.records() + " records in the file (" + result.invalid() + " invalid, "
                + result.codes() + " distinct valid codes), " + result.products() + " products from it"
                + (result.fromOtherSources() > 0 ? ", " + result.fromOtherSources() + " codes held by other sources" : "");
        List<String> problems = new ArrayList<>();
        if (result.missing() > 0) {
            problems.add(result.missing() + " valid codes have no product (e.g. "
                    + String.join(", ", result.missingExamples()) + ")");
        }
        if (result.extra() > 0) {
            problems.add(result.extra() + " products of this source are no longer in the file (e.g. "
                    + String.join(", ", result.extraExamples()) + ")");
        }
        String message = problems.isEmpty() ? counts
                : counts + "; " + String.join("; ", problems) + ": run sync-products sync --source " + source.name()
                + " --full";
        return new VerifyCheck("source:" + source.name(), result.agrees(), message, figures);
    }

    /** Field drift of an API source: a random sample of its products re-fetched and compared. */
    public VerifyCheck drift(LookupSource source, int sampleSize) {
        SourceDrift.Result result = new SourceDrift(jdbi, languages).compare(source, sampleSize);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("source", source.name());
        figures.put("sampled", result.sampled());
        figures.put("in_sync", result.inSync());
        figures.put("drifted", result.drifted());
        figures.put("not_found", result.notFound());
        figures.put("fetch_failed", result.fetchFailed());
        figures.put("drift_by_field", result.fieldCounts());
        figures.put("examples", result.examples());
        String counts = result.sampled() + " of its products re-fetched: " + result.inSync() + " as stored, "
                + result.drifted() + " changed, " + result.notFound() + " no longer found, " + result.fetchFailed()
                + " could not be fetched";
        if (result.sampled() == 0) {
            return new VerifyCheck("drift:" + source.name(), true, "no products from " + source.name()
                    + " to compare", figures);
        }
        String message = counts;
        if (!result.fieldCounts().isEmpty()) {
            message += "; changed fields: " + String.join(", ", result.fieldCounts().entrySet().stream()
                    .map(entry -> entry.getKey() + " " + entry.getValue()).toList());
        }
        if (!result.agrees()) {
            List<String> codes = result.driftedCodes();
            message += result.drifted() + result.notFound() > 0
                    ? " (e.g. " + String.join("; ", result.examples().subList(0, Math.min(3, result.examples().size())))
                    + "): refresh them with sync-products sync --full --upcs "
                    + String.join(",", codes.subList(0, Math.min(IntegrityRepository.EXAMPLES, codes.size())))
                    : ": the source could not be reached; try again later";
        }
        return new VerifyCheck("drift:" + source.name(), result.agrees(), message, figures);
    }

    private static VerifyCheck finding(String name, IntegrityRepository.Finding finding, String clean, String dirty) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", finding.count());
        figures.put("examples", finding.examples());
        return new VerifyCheck(name, finding.count() == 0, finding.count() == 0 ? clean : dirty, figures);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
