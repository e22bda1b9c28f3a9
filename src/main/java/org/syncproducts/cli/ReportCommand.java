package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.report.HtmlReport;
import org.syncproducts.report.ReportData;
import org.syncproducts.report.ReportRepository;
import org.syncproducts.store.Database;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Writes the health report as one self-contained HTML page (issue 14). */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Write the health report: one self-contained HTML page with charts and their data tables.",
                "The health score and its components now and over time, target coverage overall and by category "
                        + "with its thresholds, image and nutrition coverage, the last jobs as a timeline, item errors "
                        + "by type and source, and the targets still missing with the command that looks them up. "
                        + "The page loads nothing from the network. Figures of now come from the newest stored "
                        + "check: run 'monitor' first."})
final class ReportCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Destination destination;

    /** Where the page goes: a file, or index.html in a folder. */
    static final class Destination {
        @Option(names = "--html", paramLabel = "FILE", required = true,
                description = "Write the page to FILE (replaced atomically).")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Write the page to DIR/index.html, for a web server or bucket to serve.")
        Path folder;

        Path target() {
            return file != null ? file : folder.resolve("index.html");
        }
    }

    @Option(names = "--since", paramLabel = "AGE", defaultValue = "365d",
            description = "How far back the charts go (default: ${DEFAULT-VALUE}; shorter when the history is).")
    String since;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "30",
            description = "How many of the last jobs to show (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--missing-codes", paramLabel = "N", defaultValue = "20",
            description = "Missing target codes listed per category (default: ${DEFAULT-VALUE}).")
    int missingCodes;

    @Override
    public Integer call() {
        Duration window = Operator.duration(since, "--since");
        if (jobs < 0 || jobs > 1000) {
            throw new SyncProductsException(ExitCode.USAGE, "--jobs must be from 0 to 1000");
        }
        if (missingCodes < 1 || missingCodes > 1000) {
            throw new SyncProductsException(ExitCode.USAGE, "--missing-codes must be from 1 to 1000");
        }
        AppConfig config = top.config();
        ReportData data;
        try (Database database = top.openDatabase(config)) {
            data = new ReportRepository(database.jdbi())
                    .read(new ReportRepository.Request(window, jobs, missingCodes), config.monitor().thresholds());
        }
        Path file = destination.target();
        long bytes;
        try {
            bytes = new HtmlReport().write(data, file);
        } catch (UncheckedIOException e) {
            throw new SyncProductsException(ExitCode.FAILURE, e.getMessage() + "; choose a writable --html or --out", e);
        }
        Output output = new Output(spec, top.json(), top.quiet());
        if (output.isJson()) {
            output.json(new Written(file.toAbsolutePath().toString(), bytes,
                    data.latest() == null ? null : data.latest().id(), data.generatedAt(), ExitCode.OK));
        } else if (data.latest() == null) {
            // Worth a person's look even under -q: the page has no "now" to show.
            output.line(String.format("report written to %s (%,d KB); no health check stored yet: run"
                    + " 'sync-products monitor' first", file, (bytes + 1023) / 1024));
        } else {
            output.notice(String.format("report written to %s (%,d KB), health check #%d", file, (bytes + 1023) / 1024,
                    data.latest().id()));
        }
        return ExitCode.OK;
    }

    /** The --json document. */
    private record Written(String file, long bytes, @JsonProperty("check_id") Long checkId,
                           @JsonProperty("generated_at") Instant generatedAt, @JsonProperty("exit_code") int exitCode) {
    }
}
