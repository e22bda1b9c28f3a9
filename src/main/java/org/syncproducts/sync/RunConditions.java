package org.syncproducts.sync;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.Durations;
import org.syncproducts.config.ScheduleSettings;
import org.syncproducts.store.Database;
import org.syncproducts.store.ScheduleRepository;
import org.syncproducts.verify.IntegrityRepository;

/** The conditions of {@code sync --if-due} and {@code --if-coverage-below}: is a run needed now? */
public final class RunConditions {
    private final AppConfig config;
    private final Database database;

    public RunConditions(AppConfig config, Database database) {
        this.config = config;
        this.database = database;
    }

    /**
     * Why no sync is needed now, or empty when it is (or no condition was given).
     *
     * @param scheduleName    {@code --if-due}, or null
     * @param coverageBelow   {@code --if-coverage-below}, or null
     */
    public Optional<String> whyNot(String scheduleName, Double coverageBelow) {
        if (scheduleName != null) {
            ScheduleSettings schedule = config.schedules().get(scheduleName);
            if (schedule == null) {
                throw SyncProductsException.config("no schedule named '" + scheduleName + "' under schedules: in the "
                        + "config; configured: " + (config.schedules().isEmpty() ? "none"
                        : String.join(", ", config.schedules().keySet())));
            }
            Optional<Instant> last = new ScheduleRepository(database.jdbi()).lastStartedAt(scheduleName);
            if (!schedule.isDue(last.orElse(null), ZonedDateTime.now())) {
                return Optional.of("schedule '" + scheduleName + "' is not due (every "
                        + Durations.format(schedule.interval())
                        + (schedule.preferredHour() == null ? "" : " at " + schedule.preferredHour() + ":00")
                        + "; last run started " + Durations.formatTime(last.orElse(null)) + ")");
            }
        }
        if (coverageBelow != null) {
            IntegrityRepository.Coverage coverage = new IntegrityRepository(database.jdbi()).coverage();
            if (coverage.targets() == 0) {
                return Optional.of("no targets, so no coverage to compare with " + coverageBelow
                        + "% (import them with sync-products targets import FILE)");
            }
            double percent = Math.round(coverage.present() * 1000.0 / coverage.targets()) / 10.0;
            if (percent >= coverageBelow) {
                return Optional.of("target coverage is " + percent + "%, not below " + coverageBelow + "%");
            }
        }
        return Optional.empty();
    }
}
