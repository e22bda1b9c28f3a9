package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The in-memory (code, raw hash) pairs of a re-sync. */
class StoredLineHashesTest {

    @Test
    void findsExactlyThePairsAddedAndGrowsPastItsExpectedSize() {
        StoredLineHashes stored = new StoredLineHashes(10);
        for (int i = 0; i < 50_000; i++) {
            stored.add(String.format("%013d", i), i * 0x9E3779B97F4A7C15L);
        }
        stored.add(String.format("%013d", 7), 7 * 0x9E3779B97F4A7C15L);

        assertEquals(50_000, stored.size(), "a pair added twice is kept once");
        for (int i = 0; i < 50_000; i++) {
            String code = String.format("%013d", i);
            long hash = i * 0x9E3779B97F4A7C15L;
            assertTrue(stored.contains(code, hash), code);
            assertFalse(stored.contains(code, hash ^ 1), "another raw hash of the same code: " + code);
            assertFalse(stored.contains(code, hash + 0x9E3779B97F4A7C15L), "the next code's hash: " + code);
        }
        assertFalse(stored.contains("0000000050000", 0));
    }

    @Test
    void aCodeWhoseFingerprintMixesToZeroIsStillFound() {
        // The fingerprint is mix(codeHash ^ rawHash); mix(0) is 0, the empty slot's value.
        String code = "0123456789012";
        long rawHash = StoredLineHashes.codeHash(code);
        StoredLineHashes stored = new StoredLineHashes(4);

        stored.add(code, rawHash);

        assertTrue(stored.contains(code, rawHash));
        assertFalse(stored.contains(code, rawHash ^ 1));
    }

    /** Pairs read from COPY bytes are found by the code's string, as pairs added as strings are. */
    @Test
    void aCodeAddedAsBytesIsFoundByItsString() {
        byte[] row = "x00000000000420\t00000000001234\n".getBytes(StandardCharsets.US_ASCII);
        StoredLineHashes stored = new StoredLineHashes(4);

        stored.add(row, 1, 15, -42);
        stored.add(row, 16, 30, Long.MIN_VALUE);

        assertEquals(2, stored.size());
        assertTrue(stored.contains("00000000000420", -42));
        assertTrue(stored.contains("00000000001234", Long.MIN_VALUE));
        assertFalse(stored.contains("0000000000042", -42), "a code one digit shorter");
        assertFalse(stored.contains("00000000000420", 42), "the raw hash's sign");
    }
}
