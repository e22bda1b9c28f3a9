package org.syncproducts.source;

import java.util.BitSet;

/**
 * Recognises export lines that would give exactly the product already stored, before they are
 * parsed (the raw-line shortcut of a full re-sync; {@code sync.RawLineShortcut} implements it).
 * A stream that can use it is handed one through {@link RecordStream#skipUnchanged}.
 */
public interface UnchangedLines {

    /**
     * The check for the lines of one input.
     *
     * @param format what, besides a line's bytes, the stream itself reads to decide what a line
     *               becomes: the header line of a CSV export
     */
    Check forInput(String format);

    /** Hashes lines and says which of them to skip; used by one reader thread. */
    interface Check {
        /** The raw hash of one line's bytes, as stored in {@code products.raw_hash}. */
        long hash(byte[] bytes, int offset, int length);

        /**
         * Whether {@link #unchanged} can find anything this run; false (an empty table, a narrowed
         * run) lets the stream parse every line as it reads it, hashing it only.
         */
        boolean skips();

        /**
         * Which of {@code count} lines, in input order, to skip: set bits are lines whose canonical
         * code is a live product with exactly that raw hash, and that no earlier line of this run
         * may have changed. Every line not skipped is parsed and may be written.
         *
         * @param codes canonical codes, null for a line without a usable one (never skipped)
         */
        BitSet unchanged(String[] codes, long[] hashes, int count);
    }
}
