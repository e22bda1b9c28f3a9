package org.syncproducts.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.syncproducts.SyncProductsException;

/**
 * A health check in the Prometheus text exposition format, for node_exporter's textfile collector.
 * The file is written next to its final name and moved into place, so a scrape never reads half
 * of it.
 */
public final class PrometheusTextFile {
    private PrometheusTextFile() {
    }

    /**
     * The metrics of one check.
     *
     * @param jobsByStatus job counts by status (dry runs excluded)
     */
    public static String render(HealthCheck check, Map<String, Long> jobsByStatus) {
        HealthReport report = check.report();
        HealthMeasurements measured = report.measurements();
        StringBuilder text = new StringBuilder();
        gauge(text, "sync_products_health_score", "Health score 0-100 of the last check.", report.score());
        gauge(text, "sync_products_healthy", "1 when the last check raised no critical alert.", report.healthy() ? 1 : 0);
        gauge(text, "sync_products_health_check_timestamp_seconds", "When the last check ran (Unix time).",
                measured.measuredAt().getEpochSecond());
        if (report.coverage() != null) {
            gauge(text, "sync_products_target_coverage_percent", "Share of target barcodes with a product.",
                    report.coverage());
        }
        gauge(text, "sync_products_targets", "Distinct target barcodes.", measured.targets());
        gauge(text, "sync_products_products", "Live products.", measured.products());
        if (report.imagePercent() != null) {
            gauge(text, "sync_products_image_coverage_percent", "Share of products with an image.",
                    report.imagePercent());
            gauge(text, "sync_products_nutrition_coverage_percent", "Share of products with nutrition facts.",
                    report.nutritionPercent());
        }
        if (measured.lastSuccessAt() != null) {
            gauge(text, "sync_products_last_success_timestamp_seconds",
                    "End of the last successful sync (Unix time); absent when none ever completed.",
                    measured.lastSuccessAt().getEpochSecond());
        }
        text.append("# HELP sync_products_alerts Alerts raised by the last check, by severity.\n")
                .append("# TYPE sync_products_alerts gauge\n");
        for (Alert.Severity severity : Alert.Severity.values()) {
            long count = report.alerts().stream().filter(alert -> alert.severity() == severity).count();
            text.append("sync_products_alerts{severity=\"").append(severity.label()).append("\"} ").append(count)
                    .append('\n');
        }
        text.append("# HELP sync_products_jobs Sync jobs recorded, by status (dry runs excluded).\n")
                .append("# TYPE sync_products_jobs gauge\n");
        jobsByStatus.forEach((status, count) -> text.append("sync_products_jobs{status=\"").append(status)
                .append("\"} ").append(count).append('\n'));
        return text.toString();
    }

    /** Writes the metrics to {@code file} atomically. A file that cannot be written is exit 78. */
    public static void write(Path file, String metrics) {
        Path target = file.toAbsolutePath();
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, metrics, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw SyncProductsException.config("cannot write --prometheus-file " + file + ": " + e.getMessage());
        }
    }

    private static void gauge(StringBuilder text, String name, String help, double value) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value == Math.rint(value) && Math.abs(value) < 1e15
                        ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value)).append('\n');
    }
}
