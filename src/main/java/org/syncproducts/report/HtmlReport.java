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

    /**
     * Text of a value for the templates. Records (the chart and table models) are only ever
     * sections, shown when present; {@code String.valueOf} would build a record's whole
     * {@code toString}, every nested row, just for the empty-string test of each section.
     */
    private static final Mustache.Formatter TEXT = value -> value instanceof Record ? "(record)"
            : String.valueOf(value);

    private final Template template;

    public HtmlReport() {
        Mustache.Compiler compiler = Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true).withFormatter(TEXT)
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

    record Page(String generatedAt, String window, List<Overview> overview, List<String> noCheck, Trend score,
                Trend coverage, Categories categories, Trend quality, List<Tile> qualityTiles, Jobs jobs,
                Errors errors, List<Missing> missing, String missingTotal) {
    }

    /** A chart over time with its data table. */
    record Trend(LineChart chart, ReportTable table) {
    }

    /** One small coverage chart per target category, and one table for all of them. */
    record Categories(List<LineChart> charts, ReportTable table) {
    }

    /** The job timeline and its table. */
    record Jobs(boolean any, JobTimeline chart, ReportTable table) {
    }

    /** Item errors by type and by source, each with its table. */
    record Errors(boolean any, String total, StackedBarChart byType, ReportTable byTypeTable, StackedBarChart bySource,
                  ReportTable bySourceTable) {
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
        Window window = new Window(from, to, data.bucket(), data.bucket().compareTo(Duration.ofDays(1)) >= 0
                ? DAYS::format : MINUTES::format);
        String span = "From " + SECONDS.format(from) + " to " + SECONDS.format(data.generatedAt())
                + "; chart points are averages per " + window.words() + ".";
        ReportData.LatestCheck latest = data.latest();
        Map<String, List<ReportData.MetricPoint>> byMetric = data.coverage().stream()
                .collect(Collectors.groupingBy(point -> point.metric().equals(CoverageMetric.TARGET_CATEGORY)
                        ? CoverageMetric.TARGET_CATEGORY + ":" + point.dimension() : point.metric()));
        long missingTotal = data.missing().stream().mapToLong(ReportData.MissingCategory::missing).sum();
        return new Page(SECONDS.format(data.generatedAt()), span,
                latest == null ? List.of() : List.of(overview(latest, data.thresholds())),
                latest == null ? List.of("No health check is stored yet: run 'sync-products monitor' (cron runs it "
                        + "before this report).") : List.of(),
                scoreTrend(data.health(), window), coverageTrend(byMetric, data.thresholds(), window),
                categories(latest, byMetric, data.thresholds(), window), qualityTrend(byMetric, window),
                latest == null ? List.of() : qualityTiles(latest), jobs(data.jobs(), data.generatedAt()),
                errors(data.errors(), window), data.missing().stream().map(HtmlReport::missing).toList(),
                Svg.count(missingTotal));
    }

    /** The span the charts cover, their bucket, and how a bucket is written in tables. */
    private record Window(Instant from, Instant to, Duration bucket, Function<Instant, String> time) {
        LineChart.Builder chart(int height) {
            return new LineChart.Builder(from, to, WIDTH, height, false);
        }

        String words() {
            return bucketWords(bucket);
        }
    }

    private static Trend scoreTrend(List<ReportData.HealthPoint> health, Window window) {
        LineChart chart = window.chart(240)
                .series("score", "score", points(health, ReportData.HealthPoint::bucket, point -> point.score()))
                .series("coverage", "coverage", points(health, ReportData.HealthPoint::bucket,
                        ReportData.HealthPoint::coverage))
                .series("freshness", "freshness", points(health, ReportData.HealthPoint::bucket,
                        point -> point.freshness()))
                .series("quality", "quality", points(health, ReportData.HealthPoint::bucket, point -> point.quality()))
                .build("score-chart", "Health score and its components over time",
                        health.size() + " points: score, coverage, freshness and quality, 0 to 100");
        ReportTable table = ReportTable.of("Health score and components per " + window.words(),
                List.of("period (UTC)", "checks", "score", "coverage %", "freshness", "quality", "unhealthy checks"),
                health.stream().map(point -> List.of(window.time().apply(point.bucket()), Svg.count(point.checks()),
                        Svg.num(point.score()), percentOrDash(point.coverage()), Svg.num(point.freshness()),
                        Svg.num(point.quality()), Svg.count(point.unhealthy()))).toList());
        return new Trend(chart, table);
    }

    private static Trend coverageTrend(Map<String, List<ReportData.MetricPoint>> byMetric, HealthThresholds thresholds,
                                       Window window) {
        List<ReportData.MetricPoint> overall = byMetric.getOrDefault(CoverageMetric.OVERALL, List.of());
        LineChart chart = window.chart(240)
                .threshold("target " + Svg.num(thresholds.coverageTarget()) + "%", thresholds.coverageTarget(), "target")
                .threshold("minimum " + Svg.num(thresholds.coverageMinimum()) + "%", thresholds.coverageMinimum(),
                        "minimum")
                .threshold("critical " + Svg.num(thresholds.coverageCritical()) + "%", thresholds.coverageCritical(),
                        "critical")
                .series("targets with a product", "coverage", metricPoints(overall))
                .build("coverage-chart", "Coverage of the target list over time",
                        "Share of target codes with a product, with the target, minimum and critical thresholds");
        ReportTable table = ReportTable.of("Target coverage per " + window.words(), List.of("period (UTC)", "coverage %"),
                overall.stream().map(point -> List.of(window.time().apply(point.bucket()), Svg.num(point.percent())))
                        .toList());
        return new Trend(chart, table);
    }

    private static Categories categories(ReportData.LatestCheck latest,
                                         Map<String, List<ReportData.MetricPoint>> byMetric,
                                         HealthThresholds thresholds, Window window) {
        List<CoverageMetric> categories = latest == null ? List.of() : latest.metrics().stream()
                .filter(metric -> metric.metric().equals(CoverageMetric.TARGET_CATEGORY)).toList();
        List<LineChart> charts = new ArrayList<>();
        Map<Cell, String> cells = new LinkedHashMap<>();
        List<Instant> buckets = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            CoverageMetric category = categories.get(i);
            List<ReportData.MetricPoint> points = byMetric.getOrDefault(
                    CoverageMetric.TARGET_CATEGORY + ":" + category.dimension(), List.of());
            charts.add(new LineChart.Builder(window.from(), window.to(), 232, 120, true)
                    .threshold("", thresholds.coverageTarget(), "target")
                    .threshold("", thresholds.coverageCritical(), "critical")
                    .series(category.dimension(), "coverage", metricPoints(points))
                    .build("category-chart-" + i, category.dimension() + ": " + Svg.num(category.percent()) + "% ("
                                    + Svg.count(category.covered()) + " of " + Svg.count(category.total()) + ")",
                            "Coverage of target category " + category.dimension() + " over time"));
            points.forEach(point -> {
                buckets.add(point.bucket());
                cells.put(new Cell(point.bucket(), point.dimension()), Svg.num(point.percent()));
            });
        }
        return new Categories(charts, wideTable("Coverage % by target category per " + window.words(),
                categories.stream().map(CoverageMetric::dimension).toList(), buckets, cells, window.time()));
    }

    private static Trend qualityTrend(Map<String, List<ReportData.MetricPoint>> byMetric, Window window) {
        LineChart chart = window.chart(200)
                .series("with image", "image", metricPoints(byMetric.get(CoverageMetric.IMAGE)))
                .series("with nutrition", "nutrition", metricPoints(byMetric.get(CoverageMetric.NUTRITION)))
                .build("quality-chart", "Image and nutrition coverage over time",
                        "Share of products with an image and with nutrition facts");
        Map<Instant, String> image = percentByBucket(byMetric.get(CoverageMetric.IMAGE));
        Map<Instant, String> nutrition = percentByBucket(byMetric.get(CoverageMetric.NUTRITION));
        TreeMap<Instant, Boolean> buckets = new TreeMap<>();
        image.keySet().forEach(bucket -> buckets.put(bucket, true));
        nutrition.keySet().forEach(bucket -> buckets.put(bucket, true));
        ReportTable table = ReportTable.of("Products with an image and with nutrition facts per " + window.words(),
                List.of("period (UTC)", "with image %", "with nutrition %"),
                buckets.keySet().stream().map(bucket -> List.of(window.time().apply(bucket),
                        image.getOrDefault(bucket, "-"), nutrition.getOrDefault(bucket, "-"))).toList());
        return new Trend(chart, table);
    }

    private static Jobs jobs(List<JobRecord> jobs, Instant now) {
        return new Jobs(!jobs.isEmpty(), JobTimeline.build("job-chart", "The last " + jobs.size() + " jobs", WIDTH, jobs,
                now), ReportTable.of("The last " + jobs.size() + " jobs, newest first",
                List.of("job", "status", "strategy", "started (UTC)", "duration", "read", "added", "updated",
                        "unchanged", "skipped", "failed", "sources", "message"),
                jobs.stream().map(HtmlReport::jobRow).toList()));
    }

    private static Errors errors(List<ReportData.ErrorCount> errors, Window window) {
        ErrorSeries types = errorSeries(errors, "type");
        ErrorSeries sources = errorSeries(errors, "source");
        long total = errors.stream().filter(error -> error.by().equals("type"))
                .mapToLong(ReportData.ErrorCount::count).sum();
        return new Errors(total > 0, Svg.count(total),
                StackedBarChart.build("error-type-chart", "Item errors by type",
                        Svg.count(total) + " errors in the window, stacked by type", HALF_WIDTH, window.from(),
                        window.to(), window.bucket(), types.names(), palette(types.names()), types.counts()),
                errorTable("Item errors by type per " + window.words(), types, window.time()),
                StackedBarChart.build("error-source-chart", "Item errors by source",
                        Svg.count(total) + " errors in the window, stacked by source", HALF_WIDTH, window.from(),
                        window.to(), window.bucket(), sources.names(), palette(sources.names()), sources.counts()),
                errorTable("Item errors by source per " + window.words(), sources, window.time()));
    }

    private static Overview overview(ReportData.LatestCheck latest, HealthThresholds thresholds) {
        boolean hasTargets = latest.coverage() != null;
        double coverageWeight = hasTargets ? 50 : 0;
        double freshnessWeight = hasTargets ? 30 : 60;
        double qualityWeight = hasTargets ? 20 : 40;
        List<Component> components = new ArrayList<>();
        components.add(new Component("coverage", hasTargets ? Svg.num(latest.coverage()) + "%" : "-",
                hasTargets ? Svg.num(latest.coverage()) : "0", Math.round(coverageWeight) + "%",
                hasTargets ? Svg.count(latest.targetsPresent()) + " of " + Svg.count(latest.targets())
                        + " targets have a product"
                        : "no targets: left out of the score", "coverage"));
        components.add(new Component("freshness", Svg.num(latest.freshness()), Svg.num(latest.freshness()),
                Math.round(freshnessWeight) + "%", latest.lastSuccessAt() == null ? "no successful sync yet"
                : "last successful sync " + SECONDS.format(latest.lastSuccessAt()) + " (late after "
                + thresholds.freshnessWarning().toHours() + " h)", "freshness"));
        components.add(new Component("quality", Svg.num(latest.quality()), Svg.num(latest.quality()),
                Math.round(qualityWeight) + "%", Svg.count(latest.products()) + " products: verified "
                + percentOrDash(latest.verifiedPercent()) + "%, image " + percentOrDash(latest.imagePercent())
                + "%, nutrition " + percentOrDash(latest.nutritionPercent()) + "%", "quality"));
        return new Overview(ScoreGauge.of(latest.score()), latest.rating(),
                latest.healthy() ? "healthy" : "not healthy: critical alerts", latest.healthy() ? "ok" : "bad",
                "check #" + latest.id() + " at " + SECONDS.format(latest.checkedAt()), components, latest.alerts());
    }

    private static List<Tile> qualityTiles(ReportData.LatestCheck latest) {
        return List.of(new Tile("products", Svg.count(latest.products()), "live, not deleted"),
                new Tile("with an image", percentOrDash(latest.imagePercent()) + "%", "of products"),
                new Tile("with nutrition facts", percentOrDash(latest.nutritionPercent()) + "%", "of products"),
                new Tile("verified", percentOrDash(latest.verifiedPercent()) + "%", "by people"));
    }

    private static List<String> jobRow(JobRecord job) {
        return List.of("#" + job.id(), job.status() + (job.dryRun() ? " (dry run)" : ""), job.strategy(),
                MINUTES.format(job.startedAt()), Durations.format(job.duration()), Svg.count(job.counts().read()),
                Svg.count(job.counts().added()), Svg.count(job.counts().updated()), Svg.count(job.counts().unchanged()),
                Svg.count(job.counts().skipped()), Svg.count(job.counts().failed()), String.join(", ", job.sources()),
                Objects.requireNonNullElse(job.message(), ""));
    }

    private static Missing missing(ReportData.MissingCategory category) {
        long more = category.missing() - category.codes().size();
        return new Missing(category.category(), Svg.count(category.missing()), Svg.count(category.targets()),
                category.codes(),
                more > 0 ? "and " + Svg.count(more) + " more (sync-products targets list --missing)" : "",
                "sync-products sync --upcs " + String.join(",", category.codes()));
    }

    /** Error counts of one kind with the largest names kept and the rest summed as "other". */
    private record ErrorSeries(List<String> names, List<StackedBarChart.Count> counts) {
    }

    private static ErrorSeries errorSeries(List<ReportData.ErrorCount> errors, String by) {
        List<ReportData.ErrorCount> counts = errors.stream().filter(error -> error.by().equals(by)).toList();
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
        Map<Cell, Long> sums = new LinkedHashMap<>();
        series.counts().forEach(count -> sums.merge(new Cell(count.bucket(), count.name()), count.count(), Long::sum));
        Map<Cell, String> cells = new LinkedHashMap<>();
        sums.forEach((cell, sum) -> cells.put(cell, Long.toString(sum)));
        return wideTable(caption, series.names(), series.counts().stream().map(StackedBarChart.Count::bucket).toList(),
                cells, time);
    }

    /** Where a value goes in a wide table: its bucket's row and its name's column. */
    private record Cell(Instant bucket, String name) {
    }

    /** Rows per bucket, one column per name. */
    private static ReportTable wideTable(String caption, List<String> names, List<Instant> buckets,
                                         Map<Cell, String> cells, Function<Instant, String> time) {
        List<String> headers = new ArrayList<>();
        headers.add("period (UTC)");
        headers.addAll(names);
        List<List<String>> rows = buckets.stream().distinct()
                .sorted(Comparator.naturalOrder())
                .map(bucket -> {
                    List<String> row = new ArrayList<>();
                    row.add(time.apply(bucket));
                    names.forEach(name -> row.add(cells.getOrDefault(new Cell(bucket, name), "-")));
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
}
