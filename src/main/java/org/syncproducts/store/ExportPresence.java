package org.syncproducts.store;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The codes a full export run has seen, kept so that at its end the products of its source that
 * are absent from the export can be marked deleted ({@code sync.mark_missing_deleted}). Codes are
 * recorded in each batch's own transaction, so the set is exact across a crash and a resumed run;
 * a run is identified by the first job of its resume chain.
 */
public final class ExportPresence {
    private ExportPresence() {
    }

    /** Records codes the run saw in its source (products and records that failed alike). */
    public static void record(Handle handle, long runId, String source, Collection<String> codes) {
        if (codes.isEmpty()) {
            return;
        }
        handle.createUpdate("INSERT INTO export_seen_codes (job_id, source, code) SELECT :run, :source, unnest(:codes)")
                .bind("run", runId).bind("source", source).bind("codes", codes.toArray(String[]::new)).execute();
    }

    /** Drops what earlier runs of the source left behind (a run that was never completed nor resumed). */
    public static void forgetOtherRuns(Handle handle, long runId, String source) {
        handle.createUpdate("DELETE FROM export_seen_codes WHERE source = :source AND job_id <> :run")
                .bind("run", runId).bind("source", source).execute();
    }

    /** Drops the run's codes once they have served. */
    public static void forget(Handle handle, long runId, String source) {
        handle.createUpdate("DELETE FROM export_seen_codes WHERE source = :source AND job_id = :run")
                .bind("run", runId).bind("source", source).execute();
    }

    /** Live products of the source that the run did not see, by code. */
    public static List<String> absent(Handle handle, long runId, String source) {
        return handle.createQuery("""
                        SELECT p.code FROM products p
                        WHERE p.source = :source AND p.deleted_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM export_seen_codes s
                                          WHERE s.job_id = :run AND s.source = :source AND s.code = p.code)
                        ORDER BY p.code""")
                .bind("run", runId).bind("source", source).mapTo(String.class).list();
    }

    /** How many live products the source holds. */
    public static long live(Handle handle, String source) {
        return handle.createQuery("SELECT count(*) FROM products WHERE source = :source AND deleted_at IS NULL")
                .bind("source", source).mapTo(Long.class).one();
    }
}
