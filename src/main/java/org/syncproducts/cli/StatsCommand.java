package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.config.Durations;
import org.syncproducts.health.HealthRepository;
import org.syncproducts.health.Sparkline;
import org.syncproducts.stats.StatsReport;
import org.syncproducts.stats.StatsRepository;
import org.syncproducts.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Database and sync statistics (SPEC §6). */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show what the database holds (products, sources, categories, target coverage) and how syncs went.")
final class StatsCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--history", paramLabel = "N", description = "Show the last N jobs (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int history;

    @Option(names = "--trend", paramLabel = "N", defaultValue = "20",
            description = "Show health score and target coverage over the last N health checks (default: ${DEFAULT-VALUE}).")
    int trend;

    @Override
    public Integer call() {
        StatsReport report;
        List<HealthRepository.CheckPoint> checks;
        try (Database database = top.openDatabase(top.config())) {
            report = new StatsRepository(database.jdbi()).report(Math.max(history, 0));
            checks = trend > 0 ? new HealthRepository(database.jdbi()).recent(trend) : List.of();
        }
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            Map<String, Object> document = toJson(report);
            document.put("trend", trendJson(checks));
            output.json(document);
        } else {
            printText(report, output);
            if (trend > 0) {
                printTrend(checks, output, System.console() != null);
            }
        }
        return ExitCode.OK;
    }

    /** The trend as arrays, oldest check first. */
    private static Map<String, Object> trendJson(List<HealthRepository.CheckPoint> checks) {
        Map<String, Object> trend = new LinkedHashMap<>();
        trend.put("checks", checks.size());
        trend.put("checked_at", checks.stream().map(HealthRepository.CheckPoint::checkedAt).toList());
        trend.put("score", checks.stream().map(HealthRepository.CheckPoint::score).toList());
        trend.put("coverage", checks.stream().map(HealthRepository.CheckPoint::coverage).toList());
        trend.put("healthy", checks.stream().map(HealthRepository.CheckPoint::healthy).toList());
        return trend;
    }

    /** A sparkline on a terminal; the numbers themselves elsewhere (cron mail, pipes). */
    static void printTrend(List<HealthRepository.CheckPoint> checks, Output out, boolean terminal) {
        if (checks.isEmpty()) {
            out.line("Trend: no health checks yet (run 'sync-products monitor')");
            return;
        }
        List<Double> scores = checks.stream().map(HealthRepository.CheckPoint::score).toList();
        List<Double> coverage = checks.stream().map(HealthRepository.CheckPoint::coverage).toList();
        out.line("Trend over the last " + checks.size() + " health checks (" + time(checks.get(0).checkedAt())
                + " to " + time(checks.get(checks.size() - 1).checkedAt()) + ")");
        out.line("  score     " + series(scores, terminal) + "  now " + scores.get(scores.size() - 1));
        Double latestCoverage = coverage.get(coverage.size() - 1);
        out.line("  coverage  " + series(coverage, terminal) + "  now "
                + (latestCoverage == null ? "- (no targets)" : latestCoverage + "%"));
    }

    private static String series(List<Double> values, boolean terminal) {
        if (terminal) {
            return Sparkline.render(values, 0, 100);
        }
        return String.join(" ", values.stream().map(value -> value == null ? "-" : value.toString()).toList());
    }

    private static Map<String, Object> toJson(StatsReport report) {
        Map<String, Object> document = new LinkedHashMap<>();
        StatsReport.Totals totals = report.totals();
        document.put("products", new ProductTotals(totals.products(), totals.withImage(), totals.withNutrition(),
                totals.verified()));
        document.put("by_source", report.bySource().stream()
                .map(source -> new SourceCount(source.source(), source.products())).toList());
        document.put("top_categories", report.topCategories().stream()
                .map(category -> new CategoryCount(category.category(), category.products())).toList());
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("targets", report.coverage().targets());
        coverage.put("present", report.coverage().present());
        coverage.put("percent", report.coverage().percent());
        coverage.put("by_category", report.coverage().byCategory().stream().map(category -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category", category.category());
            row.put("targets", category.targets());
            row.put("present", category.present());
            row.put("percent", category.percent());
            return row;
        }).toList());
        document.put("coverage", coverage);
        StatsReport.SyncMetrics sync = report.sync();
        Map<String, Object> syncs = new LinkedHashMap<>();
        syncs.put("total", sync.total());
        syncs.put("successful", sync.successful());
        syncs.put("failed", sync.failed());
        syncs.put("success_rate", sync.successRate());
        syncs.put("average_duration_ms", sync.averageDuration() == null ? null : sync.averageDuration().toMillis());
        syncs.put("last_sync_at", sync.lastSyncAt());
        syncs.put("last_status", sync.lastStatus());
        syncs.put("last_written", sync.lastWritten());
        syncs.put("last_success_at", sync.lastSuccessAt());
        document.put("sync", syncs);
        document.put("history", report.history().stream().map(job -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("job_id", job.id());
            row.put("status", job.status());
            row.put("strategy", job.strategy());
            row.put("started_at", job.startedAt());
            row.put("duration_ms", job.duration().toMillis());
            row.put("read", job.read());
            row.put("added", job.added());
            row.put("updated", job.updated());
            row.put("unchanged", job.unchanged());
            row.put("skipped", job.skipped());
            row.put("failed", job.failed());
            return row;
        }).toList());
        return document;
    }

    private static void printText(StatsReport report, Output out) {
        StatsReport.Totals totals = report.totals();
        out.line("Products");
        out.line(String.format("  total           %,d", totals.products()));
        out.line(String.format("  with image      %,d%s", totals.withImage(), pct(totals.withImage(), totals.products())));
        out.line(String.format("  with nutrition  %,d%s", totals.withNutrition(), pct(totals.withNutrition(), totals.products())));
        out.line(String.format("  verified        %,d%s", totals.verified(), pct(totals.verified(), totals.products())));
        if (!report.bySource().isEmpty()) {
            out.line("By source");
            report.bySource().forEach(source -> out.line(String.format("  %-30s %,d", source.source(), source.products())));
        }
        if (!report.topCategories().isEmpty()) {
            out.line("Top categories");
            report.topCategories().forEach(category ->
                    out.line(String.format("  %-40s %,d", category.category(), category.products())));
        }
        StatsReport.Coverage coverage = report.coverage();
        if (coverage.targets() == 0) {
            out.line("Target coverage: no targets (import a list with 'sync-products targets import FILE')");
        } else {
            out.line(String.format("Target coverage: %,d of %,d targets have a product%s", coverage.present(),
                    coverage.targets(), pct(coverage.present(), coverage.targets())));
            coverage.byCategory().forEach(category -> out.line(String.format("  %-30s %,d / %,d%s",
                    category.category(), category.present(), category.targets(),
                    pct(category.present(), category.targets()))));
        }
        StatsReport.SyncMetrics sync = report.sync();
        out.line("Syncs");
        if (sync.total() == 0) {
            out.line("  none yet (run 'sync-products sync')");
        } else {
            out.line(String.format("  %,d jobs: %,d completed, %,d failed or interrupted (success rate %s%%)",
                    sync.total(), sync.successful(), sync.failed(), sync.successRate()));
            out.line("  average duration " + (sync.averageDuration() == null ? "-" : Durations.format(sync.averageDuration())));
            out.line("  last sync " + time(sync.lastSyncAt()) + " (" + sync.lastStatus() + ", wrote "
                    + String.format("%,d", sync.lastWritten()) + " products), last success "
                    + (sync.lastSuccessAt() == null ? "none yet" : time(sync.lastSuccessAt())));
        }
        List<StatsReport.JobSummary> history = report.history();
        if (!history.isEmpty()) {
            out.line("Recent jobs");
            for (StatsReport.JobSummary job : history) {
                out.line(String.format("  #%-5d %-22s %-11s %s %8s  read %,d  added %,d  updated %,d  unchanged %,d  failed %,d",
                        job.id(), job.status(), job.strategy(), time(job.startedAt()), Durations.format(job.duration()),
                        job.read(), job.added(), job.updated(), job.unchanged(), job.failed()));
            }
        }
    }

    private static String pct(long part, long whole) {
        Double percent = StatsReport.percent(part, whole);
        return percent == null ? "" : " (" + percent + "%)";
    }

    private static String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }


    /** --json parts as records, so their keys keep one order (Map.of iterates in no fixed order). */
    private record ProductTotals(long total, @JsonProperty("with_image") long withImage,
                                 @JsonProperty("with_nutrition") long withNutrition, long verified) {
    }

    private record SourceCount(String source, long products) {
    }

    private record CategoryCount(String category, long products) {
    }
}
