package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code report --html}: the page's figures against the database, escaping, where it is written. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Six products, four with an image; eight targets in three categories, three of them missing. */
    private Cli syncedWithTargets(TestDatabase database, String oddCategory) throws Exception {
        Cli cli = Cli.against(database);
        OffCsvFixture fixture = OffCsvFixture.create();
        StringBuilder targets = new StringBuilder("code,category\n");
        for (int i = 1; i <= 8; i++) {
            String code = OffCsvFixture.withCheckDigit("90000000000" + i);
            if (i <= 5) {
                fixture.add(OffCsvFixture.product(code).name("Product " + i)
                        .imageUrl(i <= 4 ? "https://img.example/" + i + ".jpg" : "").energyKcal(i <= 3 ? "100" : ""));
            }
            String category = i <= 3 ? "Milk" : i <= 6 ? "Cheese" : oddCategory;
            targets.append(code).append(',').append(category).append('\n');
        }
        fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit("800000000001")).name("Not a target"));
        assertEquals(0, cli.run("sync", "--from", fixture.write(dir.resolve("feed.csv")).toString()).exitCode());
        Path targetFile = Files.writeString(dir.resolve("targets.csv"), targets.toString(), StandardCharsets.UTF_8);
        assertEquals(0, cli.run("targets", "import", targetFile.toString()).exitCode());
        cli.run("monitor");
        cli.run("monitor");
        return cli;
    }

    @Test
    void aTargetWhoseProductIsSoftDeletedIsMissing() throws Exception {
        TestDatabase database = TestDatabase.create();
        Cli cli = syncedWithTargets(database, "Juice");
        String milk = OffCsvFixture.withCheckDigit("900000000001");
        database.jdbi().useHandle(handle -> handle.execute(
                "UPDATE products SET deleted_at = now() WHERE code = ?", "0" + milk));
        Path file = dir.resolve("deleted.html");

        Cli.Result result = cli.run("report", "--html", file.toString());

        assertEquals(0, result.exitCode(), result.toString());
        String page = Files.readString(file);
        assertTrue(page.contains("<h3>Milk</h3><div><span class=\"count\">1 missing</span> of 3 targets</div>"), page);
        assertTrue(page.contains("sync-products sync --upcs " + milk), "command for the deleted one");
        assertTrue(page.contains("Target barcodes with no product: 4,"));
    }

    @Test
    void theFiguresOnThePageAreTheDatabaseFigures() throws Exception {
        TestDatabase database = TestDatabase.create();
        Cli cli = syncedWithTargets(database, "Juice");
        database.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO errors (job_id, barcode, source, error_type, message)
                SELECT id, '123', 'off_sample', 'timeout', 'slow' FROM jobs CROSS JOIN generate_series(1, 3)"""));
        Path file = dir.resolve("site/report.html");

        Cli.Result result = cli.run("report", "--html", file.toString());

        assertEquals(0, result.exitCode(), result.toString());
        String page = Files.readString(file);
        Map<String, Object> check = database.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT id, score, rating, coverage, freshness, quality FROM health_checks ORDER BY id DESC LIMIT 1""")
                .mapToMap().one());
        assertTrue(result.out().contains("health check #" + check.get("id")), result.out());
        assertTrue(page.contains("<text class=\"gauge-score\" x=\"70\" y=\"78\">" + one(check.get("score")) + "</text>"),
                "score of the newest check");
        assertTrue(page.contains("<div class=\"rating\">" + check.get("rating") + "</div>"));
        assertTrue(page.contains("<span class=\"value\">" + one(check.get("coverage")) + "%</span>"), "coverage");
        assertEquals("62.5", one(check.get("coverage")), "5 of 8 targets have a product");
        assertTrue(page.contains("<span class=\"value\">" + one(check.get("freshness")) + "</span>"), "freshness");
        assertTrue(page.contains("<span class=\"value\">" + one(check.get("quality")) + "</span>"), "quality");
        assertTrue(page.contains("5 of 8 targets have a product"), "targets present of all");

        long products = database.count("SELECT count(*) FROM products WHERE deleted_at IS NULL");
        double imagePercent = Math.round(database.count(
                "SELECT count(*) FROM products WHERE image_url IS NOT NULL") * 1000.0 / products) / 10.0;
        assertTrue(page.contains("<div class=\"figure\">" + products + "</div>"), "products tile");
        assertTrue(page.contains("<div class=\"figure\">" + imagePercent + "%</div>"), "image tile: " + imagePercent);

        List<Map<String, Object>> missing = database.jdbi().withHandle(handle -> handle.createQuery("""
                SELECT t.category, count(*) AS missing, string_agg(t.display_code, ',' ORDER BY t.code) AS codes,
                       (SELECT count(*) FROM targets all_t WHERE all_t.category = t.category) AS targets
                FROM targets t WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.code = t.code)
                GROUP BY t.category ORDER BY t.category""").mapToMap().list());
        assertEquals(2, missing.size(), "Cheese and Juice miss some: " + missing);
        for (Map<String, Object> category : missing) {
            assertTrue(page.contains("<h3>" + category.get("category") + "</h3><div><span class=\"count\">"
                    + category.get("missing") + " missing</span> of " + category.get("targets") + " targets</div>"),
                    "missing of " + category);
            assertTrue(page.contains("sync-products sync --upcs " + category.get("codes")), "command for " + category);
        }
        assertTrue(page.contains("Target barcodes with no product: 3,"));

        long jobs = database.count("SELECT count(*) FROM jobs");
        long read = database.count("SELECT read_count FROM jobs ORDER BY id DESC LIMIT 1");
        assertTrue(page.contains("<td>#" + database.count("SELECT max(id) FROM jobs") + "</td><td>completed</td>"));
        assertTrue(page.contains("<td>" + read + "</td>"), "records read by the job");
        assertTrue(page.contains("The last " + jobs + " jobs"));
        assertTrue(page.contains("Records that failed in this window: " + database.count("SELECT count(*) FROM errors")));
        assertTrue(page.contains("<rect class=\"bar c1\""), "the errors are drawn");
        assertTrue(page.contains("<title>timeout: 3</title>"), "bar tooltip with the count");

        assertFalse(page.contains("<h3>Milk</h3>"), "Milk has every target");
        assertTrue(page.contains("Cheese: 66.7% (2 of 3)"), "category chart title with its numbers");
        assertTrue(page.contains("target 95.0%") && page.contains("minimum 85.0%") && page.contains("critical 70.0%"),
                "thresholds drawn");
        int smallMultiples = countOf(page, "<figure><figcaption>");
        assertEquals(3, smallMultiples, "one small chart per target category");
        assertEquals(countOf(page, "<details class=\"data\">"), countOf(page, "<svg class=\"chart\"") - smallMultiples + 1,
                "a data table behind every chart (the small multiples share one)");
        assertEquals(2, countOf(page, "<h3>By type</h3>") + countOf(page, "<h3>By source</h3>"));
    }

    private static int countOf(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void markupFromOutsideIsEscaped() throws Exception {
        TestDatabase database = TestDatabase.create();
        Cli cli = syncedWithTargets(database, "<script>alert('category')</script>");
        database.jdbi().useHandle(handle -> {
            handle.execute("UPDATE jobs SET message = '<img src=x onerror=alert(1)>'");
            handle.execute("""
                    INSERT INTO errors (job_id, barcode, source, error_type, message)
                    SELECT id, '1', '"><svg onload=alert(2)>', '<b>type</b>', '<i>message</i>' FROM jobs""");
        });
        cli.run("monitor");
        Path file = dir.resolve("report.html");

        assertEquals(0, cli.run("report", "--html", file.toString()).exitCode());

        String page = Files.readString(file);
        assertFalse(page.toLowerCase(Locale.ROOT).contains("<script"), "no script element at all");
        assertFalse(page.contains("<img"), "job message escaped");
        assertFalse(page.contains("<svg onload"), "source escaped");
        assertFalse(page.contains("<b>type"), "error type escaped");
        assertTrue(page.contains("&lt;script&gt;alert(&#39;category&#39;)&lt;/script&gt;"), "category shown as text");
        assertTrue(page.contains("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"), "job message shown as text");
        assertTrue(page.contains("&quot;&gt;&lt;svg onload&#x3D;alert(2)&gt;"), "source shown as text");
    }

    @Test
    void withoutHistoryThePageSaysWhatToRun() throws Exception {
        Cli cli = Cli.against(TestDatabase.create());
        Path folder = dir.resolve("public");

        Cli.Result result = cli.run("--json", "report", "--out", folder.toString());

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = JSON.readTree(result.out());
        Path page = folder.resolve("index.html");
        assertEquals(page.toAbsolutePath().toString(), document.get("file").asText());
        assertEquals(Files.size(page), document.get("bytes").asLong());
        assertTrue(document.get("check_id").isNull());
        String html = Files.readString(page);
        assertTrue(html.contains("No health check is stored yet: run &#39;sync-products monitor&#39;"), html);
        assertTrue(html.contains("No sync has run yet"));
        assertTrue(html.contains("Every target barcode has a product."));
    }

    @Test
    void exactlyOneDestinationIsRequired() {
        Cli cli = Cli.against(TestDatabase.create());

        assertEquals(64, cli.run("report").exitCode());
        assertEquals(64, cli.run("report", "--html", dir.resolve("a.html").toString(), "--out", dir.toString()).exitCode());
        assertEquals(64, cli.run("report", "--out", dir.toString(), "--since", "soon").exitCode());
    }

    private static String one(Object number) {
        return String.format(Locale.ROOT, "%.1f", ((Number) number).doubleValue());
    }
}
