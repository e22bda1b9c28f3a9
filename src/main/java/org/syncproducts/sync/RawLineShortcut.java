package org.syncproducts.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ProductParser;
import org.syncproducts.store.Database;
import org.syncproducts.source.UnchangedLines;

/**
 * The raw-line shortcut of a full re-sync: an export line whose bytes are those the stored live
 * product was written from is skipped unparsed, and counted unchanged and present as parsing it
 * would have been.
 *
 * <p>Contract: every product a stream parses from a line carries the line's raw hash, which the
 * writer stores in {@code products.raw_hash} (migration V9). The hash is 64 bits (hardware CRC32C
 * and CRC32 side by side, as the content hash) of the line's bytes, seeded with everything else
 * that decides what the line becomes: the input's format (a CSV header line), the source name,
 * {@code sync.languages} and {@link ProductParser#VERSION}. Any other change to a row clears its raw
 * hash (the V9 trigger, and the writer's own updates from other paths), so a match means parsing
 * the line would give exactly the stored row.
 *
 * <p>A line is skipped only when the run reads everything ({@link SyncRequest#readsEverything()}:
 * full, not narrowed, not a dry run), its code is a live product with that raw hash, and no earlier
 * line of this run with the same code was sent to be written: the reader runs ahead of the
 * writer's commits, and the last record for a code must win. Those codes are kept in a Bloom
 * filter of fixed size ({@value #FILTER_BITS} bits, 8 MiB), whose false positives only cost a parse.
 * On a table empty when the run starts nothing is looked up: lines are only hashed.
 *
 * <p>Where the answers come from: a source with at most {@value #STORED_IN_MEMORY_LIMIT} live
 * products (by the kept counts) has its (code, raw hash) pairs read into memory once, by one
 * sequential scan on a look-up thread ({@link StoredLineHashes}, about 10 bytes a product; a primary
 * key probe per line cost the server about 5 us, 5 s of CPU for 1,000,000 lines). Until they are
 * read, and for larger sources throughout, the database is asked which of the next 1,000 lines
 * match. Such look-ups run on {@value #LOOKUP_THREADS} threads with a connection each, so the server
 * answers two questions at once while the reader thread reads and hashes the next lines; the pool
 * always has room for them ({@link Database#SYNC_CONNECTIONS}). {@link #close()} them once the
 * reader has ended. Pairs read into memory are those of the run's start: a row edited by hand while
 * the run reads is repaired by the next re-sync.
 */
public final class RawLineShortcut implements UnchangedLines, AutoCloseable {
    /** Bits of the filter of codes this run sent to be written: about 1% false positives at 5M codes. */
    static final int FILTER_BITS = 1 << 26;
    private static final int FILTER_PROBES = 3;
    /** Look-ups in flight at once, each on a connection of its own. */
    static final int LOOKUP_THREADS = 2;

    /**
     * Sources with at most this many live products are read into memory once ({@link StoredLineHashes},
     * 10 bytes a product: at most 60 MB); larger ones are asked about 1,000 lines at a time.
     */
    static final long STORED_IN_MEMORY_LIMIT = 6_000_000;

    private static final String LIVE_PRODUCTS = """
            SELECT coalesce(sum(products), 0) FROM product_counts WHERE dimension = 'source' AND value = :source""";

    /** Names the source {@link #STORED_LINES} reads, for this transaction (COPY takes no parameters). */
    private static final String STORED_LINES_SOURCE = "SELECT set_config('sync_products.stored_lines_source', :source, true)";

    /** One line {@code code TAB raw_hash} a pair: no result-set row or string per product. */
    private static final String STORED_LINES = """
            COPY (SELECT code, raw_hash FROM products
                  WHERE source = current_setting('sync_products.stored_lines_source')
                    AND deleted_at IS NULL AND raw_hash IS NOT NULL) TO STDOUT""";

    /** Which of the lines asked about are live products with exactly that raw hash (1-based positions). */
    private static final String MATCHING = """
            SELECT l.i FROM unnest(:codes, :hashes) WITH ORDINALITY AS l (code, raw_hash, i)
            JOIN products p ON p.code = l.code AND p.raw_hash = l.raw_hash
            WHERE p.deleted_at IS NULL""";

    private final Jdbi jdbi;
    private final String source;
    private final List<String> languages;
    private final boolean skipping;
    private final Answers answers;
    /** Each look-up thread's connection, opened on its first question. */
    private final ThreadLocal<Handle> threadHandle = ThreadLocal.withInitial(this::openHandle);
    private final List<Handle> handles = new CopyOnWriteArrayList<>();
    private ExecutorService lookups;
    /**
     * The source's stored lines, read once on a look-up thread; its answer is null when the source
     * holds too many, and it is null itself when the database is asked chunk by chunk.
     */
    private Future<StoredLineHashes> stored;

    /**
     * @param source    the source's name (part of the seed: it is written into every row)
     * @param languages sync.languages, in order (part of the seed: the parser reads them)
     * @param skipping  whether lines may be skipped (the run reads everything); else they are only hashed
     */
    public RawLineShortcut(Jdbi jdbi, String source, List<String> languages, boolean skipping) {
        this(jdbi, source, languages, skipping, Answers.MEMORY_ONCE_READ);
    }

    /** Where the answers come from; tests pin one of the two. */
    enum Answers {
        /** The database, chunk by chunk (as for sources over {@link #STORED_IN_MEMORY_LIMIT}). */
        DATABASE,
        /** The stored lines in memory: the first question waits for them. */
        MEMORY,
        /** The database until the stored lines are in memory, then memory: reading never waits for them. */
        MEMORY_ONCE_READ
    }

    RawLineShortcut(Jdbi jdbi, String source, List<String> languages, boolean skipping, Answers answers) {
        this.answers = answers;
        this.jdbi = jdbi;
        this.source = source;
        this.languages = List.copyOf(languages);
        this.skipping = skipping;
    }

    @Override
    public Check forInput(String format) {
        CRC32C castagnoli = new CRC32C();
        CRC32 ieee = new CRC32();
        byte[] seed = String.join("\u0000", "v" + ProductParser.VERSION, source, String.join(",", languages), format)
                .getBytes(StandardCharsets.UTF_8);
        castagnoli.update(seed);
        ieee.update(seed);
        return new LineCheck(ByteBuffer.allocate(Long.BYTES).putLong(castagnoli.getValue() << 32 | ieee.getValue())
                .array());
    }

    private boolean tableHasRows() {
        return answer(lookups().submit(() -> lookUp(() -> threadHandle.get()
                .createQuery("SELECT EXISTS (SELECT 1 FROM products)").mapTo(Boolean.class).one())));
    }

    /**
     * Starts reading the source's stored lines into memory on a look-up thread; the answer is null
     * when the source holds too many. One sequential scan costs the server far less than a
     * primary-key probe per line (a 1M re-sync: about 5 s of server CPU in probes).
     */
    private void readStoredLinesIfSmall() {
        if (answers == Answers.DATABASE) {
            return;
        }
        stored = lookups().submit(() -> lookUp(() -> {
            long live = threadHandle.get().createQuery(LIVE_PRODUCTS).bind("source", source).mapTo(Long.class).one();
            return live <= STORED_IN_MEMORY_LIMIT ? readStoredLines(live) : null;
        }));
    }

    /**
     * Streams the pairs in with COPY, one row in memory at a time: against a result set, it took
     * the look-up thread less than half the CPU at 1,000,000 products (no row objects, no string
     * per code), and the driver's result-set code no longer needed compiling.
     */
    private StoredLineHashes readStoredLines(long expected) {
        StoredLineHashes hashes = new StoredLineHashes(expected);
        threadHandle.get().useTransaction(handle -> {
            handle.createQuery(STORED_LINES_SOURCE).bind("source", source).mapTo(String.class).one();
            CopyOut copy = null;
            try {
                copy = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyOut(STORED_LINES);
                for (byte[] row = copy.readFromCopy(); row != null; row = copy.readFromCopy()) {
                    addStoredLine(hashes, row);
                }
            } catch (SQLException e) {
                throw SyncProductsException.unavailable("cannot read the stored lines of source " + source + ": "
                        + e.getMessage(), e);
            } finally {
                cancelIfActive(copy);
            }
        });
        return hashes;
    }

    /**
     * Ends a COPY cut short (the run ended first, or a row was unreadable), so the connection can
     * roll back and go back to the pool. If even that fails, the connection is broken and the pool
     * drops it.
     */
    private static void cancelIfActive(CopyOut copy) {
        if (copy == null || !copy.isActive()) {
            return;
        }
        try {
            copy.cancelCopy();
        } catch (SQLException e) {
            // Nothing else to do: see above.
        }
    }

    /** Adds one COPY text row {@code code TAB raw_hash NEWLINE} (digits, and a signed decimal). */
    private static void addStoredLine(StoredLineHashes hashes, byte[] row) {
        int tab = 0;
        while (row[tab] != '\t') {
            tab++;
        }
        int at = tab + 1;
        boolean negative = row[at] == '-';
        if (negative) {
            at++;
        }
        long value = 0;
        for (; at < row.length && row[at] != '\n'; at++) {
            value = value * 10 - (row[at] - '0');
        }
        hashes.add(row, 0, tab, negative ? value : -value);
    }

    /** The threads that ask the database, so the reader reads the next lines meanwhile. */
    private ExecutorService lookups() {
        if (lookups == null) {
            AtomicInteger number = new AtomicInteger();
            lookups = Executors.newFixedThreadPool(LOOKUP_THREADS, runnable -> {
                Thread thread = new Thread(runnable, "sync-unchanged-lines-" + source + "-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return lookups;
    }

    private static <T> T answer(Future<T> matching) {
        try {
            return matching.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            matching.cancel(true);
            throw new SyncProductsException(ExitCode.INTERNAL, "interrupted while looking up unchanged lines");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("looking up unchanged lines failed", e.getCause());
        }
    }

    private Handle openHandle() {
        Handle handle = lookUp(jdbi::open);
        handles.add(handle);
        return handle;
    }

    private <T> T lookUp(Supplier<T> query) {
        try {
            return query.get();
        } catch (JdbiException e) {
            throw SyncProductsException.unavailable("cannot look up unchanged lines of source " + source + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (lookups != null) {
            lookups.shutdownNow();
            try {
                lookups.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lookups = null;
        }
        handles.forEach(Handle::close);
        handles.clear();
    }

    private final class LineCheck implements Check {
        private final byte[] seed;
        /** Whether lines may be skipped: decided on the first question, on the reader's thread. */
        private Boolean skips;
        private final CRC32C castagnoli = new CRC32C();
        private final CRC32 ieee = new CRC32();
        /** The Bloom filter of codes this run sent to be written; allocated on the first question. */
        private long[] written;

        LineCheck(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public long hash(byte[] bytes, int offset, int length) {
            castagnoli.reset();
            ieee.reset();
            castagnoli.update(seed);
            ieee.update(seed);
            castagnoli.update(bytes, offset, length);
            ieee.update(bytes, offset, length);
            return castagnoli.getValue() << 32 | ieee.getValue();
        }

        @Override
        public boolean skips() {
            if (skips == null) {
                skips = skipping && tableHasRows();
                if (skips) {
                    readStoredLinesIfSmall();
                }
            }
            return skips;
        }

        @Override
        public Question ask(String[] codes, long[] hashes, int count) {
            if (!skips()) {
                return BitSet::new;
            }
            String[] askedCodes = Arrays.copyOf(codes, count);
            // Until the stored lines are in memory (a second or so at 1M products), the database
            // answers chunk by chunk, so reading does not wait for them.
            StoredLineHashes inMemory = stored != null && (stored.isDone() || answers == Answers.MEMORY)
                    ? answer(stored) : null;
            if (inMemory != null) {
                BitSet matching = matchingStored(inMemory, askedCodes, hashes);
                return () -> skipped(askedCodes, matching);
            }
            Long[] askedHashes = new Long[count];
            for (int i = 0; i < count; i++) {
                askedHashes[i] = hashes[i];
            }
            Future<BitSet> matching = lookups().submit(() -> {
                BitSet found = new BitSet(count);
                for (int position : lookUp(() -> threadHandle.get().createQuery(MATCHING).bind("codes", askedCodes)
                        .bind("hashes", askedHashes).mapTo(Integer.class).list())) {
                    found.set(position - 1);
                }
                return found;
            });
            return () -> skipped(askedCodes, answer(matching));
        }

        /** Which of the lines are live products with exactly that raw hash, by the stored lines in memory. */
        private static BitSet matchingStored(StoredLineHashes stored, String[] codes, long[] hashes) {
            BitSet found = new BitSet(codes.length);
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] != null && stored.contains(codes[i], hashes[i])) {
                    found.set(i);
                }
            }
            return found;
        }

        /** The lines to skip: matching ones whose code no earlier line sent to be written; the others' codes are noted. */
        private BitSet skipped(String[] codes, BitSet matching) {
            if (written == null) {
                written = new long[FILTER_BITS / Long.SIZE];
            }
            BitSet skipped = new BitSet(codes.length);
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] == null) {
                    continue;
                }
                long mixed = mixedHash(codes[i]);
                if (matching.get(i) && !mightBeWritten(mixed)) {
                    skipped.set(i);
                } else {
                    noteWritten(mixed);
                }
            }
            return skipped;
        }

        private boolean mightBeWritten(long mixed) {
            for (int probe = 0; probe < FILTER_PROBES; probe++) {
                int bit = bit(mixed, probe);
                if ((written[bit >>> 6] & 1L << bit) == 0) {
                    return false;
                }
            }
            return true;
        }

        private void noteWritten(long mixed) {
            for (int probe = 0; probe < FILTER_PROBES; probe++) {
                int bit = bit(mixed, probe);
                written[bit >>> 6] |= 1L << bit;
            }
        }

        /** Probe {@code probe}'s bit: h1 + probe * h2 from the two halves of the mixed hash. */
        private static int bit(long mixed, int probe) {
            int first = (int) mixed;
            int second = (int) (mixed >>> 32) | 1;
            return (first + probe * second) & (FILTER_BITS - 1);
        }

        /** A 64-bit hash of a code, with SplitMix64's finalizer so codes that differ in one digit land far apart. */
        private static long mixedHash(String code) {
            return StoredLineHashes.mix(StoredLineHashes.codeHash(code));
        }
    }
}
