package org.syncproducts.config;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A named schedule from the {@code schedules:} section: one frequent cron tick runs
 * {@code sync --if-due NAME}, and the sync only happens when the schedule is due.
 *
 * @param interval      time between runs
 * @param preferredHour hour of the day (0-23, local time) daily or longer schedules run at, or null
 */
public record ScheduleSettings(String name, Duration interval, Integer preferredHour) {
    /** Cron ticks are not exact: a run this close to its interval counts as due (a twentieth, at most 5 min). */
    private static final Duration MAX_TOLERANCE = Duration.ofMinutes(5);

    public ScheduleSettings {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("schedule interval must be positive");
        }
        if (preferredHour != null && (preferredHour < 0 || preferredHour > 23)) {
            throw new IllegalArgumentException("preferred hour must be 0..23");
        }
    }

    /**
     * Whether a run is due now, given when the schedule last started one (null for never).
     * Without a preferred hour: when the interval has passed (less a small tolerance for cron's
     * timing). With one: once the preferred hour of the day has come and no run started since
     * then, so a run that was late (machine off) moves back to the preferred hour next time; the
     * interval less 23 hours must also have passed, so a weekly schedule cannot run a day early.
     */
    public boolean isDue(Instant lastStartedAt, ZonedDateTime now) {
        if (lastStartedAt == null) {
            return true;
        }
        Duration elapsed = Duration.between(lastStartedAt, now.toInstant());
        if (preferredHour == null) {
            Duration tolerance = interval.dividedBy(20).compareTo(MAX_TOLERANCE) < 0 ? interval.dividedBy(20)
                    : MAX_TOLERANCE;
            return elapsed.compareTo(interval.minus(tolerance)) >= 0;
        }
        ZonedDateTime slot = now.withHour(preferredHour).withMinute(0).withSecond(0).withNano(0);
        if (slot.isAfter(now)) {
            slot = slot.minusDays(1);
        }
        return lastStartedAt.isBefore(slot.toInstant()) && elapsed.compareTo(interval.minusHours(23)) >= 0;
    }

    /** Reads the {@code schedules:} section: name → interval and optional preferred_hour. */
    static Map<String, ScheduleSettings> read(ConfigNode node) {
        Map<String, ScheduleSettings> schedules = new LinkedHashMap<>();
        for (String name : node.keys()) {
            ConfigNode schedule = node.child(name).allowOnly(Set.of("interval", "preferred_hour"));
            String intervalText = schedule.text("interval", null);
            if (intervalText == null) {
                throw schedule.error("needs an interval, e.g. interval: 24h");
            }
            Duration interval = Durations.parse(intervalText, "config " + schedule.child("interval").path());
            if (interval.isZero()) {
                throw schedule.child("interval").error("must be longer than 0");
            }
            Integer hour = schedule.text("preferred_hour", null) == null ? null
                    : schedule.integer("preferred_hour", 0, 0, 23);
            if (hour != null && interval.compareTo(Duration.ofDays(1)) < 0) {
                throw schedule.child("preferred_hour").error("only applies to schedules of a day or longer");
            }
            schedules.put(name, new ScheduleSettings(name, interval, hour));
        }
        return schedules;
    }
}
