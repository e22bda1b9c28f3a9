package org.syncproducts.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps instants of a window onto a horizontal pixel range, and picks calendar-aligned ticks
 * (hours, days, Mondays or first days of months, in UTC), as many as asked at most.
 */
final class TimeAxis {
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7));
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOURS = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTHS = DateTimeFormatter.ofPattern("MMM yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A labelled position on the axis. */
    record Tick(double x, String label) {
    }

    private final Instant from;
    private final Instant to;
    private final double left;
    private final double right;

    TimeAxis(Instant from, Instant to, double left, double right) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a time axis needs from before to");
        }
        this.from = from;
        this.to = to;
        this.left = left;
        this.right = right;
    }

    Instant from() {
        return from;
    }

    Instant to() {
        return to;
    }

    double left() {
        return left;
    }

    double right() {
        return right;
    }

    /** The x of an instant, clamped to the axis. */
    double x(Instant instant) {
        double share = (double) Duration.between(from, instant).toMillis() / Duration.between(from, to).toMillis();
        return left + Math.max(0, Math.min(1, share)) * (right - left);
    }

    /** Pixels per unit of time, for bar widths. */
    double width(Duration duration) {
        return (double) duration.toMillis() / Duration.between(from, to).toMillis() * (right - left);
    }

    /** At most {@code maxTicks} ticks, on the finest calendar step that allows it. */
    List<Tick> ticks(int maxTicks) {
        Duration span = Duration.between(from, to);
        for (Duration step : STEPS) {
            if (span.dividedBy(step) <= maxTicks) {
                DateTimeFormatter format = step.compareTo(Duration.ofHours(1)) < 0 ? CLOCK
                        : step.compareTo(Duration.ofDays(1)) < 0 ? HOURS : DAYS;
                return fixedTicks(step, format);
            }
        }
        return monthTicks(Math.max(1, (int) Math.ceil(span.toDays() / 30.0 / maxTicks)));
    }

    private List<Tick> fixedTicks(Duration step, DateTimeFormatter format) {
        ZonedDateTime start;
        if (step.compareTo(Duration.ofHours(1)) < 0) {
            start = from.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        } else if (step.compareTo(Duration.ofDays(1)) < 0) {
            start = from.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
        } else {
            start = from.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS);
            if (step.equals(Duration.ofDays(7))) {
                start = start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (ZonedDateTime tick = start; !tick.toInstant().isAfter(to); tick = tick.plus(step)) {
            if (!tick.toInstant().isBefore(from)) {
                ticks.add(new Tick(x(tick.toInstant()), format.format(tick)));
            }
        }
        return ticks;
    }

    private List<Tick> monthTicks(int months) {
        LocalDate month = from.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        List<Tick> ticks = new ArrayList<>();
        for (; !month.atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(to); month = month.plusMonths(months)) {
            Instant tick = month.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!tick.isBefore(from)) {
                ticks.add(new Tick(x(tick), MONTHS.format(tick)));
            }
        }
        return ticks;
    }
}
