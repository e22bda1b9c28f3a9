package org.syncproducts.source.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without trusting it: a line longer than the limit is skipped
 * (not held in memory) and reported, NUL bytes are flagged, and UTF-8 is checked strictly.
 * Line numbers start at 1. A trailing {@code \r} is dropped.
 *
 * <p>A returned line's bytes live in a buffer that the next call reuses; callers copy out what
 * they keep (decoding to String does).
 */
public final class LineReader implements Closeable {

    /** What was wrong with a line, if anything. */
    public enum Problem { NONE, TOO_LONG, NUL_BYTE, INVALID_UTF8 }

    /** One line: {@code bytes[0..length)}, valid until the next call. */
    public static final class Line {
        private long number;
        private byte[] bytes;
        private int length;
        private Problem problem;

        public long number() {
            return number;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }

        /** What is wrong with the line, its encoding checked now if it was not yet. */
        public Problem problem() {
            if (problem == null) {
                problem = check(bytes, 0, length);
            }
            return problem;
        }

        /**
         * Whether the line has a non-ASCII or NUL byte whose check {@link #problem()} has not made
         * yet: a caller that keeps a copy of the line may check the copy later, with
         * {@link LineReader#check}, or never, if it turns out not to need the line.
         */
        public boolean encodingUnchecked() {
            return problem == null;
        }

        /** The line as text; null when it was too long or not valid UTF-8. */
        public String text() {
            return problem() == Problem.TOO_LONG || problem() == Problem.INVALID_UTF8 ? null
                    : new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    private final InputStream in;
    private final int maxLineBytes;
    /** Set by {@link #scan} when a scanned byte was NUL or non-ASCII: the line needs a closer look. */
    private boolean special;
    private final byte[] buffer = new byte[1 << 16];
    private final Line current = new Line();
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private long lineNumber;
    private boolean ended;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The number of the last line returned. */
    public long lineNumber() {
        return lineNumber;
    }

    /**
     * Reads the next line.
     *
     * @return the line (a reused object), or null at the end of input
     * @throws java.io.EOFException when the underlying (gzip) stream ends early
     */
    public Line next() throws IOException {
        if (ended) {
            return null;
        }
        int length = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        special = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    ended = true;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int start = position;
            byte[] data = buffer;
            int stop = limit;
            int end = scan(data, start, stop);
            int chunk = end - start;
            if (!tooLong) {
                if (length + chunk > maxLineBytes) {
                    tooLong = true;
                } else {
                    ensureCapacity(length + chunk);
                    System.arraycopy(data, start, line, length, chunk);
                    length += chunk;
                }
            }
            if (end < stop) {
                position = end + 1;
                break;
            }
            position = stop;
        }
        lineNumber++;
        current.number = lineNumber;
        current.bytes = line;
        if (tooLong) {
            current.length = 0;
            current.problem = Problem.TOO_LONG;
            return current;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        current.length = length;
        current.problem = special ? null : Problem.NONE;
        return current;
    }

    /**
     * Finds the next newline in {@code data[from..to)}, eight bytes at a time, noting in
     * {@link #special} whether any byte before it is NUL or non-ASCII. Returns {@code to} if none.
     */
    private int scan(byte[] data, int from, int to) {
        int i = from;
        long seen = 0;
        while (i + 8 <= to) {
            long word = (long) LONGS.get(data, i);
            long newline = word ^ NEWLINES;
            long newlineBytes = (newline - ONES) & ~newline & HIGHS;
            if (newlineBytes != 0) {
                break;
            }
            seen |= (word & HIGHS) | ((word - ONES) & ~word & HIGHS);
            i += 8;
        }
        if (seen != 0) {
            special = true;
        }
        for (; i < to; i++) {
            byte b = data[i];
            if (b == '\n') {
                return i;
            }
            if (b <= 0) {
                special = true;
            }
        }
        return to;
    }

    /** NUL bytes and strict UTF-8 of {@code bytes[from..to)}, for lines that have a non-ASCII or zero byte. */
    static Problem check(byte[] bytes, int from, int to) {
        if (!Utf8.isValid(bytes, from, to)) {
            return Problem.INVALID_UTF8;
        }
        return Utf8.hasZero(bytes, from, to) ? Problem.NUL_BYTE : Problem.NONE;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
