package org.syncproducts.health;

import java.util.List;

/** Draws a series of values as a one-line chart of block characters, for trends on a terminal. */
public final class Sparkline {
    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private Sparkline() {
    }

    /**
     * One character per value, scaled between {@code min} and {@code max} (values outside are
     * clamped); a missing value (null) is a space.
     */
    public static String render(List<Double> values, double min, double max) {
        StringBuilder line = new StringBuilder(values.size());
        double span = max - min;
        for (Double value : values) {
            if (value == null) {
                line.append(' ');
                continue;
            }
            double clamped = Math.max(min, Math.min(max, value));
            int bar = span <= 0 ? BARS.length - 1 : (int) Math.round((clamped - min) / span * (BARS.length - 1));
            line.append(BARS[bar]);
        }
        return line.toString();
    }
}
