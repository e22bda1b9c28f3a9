package org.syncproducts.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Prints a crontab line and a systemd service + timer pair that run a command on an interval. */
@Command(name = "schedule", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a crontab line and a systemd service + timer pair for a command.",
                "They run the command every --every (at --at). Nothing is installed: copy what fits. The timer "
                        + "catches up a run missed while the machine was off (Persistent=true) and spreads hosts "
                        + "(RandomizedDelaySec)."})
final class ScheduleCommand implements Callable<Integer> {
    /** The global options that apply here. */
    @Mixin
    GlobalOptions.ConfigFile globalOptions;

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    @ParentCommand
    private SyncProductsCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--every", paramLabel = "INTERVAL", defaultValue = "1d",
            description = "How often: minutes dividing an hour (15m), hours dividing a day (6h), 1d or 7d (default: ${DEFAULT-VALUE}).")
    String every;

    @Option(names = "--at", paramLabel = "HH:MM", defaultValue = "02:10",
            description = "Time of day for 1d / 7d (Sundays); the minute for hourly intervals (default: ${DEFAULT-VALUE}).")
    String at;

    @Option(names = "--command", paramLabel = "ARGS", defaultValue = "sync",
            description = "The sync-products command and options to run (default: ${DEFAULT-VALUE}), e.g. \"sync --full\".")
    String command;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "sync-products",
            description = "Unit name: NAME.service and NAME.timer (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--executable", paramLabel = "PATH", defaultValue = "/opt/sync-products/scripts/sync-products",
            description = "Where the launcher is installed (default: ${DEFAULT-VALUE}).")
    String executable;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "3h",
            description = "TimeoutStartSec: stop a run that takes longer (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--randomized-delay", paramLabel = "DURATION",
            description = "RandomizedDelaySec (default: a quarter of the interval, at most 15m).")
    String randomizedDelay;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "sync-products",
            description = "The service's User= (default: ${DEFAULT-VALUE}).")
    String user;

    /** A crontab schedule and the matching systemd OnCalendar expression. */
    record Calendar(String cron, String onCalendar, String description) {
    }

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z0-9_.@-]+")) {
            throw new SyncProductsException(ExitCode.USAGE, "--name may use letters, digits, '_', '-', '.' and '@' only");
        }
        if (command.isBlank() || command.contains("\n")) {
            throw new SyncProductsException(ExitCode.USAGE, "--command must be one line of sync-products arguments");
        }
        Duration interval = Operator.duration(every, "--every");
        Calendar calendar = calendar(interval, at);
        Duration timeoutDuration = Operator.duration(timeout, "--timeout");
        Duration delay = randomizedDelay != null ? Operator.duration(randomizedDelay, "--randomized-delay")
                : interval.dividedBy(4).compareTo(Duration.ofMinutes(15)) < 0 ? interval.dividedBy(4)
                : Duration.ofMinutes(15);
        String configEnv = top.env().get(org.syncproducts.config.ConfigLoader.CONFIG_ENV);
        Path config = top.configFileOption() != null ? top.configFileOption()
                : configEnv != null && !configEnv.isBlank() ? Path.of(configEnv) : null;
        String environment = config == null ? "" : "SYNC_PRODUCTS_CONFIG=" + config.toAbsolutePath().normalize() + " ";
        String crontab = "# " + calendar.description() + "; exit 75 means another sync was still running: harmless\n"
                + calendar.cron() + "  " + environment + executable + " -q " + command + " || [ $? -eq 75 ]";
        String service = String.join("\n",
                "# /etc/systemd/system/" + name + ".service - started by " + name + ".timer",
                "[Unit]",
                "Description=sync-products " + command,
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=oneshot",
                "User=" + user,
                config == null ? "# Environment=SYNC_PRODUCTS_CONFIG=/etc/sync-products/sync-products.yaml"
                        : "Environment=SYNC_PRODUCTS_CONFIG=" + config.toAbsolutePath().normalize(),
                "# DATABASE_URL, DB_PASSWORD, webhook URLs: in this file, mode 600, never in the unit",
                "EnvironmentFile=-/etc/sync-products/env",
                "ExecStart=" + executable + " " + command,
                "# Exit 75 = another sync holds the lock; not a failure of this unit.",
                "SuccessExitStatus=75",
                "# A run longer than this is stopped with SIGTERM: it ends after the batches in flight.",
                "TimeoutStartSec=" + systemd(timeoutDuration),
                "KillSignal=SIGTERM",
                "TimeoutStopSec=120");
        String timer = String.join("\n",
                "# /etc/systemd/system/" + name + ".timer - enable with: systemctl enable --now " + name + ".timer",
                "[Unit]",
                "Description=sync-products " + command + ", " + calendar.description(),
                "",
                "[Timer]",
                "OnCalendar=" + calendar.onCalendar(),
                "# Run at the next boot if the machine was off at the scheduled time.",
                "Persistent=true",
                "# Spread the load on the sources when many hosts share a schedule.",
                "RandomizedDelaySec=" + systemd(delay),
                "Unit=" + name + ".service",
                "",
                "[Install]",
                "WantedBy=timers.target");
        Output output = new Output(spec, top.json());
        if (output.isJson()) {
            output.json(new Scheduled(crontab, name + ".service", service + "\n", name + ".timer", timer + "\n",
                    ExitCode.OK));
        } else {
            output.line("# ---- crontab (crontab -e)");
            output.line(crontab);
            output.line("");
            output.line("# ---- systemd");
            output.line(service);
            output.line("");
            output.line(timer);
        }
        return ExitCode.OK;
    }

    /** The cron and OnCalendar forms of an interval; only intervals cron can express exactly. */
    static Calendar calendar(Duration interval, String at) {
        if (!at.matches("([01]?\\d|2[0-3]):[0-5]\\d")) {
            throw new SyncProductsException(ExitCode.USAGE, "--at must be HH:MM, e.g. 02:10; got '" + at + "'");
        }
        int hour = Integer.parseInt(at.substring(0, at.indexOf(':')));
        int minute = Integer.parseInt(at.substring(at.indexOf(':') + 1));
        String time = String.format("%02d:%02d", hour, minute);
        long minutes = interval.toMinutes();
        if (interval.equals(Duration.ofDays(7))) {
            return new Calendar(minute + " " + hour + " * * 0", "Sun *-*-* " + time + ":00",
                    "weekly on Sunday at " + time);
        }
        if (interval.equals(DAY)) {
            return new Calendar(minute + " " + hour + " * * *", "*-*-* " + time + ":00", "daily at " + time);
        }
        if (interval.compareTo(DAY) < 0 && interval.compareTo(HOUR) >= 0 && interval.toMinutes() % 60 == 0
                && 24 % interval.toHours() == 0) {
            long hours = interval.toHours();
            return new Calendar(minute + (hours == 1 ? " * * * *" : " */" + hours + " * * *"),
                    (hours == 1 ? "*" : "00/" + hours) + ":" + String.format("%02d", minute) + ":00",
                    "every " + (hours == 1 ? "hour" : hours + " hours") + " at minute " + minute);
        }
        if (interval.compareTo(HOUR) < 0 && interval.toSeconds() % 60 == 0 && minutes > 0 && 60 % minutes == 0) {
            return new Calendar("*/" + minutes + " * * * *", "*:00/" + minutes + ":00", "every " + minutes + " minutes");
        }
        throw new SyncProductsException(ExitCode.USAGE, "--every " + Durations.format(interval) + " cannot be written "
                + "as a calendar schedule: use minutes dividing an hour (5m, 15m, 30m), hours dividing a day (1h, "
                + "6h, 12h), 1d or 7d; for other rhythms tick often and use 'sync --if-due NAME'");
    }

    private static String systemd(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "min";
        }
        return seconds + "s";
    }

    /** The --json document: the crontab line, and the systemd unit files with their names. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Scheduled(String crontab, String serviceFile, String service, String timerFile, String timer,
                     int exitCode) {
    }
}
