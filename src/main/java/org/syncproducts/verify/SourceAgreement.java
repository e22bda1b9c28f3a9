package org.syncproducts.verify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;

/**
 * Compares a file source with the products it produced. The file's valid codes go to a
 * session-local table in batches (memory stays flat whatever the file size), and set queries
 * compare them with the products table.
 */
public final class SourceAgreement {
    private static final int BATCH = 10_000;

    /**
     * What the comparison found.
     *
     * @param records       records in the file
     * @param invalid       records that could not be read or validated
     * @param codes         distinct valid codes in the file
     * @param products      live products whose source is this one
     * @param missing       valid file codes with no live product at all
     * @param fromOtherSources valid file codes whose product came from another source (not a discrepancy)
     * @param extra         products of this source whose code is not in the file
     * @param missingExamples a few of the missing codes
     * @param extraExamples   a few of the extra codes
     */
    public record Result(long records, long invalid, long codes, long products, long missing, long fromOtherSources,
                         long extra, List<String> missingExamples, List<String> extraExamples) {
        public boolean agrees() {
            return missing == 0 && extra == 0;
        }
    }

    private final Jdbi jdbi;

    public SourceAgreement(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Result compare(ProductSource source) {
        try (Handle handle = jdbi.open()) {
            return handle.inTransaction(transaction -> {
                transaction.execute("CREATE TEMP TABLE verify_codes (code text NOT NULL) ON COMMIT DROP");
                long[] counts = load(transaction, source);
                transaction.execute("CREATE INDEX ON verify_codes (code)");
                transaction.execute("ANALYZE verify_codes");
                long codes = transaction.createQuery("SELECT count(DISTINCT code) FROM verify_codes")
                        .mapTo(Long.class).one();
                long products = transaction.createQuery("""
                                SELECT count(*) FROM products WHERE source = :source AND deleted_at IS NULL""")
                        .bind("source", source.name()).mapTo(Long.class).one();
                String missingCodes = """
                        FROM verify_codes v
                        WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.code = v.code AND p.deleted_at IS NULL)""";
                long missing = transaction.createQuery("SELECT count(DISTINCT v.code) " + missingCodes)
                        .mapTo(Long.class).one();
                List<String> missingExamples = transaction.createQuery(
                                "SELECT DISTINCT v.code " + missingCodes + " ORDER BY v.code LIMIT :limit")
                        .bind("limit", IntegrityRepository.EXAMPLES).mapTo(String.class).list();
                long elsewhere = transaction.createQuery("""
                                SELECT count(DISTINCT v.code) FROM verify_codes v
                                JOIN products p ON p.code = v.code AND p.deleted_at IS NULL AND p.source <> :source""")
                        .bind("source", source.name()).mapTo(Long.class).one();
                String extraCodes = """
                        FROM products p
                        WHERE p.source = :source AND p.deleted_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM verify_codes v WHERE v.code = p.code)""";
                long extra = transaction.createQuery("SELECT count(*) " + extraCodes)
                        .bind("source", source.name()).mapTo(Long.class).one();
                List<String> extraExamples = transaction.createQuery(
                                "SELECT p.code " + extraCodes + " ORDER BY p.code LIMIT :limit")
                        .bind("source", source.name()).bind("limit", IntegrityRepository.EXAMPLES)
                        .mapTo(String.class).list();
                return new Result(counts[0], counts[1], codes, products, missing, elsewhere, extra, missingExamples,
                        extraExamples);
            });
        }
    }

    /** Streams the file's valid codes into verify_codes; returns {records, invalid}. */
    private static long[] load(Handle handle, ProductSource source) {
        long records = 0;
        long invalid = 0;
        List<String> pending = new ArrayList<>(BATCH);
        try (RecordStream stream = source.open(0)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                records++;
                if (record instanceof SourceRecord.Item item
                        && ProductParser.parse(item.product(), source.name(), item.position())
                        instanceof ProductParser.Parsed parsed) {
                    pending.add(parsed.product().code().canonical());
                    if (pending.size() == BATCH) {
                        insert(handle, pending);
                    }
                } else {
                    invalid++;
                }
            }
        } catch (IOException e) {
            throw SyncProductsException.unavailable("cannot read source " + source.name() + ": " + e.getMessage(), e);
        }
        insert(handle, pending);
        return new long[] {records, invalid};
    }

    private static void insert(Handle handle, List<String> codes) {
        if (codes.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO verify_codes (code) VALUES (:code)");
        codes.forEach(code -> batch.bind("code", code).add());
        batch.execute();
        codes.clear();
    }

}
