package org.syncproducts.source.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.syncproducts.model.ErrorType;

/**
 * Splits CSV text into records without trusting it, with the quoting rules of Commons CSV's
 * default format (a quote opens a field only at its start, a doubled quote inside is one quote,
 * a record ends at a line break outside quotes, {@code \r\n} ends a line like {@code \n}, empty
 * lines are skipped).
 *
 * <p>Every record is bounded: one longer than {@link #MAX_RECORD_CHARS} or with more than
 * {@link #MAX_FIELDS} fields is reported, not held. A quote that is still open at that bound or
 * at the end of the input is taken for a stray one: the record's first line is reported and
 * reading re-synchronizes at the line after it, so one stray quote costs one line, not the rest
 * of the file. Line numbers count every line break of the input, so they stay right after any
 * bad record.
 */
final class CsvRecordReader {
    /** Longest record accepted, in characters; no product record comes close. */
    static final int MAX_RECORD_CHARS = 8 << 20;
    /** Most fields a record may have. */
    static final int MAX_FIELDS = 10_000;

    /**
     * One record: its fields, or what is wrong with it.
     *
     * @param line    the line it starts on
     * @param fields  its fields (empty when it has a problem)
     * @param problem why it cannot be used, or null
     * @param message the detail of the problem, or null
     */
    record Record(long line, List<String> fields, ErrorType problem, String message) {
        boolean ok() {
            return problem == null;
        }
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE }

    private final Reader in;
    private final int maxRecordChars;
    private final char delimiter;
    private final int quote;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    /** Text to read again before {@link #in} (the lines after a stray quote), and how far it is read. */
    private String pending = "";
    private int pendingPosition;
    /** The line the next character is on. */
    private long line = 1;
    private boolean ended;
    private boolean started;

    /**
     * @param quote the quote character, or null for a format without quoting
     */
    CsvRecordReader(Reader in, char delimiter, Character quote) {
        this(in, delimiter, quote, MAX_RECORD_CHARS);
    }

    /** A reader with another bound, for tests. */
    CsvRecordReader(Reader in, char delimiter, Character quote, int maxRecordChars) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
        this.delimiter = delimiter;
        this.quote = quote == null ? -1 : quote;
    }

    /** The line the next record starts on, or after. */
    long line() {
        return line;
    }

    /**
     * The next record, or null at the end of the input.
     *
     * @throws IOException when the input cannot be read on (e.g. a truncated .gz)
     */
    Record next() throws IOException {
        while (!ended || pendingPosition < pending.length()) {
            Record record = readRecord();
            if (record != null) {
                return record;
            }
        }
        return null;
    }

    /** Reads one record; null for an empty line or the end of the input. */
    private Record readRecord() throws IOException {
        long start = line;
        StringBuilder raw = new StringBuilder();
        StringBuilder field = new StringBuilder();
        List<String> fields = new ArrayList<>();
        State state = State.FIELD_START;
        String malformed = null;
        boolean tooManyFields = false;
        while (true) {
            int c = read();
            if (c < 0) {
                if (raw.length() == 0) {
                    return null;
                }
                if (state == State.QUOTED) {
                    resynchronize(raw, start);
                    return problem(start, ErrorType.MALFORMED_LINE, "quote opened on line " + start
                            + " is never closed; skipped this line and read on from the next one");
                }
                break;
            }
            raw.append((char) c);
            if (raw.length() > maxRecordChars) {
                if (state == State.QUOTED && line > start) {
                    resynchronize(raw, start);
                    return problem(start, ErrorType.MALFORMED_LINE, "quote opened on line " + start
                            + " is not closed within " + maxRecordChars + " characters; skipped this line and read "
                            + "on from the next one");
                }
                skipLine();
                return problem(start, ErrorType.LINE_TOO_LONG, "record is longer than "
                        + maxRecordChars + " characters; skipped");
            }
            if (c == '\n') {
                line++;
                if (state != State.QUOTED) {
                    break;
                }
            }
            if (c == '\r' && state != State.QUOTED && peek() == '\n') {
                continue;
            }
            switch (state) {
                case FIELD_START -> {
                    if (c == quote) {
                        state = State.QUOTED;
                    } else if (c == delimiter) {
                        tooManyFields |= !addField(fields, field);
                    } else {
                        field.append((char) c);
                        state = State.UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    if (c == delimiter) {
                        tooManyFields |= !addField(fields, field);
                        state = State.FIELD_START;
                    } else {
                        field.append((char) c);
                    }
                }
                case QUOTED -> {
                    if (c == quote) {
                        state = State.AFTER_QUOTE;
                    } else {
                        field.append((char) c);
                    }
                }
                case AFTER_QUOTE -> {
                    if (c == quote) {
                        field.append((char) c);
                        state = State.QUOTED;
                    } else if (c == delimiter) {
                        tooManyFields |= !addField(fields, field);
                        state = State.FIELD_START;
                    } else {
                        if (malformed == null) {
                            malformed = "text after the closing quote of field " + (fields.size() + 1);
                        }
                        field.append((char) c);
                        state = State.UNQUOTED;
                    }
                }
            }
        }
        if (fields.isEmpty() && field.length() == 0 && state == State.FIELD_START) {
            return null;
        }
        tooManyFields |= !addField(fields, field);
        if (tooManyFields) {
            return problem(start, ErrorType.MALFORMED_LINE, "record has more than " + MAX_FIELDS + " fields");
        }
        if (malformed != null) {
            long end = line;
            if (raw.indexOf("\n") < raw.length() - 1) {
                // A quote that closes on a later line only to be followed by text was a stray one too.
                resynchronize(raw, start);
            }
            return problem(start, ErrorType.MALFORMED_LINE, malformed + (end - start > 1 ? " (the quote opened on line "
                    + start + "); skipped this line and read on from the next one" : ""));
        }
        return new Record(start, fields, null, null);
    }

    private static boolean addField(List<String> fields, StringBuilder field) {
        if (fields.size() >= MAX_FIELDS) {
            field.setLength(0);
            return false;
        }
        fields.add(field.toString());
        field.setLength(0);
        return true;
    }

    private static Record problem(long line, ErrorType type, String message) {
        return new Record(line, List.of(), type, message);
    }

    /**
     * Gives up on the record that starts on line {@code start} (its quote was never closed): the
     * lines after its first one are read again; when it has no second line yet, the rest of that
     * line is skipped.
     */
    private void resynchronize(StringBuilder raw, long start) throws IOException {
        int firstBreak = raw.indexOf("\n");
        if (firstBreak < 0) {
            line = start;
            skipLine();
            return;
        }
        pending = raw.substring(firstBreak + 1) + pending.substring(pendingPosition);
        pendingPosition = 0;
        line = start + 1;
    }

    /** Skips to the start of the next line. */
    private void skipLine() throws IOException {
        int c;
        while ((c = read()) >= 0) {
            if (c == '\n') {
                line++;
                return;
            }
        }
    }

    private int read() throws IOException {
        if (pendingPosition < pending.length()) {
            return pending.charAt(pendingPosition++);
        }
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (pendingPosition < pending.length()) {
            return pending.charAt(pendingPosition);
        }
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int read = in.read(buffer, 0, buffer.length);
        if (read <= 0) {
            ended = true;
            return false;
        }
        // A byte order mark (spreadsheets write one) is not part of the first field.
        position = line == 1 && !started && buffer[0] == '\uFEFF' ? 1 : 0;
        started = true;
        limit = read;
        return position < limit || fill();
    }
}
