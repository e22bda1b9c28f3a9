package org.syncproducts.source.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without trusting it: a line longer than the limit is skipped
 * (not held in memory) and reported, NUL bytes are flagged, and UTF-8 is checked strictly.
 * Line numbers start at 1. A trailing {@code \r} is dropped.
 */
public final class LineReader implements Closeable {

    /** One line as read. {@code text} is null when the line was too long or not valid UTF-8. */
    public record Line(long number, String text, Problem problem) {
    }

    /** What was wrong with a line, if anything. */
    public enum Problem { NONE, TOO_LONG, NUL_BYTE, INVALID_UTF8 }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[4096];
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
     * @return the line, or null at the end of input
     * @throws java.io.EOFException when the underlying (gzip) stream ends early
     */
    public Line next() throws IOException {
        if (ended) {
            return null;
        }
        int length = 0;
        boolean tooLong = false;
        boolean nul = false;
        boolean sawAny = false;
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
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int chunk = end - start;
            if (!tooLong) {
                if (length + chunk > maxLineBytes) {
                    tooLong = true;
                } else {
                    ensureCapacity(length + chunk);
                    System.arraycopy(buffer, start, line, length, chunk);
                    length += chunk;
                }
            }
            if (end < limit) {
                position = end + 1;
                break;
            }
            position = limit;
        }
        lineNumber++;
        if (tooLong) {
            return new Line(lineNumber, null, Problem.TOO_LONG);
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        for (int i = 0; i < length && !nul; i++) {
            nul = line[i] == 0;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        // The fast decoder replaces bad bytes with U+FFFD; only then pay for a strict check,
        // since a real U+FFFD in the input is valid.
        if (text.indexOf('\uFFFD') >= 0 && !isValidUtf8(line, length)) {
            return new Line(lineNumber, null, Problem.INVALID_UTF8);
        }
        return new Line(lineNumber, text, nul ? Problem.NUL_BYTE : Problem.NONE);
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.max(needed, Math.min(maxLineBytes, line.length * 2)));
        }
    }

    private static boolean isValidUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
