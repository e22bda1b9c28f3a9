package org.syncproducts.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.store.Database;
import org.syncproducts.store.RetentionRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Deletes old history: finished jobs with their errors, health checks, coverage metrics. */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Delete old history: finished jobs, their errors, health checks, coverage metrics.",
                "Products, targets and running jobs are never touched."})
final class CleanupCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--older-than", paramLabel = "AGE", required = true,
            description = "Delete what is older than this: 30d, 12h, ...")
    String olderThan;

    @Override
    public Integer call() {
        Duration age = Operator.duration(olderThan, "--older-than");
        RetentionRepository.Deleted deleted;
        try (Database database = top.openDatabase(top.config())) {
            deleted = new RetentionRepository(database.jdbi()).deleteOlderThan(age);
        }
        Output output = new Output(spec, top.json(), top.quiet());
        if (output.isJson()) {
            output.json(new Cleaned(age.toSeconds(), deleted.jobs(), deleted.errors(), deleted.healthChecks(),
                    deleted.coverageMetrics(), ExitCode.OK));
        } else {
            output.notice(String.format("deleted %,d jobs, %,d errors, %,d health checks and %,d coverage metrics older than %s",
                    deleted.jobs(), deleted.errors(), deleted.healthChecks(), deleted.coverageMetrics(), olderThan));
        }
        return ExitCode.OK;
    }

    /** The --json document: how many rows of each kind were deleted. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Cleaned(long olderThanSeconds, long jobs, long errors, long healthChecks, long coverageMetrics,
                   int exitCode) {
    }
}
