package org.syncproducts.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.config.Durations;
import org.syncproducts.download.DownloadListener;
import org.syncproducts.model.JobCounts;
import org.syncproducts.source.InputProgress;
import org.syncproducts.sync.ProgressListener;

/**
 * Shows a job's progress on stderr, where progress goes: a progress bar with records/s and ETA
 * when stderr is a terminal (whatever stdout is), otherwise a log line at a steady interval (cron
 * mail, journald and {@code 2>log} files stay free of escape codes).
 */
final class ProgressReporter {
    private static final int DEFAULT_WIDTH = 100;
    private static final double MIB = 1 << 20;

    private ProgressReporter() {
    }

    static ProgressListener choose(SyncProductsCommand top, Duration logInterval) {
        if (top.quiet()) {
            return ProgressListener.NONE;
        }
        if (!top.noProgress() && stderrIsTerminal()) {
            return new Bar(width(top.env().get("COLUMNS")));
        }
        return new LogLines(logInterval);
    }

    /**
     * Whether stderr is a terminal. Java 17 can only tell for stdin and stdout together
     * ({@code System.console()}), so on Linux the file stderr is open on is read from /proc.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    private static int width(String columns) {
        try {
            return columns == null ? DEFAULT_WIDTH : Math.max(40, Integer.parseInt(columns.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** Records per second since the source started, and the time left by the share of input read. */
    private record Rate(long perSecond, Duration eta) {
        static Rate of(long records, long startNanos, double fraction) {
            double elapsed = Math.max((System.nanoTime() - startNanos) / 1e9, 0.001);
            Duration eta = fraction > 0 && fraction < 1 ? Duration.ofSeconds(Math.round(elapsed / fraction - elapsed))
                    : null;
            return new Rate(Math.round(records / elapsed), eta);
        }

        String etaText() {
            return eta == null ? "" : ", ETA " + Durations.format(eta);
        }
    }

    /** The terminal progress bar: MiB of input read, then records, records/s, failures and ETA. */
    private static final class Bar implements ProgressListener {
        private final int width;
        private ProgressBar bar;
        private long startNanos;
        /** Records of earlier sources of the job: the rate is this source's. */
        private long recordsBefore;
        private long recordsSeen;

        Bar(int width) {
            this.width = width;
        }

        @Override
        public void onStart(String source, InputProgress progress) {
            onEnd();
            startNanos = System.nanoTime();
            recordsBefore = recordsSeen;
            bar = new ProgressBarBuilder()
                    .setTaskName(source)
                    .setInitialMax(Math.max(progress.total(), 1))
                    .setUnit(" MiB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .hideEta()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err, width))
                    .setUpdateIntervalMillis(500)
                    .build();
        }

        @Override
        public void onBatch(JobCounts total, InputProgress progress) {
            if (bar != null) {
                recordsSeen = total.read();
                Rate rate = Rate.of(total.read() - recordsBefore, startNanos, progress.fraction());
                bar.stepTo(progress.done());
                bar.setExtraMessage(" " + total.read() + " records, " + rate.perSecond() + " records/s, "
                        + total.failed() + " failed" + rate.etaText());
            }
        }

        @Override
        public void onEnd() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public DownloadListener downloads() {
            return new DownloadBar(width);
        }
    }

    /** The terminal progress bar of a download: MiB, MiB/s and ETA (an open-ended bar when the size is unknown). */
    private static final class DownloadBar implements DownloadListener {
        private final int width;
        private ProgressBar bar;

        DownloadBar(int width) {
            this.width = width;
        }

        @Override
        public void onStart(String name, long done, long total) {
            onEnd();
            bar = new ProgressBarBuilder()
                    .setTaskName("download " + name)
                    .setInitialMax(total)
                    .startsFrom(done, Duration.ZERO)
                    .setUnit(" MiB", 1 << 20)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err, width))
                    .setUpdateIntervalMillis(500)
                    .build();
        }

        @Override
        public void onProgress(long done, long total) {
            if (bar != null) {
                bar.stepTo(done);
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

    /** A download's log line every interval: MiB, percent, MiB/s and ETA. */
    private static final class DownloadLogLines implements DownloadListener {
        private static final Logger LOG = LoggerFactory.getLogger("progress");
        private final long intervalNanos;
        private String name;
        private long startNanos;
        private long lastNanos;
        private long startBytes;

        DownloadLogLines(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void onStart(String name, long done, long total) {
            this.name = name;
            startNanos = System.nanoTime();
            lastNanos = startNanos;
            startBytes = done;
        }

        @Override
        public void onProgress(long done, long total) {
            long now = System.nanoTime();
            if (now - lastNanos < intervalNanos) {
                return;
            }
            lastNanos = now;
            double seconds = Math.max((now - startNanos) / 1e9, 0.001);
            double perSecond = (done - startBytes) / seconds;
            String share = total > 0 ? String.format(" of %.1f MiB (%.0f%%)", total / MIB, done * 100.0 / total) : "";
            String eta = total > 0 && perSecond > 0 ? ", ETA " + Durations.format(Duration.ofSeconds(
                    Math.round((total - done) / perSecond))) : "";
            LOG.info("download {}: {} MiB{}, {} MiB/s{}", name, String.format("%.1f", done / MIB), share,
                    String.format("%.1f", perSecond / MIB), eta);
        }

        @Override
        public void onEnd() {
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
            Rate rate = Rate.of(total.read(), startNanos, progress.fraction());
            String share = rate.eta() == null ? "" : String.format(", %.0f%%", progress.fraction() * 100);
            LOG.info("{}: {} records read ({} added, {} updated, {} unchanged, {} skipped, {} failed), {} records/s{}{}",
                    source, total.read(), total.added(), total.updated(), total.unchanged(), total.skipped(),
                    total.failed(), rate.perSecond(), share, rate.etaText());
        }

        @Override
        public void onEnd() {
        }

        @Override
        public DownloadListener downloads() {
            return new DownloadLogLines(Duration.ofNanos(intervalNanos));
        }
    }
}
