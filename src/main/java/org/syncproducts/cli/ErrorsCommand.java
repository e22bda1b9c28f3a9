package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.store.Database;
import org.syncproducts.store.ErrorReviewRepository;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Item errors recorded by sync jobs: list them, mark them resolved. */
@Command(name = "errors", mixinStandardHelpOptions = true,
        description = "List the item errors sync jobs recorded, and mark them resolved.",
        subcommands = {ErrorsCommand.ListErrors.class, ErrorsCommand.Resolve.class})
final class ErrorsCommand implements Callable<Integer> {
    @ParentCommand
    SyncProductsCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "errors needs a command: list or resolve");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List item errors, newest first.")
    static final class ListErrors implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        ErrorsCommand errors;

        @Spec
        CommandSpec spec;

        @Option(names = "--unresolved", description = "Only errors not marked resolved.")
        boolean unresolved;

        @Option(names = "--job", paramLabel = "ID", description = "Only errors of this job.")
        Long jobId;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "Show at most N errors (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            SyncProductsCommand top = errors.top;
            List<ErrorReviewRepository.ErrorEntry> list;
            long total;
            try (Database database = top.openDatabase(top.config())) {
                ErrorReviewRepository repository = new ErrorReviewRepository(database.jdbi());
                list = repository.list(unresolved, jobId, Math.max(limit, 0));
                total = repository.count(unresolved, jobId);
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.list(list.stream().map(Row::of).toList(), total);
                return ExitCode.OK;
            }
            if (list.isEmpty()) {
                output.line("no " + (unresolved ? "unresolved " : "") + "errors" + (jobId == null ? "" : " in job #" + jobId));
                return ExitCode.OK;
            }
            for (ErrorReviewRepository.ErrorEntry error : list) {
                output.line(String.format("#%-6d job #%-5d %-10s %-16s %s%s: %s", error.id(), error.jobId(),
                        error.resolvedAt() == null ? "open" : "resolved", error.barcode() == null ? "-" : error.barcode(),
                        error.source() == null ? "" : error.source() + (error.line() == null ? "" : " line " + error.line())
                                + " ", error.type(), error.message()));
            }
            if (total > list.size()) {
                output.line(String.format("(%,d of %,d shown; --limit N for more)", list.size(), total));
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Mark one error (ID) or all unresolved ones (--all, optionally --job ID) resolved.")
    static final class Resolve implements Callable<Integer> {
        /** The global options that apply here. */
        @Mixin
        GlobalOptions.Database globalOptions;

        @ParentCommand
        ErrorsCommand errors;

        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Parameters(paramLabel = "ID", description = "The error id (see 'errors list').")
            Long errorId;

            @Option(names = "--all", description = "Every unresolved error.")
            boolean all;
        }

        @Option(names = "--job", paramLabel = "ID", description = "With --all: only the errors of this job.")
        Long jobId;

        @Override
        public Integer call() {
            if (jobId != null && !target.all) {
                throw new SyncProductsException(ExitCode.USAGE, "--job only applies with --all");
            }
            SyncProductsCommand top = errors.top;
            long resolved;
            try (Database database = top.openDatabase(top.config())) {
                ErrorReviewRepository repository = new ErrorReviewRepository(database.jdbi());
                if (target.all) {
                    resolved = repository.resolveAll(jobId);
                } else {
                    if (!repository.exists(target.errorId)) {
                        throw new SyncProductsException(ExitCode.USAGE, "no error #" + target.errorId
                                + "; see sync-products errors list");
                    }
                    resolved = repository.resolve(target.errorId) ? 1 : 0;
                }
            }
            Output output = new Output(spec, top.json());
            if (output.isJson()) {
                output.json(new Resolved(resolved, ExitCode.OK));
            } else if (!target.all && resolved == 0) {
                output.line("error #" + target.errorId + " was already resolved");
            } else {
                output.line("resolved " + resolved + " error" + (resolved == 1 ? "" : "s"));
            }
            return ExitCode.OK;
        }
    }

    /** One item error as {@code errors list --json} shows it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Row(long errorId, long jobId, String barcode, String source, Long line, String type, String message,
               boolean retryable, Instant createdAt, Instant resolvedAt) {
        static Row of(ErrorReviewRepository.ErrorEntry error) {
            return new Row(error.id(), error.jobId(), error.barcode(), error.source(), error.line(), error.type(),
                    error.message(), error.retryable(), error.createdAt(), error.resolvedAt());
        }
    }

    /** The {@code errors resolve --json} document: how many errors were marked resolved. */
    record Resolved(long resolved, @JsonProperty("exit_code") int exitCode) {
    }
}
