package org.syncproducts.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /**
     * Against a byte-by-byte search, on data rich in the searched byte, its neighbours and high
     * bytes: every occurrence counted, the first ones (as many as fit) recorded in order.
     */
    @Test
    void positionsFindsEveryOccurrenceAndNothingElse() {
        byte[] alphabet = {'\t', '\t', '\b', '\n', 0, 1, (byte) 0x89, (byte) 0xff, 'a', 0x7f};
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 5_000; round++) {
            byte[] bytes = new byte[random.nextInt(0, 70)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(0, bytes.length + 1);
            int to = random.nextInt(from, bytes.length + 1);
            for (byte value : new byte[] {'\t', 0, (byte) 0xff}) {
                List<Integer> expected = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    if (bytes[i] == value) {
                        expected.add(i);
                    }
                }
                int[] found = new int[random.nextInt(0, 12)];
                assertEquals(expected.size(), Utf8.positions(bytes, from, to, value, found));
                int recorded = Math.min(found.length, expected.size());
                for (int i = 0; i < recorded; i++) {
                    assertEquals(expected.get(i), found[i], "occurrence " + i);
                }
            }
        }
    }
}
