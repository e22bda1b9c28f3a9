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
         * Whether {@link #ask} can find anything this run; false (an empty table, a narrowed
         * run) lets the stream parse every line as it reads it, hashing it only.
         */
        boolean skips();

        /**
         * Asks which of {@code count} lines, in input order, to skip. The database is asked on
         * another thread while the caller reads on; {@link Question#unchanged()} gives the answer.
         *
         * @param codes canonical codes, null for a line without a usable one (never skipped)
         */
        Question ask(String[] codes, long[] hashes, int count);
    }

    /** A question asked with {@link Check#ask}; answer the questions in the order they were asked. */
    interface Question {
        /**
         * Set bits are lines whose canonical code is a live product with exactly that raw hash, and
         * that no earlier line of this run may have changed. Every line not skipped is parsed and may
         * be written. Waits for the database's answer.
         */
        BitSet unchanged();
    }
}
