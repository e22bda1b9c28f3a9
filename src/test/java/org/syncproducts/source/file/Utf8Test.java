package org.syncproducts.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /** Against a byte-by-byte count, on data rich in the searched byte, its neighbours and high bytes. */
    @Test
    void countFindsEveryOccurrenceAndNothingElse() {
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
                int expected = 0;
                for (int i = from; i < to; i++) {
                    expected += bytes[i] == value ? 1 : 0;
                }
                assertEquals(expected, Utf8.count(bytes, from, to, value));
            }
        }
    }
}
