package org.syncproducts.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.syncproducts.config.Durations;
import org.syncproducts.health.CoverageMetric;
import org.syncproducts.health.HealthThresholds;
import org.syncproducts.store.JobRecord;

/**
 * Turns {@link ReportData} into one self-contained HTML page: inline CSS, inline SVG charts,
 * no script, no font or image from elsewhere. The page is rendered by Mustache templates with
 * HTML escaping on, so product codes, categories, error messages and source names from outside
 * can never inject markup.
 */
public final class HtmlReport {
    /** Error types or sources drawn by name; the rest are summed as "other". */
    private static final int NAMED_ERROR_SERIES = 6;
    private static final String OTHER = "other";
    /** Chart widths in pixels: the page's column, and half of it for charts side by side. */
    private static final int WIDTH = 1020;
    private static final int HALF_WIDTH = 500;
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Template template;

    public HtmlReport() {
        Mustache.Compiler compiler = Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true)
                .withLoader(HtmlReport::resource);
        try (Reader page = resource("report")) {
            this.template = compiler.compile(page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report template", e);
        }
    }

    /** The page as HTML text. */
    public String render(ReportData data) {
        return template.execute(page(data));
    }

    /**
     * Writes the page to {@code file} through a temporary file in the same folder, so a web
     * server never serves half a page.
     *
     * @return the bytes written
     */
    public long write(ReportData data, Path file) {
        byte[] html = render(data).getBytes(StandardCharsets.UTF_8);
        Path folder = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".report-", ".html.tmp");
            try {
                Files.write(temporary, html);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file + ": " + e.getMessage(), e);
        }
        return html.length;
    }

    private static Reader resource(String name) {
        InputStream stream = HtmlReport.class.getResourceAsStream(name + ".mustache");
        if (stream == null) {
            throw new IllegalStateException("report template " + name + ".mustache is missing from the jar");
        }
        return new InputStreamReader(stream, StandardCharsets.UTF_8);
    }

    // ---- the page model: what the templates show, as text ----

    record Page(String generatedAt, String window, List<Overview> overview, List<String> noCheck,
                LineChart scoreChart, ReportTable scoreTable, LineChart coverageChart, ReportTable coverageTable,
                List<LineChart> categoryCharts, ReportTable categoryTable, LineChart qualityChart,
                ReportTable qualityTable, List<Tile> qualityTiles, JobTimeline jobChart, ReportTable jobTable,
                boolean hasJobs, StackedBarChart errorTypeChart, ReportTable errorTypeTable,
                StackedBarChart errorSourceChart, ReportTable errorSourceTable, boolean hasErrors, String errorTotal,
                List<Missing> missing, String missingTotal) {
    }

    /** The newest check: score ring, rating, components and alerts. */
    record Overview(ScoreGauge gauge, String rating, String healthLabel, String healthCss, String checkedAt,
                    List<Component> components, List<ReportData.StoredAlert> alerts) {
    }

    /** One score component with its bar. */
    record Component(String name, String value, String barWidth, String weight, String detail, String css) {
    }

    /** A figure in a box. */
    record Tile(String label, String value, String detail) {
    }

    /** One category of missing targets, with the command that looks its listed codes up. */
    record Missing(String category, String missing, String targets, List<String> codes, String more,
                   String command) {
    }

    static Page page(ReportData data) {
        Instant from = data.from();
        Instant to = data.generatedAt().isAfter(from) ? data.generatedAt() : from.plusSeconds(3600);
        Function<Instant, String> time = data.bucket().compareTo(Duration.ofDays(1)) >= 0 ? DAYS::format
                : MINUTES::format;
        String window = "From " + SECONDS.format(from) + " to " + SECONDS.format(data.generatedAt())
                + "; chart points are averages per " + bucketWords(data.bucket()) + ".";
        List<Overview> overview = data.latest() == null ? List.of() : List.of(overview(data.latest(), data.thresholds()));
        List<String> noCheck = data.latest() == null
                ? List.of("No health check is stored yet: run 'sync-products monitor' (cron runs it before this report).")
                : List.of();

        LineChart scoreChart = new LineChart.Builder(from, to, WIDTH, 240, false)
                .series("score", "score", points(data.health(), ReportData.HealthPoint::bucket, point -> point.score()))
                .series("coverage", "coverage", points(data.health(), ReportData.HealthPoint::bucket,
                        ReportData.HealthPoint::coverage))
                .series("freshness", "freshness", points(data.health(), ReportData.HealthPoint::bucket,
                        point -> point.freshness()))
                .series("quality", "quality", points(data.health(), ReportData.HealthPoint::bucket,
                        point -> point.quality()))
                .build("score-chart", "Health score and its components over time",
                        data.health().size() + " points: score, coverage, freshness and quality, 0 to 100");
        ReportTable scoreTable = ReportTable.of("Health score and components per " + bucketWords(data.bucket()),
                List.of("period (UTC)", "checks", "score", "coverage %", "freshness", "quality", "unhealthy checks"),
                data.health().stream().map(point -> List.of(time.apply(point.bucket()), count(point.checks()),
                        Svg.num(point.score()), percentOrDash(point.coverage()), Svg.num(point.freshness()),
                        Svg.num(point.quality()), count(point.unhealthy()))).toList());

        Map<String, List<ReportData.MetricPoint>> byMetric = data.coverage().stream()
                .filter(point -> !point.metric().equals(CoverageMetric.TARGET_CATEGORY))
                .collect(Collectors.groupingBy(ReportData.MetricPoint::metric, LinkedHashMap::new, Collectors.toList()));
        HealthThresholds thresholds = data.thresholds();
        LineChart coverageChart = new LineChart.Builder(from, to, WIDTH, 240, false)
                .threshold("target " + Svg.num(thresholds.coverageTarget()) + "%", thresholds.coverageTarget(), "target")
                .threshold("minimum " + Svg.num(thresholds.coverageMinimum()) + "%", thresholds.coverageMinimum(),
                        "minimum")
                .threshold("critical " + Svg.num(thresholds.coverageCritical()) + "%", thresholds.coverageCritical(),
                        "critical")
                .series("targets with a product", "coverage", metricPoints(byMetric.get(CoverageMetric.OVERALL)))
                .build("coverage-chart", "Coverage of the target list over time",
                        "Share of target codes with a product, with the target, minimum and critical thresholds");
        ReportTable coverageTable = ReportTable.of("Target coverage per " + bucketWords(data.bucket()),
                List.of("period (UTC)", "coverage %"),
                byMetric.getOrDefault(CoverageMetric.OVERALL, List.of()).stream()
                        .map(point -> List.of(time.apply(point.bucket()), Svg.num(point.percent()))).toList());

        List<CoverageMetric> latestCategories = data.latest() == null ? List.of()
                : data.latest().metrics().stream()
                .filter(metric -> metric.metric().equals(CoverageMetric.TARGET_CATEGORY)).toList();
        Map<String, List<ReportData.MetricPoint>> byCategory = data.coverage().stream()
                .filter(point -> point.metric().equals(CoverageMetric.TARGET_CATEGORY))
                .collect(Collectors.groupingBy(ReportData.MetricPoint::dimension));
        List<LineChart> categoryCharts = new ArrayList<>();
        for (int i = 0; i < latestCategories.size(); i++) {
            CoverageMetric category = latestCategories.get(i);
            LineChart.Builder builder = new LineChart.Builder(from, to, 232, 120, true)
                    .threshold("", thresholds.coverageTarget(), "target")
                    .threshold("", thresholds.coverageCritical(), "critical")
                    .series(category.dimension(), "coverage", metricPoints(byCategory.get(category.dimension())));
            categoryCharts.add(builder.build("category-chart-" + i, category.dimension() + ": " + Svg.num(category.percent())
                            + "% (" + count(category.covered()) + " of " + count(category.total()) + ")",
                    "Coverage of target category " + category.dimension() + " over time"));
        }
        ReportTable categoryTable = wideTable("Coverage % by target category per " + bucketWords(data.bucket()),
                latestCategories.stream().map(CoverageMetric::dimension).toList(),
                data.coverage().stream().filter(point -> point.metric().equals(CoverageMetric.TARGET_CATEGORY))
                        .map(ReportData.MetricPoint::bucket).toList(),
                data.coverage().stream().filter(point -> point.metric().equals(CoverageMetric.TARGET_CATEGORY))
                        .collect(Collectors.toMap(point -> point.bucket() + "\n" + point.dimension(),
                                point -> Svg.num(point.percent()))),
                time);

        LineChart qualityChart = new LineChart.Builder(from, to, WIDTH, 200, false)
                .series("with image", "image", metricPoints(byMetric.get(CoverageMetric.IMAGE)))
                .series("with nutrition", "nutrition", metricPoints(byMetric.get(CoverageMetric.NUTRITION)))
                .build("quality-chart", "Image and nutrition coverage over time",
                        "Share of products with an image and with nutrition facts");
        Map<Instant, String> image = percentByBucket(byMetric.get(CoverageMetric.IMAGE));
        Map<Instant, String> nutrition = percentByBucket(byMetric.get(CoverageMetric.NUTRITION));
        TreeMap<Instant, Boolean> qualityBuckets = new TreeMap<>();
        image.keySet().forEach(bucket -> qualityBuckets.put(bucket, true));
        nutrition.keySet().forEach(bucket -> qualityBuckets.put(bucket, true));
        ReportTable qualityTable = ReportTable.of("Products with an image and with nutrition facts per "
                        + bucketWords(data.bucket()), List.of("period (UTC)", "with image %", "with nutrition %"),
                qualityBuckets.keySet().stream().map(bucket -> List.of(time.apply(bucket),
                        image.getOrDefault(bucket, "-"), nutrition.getOrDefault(bucket, "-"))).toList());
        List<Tile> qualityTiles = data.latest() == null ? List.of() : qualityTiles(data.latest());

        JobTimeline jobChart = JobTimeline.build("job-chart", "The last " + data.jobs().size() + " jobs", WIDTH, data.jobs(),
                data.generatedAt());
        ReportTable jobTable = ReportTable.of("The last " + data.jobs().size() + " jobs, newest first",
                List.of("job", "status", "strategy", "started (UTC)", "duration", "read", "added", "updated",
                        "unchanged", "skipped", "failed", "sources", "message"),
                data.jobs().stream().map(HtmlReport::jobRow).toList());

        ErrorSeries types = errorSeries(data, "type");
        ErrorSeries sources = errorSeries(data, "source");
        long errorTotal = data.errors().stream().filter(error -> error.by().equals("type"))
                .mapToLong(ReportData.ErrorCount::count).sum();
        StackedBarChart errorTypeChart = StackedBarChart.build("error-type-chart", "Item errors by type",
                count(errorTotal) + " errors in the window, stacked by type", HALF_WIDTH, from, to, data.bucket(), types.names(),
                palette(types.names()), types.counts());
        StackedBarChart errorSourceChart = StackedBarChart.build("error-source-chart", "Item errors by source",
                count(errorTotal) + " errors in the window, stacked by source", HALF_WIDTH, from, to, data.bucket(),
                sources.names(), palette(sources.names()), sources.counts());

        List<Missing> missing = data.missing().stream().map(HtmlReport::missing).toList();
        long missingTotal = data.missing().stream().mapToLong(ReportData.MissingCategory::missing).sum();
        return new Page(SECONDS.format(data.generatedAt()), window, overview, noCheck, scoreChart, scoreTable,
                coverageChart, coverageTable, categoryCharts, categoryTable, qualityChart, qualityTable, qualityTiles,
                jobChart, jobTable, !data.jobs().isEmpty(), errorTypeChart,
                errorTable("Item errors by type per " + bucketWords(data.bucket()), types, time), errorSourceChart,
                errorTable("Item errors by source per " + bucketWords(data.bucket()), sources, time), errorTotal > 0,
                count(errorTotal),
                missing, count(missingTotal));
    }

    private static Overview overview(ReportData.LatestCheck latest, HealthThresholds thresholds) {
        boolean hasTargets = latest.coverage() != null;
        double coverageWeight = hasTargets ? 50 : 0;
        double freshnessWeight = hasTargets ? 30 : 60;
        double qualityWeight = hasTargets ? 20 : 40;
        List<Component> components = new ArrayList<>();
        components.add(new Component("coverage", hasTargets ? Svg.num(latest.coverage()) + "%" : "-",
                hasTargets ? Svg.num(latest.coverage()) : "0", Math.round(coverageWeight) + "%",
                hasTargets ? count(latest.targetsPresent()) + " of " + count(latest.targets()) + " targets have a product"
                        : "no targets: left out of the score", "coverage"));
        components.add(new Component("freshness", Svg.num(latest.freshness()), Svg.num(latest.freshness()),
                Math.round(freshnessWeight) + "%", latest.lastSuccessAt() == null ? "no successful sync yet"
                : "last successful sync " + SECONDS.format(latest.lastSuccessAt()) + " (late after "
                + thresholds.freshnessWarning().toHours() + " h)", "freshness"));
        components.add(new Component("quality", Svg.num(latest.quality()), Svg.num(latest.quality()),
                Math.round(qualityWeight) + "%", count(latest.products()) + " products: verified "
                + percentOrDash(latest.verifiedPercent()) + "%, image " + percentOrDash(latest.imagePercent())
                + "%, nutrition " + percentOrDash(latest.nutritionPercent()) + "%", "quality"));
        return new Overview(ScoreGauge.of(latest.score()), latest.rating(),
                latest.healthy() ? "healthy" : "not healthy: critical alerts", latest.healthy() ? "ok" : "bad",
                "check #" + latest.id() + " at " + SECONDS.format(latest.checkedAt()), components, latest.alerts());
    }

    private static List<Tile> qualityTiles(ReportData.LatestCheck latest) {
        return List.of(new Tile("products", count(latest.products()), "live, not deleted"),
                new Tile("with an image", percentOrDash(latest.imagePercent()) + "%", "of products"),
                new Tile("with nutrition facts", percentOrDash(latest.nutritionPercent()) + "%", "of products"),
                new Tile("verified", percentOrDash(latest.verifiedPercent()) + "%", "by people"));
    }

    private static List<String> jobRow(JobRecord job) {
        return List.of("#" + job.id(), job.status() + (job.dryRun() ? " (dry run)" : ""), job.strategy(),
                MINUTES.format(job.startedAt()), Durations.format(job.duration()), count(job.counts().read()),
                count(job.counts().added()), count(job.counts().updated()), count(job.counts().unchanged()),
                count(job.counts().skipped()), count(job.counts().failed()), String.join(", ", job.sources()),
                Objects.requireNonNullElse(job.message(), ""));
    }

    private static Missing missing(ReportData.MissingCategory category) {
        long more = category.missing() - category.codes().size();
        return new Missing(category.category(), count(category.missing()), count(category.targets()), category.codes(),
                more > 0 ? "and " + count(more) + " more (sync-products targets list --missing)" : "",
                "sync-products sync --upcs " + String.join(",", category.codes()));
    }

    /** Error counts of one kind with the largest names kept and the rest summed as "other". */
    private record ErrorSeries(List<String> names, List<StackedBarChart.Count> counts) {
    }

    private static ErrorSeries errorSeries(ReportData data, String by) {
        List<ReportData.ErrorCount> counts = data.errors().stream().filter(error -> error.by().equals(by)).toList();
        Map<String, Long> totals = counts.stream().collect(Collectors.groupingBy(ReportData.ErrorCount::name,
                Collectors.summingLong(ReportData.ErrorCount::count)));
        List<String> ranked = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        List<String> named = ranked.size() <= NAMED_ERROR_SERIES + 1 ? ranked : ranked.subList(0, NAMED_ERROR_SERIES);
        List<String> names = new ArrayList<>(named);
        if (ranked.size() > named.size()) {
            names.add(OTHER);
        }
        List<StackedBarChart.Count> series = counts.stream()
                .map(error -> new StackedBarChart.Count(error.bucket(), named.contains(error.name()) ? error.name() : OTHER,
                        error.count()))
                .toList();
        return new ErrorSeries(names, series);
    }

    private static ReportTable errorTable(String caption, ErrorSeries series, Function<Instant, String> time) {
        Map<String, String> cells = new LinkedHashMap<>();
        series.counts().forEach(count -> cells.merge(count.bucket() + "\n" + count.name(), Long.toString(count.count()),
                (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b))));
        return wideTable(caption, series.names(), series.counts().stream().map(StackedBarChart.Count::bucket).toList(),
                cells, time);
    }

    /** Rows per bucket, one column per name; {@code cells} keyed by bucket and name. */
    private static ReportTable wideTable(String caption, List<String> names, List<Instant> buckets,
                                         Map<String, String> cells, Function<Instant, String> time) {
        List<String> headers = new ArrayList<>();
        headers.add("period (UTC)");
        headers.addAll(names);
        List<List<String>> rows = buckets.stream().distinct()
                .sorted(Comparator.naturalOrder())
                .map(bucket -> {
                    List<String> row = new ArrayList<>();
                    row.add(time.apply(bucket));
                    names.forEach(name -> row.add(cells.getOrDefault(bucket + "\n" + name, "-")));
                    return row;
                }).toList();
        return ReportTable.of(caption, headers, rows);
    }

    private static List<String> palette(List<String> names) {
        List<String> css = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            css.add(names.get(i).equals(OTHER) ? "other" : "c" + (i + 1));
        }
        return css;
    }

    private static <T> List<LineChart.Point> points(List<T> items, Function<T, Instant> at, Function<T, Double> value) {
        return items.stream().map(item -> new LineChart.Point(at.apply(item), value.apply(item))).toList();
    }

    private static List<LineChart.Point> metricPoints(List<ReportData.MetricPoint> points) {
        return points == null ? List.of() : points(points, ReportData.MetricPoint::bucket, ReportData.MetricPoint::percent);
    }

    private static Map<Instant, String> percentByBucket(List<ReportData.MetricPoint> points) {
        Map<Instant, String> byBucket = new TreeMap<>();
        if (points != null) {
            points.forEach(point -> byBucket.put(point.bucket(), Svg.num(point.percent())));
        }
        return byBucket;
    }

    private static String bucketWords(Duration bucket) {
        if (bucket.toDays() >= 1) {
            return bucket.toDays() == 1 ? "day" : bucket.toDays() + " days";
        }
        if (bucket.toHours() >= 1) {
            return bucket.toHours() == 1 ? "hour" : bucket.toHours() + " hours";
        }
        return bucket.toMinutes() + " minutes";
    }

    private static String percentOrDash(Double percent) {
        return percent == null ? "-" : Svg.num(percent);
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
