package org.syncproducts.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The queries behind {@code verify}'s database checks. All read-only. */
public final class IntegrityRepository {
    /** How many examples a failed check lists. */
    public static final int EXAMPLES = 10;

    private final Jdbi jdbi;

    public IntegrityRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Target coverage: distinct target codes, and how many of them have a live product. */
    public record Coverage(long targets, long present) {
    }

    public Coverage coverage() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(DISTINCT t.code) AS targets, count(DISTINCT p.code) AS present
                        FROM targets t LEFT JOIN products p ON p.code = t.code AND p.deleted_at IS NULL""")
                .map((rs, ctx) -> new Coverage(rs.getLong("targets"), rs.getLong("present"))).one());
    }

    /** A count with a few examples. */
    public record Finding(long count, List<String> examples) {
    }

    /**
     * A data-quality count among live products: how many, of how many, a few examples, and how
     * many of them are target codes (those always matter).
     */
    public record QualityFinding(long count, long products, long targets, List<String> examples) {
    }

    /** Live GTIN products whose barcode failed the GS1 check digit (real sources hold some). */
    public QualityFinding invalidCheckDigits() {
        return quality("is_gtin AND NOT check_digit_valid");
    }

    /** Live products whose code is not a GTIN (short internal codes, long store codes). */
    public QualityFinding nonGtinCodes() {
        return quality("NOT is_gtin");
    }

    /** {@code condition} is one of this class's constants, never text from config or data. */
    private QualityFinding quality(String condition) {
        return jdbi.withHandle(handle -> {
            QualityFinding counts = handle.createQuery("""
                            SELECT count(*) FILTER (WHERE %1$s) AS count, count(*) AS products,
                                   count(*) FILTER (WHERE %1$s AND EXISTS (SELECT 1 FROM targets t WHERE t.code = p.code))
                                       AS targets
                            FROM products p WHERE deleted_at IS NULL""".formatted(condition))
                    .map((rs, ctx) -> new QualityFinding(rs.getLong("count"), rs.getLong("products"),
                            rs.getLong("targets"), List.of()))
                    .one();
            List<String> examples = handle.createQuery("""
                            SELECT display_code FROM products p WHERE %s AND deleted_at IS NULL
                            ORDER BY EXISTS (SELECT 1 FROM targets t WHERE t.code = p.code) DESC, code LIMIT :limit"""
                            .formatted(condition))
                    .bind("limit", EXAMPLES).mapTo(String.class).list();
            return new QualityFinding(counts.count(), counts.products(), counts.targets(), examples);
        });
    }

    /**
     * GTINs stored twice in different spellings (leading zeros), and codes not in their canonical
     * form (a GTIN not of 14 digits, another code of 14 digits or not all digits): rows written
     * around the tool's normalization.
     */
    public Finding duplicateCanonicalCodes() {
        return jdbi.withHandle(handle -> {
            List<String> groups = handle.createQuery("""
                            SELECT string_agg(code, ' = ' ORDER BY code) FROM products WHERE is_gtin
                            GROUP BY ltrim(code, '0') HAVING count(*) > 1
                            ORDER BY min(code)""")
                    .mapTo(String.class).list();
            List<String> malformed = handle.createQuery("""
                            SELECT code FROM products
                            WHERE CASE WHEN is_gtin THEN code !~ '^[0-9]{14}$' ELSE code !~ '^[0-9]+$' OR length(code) = 14 END
                            ORDER BY code""")
                    .mapTo(String.class).list();
            List<String> all = new ArrayList<>(groups);
            malformed.forEach(code -> all.add(code + " (not in canonical form)"));
            return new Finding(all.size(), all.subList(0, Math.min(EXAMPLES, all.size())));
        });
    }

    /** Jobs recorded as running whose heartbeat is older than {@code staleAfter}. */
    public Finding staleRunningJobs(Duration staleAfter) {
        return jdbi.withHandle(handle -> {
            List<String> jobs = handle.createQuery("""
                            SELECT '#' || id || ' (pid ' || coalesce(pid::text, '?') || ' on ' || coalesce(host, '?')
                                   || ', last heartbeat ' || to_char(heartbeat_at AT TIME ZONE 'UTC',
                                   'YYYY-MM-DD HH24:MI:SS') || ' UTC)'
                            FROM jobs WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => :seconds)
                            ORDER BY id""")
                    .bind("seconds", (double) staleAfter.toSeconds())
                    .mapTo(String.class).list();
            return new Finding(jobs.size(), jobs.subList(0, Math.min(EXAMPLES, jobs.size())));
        });
    }
}
