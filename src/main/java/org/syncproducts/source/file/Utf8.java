package org.syncproducts.source.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte-level helpers for reading text files fast: strict UTF-8 validation (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) and byte search, both eight bytes at a
 * time over ASCII.
 */
public final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;

    private Utf8() {
    }

    /** True when {@code bytes[from..to)} is valid UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 8 <= to && (((long) LONGS.get(bytes, i)) & HIGHS) == 0) {
                i += 8;
                continue;
            }
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, to);
            if (length < 0) {
                return false;
            }
            i += length;
        }
        return true;
    }

    /** True when {@code bytes[from..to)} holds a zero byte. */
    public static boolean hasZero(byte[] bytes, int from, int to) {
        return indexOf(bytes, from, to, (byte) 0) >= 0;
    }

    /** The index of the first {@code value} in {@code bytes[from..to)}, or -1. */
    public static int indexOf(byte[] bytes, int from, int to, byte value) {
        long pattern = (value & 0xffL) * ONES;
        int i = from;
        while (i + 8 <= to) {
            long word = ((long) LONGS.get(bytes, i)) ^ pattern;
            long found = (word - ONES) & ~word & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** How many times {@code value} occurs in {@code bytes[from..to)}. */
    public static int count(byte[] bytes, int from, int to, byte value) {
        long pattern = (value & 0xffL) * ONES;
        int count = 0;
        int i = from;
        while (i + 8 <= to) {
            long word = ((long) LONGS.get(bytes, i)) ^ pattern;
            // Exact per byte (no borrow between bytes): the high bit is set only where the byte is zero.
            long zeros = ~(((word & LOWS) + LOWS) | word | LOWS);
            count += Long.bitCount(zeros);
            i += 8;
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                count++;
            }
        }
        return count;
    }

    /** The length of the valid multi-byte sequence starting at {@code i}, or -1 if it is not one. */
    private static int sequenceLength(byte[] bytes, int i, int to) {
        int b = bytes[i] & 0xff;
        int need;
        int min;
        if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + need >= to) {
            return -1;
        }
        int code = b & (0x3f >> need);
        for (int k = 1; k <= need; k++) {
            int next = bytes[i + k] & 0xff;
            if ((next & 0xc0) != 0x80) {
                return -1;
            }
            code = (code << 6) | (next & 0x3f);
        }
        if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            return -1;
        }
        return need + 1;
    }
}
