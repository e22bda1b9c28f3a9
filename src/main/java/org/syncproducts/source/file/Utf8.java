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

    /**
     * Finds every {@code value} in {@code bytes[from..to)} in one pass, eight bytes at a time: the
     * indexes of the first {@code found.length} go into {@code found}, in order, and the rest are
     * only counted. Much cheaper than an {@link #indexOf} call per occurrence when they are dense
     * (the tabs of an export line, most of whose fields are empty).
     *
     * @return how many times {@code value} occurs in the range
     */
    public static int positions(byte[] bytes, int from, int to, byte value, int[] found) {
        long pattern = (value & 0xffL) * ONES;
        int limit = found.length;
        int count = 0;
        int i = from;
        while (i + 8 <= to) {
            long word = ((long) LONGS.get(bytes, i)) ^ pattern;
            // Exact per byte (no borrow between bytes): the high bit is set only where the byte is zero.
            long zeros = ~(((word & LOWS) + LOWS) | word | LOWS);
            while (zeros != 0 && count < limit) {
                found[count++] = i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                zeros &= zeros - 1;
            }
            count += Long.bitCount(zeros);
            i += 8;
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                if (count < limit) {
                    found[count] = i;
                }
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
