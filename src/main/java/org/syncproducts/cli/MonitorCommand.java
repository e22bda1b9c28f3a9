package org.syncproducts.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.Durations;
import org.syncproducts.health.Alert;
import org.syncproducts.health.CoverageMetric;
import org.syncproducts.health.HealthCheck;
import org.syncproducts.health.HealthMeasurements;
import org.syncproducts.health.HealthReport;
import org.syncproducts.health.HealthRepository;
import org.syncproducts.health.HealthScorer;
import org.syncproducts.health.PrometheusTextFile;
import org.syncproducts.notify.Notifier;
import org.syncproducts.store.Database;
import org.syncproducts.sync.CancellationToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Health check, score and alerts (SPEC §7); {@code --watch} repeats until stopped. */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run a health check: score, alerts, and the command to run for each.",
                "Score 0-100 = target coverage 50%% + freshness of the last successful sync 30%% + data "
                        + "quality 20%%. Every check is stored (see 'stats' for the trend). Exit 1 when an alert at "
                        + "or above --fail-on was raised. With --watch, checks repeat every --interval seconds until "
                        + "Ctrl-C or SIGTERM (exit 130 / 143)."})
final class MonitorCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    private static final Logger LOG = LoggerFactory.getLogger(MonitorCommand.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The lowest alert severity that makes the command exit 1. */
    enum FailOn {
        WARNING(Alert.Severity.WARNING), CRITICAL(Alert.Severity.CRITICAL);

        final Alert.Severity severity;

        FailOn(Alert.Severity severity) {
            this.severity = severity;
        }
    }

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--alerts", description = "Print the alerts only.")
    boolean alertsOnly;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "critical",
            description = "Exit 1 when an alert of this level or worse is raised: warning or critical (default: ${DEFAULT-VALUE}).")
    FailOn failOn;

    @Option(names = "--watch", description = "Repeat the check until Ctrl-C or SIGTERM (with --json: one JSON line per check).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Seconds between checks with --watch (default: monitor.interval, else 300).")
    Long intervalSeconds;

    @Option(names = "--count", paramLabel = "N",
            description = "With --watch, stop after N checks (default: run until stopped).")
    Long count;

    @Option(names = "--prometheus-file", paramLabel = "PATH",
            description = "Also write the score, coverage, last success time and job counts to PATH in the Prometheus "
                    + "text format, atomically (for node_exporter's textfile collector).")
    java.nio.file.Path prometheusFile;

    @Override
    public Integer call() {
        if (intervalSeconds != null && intervalSeconds < 1) {
            throw new SyncProductsException(ExitCode.USAGE, "--interval must be at least 1 second");
        }
        if (count != null && count < 1) {
            throw new SyncProductsException(ExitCode.USAGE, "--count must be at least 1");
        }
        if (!watch && (intervalSeconds != null || count != null)) {
            throw new SyncProductsException(ExitCode.USAGE, "--interval and --count only apply with --watch");
        }
        AppConfig config = top.config();
        HealthScorer scorer = new HealthScorer(config.monitor().thresholds());
        Output output = new Output(spec, top.json(), top.quiet());
        Notifier notifier = new Notifier(config.notifications(), top.http()::get, Operator.host(top.env()));
        Database opened;
        try {
            opened = top.openDatabase(config);
        } catch (SyncProductsException e) {
            notifier.monitorFailed(e.exitCode(), e.getMessage());
            throw e;
        }
        try (Database database = opened) {
            HealthRepository health = new HealthRepository(database.jdbi());
            if (!watch) {
                return printAndJudge(check(health, scorer, notifier), output);
            }
            Duration interval = intervalSeconds != null ? Duration.ofSeconds(intervalSeconds)
                    : config.monitor().watchInterval();
            return watch(health, scorer, notifier, output, interval);
        }
    }

    /** Runs, stores and reports one check: webhook for new critical alerts, the Prometheus file. */
    private HealthCheck check(HealthRepository health, HealthScorer scorer, Notifier notifier) {
        HealthCheck check = health.check(scorer);
        notifier.healthChecked(check, health.criticalCodesBefore(check.id()));
        if (prometheusFile != null) {
            PrometheusTextFile.write(prometheusFile, PrometheusTextFile.render(check, health.jobsByStatus()));
        }
        return check;
    }

    private int watch(HealthRepository health, HealthScorer scorer, Notifier notifier, Output output,
                      Duration interval) {
        CancellationToken stop = new CancellationToken();
        long checks = 0;
        int exitCode = ExitCode.OK;
        HealthCheck last = null;
        try (SignalHandling signals = SignalHandling.install(stop)) {
            LOG.info("checking health every {}; Ctrl-C to stop", Durations.format(interval));
            while (!stop.isCancelled()) {
                last = check(health, scorer, notifier);
                exitCode = printAndJudge(last, output);
                checks++;
                if ((count != null && checks >= count) || stop.awaitCancellation(interval)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.cancel(ExitCode.SIGINT, "interrupt");
        }
        if (stop.isCancelled()) {
            spec.commandLine().getErr().println("sync-products: monitor stopped by " + stop.reason() + " after "
                    + checks + " check(s)");
            spec.commandLine().getErr().flush();
            return stop.exitCode();
        }
        if (exitCode != ExitCode.OK) {
            reportFailure(last.report());
        }
        return exitCode;
    }

    private int printAndJudge(HealthCheck check, Output output) {
        print(check, output, watch);
        return exitCode(check.report());
    }

    private int exitCode(HealthReport report) {
        if (!report.hasAlertAtLeast(failOn.severity)) {
            return ExitCode.OK;
        }
        if (!watch) {
            reportFailure(report);
        }
        return ExitCode.FAILURE;
    }

    /** The one stderr line of a non-zero exit: the worst alert and what to do. */
    private void reportFailure(HealthReport report) {
        Alert worst = report.alerts().get(0);
        PrintWriter err = spec.commandLine().getErr();
        err.println("sync-products: health check raised a " + worst.severity().label() + " alert (--fail-on "
                + failOn.name().toLowerCase(java.util.Locale.ROOT) + "): " + worst.message() + "; " + worst.action());
        err.flush();
    }

    private void print(HealthCheck check, Output output, boolean oneLine) {
        if (output.isJson()) {
            Map<String, Object> document = alertsOnly ? alertsDocument(check) : document(check);
            int exitCode = check.report().hasAlertAtLeast(failOn.severity) ? ExitCode.FAILURE : ExitCode.OK;
            if (oneLine) {
                output.jsonLine(document, exitCode);
            } else {
                output.json(document, exitCode);
            }
            return;
        }
        HealthReport report = check.report();
        if (alertsOnly) {
            // Under -q only what needs a person: warnings and worse, and nothing when there are none.
            List<Alert> alerts = output.isQuiet() ? report.alerts().stream()
                    .filter(alert -> alert.severity().compareTo(Alert.Severity.WARNING) >= 0).toList()
                    : report.alerts();
            if (output.isQuiet() && alerts.isEmpty()) {
                return;
            }
            if (watch) {
                output.line(TIME.format(report.measurements().measuredAt()) + ": " + alerts.size() + " alert(s)");
            }
            printAlerts(alerts, output);
            return;
        }
        printText(check, output);
    }

    static Map<String, Object> alertsDocument(HealthCheck check) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("check_id", check.id());
        document.put("checked_at", check.report().measurements().measuredAt());
        document.put("healthy", check.report().healthy());
        document.put("alerts", check.report().alerts().stream().map(HealthRepository::alertDocument).toList());
        return document;
    }

    /** The JSON document of one check (also one line of {@code --watch --json}). */
    static Map<String, Object> document(HealthCheck check) {
        HealthReport report = check.report();
        HealthMeasurements measured = report.measurements();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("check_id", check.id());
        document.put("checked_at", measured.measuredAt());
        document.put("score", report.score());
        document.put("rating", report.rating().label());
        document.put("healthy", report.healthy());
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("coverage", report.coverage());
        components.put("freshness", report.freshness());
        components.put("quality", report.quality());
        document.put("components", components);
        document.put("weights", report.weights());
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("total", measured.targets());
        targets.put("present", measured.targetsPresent());
        document.put("targets", targets);
        Map<String, Object> products = new LinkedHashMap<>();
        products.put("total", measured.products());
        products.put("with_image", measured.withImage());
        products.put("with_nutrition", measured.withNutrition());
        products.put("verified", measured.verified());
        products.put("image_percent", report.imagePercent());
        products.put("nutrition_percent", report.nutritionPercent());
        products.put("verified_percent", report.verifiedPercent());
        document.put("products", products);
        document.put("last_success_at", measured.lastSuccessAt());
        document.put("last_success_age_seconds", report.lastSuccessAge() == null ? null
                : report.lastSuccessAge().toSeconds());
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("by_source", metricRows(check.metrics(CoverageMetric.SOURCE), "source"));
        coverage.put("by_target_category", metricRows(check.metrics(CoverageMetric.TARGET_CATEGORY), "category"));
        document.put("coverage", coverage);
        document.put("alerts", report.alerts().stream().map(HealthRepository::alertDocument).toList());
        return document;
    }

    private static List<Map<String, Object>> metricRows(List<CoverageMetric> metrics, String dimensionName) {
        return metrics.stream().map(metric -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(dimensionName, metric.dimension());
            row.put("covered", metric.covered());
            row.put("total", metric.total());
            row.put("percent", metric.percent());
            return row;
        }).toList();
    }

    private static void printText(HealthCheck check, Output out) {
        HealthReport report = check.report();
        HealthMeasurements measured = report.measurements();
        out.line(String.format("Health %s/100 (%s), %s - check #%d at %s", report.score(), report.rating().label(),
                report.healthy() ? "healthy" : "NOT healthy (critical alerts)", check.id(),
                TIME.format(measured.measuredAt())));
        Map<String, Double> weights = report.weights();
        out.line(String.format("  coverage   %-6s %s", report.coverage() == null ? "-" : report.coverage() + "%",
                report.coverage() == null ? "no targets: left out of the score"
                        : String.format("%,d of %,d targets have a product (weight %d%%)", measured.targetsPresent(),
                        measured.targets(), Math.round(weights.get("coverage") * 100))));
        out.line(String.format("  freshness  %-6s %s (weight %d%%)", report.freshness(),
                measured.lastSuccessAt() == null ? "no successful sync yet"
                        : "last successful sync " + Durations.format(report.lastSuccessAge()) + " ago, "
                        + TIME.format(measured.lastSuccessAt()),
                Math.round(weights.get("freshness") * 100)));
        out.line(String.format("  quality    %-6s %s (weight %d%%)", report.quality(),
                measured.products() == 0 ? "no products"
                        : String.format("%,d products: verified %s%%, image %s%%, nutrition %s%%", measured.products(),
                        report.verifiedPercent(), report.imagePercent(), report.nutritionPercent()),
                Math.round(weights.get("quality") * 100)));
        printMetrics("Coverage by target category", check.metrics(CoverageMetric.TARGET_CATEGORY), out);
        printMetrics("Coverage by source", check.metrics(CoverageMetric.SOURCE), out);
        printAlerts(report.alerts(), out);
    }

    private static void printMetrics(String title, List<CoverageMetric> metrics, Output out) {
        if (metrics.isEmpty()) {
            return;
        }
        out.line(title);
        metrics.forEach(metric -> out.line(String.format("  %-30s %,d / %,d (%s%%)", metric.dimension(),
                metric.covered(), metric.total(), metric.percent())));
    }

    private static void printAlerts(List<Alert> alerts, Output out) {
        if (alerts.isEmpty()) {
            out.line("No alerts");
            return;
        }
        out.line("Alerts");
        for (Alert alert : alerts) {
            out.line(String.format("  %-8s %s", alert.severity().label().toUpperCase(), alert.message()));
            out.line("           -> " + alert.action());
        }
    }

    /** When a check was taken, for other commands' text. */
    static String time(Instant instant) {
        return Durations.formatTime(instant);
    }
}
