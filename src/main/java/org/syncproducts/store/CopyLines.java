package org.syncproducts.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Memory for the COPY lines of one batch of rows, taken in chunks from a {@link Pool} and handed
 * back when the batch has been written. (The file sources' look-ahead keeps the export lines it
 * reads ahead in it the same way, for the same reason.)
 *
 * <p>Why: rows wait in batches for a second or more between being read and being written. Held as a
 * {@code byte[]} each, every young collection copied thousands of them and moved them to the old
 * generation, whose collections then took a fifth of a bulk load's CPU (measured: 62 young and 6
 * full collections per 300,000 dense rows). Chunks that are reused batch after batch are allocated
 * once and stay put.
 *
 * <p>Contract: one thread fills an instance ({@link #put}); the thread that wrote the batch calls
 * {@link #release()} once nothing reads the batch's lines any more, and after that they must not
 * be read (their bytes belong to a later batch). Lines of {@link #unpooled()} are plain arrays and
 * never reused.
 */
public final class CopyLines {
    /** Chunk size: hundreds of typical rows; a longer line gets an array of its own. */
    static final int CHUNK_BYTES = 1 << 20;

    /** One line: {@code bytes[offset, offset + length)}. */
    public record Line(byte[] bytes, int offset, int length) {
        /** The line's bytes as a new array. */
        public byte[] toArray() {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }
    }

    /**
     * Free chunks shared by the batches of one reader and its writer. It holds at most what the
     * batches in flight at once needed, since a chunk is only made when none is free.
     */
    public static final class Pool {
        private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

        /** Lines for a new batch. */
        public CopyLines lines() {
            return new CopyLines(this);
        }

        private byte[] take() {
            byte[] chunk = free.poll();
            return chunk != null ? chunk : new byte[CHUNK_BYTES];
        }
    }

    private static final CopyLines UNPOOLED = new CopyLines(null);

    private final Pool pool;
    private final List<byte[]> taken = new ArrayList<>();
    private byte[] chunk;
    private int used;

    private CopyLines(Pool pool) {
        this.pool = pool;
    }

    /** Lines that are plain arrays of their own (rows that do not wait in a pooled batch). */
    public static CopyLines unpooled() {
        return UNPOOLED;
    }

    /** Copies {@code source[0, length)} in and returns where it is. */
    public Line put(byte[] source, int length) {
        if (pool == null || length > CHUNK_BYTES / 4) {
            return new Line(Arrays.copyOf(source, length), 0, length);
        }
        if (chunk == null || used + length > chunk.length) {
            chunk = pool.take();
            taken.add(chunk);
            used = 0;
        }
        System.arraycopy(source, 0, chunk, used, length);
        Line line = new Line(chunk, used, length);
        used += length;
        return line;
    }

    /** Hands the chunks back to the pool: the lines put here must not be read after this. */
    public void release() {
        if (pool == null) {
            return;
        }
        pool.free.addAll(taken);
        taken.clear();
        chunk = null;
        used = 0;
    }
}
