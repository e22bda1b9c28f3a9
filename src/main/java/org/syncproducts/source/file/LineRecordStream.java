package org.syncproducts.source.file;

import java.io.EOFException;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;

/**
 * The common part of line-per-record file sources (the Open Food Facts CSV export and JSONL
 * dump): skipping to a checkpoint, and turning unreadable lines (too long, NUL bytes, invalid
 * UTF-8) and a truncated or corrupt .gz into item failures, so the good lines still load.
 * Subclasses parse one good line.
 */
public abstract class LineRecordStream implements RecordStream {
    /** Lines longer than this are skipped and reported; no product line comes close. */
    public static final int MAX_LINE_BYTES = 8 << 20;

    private final String inputName;
    private final Supplier<InputProgress> progress;
    private final LineReader lines;
    private final long resumeAfter;
    private boolean finished;

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

    @Override
    public final SourceRecord next() throws IOException {
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
            return switch (line.problem()) {
                case NONE -> parse(line.number(), line.bytes(), line.length());
                case TOO_LONG -> failure(line, ErrorType.LINE_TOO_LONG,
                        "line is longer than " + (MAX_LINE_BYTES >> 20) + " MiB; skipped");
                case NUL_BYTE -> failure(line, ErrorType.NUL_BYTE, "line contains a NUL byte");
                case INVALID_UTF8 -> failure(line, ErrorType.INVALID_ENCODING, "line is not valid UTF-8");
            };
        }
        return null;
    }

    private static SourceRecord failure(LineReader.Line line, ErrorType type, String message) {
        return new SourceRecord.Failure(line.number(), new ItemError(type, line.number(), null, message));
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
