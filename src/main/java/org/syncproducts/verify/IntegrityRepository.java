package org.syncproducts.verify;

import java.time.Duration;
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

    /** Live products whose barcode failed the GS1 check digit. */
    public Finding invalidCheckDigits() {
        return jdbi.withHandle(handle -> {
            long count = handle.createQuery("""
                    SELECT count(*) FROM products WHERE NOT check_digit_valid AND deleted_at IS NULL""")
                    .mapTo(Long.class).one();
            List<String> examples = handle.createQuery("""
                            SELECT display_code FROM products WHERE NOT check_digit_valid AND deleted_at IS NULL
                            ORDER BY code LIMIT :limit""")
                    .bind("limit", EXAMPLES).mapTo(String.class).list();
            return new Finding(count, examples);
        });
    }

    /**
     * Codes that are the same barcode in different spellings (leading zeros), or not in the
     * canonical 14-digit form at all: rows written around the tool's normalization.
     */
    public Finding duplicateCanonicalCodes() {
        return jdbi.withHandle(handle -> {
            List<String> groups = handle.createQuery("""
                            SELECT string_agg(code, ' = ' ORDER BY code) FROM products
                            GROUP BY ltrim(code, '0') HAVING count(*) > 1
                            ORDER BY min(code)""")
                    .mapTo(String.class).list();
            List<String> malformed = handle.createQuery("""
                            SELECT code FROM products WHERE code !~ '^[0-9]{14}$' ORDER BY code""")
                    .mapTo(String.class).list();
            List<String> all = new java.util.ArrayList<>(groups);
            malformed.forEach(code -> all.add(code + " (not a 14-digit canonical code)"));
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
