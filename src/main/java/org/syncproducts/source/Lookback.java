package org.syncproducts.source;

import java.time.Duration;
import java.time.Instant;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.config.Durations;

/**
 * How far before the stored watermark an incremental read starts again, so a record committed
 * late (its updated_at older than rows already read) is still picked up: a fixed duration
 * ({@code lookback: 10m}) or a multiple of the run interval ({@code lookback: 3x}: three times the
 * time since the last read ended). Records read twice cost nothing: the keyed upsert leaves an
 * unchanged row alone.
 */
public record Lookback(Duration fixed, double multiplier) {
    public static final Lookback NONE = new Lookback(Duration.ZERO, 0);

    /** Reads {@code key} of {@code options}: {@code 10m}, {@code 2h}, {@code 3x}; absent means {@code fallback}. */
    public static Lookback read(ConfigNode options, String key, Lookback fallback) {
        String text = options.text(key, null);
        if (text == null) {
            return fallback;
        }
        String value = text.strip();
        if (value.endsWith("x")) {
            try {
                double multiplier = Double.parseDouble(value.substring(0, value.length() - 1));
                if (multiplier >= 0 && multiplier <= 1_000) {
                    return new Lookback(Duration.ZERO, multiplier);
                }
            } catch (NumberFormatException e) {
                // Reported below with the key.
            }
            throw options.child(key).error("a multiple of the run interval is written like 3x; got '" + text + "'");
        }
        return new Lookback(Durations.parse(value, options.path() + "." + key), 0);
    }

    /**
     * The lookback for a read now, after a read that ended at {@code lastReadAt} (null when
     * unknown: a multiple then means no lookback).
     */
    public Duration at(Instant lastReadAt, Instant now) {
        if (multiplier == 0) {
            return fixed;
        }
        if (lastReadAt == null || now.isBefore(lastReadAt)) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.round(Duration.between(lastReadAt, now).toMillis() * multiplier));
    }

    @Override
    public String toString() {
        return multiplier == 0 ? Durations.format(fixed) : multiplier + "x";
    }
}
