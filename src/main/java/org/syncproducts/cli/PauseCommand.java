package org.syncproducts.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.store.Database;
import org.syncproducts.store.PauseRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Pauses syncs: a switch kept in the database, so every host and cron line sees it. */
@Command(name = "pause", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pause syncs until 'resume' (or until --for has passed).",
                "Meanwhile 'sync' exits 0 at once saying who paused it, why and until when. A running sync is "
                        + "not stopped (see 'jobs cancel')."})
final class PauseCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.Database globalOptions;

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "Lift the pause by itself after this long: 30m, 6h, 2d (default: until resume).")
    String forDuration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown to whoever runs sync meanwhile.")
    String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who pauses, as recorded (default: user@host).")
    String by;

    @Override
    public Integer call() {
        Duration length = forDuration == null ? null : Operator.duration(forDuration, "--for");
        String pausedBy = Operator.name(by, top.env());
        PauseRepository.Pause pause;
        try (Database database = top.openDatabase(top.config())) {
            pause = new PauseRepository(database.jdbi()).pause(pausedBy, reason,
                    length == null ? null : Instant.now().plus(length));
        }
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            output.json(document(pause));
        } else {
            output.line("syncs paused by " + pause.pausedBy() + (pause.reason() == null ? "" : " (" + pause.reason() + ")")
                    + (pause.until() == null ? " until 'sync-products resume'" : " until " + MonitorCommand.time(pause.until())));
        }
        return ExitCode.OK;
    }

    /** A pause as JSON, for pause, resume and a paused sync. */
    static Map<String, Object> document(PauseRepository.Pause pause) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("paused", true);
        document.put("paused_by", pause.pausedBy());
        document.put("paused_at", pause.pausedAt());
        document.put("reason", pause.reason());
        document.put("until", pause.until());
        return document;
    }

    /** One line saying who paused syncs, why, and until when. */
    static String describe(PauseRepository.Pause pause) {
        return "syncs are paused by " + pause.pausedBy() + " since " + MonitorCommand.time(pause.pausedAt())
                + (pause.reason() == null ? "" : " (reason: " + pause.reason() + ")")
                + (pause.until() == null ? " until someone runs 'sync-products resume'"
                : " until " + MonitorCommand.time(pause.until()));
    }
}
