package org.syncproducts.source.file;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * Counts the bytes read through it (for progress), and optionally refuses to read past a bound:
 * the bound's exception is thrown once more than {@code limit} bytes came.
 */
public final class CountingInputStream extends FilterInputStream {
    private final long limit;
    private final LongFunction<RuntimeException> overLimit;
    private volatile long count;

    /** Counts, with no bound. */
    public CountingInputStream(InputStream in) {
        this(in, Long.MAX_VALUE, count -> new IllegalStateException("no limit"));
    }

    /**
     * @param overLimit the exception to throw, given the bytes read, once more than {@code limit} were
     */
    public CountingInputStream(InputStream in, long limit, LongFunction<RuntimeException> overLimit) {
        super(in);
        this.limit = limit;
        this.overLimit = overLimit;
    }

    /** The bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int value = super.read();
        if (value >= 0) {
            counted(1);
        }
        return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long read) {
        count += read;
        if (count > limit) {
            throw overLimit.apply(count);
        }
    }
}
