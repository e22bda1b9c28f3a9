import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Fills a migrated sync-products database with a realistic history for the report benchmark and
 * the README screenshot: N products, a target list of T codes in 12 categories (about 6 % with no
 * product), D days of hourly health checks with their coverage metrics (coverage climbing from
 * the low 70s to the mid 90s, freshness dips when a nightly sync was missed), one sync job a day
 * (some failed or interrupted) and their item errors. Every value is derived from the row number,
 * so two runs give the same database. Existing products, targets, jobs, errors and checks are
 * deleted first.
 *
 * <pre>
 * java -cp target/sync-products.jar scripts/bench-report.d/MakeHistory.java JDBC_URL PRODUCTS TARGETS DAYS
 * </pre>
 */
public class MakeHistory {
    private static final String CATEGORIES = "ARRAY['Milk','Cheese','Juice','Cereal','Bread','Yogurt','Eggs',"
            + "'Beans','Peanut butter','Infant formula','Canned fish','Whole grains']";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: MakeHistory JDBC_URL PRODUCTS TARGETS DAYS");
            System.exit(64);
        }
        long products = Long.parseLong(args[1]);
        long targets = Long.parseLong(args[2]);
        int days = Integer.parseInt(args[3]);
        try (Connection connection = DriverManager.getConnection(args[0])) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE products, targets, jobs, errors, health_checks, coverage_metrics, "
                        + "lookup_misses, source_state CASCADE");
                // Filled as the writer fills (its counts kept in bulk), not row by row through the
                // hand-edit trigger; bench-report then rebuilds the counts with verify --repair-counts.
                statement.execute("SET sync_products.counting = 'writer'");
            }
            run(connection, """
                    INSERT INTO products (code, display_code, check_digit_valid, name, brands, categories, image_url,
                                          energy_kcal_100g, proteins_100g, source, content_hash, verified)
                    SELECT lpad(i::text, 14, '0'), lpad(i::text, 13, '0'), true, 'Product ' || i, 'Brand ' || (i % 500),
                           ARRAY['en:' || (ARRAY['milks','cheeses','juices','cereals','breads','yogurts'])[1 + i % 6]],
                           CASE WHEN i % 10 < 7 THEN 'https://images.openfoodfacts.org/' || i || '.jpg' END,
                           CASE WHEN i % 10 < 8 THEN 50 + i % 400 END, CASE WHEN i % 10 < 8 THEN i % 30 END,
                           CASE WHEN i % 5 = 0 THEN 'upc_database' ELSE 'off_export' END, i, i % 40 = 0
                    FROM generate_series(1, ?) i""", products);
            run(connection, """
                    INSERT INTO targets (list_name, code, display_code, category)
                    SELECT 'default', lpad(c::text, 14, '0'), lpad(c::text, 12, '0'), (%s)[1 + i %% 12]
                    FROM (SELECT i, CASE WHEN (i * 7) %% 100 < 6 THEN ? + i ELSE 1 + (i * 7919) %% ? END AS c
                          FROM generate_series(1, ?) i) t
                    ON CONFLICT DO NOTHING""".formatted(CATEGORIES), products, products, targets);
            run(connection, """
                    INSERT INTO health_checks (checked_at, score, rating, healthy, coverage, freshness, quality, alerts,
                                               details)
                    SELECT at, score,
                           CASE WHEN score >= 90 THEN 'excellent' WHEN score >= 80 THEN 'good'
                                WHEN score >= 70 THEN 'fair' ELSE 'poor' END,
                           freshness > 0 AND coverage >= 70, coverage, freshness, quality, '[]',
                           jsonb_build_object('targets', ?::bigint, 'products', ?::bigint)
                    FROM (SELECT at, coverage, freshness, quality,
                                 round(coverage * 0.5 + freshness * 0.3 + quality * 0.2, 1) AS score
                          FROM (SELECT now() - make_interval(hours => h) AS at,
                                       round((71 + 23 * (1 - h / (24.0 * ?)) + 1.2 * sin(h / 40.0))::numeric, 1) AS coverage,
                                       CASE WHEN (h / 24) %% 47 = 9 THEN 50 WHEN (h / 24) %% 97 = 30 THEN 0
                                            ELSE 100 END AS freshness,
                                       round((42 + 9 * (1 - h / (24.0 * ?)) + 0.8 * sin(h / 90.0))::numeric, 1) AS quality
                                FROM generate_series(1, 24 * ?) h) raw) scored""".replace("%%", "%"),
                    targets, products, days, days, days);
            run(connection, """
                    INSERT INTO coverage_metrics (recorded_at, metric, dimension, covered, total, percent)
                    SELECT checked_at, 'overall', '', round(coverage * ? / 100), ?, coverage FROM health_checks
                    UNION ALL
                    SELECT checked_at, 'image', '', 0, ?, round(quality + 19, 1) FROM health_checks
                    UNION ALL
                    SELECT checked_at, 'nutrition', '', 0, ?, round(quality + 29, 1) FROM health_checks
                    UNION ALL
                    SELECT checked_at, 'source', 'off_export', 0, ?, round(coverage * 0.8, 1) FROM health_checks
                    UNION ALL
                    SELECT checked_at, 'target_category', category, 0, ? / 12,
                           round(least(100, coverage + (k - 6) * 1.6 + 2 * sin(extract(epoch FROM checked_at) / 500000 + k))::numeric, 1)
                    FROM health_checks CROSS JOIN unnest(%s) WITH ORDINALITY AS c(category, k)""".formatted(CATEGORIES),
                    targets, targets, products, products, targets, targets);
            run(connection, """
                    INSERT INTO jobs (status, strategy, sources, started_at, ended_at, heartbeat_at, read_count, added_count,
                                      updated_count, unchanged_count, skipped_count, failed_count, message)
                    SELECT status, CASE WHEN d %% 7 = 0 THEN 'full' ELSE 'incremental' END,
                           ARRAY['off_export', 'open_food_facts', 'upc_database'], started,
                           started + make_interval(secs => 300 + (d * 7919) %% 2400), started, read, read / 50, read / 8,
                           read - read / 50 - read / 8, 0, read / 400, CASE WHEN status = 'failed'
                               THEN 'source off_export: truncated gzip input' END
                    FROM (SELECT d, now() - make_interval(days => d, hours => 2) AS started,
                                 CASE WHEN d %% 23 = 5 THEN 'failed' WHEN d %% 41 = 7 THEN 'interrupted'
                                      ELSE 'completed' END AS status,
                                 CASE WHEN d %% 7 = 0 THEN ? ELSE ? / 20 + (d * 131) %% 5000 END AS read
                          FROM generate_series(? - 1, 0, -1) d) j""".replace("%%", "%"), products, products, days);
            run(connection, """
                    INSERT INTO errors (job_id, barcode, source, error_type, code, message, retryable, created_at)
                    SELECT id, lpad((id * 100000 + k)::text, 13, '0'),
                           CASE WHEN type IN ('invalid_barcode', 'malformed_line') THEN 'off_export'
                                ELSE (ARRAY['open_food_facts', 'upc_database', 'upcitemdb'])[1 + (k + id) %% 3] END,
                           type, NULL, 'generated for the report benchmark', type NOT IN ('invalid_barcode', 'malformed_line'),
                           started_at + make_interval(secs => k)
                    FROM (SELECT j.id, j.started_at, k,
                                 CASE WHEN k %% 20 < 7 THEN 'timeout' WHEN k %% 20 < 11 THEN 'rate_limit'
                                      WHEN k %% 20 < 14 THEN 'invalid_barcode' WHEN k %% 20 < 16 THEN 'server'
                                      WHEN k %% 20 < 18 THEN 'bad_response' WHEN k %% 20 < 19 THEN 'network'
                                      ELSE 'malformed_line' END AS type
                          FROM jobs j CROSS JOIN LATERAL generate_series(1, CASE WHEN j.status = 'failed' THEN 1500
                                                                                 ELSE 80 + (j.id * 7919) %% 300 END) k) e"""
                    .replace("%%", "%"));
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE");
            }
        }
    }

    private static void run(Connection connection, String sql, Object... parameters) throws Exception {
        long start = System.nanoTime();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            int rows = statement.executeUpdate();
            System.err.printf("%,d rows in %.1f s: %s%n", rows, (System.nanoTime() - start) / 1e9,
                    sql.strip().lines().findFirst().orElse(""));
        }
    }
}
