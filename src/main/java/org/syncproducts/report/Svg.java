package org.syncproducts.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting and scales shared by the chart builders. */
final class Svg {
    private Svg() {
    }

    /**
     * A number with one decimal, rounded half up as {@code String.format("%.1f")} rounds (zero
     * has no sign): crisp enough for a coordinate, and keeps the page small. A page has some
     * 20,000 of them and the formatter cost most of the rendering in a cold JVM, so values that
     * are not near a tie are written directly from their rounded tenths.
     */
    static String num(double value) {
        double tenths = value * 10;
        if (Math.abs(value) < 1e12) {
            long rounded = Math.round(tenths);
            if (Math.abs(Math.abs(tenths - rounded) - 0.5) > 1e-6) {
                long digits = Math.abs(rounded);
                return (rounded < 0 ? "-" : "") + digits / 10 + "." + digits % 10;
            }
        }
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString()
                : Double.toString(value);
    }

    /**
     * A whole number with thousands separated by commas, as {@code String.format("%,d")} writes
     * it in the root locale, without building a formatter for each of a page's thousand counts.
     */
    static String count(long value) {
        String digits = Long.toString(value);
        int first = value < 0 ? 1 : 0;
        StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3);
        text.append(digits, 0, first);
        for (int i = first; i < digits.length(); i++) {
            if (i > first && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        return text.toString();
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value} (at least 1). */
    static long niceCeiling(double value) {
        if (value <= 1) {
            return 1;
        }
        long power = 1;
        while (power * 10 < value) {
            power *= 10;
        }
        for (long factor : new long[] {1, 2, 5, 10}) {
            if (factor * power >= value) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** A y position for {@code value} on a scale from 0 (at {@code bottom}) to {@code max} (at {@code top}). */
    static double y(double value, double max, double top, double bottom) {
        double share = Math.max(0, Math.min(1, value / max));
        return bottom - share * (bottom - top);
    }
}
