package org.syncproducts.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.syncproducts.model.Barcode;
import org.syncproducts.source.SourceRecord;

/**
 * What target lookups read and write besides products: which codes to look up, the memory of
 * codes no source has ({@code lookup_misses}), and the resolution of earlier errors.
 */
public final class LookupRepository {
    private final Jdbi jdbi;

    public LookupRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Target codes with no live product, leaving out codes every source said it does not have
     * less than {@code recheckAfter} ago; in code order, after {@code afterCode} (a canonical
     * code, or null for all).
     */
    public List<Barcode> missingTargets(Duration recheckAfter, String afterCode) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT DISTINCT ON (t.code) t.code, t.display_code FROM targets t
                        WHERE t.code > coalesce(:after, '')
                          AND NOT EXISTS (SELECT 1 FROM products p WHERE p.code = t.code AND p.deleted_at IS NULL)
                          AND NOT EXISTS (SELECT 1 FROM lookup_misses m WHERE m.code = t.code
                                          AND m.checked_at > now() - make_interval(secs => :recheckSeconds))
                        ORDER BY t.code, t.list_name""")
                .bind("after", afterCode)
                .bind("recheckSeconds", (double) recheckAfter.toSeconds())
                .map((rs, ctx) -> barcode(rs.getString("code"), rs.getString("display_code")))
                .list());
    }

    /**
     * Every target code, in code order, after {@code afterCode} (or all for null), except codes
     * whose product came from one of {@code keptSources} (sources of higher priority than the
     * lookups, whose data a lookup must not replace).
     */
    public List<Barcode> allTargets(String afterCode, Collection<String> keptSources) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT DISTINCT ON (t.code) t.code, t.display_code FROM targets t
                        WHERE t.code > coalesce(:after, '')
                          AND NOT EXISTS (SELECT 1 FROM products p WHERE p.code = t.code AND p.deleted_at IS NULL
                                          AND p.source = ANY(:kept))
                        ORDER BY t.code, t.list_name""")
                .bind("after", afterCode)
                .bind("kept", keptSources.toArray(String[]::new))
                .map((rs, ctx) -> barcode(rs.getString("code"), rs.getString("display_code")))
                .list());
    }

    /** Which of {@code codes} (canonical) have a live product. */
    public Set<String> present(Collection<String> codes) {
        if (codes.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(handle -> new HashSet<>(handle.createQuery("""
                        SELECT code FROM products WHERE code = ANY(:codes) AND deleted_at IS NULL""")
                .bind("codes", codes.toArray(String[]::new))
                .mapTo(String.class).list()));
    }

    /** Canonical codes with an unresolved retryable error, in code order ({@code sync --retry-failed}). */
    public List<String> codesWithRetryableErrors() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT DISTINCT canonical_code FROM errors
                        WHERE resolved_at IS NULL AND retryable AND canonical_code IS NOT NULL
                        ORDER BY canonical_code""")
                .mapTo(String.class).list());
    }

    /**
     * Adds to a finished job's message how many codes its time budget left for the next run, so
     * the job history shows a budget-limited run for what it was.
     */
    public void noteRemaining(long jobId, long remaining) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE jobs SET message = coalesce(message || '; ', '') || :note WHERE id = :id""")
                .bind("id", jobId)
                .bind("note", remaining + " codes not looked up (time budget spent); the next run continues")
                .execute());
    }

    /** Remembers codes no source has, inside the batch's transaction. */
    public static void rememberMisses(Handle handle, long jobId, Collection<SourceRecord.NotFound> misses) {
        if (misses.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO lookup_misses (code, sources, checked_at, job_id) VALUES (:code, :sources, now(), :jobId)
                ON CONFLICT (code) DO UPDATE SET sources = excluded.sources, checked_at = excluded.checked_at,
                                                 job_id = excluded.job_id""");
        for (SourceRecord.NotFound miss : misses) {
            batch.bind("code", miss.code()).bindArray("sources", String.class, miss.sources()).bind("jobId", jobId).add();
        }
        batch.execute();
    }

    /**
     * Codes looked up with a definite answer (found, or not found anywhere): their not-found marks
     * are dropped when found, and their unresolved retryable errors from earlier jobs resolved.
     *
     * @return errors resolved
     */
    public static int settle(Handle handle, long jobId, Collection<String> found, Collection<String> notFound) {
        if (!found.isEmpty()) {
            handle.createUpdate("DELETE FROM lookup_misses WHERE code = ANY(:codes)")
                    .bind("codes", found.toArray(String[]::new)).execute();
        }
        List<String> settled = new ArrayList<>(found);
        settled.addAll(notFound);
        if (settled.isEmpty()) {
            return 0;
        }
        return handle.createUpdate("""
                        UPDATE errors SET resolved_at = now()
                        WHERE canonical_code = ANY(:codes) AND resolved_at IS NULL AND retryable AND job_id <> :jobId""")
                .bind("codes", settled.toArray(String[]::new)).bind("jobId", jobId).execute();
    }

    private static Barcode barcode(String canonical, String display) {
        return Barcode.parse(display).filter(code -> code.canonical().equals(canonical))
                .orElseGet(() -> Barcode.parse(canonical).orElseThrow());
    }
}
