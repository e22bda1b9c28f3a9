package org.syncproducts.store;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The targets table: the barcodes that must have product data (the Approved Product List). */
public final class TargetRepository {
    /** One target as stored. */
    public record Target(String listName, String code, String displayCode, String category) {
    }

    /** One target with whether a live product exists for it. */
    public record TargetStatus(String listName, String displayCode, String category, boolean present) {
    }

    /** Counts for one list and category. */
    public record TargetCount(String listName, String category, long targets, long present) {
    }

    /** What an import changed. */
    public record ImportResult(long added, long updated, long unchanged, long removed) {
    }

    private final Jdbi jdbi;

    public TargetRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Adds or updates targets in one transaction. With {@code replaceLists}, targets of the lists
     * named in {@code targets} that are not among them are removed.
     */
    public ImportResult upsert(Collection<Target> targets, boolean replaceLists) {
        return jdbi.inTransaction(handle -> {
            handle.execute("CREATE TEMP TABLE target_staging (LIKE targets INCLUDING DEFAULTS) ON COMMIT DROP");
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO target_staging (list_name, code, display_code, category)
                    VALUES (:listName, :code, :displayCode, :category)""");
            for (Target target : targets) {
                batch.bindMethods(target).add();
            }
            if (!targets.isEmpty()) {
                batch.execute();
            }
            // Added and updated are told apart by the statement that writes them, so an import running
            // at the same time can never make a count negative.
            ImportResult written = handle.createQuery("""
                    WITH written AS (
                        INSERT INTO targets AS t (list_name, code, display_code, category)
                        SELECT list_name, code, display_code, category FROM target_staging
                        ON CONFLICT (list_name, code) DO UPDATE
                        SET display_code = excluded.display_code, category = excluded.category
                        WHERE t.category IS DISTINCT FROM excluded.category
                           OR t.display_code IS DISTINCT FROM excluded.display_code
                        RETURNING (xmax = 0) AS inserted)
                    SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS updated
                    FROM written""")
                    .map((rs, ctx) -> new ImportResult(rs.getLong("added"), rs.getLong("updated"), 0, 0)).one();
            long added = written.added();
            long updated = written.updated();
            long removed = 0;
            if (replaceLists) {
                removed = handle.createUpdate("""
                        DELETE FROM targets t
                        WHERE t.list_name IN (SELECT DISTINCT list_name FROM target_staging)
                          AND NOT EXISTS (SELECT 1 FROM target_staging s WHERE s.list_name = t.list_name AND s.code = t.code)""")
                        .execute();
            }
            return new ImportResult(added, updated, targets.size() - added - updated, removed);
        });
    }

    public List<TargetStatus> list(String listName, boolean missingOnly, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT t.list_name, t.display_code, t.category,
                               EXISTS (SELECT 1 FROM products p WHERE p.code = t.code AND p.deleted_at IS NULL) AS present
                        FROM targets t
                        WHERE (cast(:listName AS text) IS NULL OR t.list_name = :listName)
                        ORDER BY t.list_name, t.code""")
                .bind("listName", listName)
                .map((rs, ctx) -> new TargetStatus(rs.getString("list_name"), rs.getString("display_code"),
                        rs.getString("category"), rs.getBoolean("present")))
                .stream()
                .filter(target -> !missingOnly || !target.present())
                .limit(limit)
                .toList());
    }

    public List<TargetCount> counts(String listName) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT t.list_name, coalesce(t.category, '') AS category, count(*) AS targets,
                               count(p.code) AS present
                        FROM targets t LEFT JOIN products p ON p.code = t.code AND p.deleted_at IS NULL
                        WHERE (cast(:listName AS text) IS NULL OR t.list_name = :listName)
                        GROUP BY 1, 2 ORDER BY 1, 2""")
                .bind("listName", listName)
                .map((rs, ctx) -> new TargetCount(rs.getString("list_name"), rs.getString("category"),
                        rs.getLong("targets"), rs.getLong("present")))
                .list());
    }

    /** Every distinct target code (canonical), for {@code sync --targets-only}. */
    public Set<String> allCodes() {
        return jdbi.withHandle(handle -> Set.copyOf(handle.createQuery("SELECT DISTINCT code FROM targets")
                .mapTo(String.class).list()));
    }
}
