package org.syncproducts.source.file;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.UnchangedLines;
import org.syncproducts.store.CopyLines;

/**
 * The common part of line-per-record file sources (the Open Food Facts CSV export and JSONL
 * dump): skipping to a checkpoint, and turning unreadable lines (too long, NUL bytes, invalid
 * UTF-8) and a truncated or corrupt .gz into item failures, so the good lines still load.
 * Subclasses parse one good line.
 *
 * <p>A subclass that names its {@link #lineFormat()} can skip unchanged lines
 * ({@link #skipUnchanged}): then good lines are read {@value #LOOK_AHEAD} at a time, up to
 * {@value #CHUNKS_AHEAD} such chunks ahead of the one being returned (the database answers about
 * them meanwhile), and only the lines the check does not recognise are parsed.
 */
public abstract class LineRecordStream implements RecordStream {
    /** Lines longer than this are skipped and reported; no product line comes close. */
    public static final int MAX_LINE_BYTES = 8 << 20;
    /** Good lines read ahead (and copied) for one question to the unchanged-line check. */
    static final int LOOK_AHEAD = 1000;
    /** Chunks asked about ahead of the one being returned: enough to keep the check's look-ups busy. */
    static final int CHUNKS_AHEAD = 3;

    private final String inputName;
    private final Supplier<InputProgress> progress;
    private final LineReader lines;
    private final long resumeAfter;
    private boolean finished;
    /** Hashes lines, and says which to skip unparsed; null until {@link #skipUnchanged} gives one. */
    private UnchangedLines.Check check;
    /** Lines read ahead and decided, in input order. */
    private final ArrayDeque<Pending> ahead = new ArrayDeque<>();
    /** The next lines read ahead, in input order, whose questions to {@link #check} are being answered. */
    private final ArrayDeque<Chunk> asked = new ArrayDeque<>();
    /** Whether every line has been read ahead. */
    private boolean readAheadToEnd;
    /** The chunk whose lines are in {@link #ahead}; its memory goes back to the pool when the next is decided. */
    private Chunk deciding;
    /**
     * Memory for the lines read ahead: thousands of export lines wait there for an answer, and as
     * an array each they were copied by every young collection (a dense 100,000-line re-sync: 5
     * full collections, a sixth of its CPU).
     */
    private final CopyLines.Pool aheadMemory = new CopyLines.Pool();
    /** A line read ahead, copied back out for the subclass (which reads lines from offset 0). */
    private byte[] scratch = new byte[8192];

    protected LineRecordStream(FileInput input, LineReader lines, long resumeAfter) {
        this(input.path().getFileName().toString(), input::progress, lines, resumeAfter);
    }

    /**
     * Reads lines of any stream (a download, say).
     *
     * @param inputName names the input in messages (a file name)
     * @param progress  how much of the input was read
     */
    protected LineRecordStream(String inputName, Supplier<InputProgress> progress, LineReader lines,
                               long resumeAfter) {
        this.inputName = inputName;
        this.progress = progress;
        this.lines = lines;
        this.resumeAfter = resumeAfter;
    }

    /** Parses one line that decoded cleanly. */
    protected abstract SourceRecord parse(long lineNumber, String text);

    /**
     * Parses one valid line from its UTF-8 bytes (valid until the next line is read). The
     * default decodes it and calls {@link #parse(long, String)}; sources that only need some of a
     * line's fields override this to decode just those.
     */
    protected SourceRecord parse(long lineNumber, byte[] bytes, int length) {
        return parse(lineNumber, new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * What decides, with a line's bytes, what the stream makes of it (a CSV export's header line),
     * or null when the stream cannot recognise unchanged lines. Overridden with
     * {@link #lineCode} and {@link #skipped}.
     */
    protected String lineFormat() {
        return null;
    }

    /**
     * The raw text of a good line's code (its first field), or null when it has none; a line
     * without a code is never skipped, so a stream that does not override this skips nothing.
     */
    protected String lineCode(byte[] bytes, int length) {
        return null;
    }

    /**
     * Notes a line that is skipped unparsed, as parsing it would have for the stream's state (the
     * export horizon of the off-csv stream); nothing by default.
     */
    protected void skipped(byte[] bytes, int length) {
    }

    @Override
    public final boolean skipUnchanged(UnchangedLines lines) {
        String format = lineFormat();
        if (format == null) {
            return false;
        }
        check = lines.forInput(format);
        return true;
    }

    @Override
    public final SourceRecord next() throws IOException {
        if (check != null && check.skips()) {
            if (ahead.isEmpty()) {
                // The database answers about these lines while the next ones are read and hashed.
                while (asked.size() <= CHUNKS_AHEAD && !readAheadToEnd) {
                    Chunk chunk = readAhead();
                    readAheadToEnd = chunk.lines().isEmpty();
                    if (!readAheadToEnd) {
                        asked.add(chunk);
                    }
                }
                if (deciding != null) {
                    deciding.memory().release();
                }
                deciding = asked.poll();
                if (deciding != null) {
                    deciding.decide(ahead);
                }
            }
            Pending next = ahead.poll();
            if (next == null) {
                return null;
            }
            if (next.record() != null) {
                return next.record();
            }
            int length = next.line().length();
            byte[] bytes = scratch(next.line());
            if (next.skip()) {
                skipped(bytes, length);
                return new SourceRecord.Unchanged(next.number(), next.code());
            }
            if (next.unchecked()) {
                LineReader.Problem problem = LineReader.check(bytes, 0, length);
                if (problem != LineReader.Problem.NONE) {
                    return failure(next.number(), problem);
                }
            }
            return parseHashed(next.number(), bytes, length, next.hash());
        }
        Object next = nextLine(false);
        if (next instanceof LineReader.Line line) {
            return check == null ? parse(line.number(), line.bytes(), line.length())
                    : parseHashed(line.number(), line.bytes(), line.length(),
                            check.hash(line.bytes(), 0, line.length()));
        }
        return (SourceRecord) next;
    }

    /**
     * A line read ahead: a record ready to return (an unreadable line), or a good line's copy.
     * {@code unchecked}: the line's encoding is checked only if it is parsed (a skipped line's bytes
     * are those of a line parsed before, so they were good).
     */
    private record Pending(SourceRecord record, long number, CopyLines.Line line, String code, long hash, boolean skip,
                           boolean unchecked) {
        Pending skipped() {
            return new Pending(null, number, line, code, hash, true, unchecked);
        }
    }

    /** Lines read ahead, in input order, and the question asked about the good ones. */
    private record Chunk(List<Pending> lines, UnchangedLines.Question question, CopyLines memory) {
        /** Waits for the answer and queues the lines, the ones to skip marked. */
        void decide(ArrayDeque<Pending> ahead) {
            BitSet unchanged = question.unchanged();
            int index = 0;
            for (Pending line : lines) {
                ahead.add(line.record() == null && unchanged.get(index++) ? line.skipped() : line);
            }
        }
    }

    /** Reads up to {@link #LOOK_AHEAD} good lines and asks the check which of them to skip. */
    private Chunk readAhead() throws IOException {
        CopyLines memory = aheadMemory.lines();
        List<Pending> lines = new ArrayList<>();
        String[] codes = new String[LOOK_AHEAD];
        long[] hashes = new long[LOOK_AHEAD];
        int good = 0;
        Object next;
        while (good < LOOK_AHEAD && (next = nextLine(true)) != null) {
            if (next instanceof LineReader.Line line) {
                String code = lineCode(line.bytes(), line.length());
                codes[good] = code == null ? null : Barcode.parse(code).map(Barcode::canonical).orElse(null);
                hashes[good] = check.hash(line.bytes(), 0, line.length());
                lines.add(new Pending(null, line.number(), memory.put(line.bytes(), line.length()), codes[good],
                        hashes[good], false, line.encodingUnchecked()));
                good++;
            } else {
                lines.add(new Pending((SourceRecord) next, 0, null, null, 0, false, false));
            }
        }
        return new Chunk(lines, good == 0 ? BitSet::new : check.ask(codes, hashes, good), memory);
    }

    /** A line read ahead, copied into {@link #scratch} (valid until the next call). */
    private byte[] scratch(CopyLines.Line line) {
        if (scratch.length < line.length()) {
            scratch = new byte[Math.max(line.length(), scratch.length * 2)];
        }
        System.arraycopy(line.bytes(), line.offset(), scratch, 0, line.length());
        return scratch;
    }

    private SourceRecord parseHashed(long number, byte[] bytes, int length, long hash) {
        SourceRecord record = parse(number, bytes, length);
        return record instanceof SourceRecord.Item item
                ? new SourceRecord.Item(item.position(), item.product(), item.origin(), hash) : record;
    }

    /**
     * The next good line (valid until the next call), a failure record for a bad one, or null at the end.
     *
     * @param encodingLater return a line whose encoding is unchecked as it is ({@link LineReader.Line#encodingUnchecked()}):
     *                      the caller checks it if it parses it
     */
    private Object nextLine(boolean encodingLater) throws IOException {
        while (!finished) {
            LineReader.Line line;
            try {
                line = lines.next();
            } catch (EOFException | ZipException e) {
                finished = true;
                long last = lines.lineNumber();
                return new SourceRecord.Failure(last + 1, new ItemError(ErrorType.TRUNCATED_INPUT, last + 1, null,
                        "input ends early (" + describe(e) + ") after line " + last + " of " + inputName
                                + "; the rest of the file was not read"));
            }
            if (line == null) {
                finished = true;
                return null;
            }
            if (line.number() <= resumeAfter || (line.length() == 0 && line.problem() != LineReader.Problem.TOO_LONG)) {
                continue;
            }
            if (encodingLater && line.encodingUnchecked()) {
                return line;
            }
            return line.problem() == LineReader.Problem.NONE ? line : failure(line.number(), line.problem());
        }
        return null;
    }

    private static SourceRecord failure(long number, LineReader.Problem problem) {
        return switch (problem) {
            case NONE -> throw new IllegalArgumentException("a good line is no failure");
            case TOO_LONG -> failure(number, ErrorType.LINE_TOO_LONG,
                    "line is longer than " + (MAX_LINE_BYTES >> 20) + " MiB; skipped");
            case NUL_BYTE -> failure(number, ErrorType.NUL_BYTE, "line contains a NUL byte");
            case INVALID_UTF8 -> failure(number, ErrorType.INVALID_ENCODING, "line is not valid UTF-8");
        };
    }

    private static SourceRecord failure(long number, ErrorType type, String message) {
        return new SourceRecord.Failure(number, new ItemError(type, number, null, message));
    }

    private static String describe(IOException e) {
        return e instanceof ZipException ? "corrupt gzip data: " + e.getMessage() : "truncated gzip stream";
    }

    @Override
    public final InputProgress progress() {
        return progress.get();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /** Reads the first line of a file, for format checks. Null if the file is empty. */
    public static LineReader.Line firstLine(LineReader reader) throws IOException {
        try {
            return reader.next();
        } catch (EOFException | ZipException e) {
            return null;
        }
    }
}
