package org.syncproducts.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ItemError;

/** The errors table: one row per item that could not be synced. */
public final class ErrorRepository {

    private ErrorRepository() {
    }

    /**
     * Inserts a batch's item errors inside the batch's transaction. An error attributed to a
     * lookup source ({@link ItemError#source()}) counts as one more retry of the unresolved
     * errors earlier jobs recorded for the same code.
     */
    public static void insert(Handle handle, long jobId, String source, Collection<ItemError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO errors (job_id, barcode, source, line_number, error_type, code, message, retryable,
                                    attempts, canonical_code)
                VALUES (:jobId, :barcode, :source, :line, :type, :code, :message, :retryable, :attempts, :canonical)""");
        List<String> retriedCodes = new ArrayList<>();
        for (ItemError error : errors) {
            String canonical = Barcode.parse(error.barcode()).map(Barcode::canonical).orElse(null);
            batch.bind("jobId", jobId)
                    .bind("barcode", error.barcode())
                    .bind("source", error.source() != null ? error.source() : source)
                    .bind("line", error.position() > 0 ? error.position() : null)
                    .bind("type", error.type().code())
                    .bind("code", error.errorCode())
                    .bind("message", error.message())
                    .bind("retryable", error.type().retryable())
                    .bind("attempts", error.attempts())
                    .bind("canonical", canonical)
                    .add();
            if (error.source() != null && canonical != null) {
                retriedCodes.add(canonical);
            }
        }
        batch.execute();
        if (!retriedCodes.isEmpty()) {
            handle.createUpdate("""
                            UPDATE errors SET retries = retries + 1
                            WHERE canonical_code = ANY(:codes) AND resolved_at IS NULL AND job_id <> :jobId""")
                    .bind("codes", retriedCodes.toArray(String[]::new)).bind("jobId", jobId).execute();
        }
    }

    /** An error row as reports show it. */
    public record ErrorRow(long id, String barcode, Long line, String type, String message) {
    }

    /** Error counts of a job by type, most frequent first. */
    public static Map<String, Long> countByType(Jdbi jdbi, long jobId) {
        return jdbi.withHandle(handle -> {
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            handle.createQuery("""
                            SELECT error_type, count(*) AS n FROM errors WHERE job_id = :jobId
                            GROUP BY error_type ORDER BY n DESC, error_type""")
                    .bind("jobId", jobId)
                    .map((rs, ctx) -> Map.entry(rs.getString("error_type"), rs.getLong("n")))
                    .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
            return counts;
        });
    }

    /** The first errors of a job, in input order. */
    public static List<ErrorRow> firstOfJob(Jdbi jdbi, long jobId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, barcode, line_number, error_type, message FROM errors WHERE job_id = :jobId
                        ORDER BY line_number NULLS LAST, id LIMIT :limit""")
                .bind("jobId", jobId).bind("limit", limit)
                .map((rs, ctx) -> new ErrorRow(rs.getLong("id"), rs.getString("barcode"),
                        rs.getObject("line_number") == null ? null : rs.getLong("line_number"),
                        rs.getString("error_type"), rs.getString("message")))
                .list());
    }
}
