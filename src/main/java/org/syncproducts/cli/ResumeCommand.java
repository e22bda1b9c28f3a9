package org.syncproducts.cli;

import java.util.LinkedHashMap;
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
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("paused", false);
            document.put("lifted", lifted.map(PauseCommand::document).orElse(null));
            output.json(document);
        } else {
            output.line(lifted.map(pause -> "syncs resumed (the pause by " + pause.pausedBy() + " since "
                    + MonitorCommand.time(pause.pausedAt()) + " is lifted)").orElse("syncs were not paused"));
        }
        return ExitCode.OK;
    }
}
