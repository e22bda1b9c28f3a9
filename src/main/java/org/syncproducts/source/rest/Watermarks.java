package org.syncproducts.source.rest;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A feed's {@code updated_at} values as the feed writes them: epoch seconds (or milliseconds),
 * ISO-8601 with an offset, or without one (taken as UTC). The watermark keeps the feed's own text,
 * so it goes back to the feed in the form it understands.
 */
final class Watermarks {
    /** Epoch values above this are milliseconds (it is the year 5138 in seconds). */
    private static final long MILLIS_FROM = 100_000_000_000L;

    private Watermarks() {
    }

    /** The instant a value names, or null when it is not a time this reads. */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.chars().allMatch(Character::isDigit) && text.length() <= 18) {
                long number = Long.parseLong(text);
                return number >= MILLIS_FROM ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
            }
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException withoutOffset) {
                return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** {@code value} moved back by {@code lookback}, written in the same form (ISO values in UTC). */
    static String minus(String value, Duration lookback) {
        Instant instant = instant(value);
        if (instant == null || lookback.isZero()) {
            return value;
        }
        Instant earlier = instant.minus(lookback);
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.toString(Long.parseLong(text) >= MILLIS_FROM ? earlier.toEpochMilli() : earlier.getEpochSecond());
        }
        return earlier.toString();
    }
}
