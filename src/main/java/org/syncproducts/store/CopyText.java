package org.syncproducts.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Builds rows in PostgreSQL's COPY text format directly as UTF-8 bytes: tab between columns,
 * {@code \N} for null, and backslash, tab, newline and carriage return escaped. Arrays use the
 * {@code {"a","b"}} literal. One instance is reused row after row, by one thread.
 *
 * <p>It also holds that thread's {@linkplain #shared shared strings}: values that rows keep beside
 * their COPY line (category tags, for the kept counts) are held once, not once per row.
 */
public final class CopyText {
    /** Distinct shared strings held before the table starts over: keeps memory flat on any input. */
    private static final int MAX_SHARED = 1 << 16;
    /** 9999-12-31T23:59:59Z: later instants are written with a sign and more digits. */
    private static final long MAX_PLAIN_SECOND = 253_402_300_799L;

    private byte[] row = new byte[4096];
    /** A value's chars, copied out in bulk: much cheaper per char than {@code String.charAt}. */
    private char[] chars = new char[1024];
    private int length;
    private boolean first = true;
    private final Map<String, String> shared = new HashMap<>();
    /** The checksums of {@link #hash}, reused row after row. */
    private final CRC32C castagnoli = new CRC32C();
    private final CRC32 ieee = new CRC32();

    public CopyText() {
    }

    /**
     * The instance equal to {@code value} this encoder already handed out, else {@code value}.
     * Rows wait in batches, so a per-row copy of each tag costs memory and garbage collection.
     */
    String shared(String value) {
        if (shared.size() >= MAX_SHARED) {
            shared.clear();
        }
        String known = shared.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    CopyText reset() {
        length = 0;
        first = true;
        return this;
    }

    CopyText add(String value) {
        separate();
        if (value == null) {
            ensure(2);
            row[length++] = '\\';
            row[length++] = 'N';
        } else {
            append(value, false);
        }
        return this;
    }

    /**
     * Adds an instant as {@link Instant#toString()} writes it. Whole seconds of the years 1970 to
     * 9999 (every {@code last_modified_t}) are written directly, without the formatter's objects.
     */
    CopyText addInstant(Instant value) {
        if (value == null || value.getNano() != 0 || value.getEpochSecond() < 0 || value.getEpochSecond() > MAX_PLAIN_SECOND) {
            return add(value == null ? null : value.toString());
        }
        separate();
        ensure(20);
        long seconds = value.getEpochSecond();
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        // Days to a proleptic Gregorian date (H. Hinnant's civil_from_days), valid from 1970 on.
        long shifted = days + 719_468;
        long era = shifted / 146_097;
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        digits(year, 4);
        row[length++] = '-';
        digits(month, 2);
        row[length++] = '-';
        digits(day, 2);
        row[length++] = 'T';
        digits(secondOfDay / 3_600, 2);
        row[length++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        row[length++] = ':';
        digits(secondOfDay % 60, 2);
        row[length++] = 'Z';
        return this;
    }

    /** Adds a number as {@link Long#toString(long)} writes it. */
    CopyText addLong(long value) {
        separate();
        ensure(20);
        if (value == Long.MIN_VALUE) {
            append(Long.toString(value), false);
            return this;
        }
        if (value < 0) {
            row[length++] = '-';
            value = -value;
        }
        int width = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            width++;
        }
        for (int i = length + width - 1; i >= length; i--) {
            row[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
        return this;
    }

    /**
     * Adds a decimal as {@link BigDecimal#toPlainString()} writes it (null as {@code \N}). Values of
     * at most 18 digits that are not negative, every nutrient, are written without building strings.
     */
    CopyText addDecimal(BigDecimal value) {
        if (value == null || value.signum() < 0 || value.scale() < 0 || value.scale() > 18 || value.precision() > 18) {
            return add(value == null ? null : value.toPlainString());
        }
        int scale = value.scale();
        long unscaled = scale == 0 ? value.longValue() : value.scaleByPowerOfTen(scale).longValue();
        separate();
        ensure(40);
        int digits = 1;
        for (long rest = unscaled / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int integerDigits = Math.max(digits - scale, 1);
        int width = integerDigits + (scale > 0 ? 1 + scale : 0);
        for (int i = length + width - 1; i >= length; i--) {
            if (scale > 0 && i == length + integerDigits) {
                row[i] = '.';
            } else {
                row[i] = (byte) ('0' + unscaled % 10);
                unscaled /= 10;
            }
        }
        length += width;
        return this;
    }

    private void digits(int value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            row[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    CopyText add(Object value) {
        return add(value == null ? null : value.toString());
    }

    CopyText addArray(List<String> values) {
        separate();
        ensure(2);
        row[length++] = '{';
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                ensure(1);
                row[length++] = ',';
            }
            ensure(1);
            row[length++] = '"';
            append(values.get(i), true);
            ensure(2);
            row[length++] = '"';
        }
        row[length++] = '}';
        return this;
    }

    /** Bytes written so far in this row. */
    int length() {
        return length;
    }

    /**
     * The 64-bit hash of the row's bytes from {@code from} to the end: CRC32C in the high half,
     * CRC32 in the low one (ProductRow's content hash).
     */
    long hash(int from) {
        castagnoli.reset();
        ieee.reset();
        castagnoli.update(row, from, length - from);
        ieee.update(row, from, length - from);
        return (castagnoli.getValue() << 32) | ieee.getValue();
    }

    /** Ends the row and returns it as one COPY line. */
    byte[] toLine() {
        return toLine(CopyLines.unpooled()).bytes();
    }

    /** Ends the row and keeps it as one COPY line in {@code lines}. */
    CopyLines.Line toLine(CopyLines lines) {
        ensure(1);
        row[length++] = '\n';
        return lines.put(row, length);
    }

    private void separate() {
        if (!first) {
            ensure(1);
            row[length++] = '\t';
        }
        first = false;
    }

    /**
     * Appends a value COPY-escaped and UTF-8 encoded. Inside an array element, {@code "} and
     * {@code \} are first escaped for the array literal (so a backslash becomes four).
     */
    private void append(String value, boolean arrayElement) {
        int count = value.length();
        ensure(count * 4 + 8); // the most any char can take: an escaped backslash in an array element
        if (chars.length < count) {
            chars = new char[Math.max(count, chars.length * 2)];
        }
        char[] in = chars;
        value.getChars(0, count, in, 0);
        byte[] out = row;
        int at = length;
        for (int i = 0; i < count; i++) {
            char c = in[i];
            if (c < 0x80) {
                if (c > '\\' || c >= ' ' && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                    continue;
                }
                switch (c) {
                    case '\\' -> {
                        if (arrayElement) {
                            out[at++] = '\\';
                            out[at++] = '\\';
                        }
                        out[at++] = '\\';
                        out[at++] = '\\';
                    }
                    case '"' -> {
                        if (arrayElement) {
                            out[at++] = '\\';
                            out[at++] = '\\';
                        }
                        out[at++] = '"';
                    }
                    case '\t' -> {
                        out[at++] = '\\';
                        out[at++] = 't';
                    }
                    case '\n' -> {
                        out[at++] = '\\';
                        out[at++] = 'n';
                    }
                    case '\r' -> {
                        out[at++] = '\\';
                        out[at++] = 'r';
                    }
                    default -> out[at++] = (byte) c;
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(in[i + 1])) {
                int code = Character.toCodePoint(c, in[++i]);
                out[at++] = (byte) (0xf0 | (code >> 18));
                out[at++] = (byte) (0x80 | ((code >> 12) & 0x3f));
                out[at++] = (byte) (0x80 | ((code >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (code & 0x3f));
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate cannot be encoded: it is written as U+FFFD, the replacement character.
                out[at++] = (byte) 0xef;
                out[at++] = (byte) 0xbf;
                out[at++] = (byte) 0xbd;
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        length = at;
    }

    private void ensure(int extra) {
        if (length + extra > row.length) {
            row = Arrays.copyOf(row, Math.max(row.length * 2, length + extra));
        }
    }
}
