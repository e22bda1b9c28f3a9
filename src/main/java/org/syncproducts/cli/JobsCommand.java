package org.syncproducts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.Durations;
import org.syncproducts.images.ImageSync;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorRepository;
import org.syncproducts.store.JobRecord;
import org.syncproducts.store.JobRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Sync jobs: list them, show one, ask a running one to stop. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "List sync jobs, show one in detail, or cancel a running one.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Cancel.class})
final class JobsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    SyncProductsCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "jobs needs a command: list, show ID or cancel ID");
    }

    static Map<String, Object> summary(JobRecord job) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("job_id", job.id());
        row.put("status", job.status());
        row.put("strategy", job.strategy());
        row.put("dry_run", job.dryRun());
        row.put("sources", job.sources());
        row.put("started_at", job.startedAt());
        row.put("ended_at", job.endedAt());
        row.put("duration_ms", job.duration().toMillis());
        row.put("heartbeat_at", job.heartbeatAt());
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("read", job.counts().read());
        counts.put("added", job.counts().added());
        counts.put("updated", job.counts().updated());
        counts.put("unchanged", job.counts().unchanged());
        counts.put("skipped", job.counts().skipped());
        counts.put("failed", job.counts().failed());
        row.put("counts", counts);
        row.put("message", job.message());
        return row;
    }

    static String line(JobRecord job) {
        return String.format("#%-5d %-11s %-11s %s %8s  read %,d  added %,d  updated %,d  unchanged %,d  failed %,d%s",
                job.id(), job.status(), job.strategy() + (job.dryRun() ? "*" : ""), MonitorCommand.time(job.startedAt()),
                Durations.format(job.duration()), job.counts().read(), job.counts().added(), job.counts().updated(),
                job.counts().unchanged(), job.counts().failed(), job.sources().isEmpty() ? ""
                        : "  " + String.join(",", job.sources()));
    }

    private static JobRecord find(JobRepository jobs, long id) {
        return jobs.find(id).orElseThrow(() -> new SyncProductsException(ExitCode.USAGE,
                "no job #" + id + "; see sync-products jobs list"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the newest jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs with this status: running, completed, failed, cancelled or interrupted.")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "Show at most N jobs (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (status != null && !List.of(JobRepository.RUNNING, JobRepository.COMPLETED, JobRepository.FAILED,
                    JobRepository.CANCELLED, JobRepository.INTERRUPTED).contains(status)) {
                throw new SyncProductsException(ExitCode.USAGE, "--status must be running, completed, failed, "
                        + "cancelled or interrupted; got '" + status + "'");
            }
            SyncProductsCommand top = jobs.top;
            List<JobRecord> list;
            try (Database database = top.openDatabase(top.config())) {
                list = new JobRepository(database.jdbi()).list(status, Math.max(limit, 0));
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                // The repository reads at most --limit jobs: a full page may have more behind it.
                output.list(list.stream().map(JobsCommand::summary).toList(),
                        limit > 0 && list.size() == limit ? list.size() + 1L : list.size());
            } else if (list.isEmpty()) {
                output.line("no jobs" + (status == null ? " yet (run 'sync-products sync')" : " with status " + status));
            } else {
                list.forEach(job -> output.line(line(job)));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one job: status, counts, settings, errors by type, the first errors.")
    static final class Show implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The job id (see 'jobs list').")
        long id;

        @Override
        public Integer call() throws JsonProcessingException {
            SyncProductsCommand top = jobs.top;
            JobRecord job;
            String config;
            ImageSync.Tally images;
            Optional<JobRepository.CancelRequest> cancel;
            Map<String, Long> errorTypes;
            List<ErrorRepository.ErrorRow> firstErrors;
            try (Database database = top.openDatabase(top.config())) {
                JobRepository repository = new JobRepository(database.jdbi());
                job = find(repository, id);
                config = repository.configJson(id).orElse("{}");
                Optional<String> imagesJson = repository.imagesJson(id);
                images = imagesJson.isEmpty() ? null : JSON.readValue(imagesJson.get(), ImageSync.Tally.class);
                cancel = repository.cancelRequest(id);
                errorTypes = ErrorRepository.countByType(database.jdbi(), id);
                firstErrors = ErrorRepository.firstOfJob(database.jdbi(), id, 5);
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                Map<String, Object> document = summary(job);
                document.put("host", job.host());
                document.put("pid", job.pid());
                Map<String, Object> progress = new LinkedHashMap<>();
                progress.put("done", job.progressDone());
                progress.put("total", job.progressTotal());
                document.put("progress", progress);
                document.put("images", images);
                document.put("config", JSON.readTree(config));
                document.put("cancel_requested_by", cancel.map(JobRepository.CancelRequest::requestedBy).orElse(null));
                document.put("cancel_requested_at", cancel.map(JobRepository.CancelRequest::requestedAt).orElse(null));
                document.put("errors_by_type", errorTypes);
                document.put("first_errors", firstErrors.stream().map(error -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("error_id", error.id());
                    row.put("barcode", error.barcode());
                    row.put("line", error.line());
                    row.put("type", error.type());
                    row.put("message", error.message());
                    return row;
                }).toList());
                output.json(document);
                return ExitCode.OK;
            }
            output.line("job #" + job.id() + " " + job.status() + (job.dryRun() ? " (dry run)" : "") + ", "
                    + job.strategy() + " sync of " + String.join(", ", job.sources()));
            output.line("  started   " + MonitorCommand.time(job.startedAt()) + " by pid " + job.pid() + " on "
                    + job.host());
            output.line("  ended     " + MonitorCommand.time(job.endedAt()) + " (" + Durations.format(job.duration()) + ")");
            if (job.status().equals(JobRepository.RUNNING)) {
                Duration silent = Duration.between(job.heartbeatAt(), Instant.now());
                output.line("  heartbeat " + Durations.format(silent) + " ago; progress " + job.progressDone() + " of "
                        + job.progressTotal());
            }
            cancel.ifPresent(request -> output.line("  cancel requested by " + request.requestedBy() + " at "
                    + MonitorCommand.time(request.requestedAt())));
            output.line(String.format("  counts    read %,d, added %,d, updated %,d, unchanged %,d, skipped %,d, failed %,d",
                    job.counts().read(), job.counts().added(), job.counts().updated(), job.counts().unchanged(),
                    job.counts().skipped(), job.counts().failed()));
            if (images != null) {
                output.line("  " + images.summary());
            }
            output.line("  message   " + (job.message() == null ? "-" : job.message()));
            output.line("  settings  " + config);
            if (!errorTypes.isEmpty()) {
                StringBuilder types = new StringBuilder("  errors   ");
                errorTypes.forEach((type, count) -> types.append(' ').append(type).append(' ').append(count));
                output.line(types.toString());
                firstErrors.forEach(error -> output.line("    #" + error.id() + " "
                        + (error.line() == null ? "" : "line " + error.line() + ": ") + error.type() + ": "
                        + error.message()));
                output.line("  (all of them: sync-products errors list --job " + job.id() + ")");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Ask a running job to stop: it finishes the batches in flight, records itself as cancelled "
                    + "and exits 1; a rerun continues from its checkpoint.")
    static final class Cancel implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The running job's id (see 'jobs list --status running').")
        long id;

        @Option(names = "--by", paramLabel = "NAME", description = "Who asks, as recorded (default: user@host).")
        String by;

        @Override
        public Integer call() {
            SyncProductsCommand top = jobs.top;
            AppConfig config = top.config();
            String requester = Operator.name(by, top.env());
            JobRecord job;
            boolean requested;
            try (Database database = top.openDatabase(config)) {
                JobRepository repository = new JobRepository(database.jdbi());
                job = find(repository, id);
                requested = repository.requestCancel(id, requester);
            }
            if (!requested) {
                throw new SyncProductsException(ExitCode.FAILURE, "job #" + id + " is not running (it is "
                        + job.status() + "); nothing to cancel");
            }
            Duration silent = Duration.between(job.heartbeatAt(), Instant.now());
            boolean stale = silent.compareTo(config.sync().staleAfter()) > 0;
            Output output = new Output(spec, top.json());
            String note = stale ? "; its heartbeat is " + Durations.format(silent) + " old, so its process may be gone:"
                    + " then the next sync marks it interrupted" : "; it stops after the batches in flight";
            if (output.isJson()) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("job_id", id);
                document.put("cancel_requested", true);
                document.put("requested_by", requester);
                document.put("heartbeat_stale", stale);
                output.json(document);
            } else {
                output.line("cancel requested for job #" + id + " by " + requester + note);
            }
            return ExitCode.OK;
        }
    }
}
