package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.store.Database;
import org.syncproducts.store.PauseRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Lifts a pause set with {@code pause}. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Lift the pause: syncs run again.")
final class ResumeCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Optional<PauseRepository.Pause> lifted;
        try (Database database = top.openDatabase(top.config())) {
            lifted = new PauseRepository(database.jdbi()).resume();
        }
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            output.json(new Resumed(false, lifted.map(PauseCommand::document).orElse(null), ExitCode.OK));
        } else {
            output.line(lifted.map(pause -> "syncs resumed (the pause by " + pause.pausedBy() + " since "
                    + MonitorCommand.time(pause.pausedAt()) + " is lifted)").orElse("syncs were not paused"));
        }
        return ExitCode.OK;
    }

    /** The --json document: syncs are not paused; the pause lifted, if there was one. */
    record Resumed(boolean paused, Map<String, Object> lifted, @JsonProperty("exit_code") int exitCode) {
    }
}
