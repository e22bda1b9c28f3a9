package org.syncproducts.sync;

/**
 * The (code, raw hash) pairs of a source's live products, read once at the start of a re-sync, as
 * one 64-bit fingerprint each in an open-addressing table: 10 bytes a product (50 MB at 5,000,000).
 *
 * <p>A fingerprint is a bijective mix of the code's 64-bit hash XOR the raw hash, so for one code
 * two raw hashes never share a fingerprint: a changed line of a stored code is always found
 * changed, as by comparing the raw hashes themselves. A line is wrongly taken for unchanged only
 * when its fingerprint equals that of another code's pair, about N / 2^64 for a table of N
 * products (under 1 in 3,000,000,000,000 a line at 5,000,000 products).
 */
final class StoredLineHashes {
    /** At most this full, then it grows; linear probing still takes about 3 probes to find a pair. */
    private static final double LOAD = 0.8;

    private long[] slots;
    private int size;

    /** @param expected how many pairs will be added (the table grows past it if need be) */
    StoredLineHashes(long expected) {
        slots = new long[capacity(Math.max(expected, 16))];
    }

    /** Notes a stored product's code and raw hash. */
    void add(String code, long rawHash) {
        addFingerprint(fingerprint(codeHash(code), rawHash));
    }

    /**
     * Notes a stored product whose code is the ASCII bytes {@code code[from..to)} (canonical codes
     * are digits): the same as {@link #add(String, long)} with that code, without a string for it.
     */
    void add(byte[] code, int from, int to, long rawHash) {
        addFingerprint(fingerprint(codeHash(code, from, to), rawHash));
    }

    private void addFingerprint(long fingerprint) {
        if (size + 1 > slots.length * LOAD) {
            grow();
        }
        if (insert(slots, fingerprint)) {
            size++;
        }
    }

    /** Whether a live product of this code has exactly this raw hash. */
    boolean contains(String code, long rawHash) {
        long fingerprint = fingerprint(codeHash(code), rawHash);
        for (int slot = home(slots, fingerprint); slots[slot] != 0; slot = next(slots, slot)) {
            if (slots[slot] == fingerprint) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    private static boolean insert(long[] table, long fingerprint) {
        int slot = home(table, fingerprint);
        while (table[slot] != 0) {
            if (table[slot] == fingerprint) {
                return false;
            }
            slot = next(table, slot);
        }
        table[slot] = fingerprint;
        return true;
    }

    /** The fingerprint's first slot: its high 32 bits scaled to the table's size (any size, not only powers of two). */
    private static int home(long[] table, long fingerprint) {
        return (int) (((fingerprint >>> 32) * table.length) >>> 32);
    }

    private static int next(long[] table, int slot) {
        return slot + 1 == table.length ? 0 : slot + 1;
    }

    private void grow() {
        long[] larger = new long[capacity(slots.length * 2L * LOAD)];
        for (long fingerprint : slots) {
            if (fingerprint != 0) {
                insert(larger, fingerprint);
            }
        }
        slots = larger;
    }

    private static int capacity(double expected) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(expected / LOAD) + 1);
    }

    /** Never 0, the empty slot; two pairs of one code never share one (see the class comment). */
    private static long fingerprint(long codeHash, long rawHash) {
        long mixed = mix(codeHash ^ rawHash);
        return mixed == 0 ? 1 : mixed;
    }

    /** A 64-bit polynomial hash of the code's characters. */
    static long codeHash(String code) {
        long z = code.length();
        for (int i = 0; i < code.length(); i++) {
            z = z * 1_000_003L + code.charAt(i);
        }
        return z;
    }

    /** {@link #codeHash(String)} of the code whose ASCII bytes are {@code code[from..to)}. */
    static long codeHash(byte[] code, int from, int to) {
        long z = to - from;
        for (int i = from; i < to; i++) {
            z = z * 1_000_003L + code[i];
        }
        return z;
    }

    /** SplitMix64's finalizer: a bijection of 64-bit values that spreads every input bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
