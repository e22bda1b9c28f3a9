package org.syncproducts.report;

import java.util.Locale;

/** Number formatting and scales shared by the chart builders. */
final class Svg {
    private Svg() {
    }

    /** A coordinate with one decimal: crisp enough, and keeps the page small. */
    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
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
