package org.syncproducts.config;

import org.syncproducts.SyncProductsException;

/**
 * How many item failures a sync may have and still exit 0: a count ({@code "100"}) or a share of
 * the records read ({@code "1%"}). Over it, the job is recorded as failed and the exit code is 1.
 */
public record FailureTolerance(long maxCount, double maxPercent) {

    public static final FailureTolerance DEFAULT = parse("1%");

    public static FailureTolerance parse(String text) {
        return parse(text, "failure tolerance");
    }

    /**
     * @param what names the setting in the error, e.g. {@code sync.failure_tolerance}
     * @throws SyncProductsException (78) when {@code text} is neither form
     */
    public static FailureTolerance parse(String text, String what) {
        String value = text == null ? "" : text.strip();
        try {
            if (value.endsWith("%")) {
                double percent = Double.parseDouble(value.substring(0, value.length() - 1).strip());
                if (percent >= 0 && percent <= 100) {
                    return new FailureTolerance(-1, percent);
                }
            } else {
                long count = Long.parseLong(value);
                if (count >= 0) {
                    return new FailureTolerance(count, -1);
                }
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted forms.
        }
        throw SyncProductsException.config(what + " must be a count like 100 or a percentage like 1%; got '" + text + "'");
    }

    /** True when {@code failed} failures out of {@code read} records are more than allowed. */
    public boolean isExceeded(long failed, long read) {
        if (maxCount >= 0) {
            return failed > maxCount;
        }
        return read > 0 && failed * 100.0 / read > maxPercent;
    }

    @Override
    public String toString() {
        return maxCount >= 0 ? Long.toString(maxCount) : (maxPercent == Math.rint(maxPercent)
                ? Long.toString((long) maxPercent) : Double.toString(maxPercent)) + "%";
    }
}
