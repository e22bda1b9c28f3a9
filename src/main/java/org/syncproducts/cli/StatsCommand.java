package org.syncproducts.cli;

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
import org.syncproducts.stats.StatsReport;
import org.syncproducts.stats.StatsRepository;
import org.syncproducts.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Database and sync statistics (SPEC §6). */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show what the database holds (products, sources, categories, target coverage) and how syncs went.")
final class StatsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--history", paramLabel = "N", description = "Show the last N jobs (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    int history;

    @Override
    public Integer call() {
        StatsReport report;
        try (Database database = top.openDatabase(top.config())) {
            report = new StatsRepository(database.jdbi()).report(Math.max(history, 0));
        }
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            output.json(toJson(report));
        } else {
            printText(report, output);
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> toJson(StatsReport report) {
        Map<String, Object> document = new LinkedHashMap<>();
        StatsReport.Totals totals = report.totals();
        document.put("products", Map.of("total", totals.products(), "with_image", totals.withImage(),
                "with_nutrition", totals.withNutrition(), "verified", totals.verified()));
        document.put("by_source", report.bySource().stream()
                .map(source -> Map.of("source", source.source(), "products", source.products())).toList());
        document.put("top_categories", report.topCategories().stream()
                .map(category -> Map.of("category", category.category(), "products", category.products())).toList());
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
            out.line("  last sync " + time(sync.lastSyncAt()) + " (" + sync.lastStatus() + "), last success "
                    + time(sync.lastSuccessAt()));
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

}
