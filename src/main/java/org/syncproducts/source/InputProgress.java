package org.syncproducts.source;

/**
 * How much of a source has been read. Units are whatever the source can count cheaply (bytes of a
 * file as stored, so a .gz reports compressed bytes). {@code total} is 0 when unknown.
 */
public record InputProgress(long done, long total) {
    public static final InputProgress UNKNOWN = new InputProgress(0, 0);

    /** Fraction done in 0..1, or -1 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }
}
