package org.syncproducts.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes batches of products the fast way, COPY rather than row-by-row statements.
 *
 * <p>For each batch it looks up which codes exist (and their content hash), then COPYs the new
 * products straight into {@code products}, and (in full mode) COPYs the changed ones into a
 * session-local staging table and updates them from it in one statement. Unchanged products
 * are not sent at all. If another writer inserts one of the "new" codes in between, the COPY
 * fails with a unique violation and {@link ConcurrentInsertException} asks the caller to redo
 * the batch with {@link Mode#UPSERT}, which goes through {@code INSERT ... ON CONFLICT}.
 *
 * <p>A batch is written in two steps, {@link #stage} and {@link #complete}, so that writers on
 * other connections may stage other batches (of other codes) at the same time, while what all
 * batches share is done by one writer at a time ({@code sync.OrderedWriters}).
 *
 * <p>Guarantees: a row whose content hash did not change is not touched (no update, no new
 * timestamp, no dead tuple), except that its {@code raw_hash} is filled in when the product came
 * from an export line whose hash the row lacks (once per row: a database from before V9, a
 * parser version bump); {@code verified} and {@code first_seen_at} are never overwritten;
 * incremental mode only adds codes not yet present (and lets a later record replace a product
 * the same job added, so the last record for a code wins in every mode), and with {@code newer}
 * also replaces a product whose stored source modified time is older than the record's. The caller owns the transaction, so a batch,
 * its errors and the job checkpoint commit together.
 *
 * <p>The kept product counts ({@code product_counts}, migration V7) change in the same statements
 * or transaction as the rows: exact after a crash and a rerun. The writer counts its own direct
 * writes and deletions; rows written through {@link Mode#UPSERT} are counted by the V7 row trigger.
 */
public final class ProductWriter {

    /** How a batch is written. */
    public enum Mode {
        /** Look up, COPY new rows directly, update changed ones from staging (the fast path). */
        DIRECT,
        /** Everything through staging and {@code INSERT ... ON CONFLICT} (safe with concurrent writers). */
        UPSERT
    }

    /** A "new" product already existed (another writer, or an earlier batch); redo the batch in {@link Mode#UPSERT}. */
    public static final class ConcurrentInsertException extends RuntimeException {
        ConcurrentInsertException(Throwable cause) {
            super("a product of the batch already exists (repeated in the input, or inserted by another writer)", cause);
        }
    }

    private static final String COLUMNS = String.join(", ", ProductRow.COLUMNS);

    private static final String CHANGED = "p.content_hash IS DISTINCT FROM %1$s.content_hash OR p.deleted_at IS NOT NULL";

    /**
     * Adds to {@code product_counts} what the rows of CTE {@code deltas (product, sign)} count for,
     * signed, and returns {@link #COUNTED_ROWS}: the writer's half of the kept counts (the
     * migration V7 explains the other).
     */
    private static final String ADD_COUNTS = """
            counted AS (
                INSERT INTO product_counts AS c (dimension, value, products)
                SELECT k.dimension, k.value, sum(d.sign) FROM deltas d, product_count_keys(d.product) k
                GROUP BY 1, 2 HAVING sum(d.sign) <> 0 ORDER BY 1, 2
                ON CONFLICT (dimension, value) DO UPDATE SET products = c.products + excluded.products)
            """;

    /** The old row (from the statement's snapshot) and the new one, so the counts move from one to the other. */
    private static final String UPDATE_FROM_STAGING = """
            WITH written AS (
                UPDATE products AS p SET %s, last_synced_at = now(), last_changed_at = now(), deleted_at = NULL
                FROM product_staging AS s, products AS old
                WHERE p.code = s.code AND old.code = s.code AND (%s)
                RETURNING p AS product, old AS old_product),
            deltas AS (
                SELECT product, 1 AS sign FROM written
                UNION ALL SELECT old_product, -1 FROM written WHERE (old_product).deleted_at IS NULL),
            %s
            SELECT count(*) FROM written""".formatted(assignments("s"), CHANGED.formatted("s"), ADD_COUNTS);

    /**
     * Adds the counts of products COPYed as new, summed per counter by the writer. Counters that
     * exist are updated by a plain UPDATE (2.5 times cheaper per row than ON CONFLICT's speculative
     * insertion, measured), only new ones go through INSERT.
     */
    private static final String ADD_NEW_COUNTS = """
            WITH d AS (SELECT * FROM unnest(:dimensions, :counterValues, :products) AS d (dimension, value, products)),
            updated AS (
                UPDATE product_counts AS c SET products = c.products + d.products FROM d
                WHERE c.dimension = d.dimension AND c.value = d.value
                RETURNING c.dimension, c.value)
            INSERT INTO product_counts AS c (dimension, value, products)
            SELECT * FROM d
            WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.dimension = d.dimension AND u.value = d.value)
            ORDER BY 1, 2
            ON CONFLICT (dimension, value) DO UPDATE SET products = c.products + excluded.products""";

    /** Marks this transaction's next statements as counted by the writer, so the V7 row trigger leaves them alone. */
    private static final String COUNTED_BY_WRITER = "SELECT set_config('sync_products.counting', 'writer', true)";

    /** Hands this transaction's next statements back to the V7 row trigger. */
    private static final String COUNTED_BY_TRIGGER = "SELECT set_config('sync_products.counting', '', true)";

    /**
     * Rows an existing product may be replaced by: any changed one in full mode, else only ones
     * this job (or the runs it resumes) added.
     */
    private static final String REPLACEABLE = "(:full OR p.first_seen_at >= (SELECT started_at FROM jobs WHERE id = :jobId))";

    /** With {@code :newer}, a record whose source modified time is past the stored one's replaces it too. */
    private static final String NEWER = "(:newer AND %1$s.source_modified_at IS NOT NULL AND "
            + "(p.source_modified_at IS NULL OR %1$s.source_modified_at > p.source_modified_at))";

    private static final String UPSERT = """
            WITH written AS (
                INSERT INTO products AS p (%1$s)
                SELECT %1$s FROM product_staging
                ON CONFLICT (code) DO UPDATE SET %2$s, last_synced_at = now(), last_changed_at = now(), deleted_at = NULL
                WHERE (%3$s OR %5$s) AND (%4$s)
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS updated
            FROM written""".formatted(COLUMNS, assignments("excluded"), REPLACEABLE, CHANGED.formatted("excluded"),
            NEWER.formatted("excluded"));

    private static final String LOOK_UP = """
            SELECT p.code, p.content_hash, p.deleted_at IS NOT NULL AS deleted, %s AS replaceable,
                   p.source_modified_at, p.raw_hash
            FROM products p WHERE p.code = ANY(:codes)""".formatted(REPLACEABLE);

    /**
     * Stores the raw hash of a line that gave exactly the live row already stored (written before
     * raw hashes existed, or under another parser version): the next re-sync skips that line. Only
     * raw_hash changes, so neither the kept counts nor the V9 edit trigger have anything to do.
     */
    private static final String FILL_RAW_HASH = """
            UPDATE products AS p SET raw_hash = f.raw_hash
            FROM unnest(:codes, :contentHashes, :rawHashes) AS f (code, content_hash, raw_hash)
            WHERE p.code = f.code AND p.content_hash = f.content_hash AND p.deleted_at IS NULL
              AND p.raw_hash IS DISTINCT FROM f.raw_hash""";

    private static final String MARK_DELETED = """
            WITH written AS (
                UPDATE products AS p SET deleted_at = now(), last_changed_at = now()
                WHERE code = ANY(:codes) AND source = :source AND deleted_at IS NULL
                RETURNING p AS product),
            deltas AS (SELECT product, -1 AS sign FROM written),
            %s
            SELECT count(*) FROM written""".formatted(ADD_COUNTS);

    private static final Function<String, long[]> NEW_COUNTER = key -> new long[1];

    private final Handle handle;
    private final long jobId;
    /**
     * True while the job writes into a table that was empty when it started: lookups are skipped
     * and every product is COPYed as new. The first unique violation (a code repeated across
     * batches, or another writer) turns it off for the rest of the job.
     */
    private boolean loadingEmptyTable;

    /**
     * @param handle a handle this writer may use for the whole job (it creates a temp table on it)
     * @param jobId  the first job of the run (the job writing, or the first of the interrupted runs
     *               it resumes): in incremental mode, products added since it started may still be
     *               replaced by a later record for the same code (the last one in the input wins,
     *               whatever the batch size, and however often the run was resumed)
     */
    public ProductWriter(Handle handle, long jobId) {
        this.handle = handle;
        this.jobId = jobId;
        handle.execute("""
                CREATE TEMP TABLE IF NOT EXISTS product_staging
                (LIKE products INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
        // Batches are atomic with their checkpoint, so a server crash that loses the last few
        // commits also loses their checkpoints and the rerun redoes them: nothing needs the
        // per-batch WAL flush wait.
        handle.execute("SET synchronous_commit = off");
        this.loadingEmptyTable = handle.createQuery("SELECT NOT EXISTS (SELECT 1 FROM products)")
                .mapTo(Boolean.class).one();
    }

    /**
     * A batch written as far as it can be while other writers write other batches: new rows
     * COPYed, changed ones in staging. What is left touches rows every batch shares (the kept
     * counts, and in {@link Mode#UPSERT} everything), so {@link #complete} does it, one batch at a
     * time, in the caller's order. {@code writesNothing}: a dry run or an empty batch, whose
     * completion only reports the counts.
     */
    public record Staged(Mode mode, boolean full, boolean newer, boolean writesNothing, List<ProductRow> added,
                         int changed) {
    }

    /** Writes one batch inside the caller's open transaction, replacing no product for being newer. */
    public BatchOutcome write(Collection<ProductRow> products, boolean full, boolean dryRun, Mode mode) {
        return write(products, full, false, dryRun, mode);
    }

    /**
     * Writes one batch inside the caller's open transaction: {@link #stage} then {@link #complete}.
     *
     * @throws ConcurrentInsertException in {@link Mode#DIRECT} when another writer raced it
     */
    public BatchOutcome write(Collection<ProductRow> products, boolean full, boolean newer, boolean dryRun, Mode mode) {
        return complete(stage(products, full, newer, dryRun, mode));
    }

    /**
     * The first part of writing one batch inside the caller's open transaction, the part that may
     * run while other writers stage other batches, provided no two of those batches share a code.
     * Codes must be unique in the batch.
     *
     * @param full   update rows whose content changed (false: only add missing codes)
     * @param newer  in incremental mode, also replace a product whose stored source modified time
     *               is older than the record's (missing or changed)
     * @param dryRun compute what would change without writing anything
     * @throws ConcurrentInsertException in {@link Mode#DIRECT} when another writer raced it
     */
    public Staged stage(Collection<ProductRow> products, boolean full, boolean newer, boolean dryRun, Mode mode) {
        if (products.isEmpty()) {
            return new Staged(mode, full, newer, true, List.of(), 0);
        }
        if (mode == Mode.UPSERT && !dryRun) {
            copy(products, "product_staging");
            return new Staged(mode, full, newer, false, List.of(), products.size());
        }
        Map<String, Existing> existing = loadingEmptyTable ? Map.of() : lookUp(products, full);
        List<ProductRow> added = new ArrayList<>();
        List<ProductRow> changed = new ArrayList<>();
        List<ProductRow> unhashed = new ArrayList<>();
        for (ProductRow product : products) {
            Existing row = existing.get(product.code());
            Long rawHash = product.rawHash();
            if (row == null) {
                added.add(product);
            } else if ((row.replaceable() || newer && isNewer(product, row))
                    && (row.deleted() || row.contentHash() != product.contentHash())) {
                changed.add(product);
            } else if (rawHash != null && !row.deleted() && row.contentHash() == product.contentHash()
                    && !rawHash.equals(row.rawHash())) {
                unhashed.add(product);
            }
        }
        if (dryRun) {
            return new Staged(mode, full, newer, true, added, changed.size());
        }
        countedByWriter(true);
        if (!unhashed.isEmpty()) {
            handle.createUpdate(FILL_RAW_HASH)
                    .bind("codes", unhashed.stream().map(ProductRow::code).toArray(String[]::new))
                    .bind("contentHashes", unhashed.stream().map(ProductRow::contentHash).toArray(Long[]::new))
                    .bind("rawHashes", unhashed.stream().map(ProductRow::rawHash).toArray(Long[]::new))
                    .execute();
        }
        if (!added.isEmpty()) {
            try {
                copy(added, "products");
            } catch (UnableToExecuteStatementException e) {
                if (isUniqueViolation(e)) {
                    loadingEmptyTable = false;
                    throw new ConcurrentInsertException(e);
                }
                throw e;
            }
        }
        if (!changed.isEmpty()) {
            copy(changed, "product_staging");
        }
        return new Staged(mode, full, newer, false, added, changed.size());
    }

    /**
     * Finishes a batch {@link #stage staged} in the same transaction: the kept counts of the new
     * rows, the changed rows from staging (or everything, in {@link Mode#UPSERT}).
     */
    public BatchOutcome complete(Staged staged) {
        if (staged.writesNothing) {
            return new BatchOutcome(staged.added.size(), staged.changed);
        }
        if (staged.mode == Mode.UPSERT) {
            return handle.createQuery(UPSERT).bind("full", staged.full).bind("newer", staged.newer).bind("jobId", jobId)
                    .map((rs, ctx) -> new BatchOutcome(rs.getLong("added"), rs.getLong("updated"))).one();
        }
        if (!staged.added.isEmpty()) {
            addCounts(staged.added);
        }
        long updated = 0;
        if (staged.changed > 0) {
            updated = handle.createQuery(UPDATE_FROM_STAGING).mapTo(Long.class).one();
        }
        countedByWriter(false);
        return new BatchOutcome(staged.added.size(), updated);
    }

    /**
     * Marks the products of {@code codes} deleted ({@code deleted_at}) when {@code source} is the
     * one whose data they hold, inside the caller's transaction.
     *
     * @return how many were marked (products already marked are not counted again)
     */
    public long markDeleted(Collection<String> codes, String source, boolean dryRun) {
        if (codes.isEmpty() || dryRun) {
            return 0;
        }
        countedByWriter(true);
        long marked = handle.createQuery(MARK_DELETED).bind("codes", codes.toArray(String[]::new))
                .bind("source", source).mapTo(Long.class).one();
        countedByWriter(false);
        return marked;
    }

    /**
     * Switches the V7 trigger off for this writer's own statements (they keep the counts
     * themselves) or back on. Transaction-local, so a rollback also ends it.
     */
    private void countedByWriter(boolean on) {
        // A constant statement, run as plain JDBC: twice a batch through Jdbi was 0.2 s of a
        // 1,000,000-row load's writer CPU (async-profiler).
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute(on ? COUNTED_BY_WRITER : COUNTED_BY_TRIGGER);
        } catch (SQLException e) {
            abortIfConnectionLost(e);
            throw new UnableToExecuteStatementException("cannot switch the kept counts' trigger: " + e.getMessage(), e,
                    null);
        }
    }

    /** Adds the kept counts of products just COPYed as new, one statement for the batch. */
    private void addCounts(Collection<ProductRow> added) {
        long image = 0;
        long nutrition = 0;
        // Mutable counters: a boxed sum per tag and row was most of this method's garbage.
        Map<String, long[]> sources = new HashMap<>();
        Map<String, long[]> categories = new HashMap<>();
        for (ProductRow product : added) {
            sources.computeIfAbsent(product.countedSource(), NEW_COUNTER)[0]++;
            for (String tag : product.countedCategories()) {
                categories.computeIfAbsent(tag, NEW_COUNTER)[0]++;
            }
            image += product.countedImage() ? 1 : 0;
            nutrition += product.countedNutrition() ? 1 : 0;
        }
        List<String> dimensions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Long> products = new ArrayList<>();
        Map<String, Map<String, long[]>> byDimension = new LinkedHashMap<>();
        byDimension.put("total", Map.of("", new long[] {added.size()}));
        byDimension.put("image", Map.of("", new long[] {image}));
        byDimension.put("nutrition", Map.of("", new long[] {nutrition}));
        byDimension.put("source", sources);
        byDimension.put("category", categories);
        byDimension.forEach((dimension, counters) -> counters.forEach((value, count) -> {
            if (count[0] != 0) {
                dimensions.add(dimension);
                values.add(value);
                products.add(count[0]);
            }
        }));
        handle.createUpdate(ADD_NEW_COUNTS)
                .bind("dimensions", dimensions.toArray(String[]::new))
                .bind("counterValues", values.toArray(String[]::new))
                .bind("products", products.toArray(Long[]::new))
                .execute();
    }

    private static boolean isNewer(ProductRow product, Existing row) {
        return product.sourceModifiedAt() != null
                && (row.sourceModifiedAt() == null || product.sourceModifiedAt().isAfter(row.sourceModifiedAt()));
    }

    private record Existing(long contentHash, boolean deleted, boolean replaceable, Instant sourceModifiedAt,
                            Long rawHash) {
    }

    private Map<String, Existing> lookUp(Collection<ProductRow> products, boolean full) {
        String[] codes = products.stream().map(ProductRow::code).toArray(String[]::new);
        Map<String, Existing> existing = new HashMap<>();
        handle.createQuery(LOOK_UP)
                .bind("codes", codes).bind("full", full).bind("jobId", jobId)
                .map((rs, ctx) -> Map.entry(rs.getString("code"), new Existing(rs.getLong("content_hash"),
                        rs.getBoolean("deleted"), rs.getBoolean("replaceable"), instant(rs.getTimestamp("source_modified_at")),
                        rs.getObject("raw_hash", Long.class))))
                .forEach(entry -> existing.put(entry.getKey(), entry.getValue()));
        return existing;
    }

    private void copy(Collection<ProductRow> products, String table) {
        try {
            PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
            try (OutputStream out = new PGCopyOutputStream(pg, "COPY " + table + " (" + COLUMNS + ") FROM STDIN", 1 << 16)) {
                for (ProductRow product : products) {
                    product.writeTo(out);
                }
            }
        } catch (SQLException e) {
            abortIfConnectionLost(e);
            throw new UnableToExecuteStatementException("COPY into " + table + " failed: " + e.getMessage(), e, null);
        } catch (IOException e) {
            abortIfConnectionLost(e);
            if (e.getCause() instanceof SQLException sql) {
                throw new UnableToExecuteStatementException("COPY into " + table + " failed: " + sql.getMessage(), sql, null);
            }
            throw new UncheckedIOException("COPY into " + table + " failed", e);
        }
    }

    /**
     * A COPY cut off by a lost connection (the server terminated, the network gone) leaves the
     * driver's copy lock held, and the transaction's rollback would wait for it forever. Aborting
     * the connection makes that rollback, and every later use, fail at once instead.
     */
    private void abortIfConnectionLost(Exception failure) {
        String state = null;
        for (Throwable cause = failure; cause != null && state == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                state = sql.getSQLState();
            }
        }
        // Class 08 is a connection exception, 57 an operator intervention (a terminated backend);
        // other states (a unique violation) are answers from a live server, which ends the COPY itself.
        if (state != null && !state.startsWith("08") && !state.startsWith("57")) {
            return;
        }
        try {
            handle.getConnection().abort(Runnable::run);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String assignments(String from) {
        return ProductRow.COLUMNS.stream().filter(column -> !column.equals("code"))
                .map(column -> column + " = " + from + "." + column)
                .collect(Collectors.joining(", "));
    }
}
