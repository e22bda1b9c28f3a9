package org.syncproducts.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.config.Durations;
import org.syncproducts.model.JobCounts;
import org.syncproducts.source.InputProgress;
import org.syncproducts.sync.ProgressListener;

/**
 * Shows a job's progress on stderr: a progress bar with rate and ETA on a terminal, otherwise a
 * log line at a steady interval (cron mail and journald stay readable).
 */
final class ProgressReporter {
    private ProgressReporter() {
    }

    static ProgressListener choose(SyncProductsCommand top, Duration logInterval) {
        if (top.quiet()) {
            return ProgressListener.NONE;
        }
        if (!top.noProgress() && System.console() != null) {
            return new Bar();
        }
        return new LogLines(logInterval);
    }

    /** The terminal progress bar, in MiB of input read. */
    private static final class Bar implements ProgressListener {
        private ProgressBar bar;

        @Override
        public void onStart(String source, InputProgress progress) {
            onEnd();
            bar = new ProgressBarBuilder()
                    .setTaskName(source)
                    .setInitialMax(Math.max(progress.total(), 1))
                    .setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .showSpeed()
                    .setUpdateIntervalMillis(500)
                    .build();
        }

        @Override
        public void onBatch(JobCounts total, InputProgress progress) {
            if (bar != null) {
                bar.stepTo(progress.done());
                bar.setExtraMessage("  " + total.read() + " records, " + total.failed() + " failed");
            }
        }

        @Override
        public void onEnd() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** A log line every interval: records, rate, percent of input and ETA. */
    private static final class LogLines implements ProgressListener {
        private static final Logger LOG = LoggerFactory.getLogger("progress");
        private final long intervalNanos;
        private long startNanos;
        private long lastNanos;
        private String source;

        LogLines(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void onStart(String source, InputProgress progress) {
            this.source = source;
            startNanos = System.nanoTime();
            lastNanos = startNanos;
        }

        @Override
        public void onBatch(JobCounts total, InputProgress progress) {
            long now = System.nanoTime();
            if (now - lastNanos < intervalNanos) {
                return;
            }
            lastNanos = now;
            double elapsed = (now - startNanos) / 1e9;
            long rate = Math.round(total.read() / Math.max(elapsed, 0.001));
            double fraction = progress.fraction();
            String eta = "";
            if (fraction > 0 && fraction < 1) {
                long remaining = Math.round(elapsed / fraction - elapsed);
                eta = String.format(", %.0f%%, ETA %s", fraction * 100, Durations.format(Duration.ofSeconds(remaining)));
            }
            LOG.info("{}: {} records read ({} added, {} updated, {} failed), {} records/s{}", source, total.read(),
                    total.added(), total.updated(), total.failed(), rate, eta);
        }

        @Override
        public void onEnd() {
        }
    }
}
