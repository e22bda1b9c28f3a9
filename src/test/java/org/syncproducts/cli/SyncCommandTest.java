package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.source.file.FileInput;
import org.syncproducts.store.SyncLock;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code sync} through the real command line against a real PostgreSQL. */
class SyncCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Nutella, a real EAN-13. */
    private static final String NUTELLA = "3017620422003";
    /** A UPC-A written as OFF writes it (13 digits with a leading zero). */
    private static final String UPC_AS_EAN13 = "0012345678905";

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    // ---------------------------------------------------------------- helpers

    /** A valid EAN-13 made from a number, distinct per number. */
    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    private static String canonical(String code) {
        return "0".repeat(14 - code.length()) + code;
    }

    /** A file of {@code count} plain products numbered 1..count, on lines 2..count+1. */
    private Path simpleFile(String fileName, int count) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i).brands("Brand " + i)
                    .categories("en:snacks").energyKcal(Integer.toString(100 + i)));
        }
        return fixture.write(dir.resolve(fileName));
    }

    private static JsonNode json(Cli.Result result) throws IOException {
        return JSON.readTree(result.out());
    }

    private long count(String sql) {
        return database.count(sql);
    }

    private Map<String, String> xmins() {
        return database.jdbi().withHandle(handle -> {
            Map<String, String> xmins = new LinkedHashMap<>();
            handle.createQuery("SELECT code, xmin::text AS xmin FROM products ORDER BY code")
                    .map((rs, ctx) -> Map.entry(rs.getString("code"), rs.getString("xmin")))
                    .forEach(entry -> xmins.put(entry.getKey(), entry.getValue()));
            return xmins;
        });
    }

    private Map<String, Object> productRow(String canonicalCode) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT code, display_code, check_digit_valid, name, brands, array_to_string(categories, '|') AS categories,
                               cardinality(categories) AS category_count, quantity, image_url, energy_kcal_100g,
                               fat_100g, sugars_100g, proteins_100g, salt_100g, nutriscore_grade, nova_group, source,
                               source_modified_at, verified, last_changed_at, extra::text AS extra
                        FROM products WHERE code = :code""")
                .bind("code", canonicalCode).mapToMap().one());
    }

    private Map<String, Object> jobRow(long jobId) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT id, status, strategy, dry_run, array_to_string(sources, '|') AS sources, config::text AS config,
                               started_at, ended_at, heartbeat_at, read_count, added_count, updated_count,
                               unchanged_count, skipped_count, failed_count, checkpoint ->> 'source' AS checkpoint_source,
                               checkpoint ->> 'fingerprint' AS checkpoint_fingerprint,
                               (checkpoint ->> 'position')::bigint AS checkpoint_position, resumed_from, message
                        FROM jobs WHERE id = :id""")
                .bind("id", jobId).mapToMap().one());
    }

    private record ErrorRow(String type, Long line, String barcode, String source, String message) {
    }

    private List<ErrorRow> errors(long jobId) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT error_type, line_number, barcode, source, message FROM errors
                        WHERE job_id = :id ORDER BY line_number, id""")
                .bind("id", jobId)
                .map((rs, ctx) -> new ErrorRow(rs.getString("error_type"),
                        rs.getObject("line_number") == null ? null : rs.getLong("line_number"),
                        rs.getString("barcode"), rs.getString("source"), rs.getString("message")))
                .list());
    }

    private void migrate() {
        Cli.Result result = cli.run("migrate");
        assertEquals(0, result.exitCode(), result.toString());
    }

    private static void assertCounts(JsonNode document, long read, long added, long updated, long unchanged,
                                     long skipped, long failed) {
        JsonNode counts = document.get("counts");
        assertEquals(List.of(read, added, updated, unchanged, skipped, failed),
                List.of(counts.get("read").asLong(), counts.get("added").asLong(), counts.get("updated").asLong(),
                        counts.get("unchanged").asLong(), counts.get("skipped").asLong(), counts.get("failed").asLong()),
                "read, added, updated, unchanged, skipped, failed in " + document);
    }

    // ---------------------------------------------------------------- loading

    @Test
    void fullSyncLoadsEveryRowWithCanonicalCodesCategoriesNutrientsAndSourceName() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(NUTELLA).name("Nutella").brands("Ferrero").quantity("400 g")
                .categories("en:spreads", "en:sweet-spreads", "en:hazelnut-spreads")
                .imageUrl("https://images.openfoodfacts.org/images/products/301/762/042/2003/front_en.jpg")
                .energyKcal("539").fat("30.9").sugars("56.3").proteins("6.3").salt("0.107")
                .nutriscore("e").novaGroup("4").lastModified(1_700_000_000L));
        fixture.add(OffCsvFixture.product(UPC_AS_EAN13).name("A UPC-A product").categories("en:beverages"));
        fixture.add(OffCsvFixture.product("96385074").name("An EAN-8 product"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertEquals("completed", document.get("status").asText());
        assertCounts(document, 3, 3, 0, 0, 0, 0);
        assertEquals(3, count("SELECT count(*) FROM products"));

        Map<String, Object> nutella = productRow("03017620422003");
        assertEquals(NUTELLA, nutella.get("display_code"));
        assertEquals(true, nutella.get("check_digit_valid"));
        assertEquals("Nutella", nutella.get("name"));
        assertEquals("Ferrero", nutella.get("brands"));
        assertEquals("400 g", nutella.get("quantity"));
        assertEquals("en:spreads|en:sweet-spreads|en:hazelnut-spreads", nutella.get("categories"));
        assertEquals(3, ((Number) nutella.get("category_count")).intValue());
        assertEquals(0, new BigDecimal("539").compareTo((BigDecimal) nutella.get("energy_kcal_100g")));
        assertEquals(0, new BigDecimal("30.9").compareTo((BigDecimal) nutella.get("fat_100g")));
        assertEquals(0, new BigDecimal("56.3").compareTo((BigDecimal) nutella.get("sugars_100g")));
        assertEquals(0, new BigDecimal("6.3").compareTo((BigDecimal) nutella.get("proteins_100g")));
        assertEquals(0, new BigDecimal("0.107").compareTo((BigDecimal) nutella.get("salt_100g")));
        assertEquals("e", nutella.get("nutriscore_grade"));
        assertEquals(4, ((Number) nutella.get("nova_group")).intValue());
        assertEquals("products.csv", nutella.get("source"), "the source is named after the file");
        assertNotNull(nutella.get("image_url"));
        assertEquals(1_700_000_000L, database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT source_modified_at FROM products WHERE code = '03017620422003'")
                .mapTo(OffsetDateTime.class).one()).toEpochSecond());
        assertEquals(false, nutella.get("verified"));

        Map<String, Object> upc = productRow("00012345678905");
        assertEquals("en:beverages", upc.get("categories"));
        assertNull(upc.get("energy_kcal_100g"));
        Map<String, Object> ean8 = productRow("00000096385074");
        assertEquals("96385074", ean8.get("display_code"));
        assertEquals(0, ((Number) ean8.get("category_count")).intValue(), "no categories is an empty array");
    }

    @Test
    void syncWithoutACommandNameAndAGzipFileLoadsIt() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Gzipped"));
        Path file = fixture.writeGzip(dir.resolve("export.csv.gz"));

        Cli.Result result = cli.run("--full", "--from", file.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("Gzipped", productRow(canonical(code(1))).get("name"));
        assertEquals("export.csv", productRow(canonical(code(1))).get("source"), ".gz is left out of the source name");
    }

    @Test
    void offJsonlFileSyncs() throws IOException {
        Path file = dir.resolve("dump.jsonl");
        Files.writeString(file, """
                {"code": "%s", "product_name": "From JSONL", "brands": "B", "categories_tags": ["en:dairies", "en:milks"]}
                {"code": "%s", "product_name": "Second"}
                """.formatted(code(1), code(2)), StandardCharsets.UTF_8);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 2, 2, 0, 0, 0, 0);
        assertEquals("From JSONL", productRow(canonical(code(1))).get("name"));
        assertEquals("en:dairies|en:milks", productRow(canonical(code(1))).get("categories"));
    }

    @Test
    void jobRowRecordsStatusCountsHeartbeatAndCheckpoint() throws IOException {
        Path file = simpleFile("products.csv", 5);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--batch-size", "2", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        long jobId = json(result).get("job_id").asLong();
        Map<String, Object> job = jobRow(jobId);
        assertEquals("completed", job.get("status"));
        assertEquals("full", job.get("strategy"));
        assertEquals(false, job.get("dry_run"));
        assertEquals("products.csv", job.get("sources"));
        assertEquals(5L, job.get("read_count"));
        assertEquals(5L, job.get("added_count"));
        assertEquals(0L, job.get("failed_count"));
        assertNotNull(job.get("ended_at"));
        assertNotNull(job.get("heartbeat_at"));
        assertEquals("products.csv", job.get("checkpoint_source"));
        assertEquals(FileInput.fingerprint(file), job.get("checkpoint_fingerprint"));
        assertEquals(6L, job.get("checkpoint_position"), "the checkpoint is the last line committed");
        JsonNode config = JSON.readTree((String) job.get("config"));
        assertEquals("full", config.get("strategy").asText());
        assertEquals(2, config.get("batch_size").asInt());
    }

    // ---------------------------------------------------------------- strategies

    @Test
    void rerunningFullSyncOnAnUnchangedFileRewritesNoRow() throws IOException {
        Path file = simpleFile("products.csv", 6);
        assertEquals(0, cli.run("sync", "--from", file.toString(), "--full").exitCode());
        Map<String, String> before = xmins();
        assertEquals(6, before.size());

        Cli.Result again = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, again.exitCode(), again.toString());
        assertCounts(json(again), 6, 0, 0, 6, 0, 0);
        assertEquals(before, xmins(), "no row was rewritten (same xmin for every row)");
    }

    @Test
    void changingOneRowAndRerunningFullUpdatesExactlyThatRow() throws IOException {
        Path file = simpleFile("products.csv", 4);
        assertEquals(0, cli.run("sync", "--from", file.toString(), "--full").exitCode());
        Map<String, String> before = xmins();
        Map<String, Object> changedBefore = productRow(canonical(code(3)));
        Map<String, Object> otherBefore = productRow(canonical(code(2)));

        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 4; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name(i == 3 ? "Renamed product" : "Product " + i)
                    .brands("Brand " + i).categories("en:snacks").energyKcal(Integer.toString(100 + i)));
        }
        fixture.write(file);
        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 4, 0, 1, 3, 0, 0);
        Map<String, String> after = xmins();
        for (String code : before.keySet()) {
            if (code.equals(canonical(code(3)))) {
                assertNotEquals(before.get(code), after.get(code), "the changed row was rewritten");
            } else {
                assertEquals(before.get(code), after.get(code), "unchanged row " + code + " was not rewritten");
            }
        }
        Map<String, Object> changedAfter = productRow(canonical(code(3)));
        assertEquals("Renamed product", changedAfter.get("name"));
        assertTrue(((java.sql.Timestamp) changedAfter.get("last_changed_at"))
                        .after((java.sql.Timestamp) changedBefore.get("last_changed_at")),
                "last_changed_at of the changed row moved");
        assertEquals(otherBefore.get("last_changed_at"), productRow(canonical(code(2))).get("last_changed_at"));
    }

    @Test
    void incrementalSyncAddsNewProductsButLeavesExistingOnesAlone() throws IOException {
        Path file = simpleFile("products.csv", 3);
        assertEquals(0, cli.run("sync", "--from", file.toString()).exitCode());
        Map<String, String> before = xmins();

        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Changed name that incremental ignores"));
        fixture.add(OffCsvFixture.product(code(2)).name("Product 2").brands("Brand 2").categories("en:snacks")
                .energyKcal("102"));
        fixture.add(OffCsvFixture.product(code(3)).name("Product 3").brands("Brand 3").categories("en:snacks")
                .energyKcal("103"));
        fixture.add(OffCsvFixture.product(code(4)).name("New product"));
        fixture.write(file);
        Cli.Result result = cli.run("sync", "--from", file.toString(), "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertCounts(document, 4, 1, 0, 0, 3, 0);
        assertEquals("Product 1", productRow(canonical(code(1))).get("name"), "an existing product is left alone");
        assertEquals("New product", productRow(canonical(code(4))).get("name"));
        Map<String, String> after = xmins();
        before.forEach((code, xmin) -> assertEquals(xmin, after.get(code), "existing row " + code + " untouched"));
        assertEquals("incremental", jobRow(document.get("job_id").asLong()).get("strategy"));
    }

    @Test
    void incrementalSyncOfAnExportAppliesRecordsNewerThanTheStoredProductOnly() throws IOException {
        OffCsvFixture first = OffCsvFixture.create();
        for (int i = 1; i <= 4; i++) {
            first.add(OffCsvFixture.product(code(i)).name("Product " + i).lastModified(1_700_000_000L));
        }
        Path file = first.write(dir.resolve("export.csv"));
        assertEquals(0, cli.run("sync", "--from", file.toString()).exitCode());
        Map<String, String> before = xmins();

        OffCsvFixture next = OffCsvFixture.create();
        next.add(OffCsvFixture.product(code(1)).name("Changed later").lastModified(1_700_000_500L));
        next.add(OffCsvFixture.product(code(2)).name("Changed, same time").lastModified(1_700_000_000L));
        next.add(OffCsvFixture.product(code(3)).name("Changed, older time").lastModified(1_699_999_000L));
        next.add(OffCsvFixture.product(code(4)).name("Product 4").lastModified(1_700_000_000L));
        next.add(OffCsvFixture.product(code(5)).name("New product").lastModified(1_700_000_000L));
        next.write(file);
        Cli.Result result = cli.run("sync", "--from", file.toString(), "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 5, 1, 1, 0, 3, 0);
        assertEquals("Changed later", productRow(canonical(code(1))).get("name"));
        assertEquals("Product 2", productRow(canonical(code(2))).get("name"), "not newer: left alone");
        assertEquals("Product 3", productRow(canonical(code(3))).get("name"), "older: left alone");
        Map<String, String> after = xmins();
        assertNotEquals(before.get(canonical(code(1))), after.get(canonical(code(1))));
        for (int i = 2; i <= 4; i++) {
            assertEquals(before.get(canonical(code(i))), after.get(canonical(code(i))), "row " + i + " untouched");
        }
    }

    @Test
    void verifiedFlagSetByPeopleSurvivesAFullSyncThatUpdatesTheRow() {
        Path file = simpleFile("products.csv", 2);
        assertEquals(0, cli.run("sync", "--from", file.toString(), "--full").exitCode());
        database.jdbi().useHandle(handle -> handle.execute("UPDATE products SET verified = true WHERE code = ?",
                canonical(code(1))));

        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Updated by the source"));
        fixture.add(OffCsvFixture.product(code(2)).name("Also updated"));
        fixture.write(file);
        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full");

        assertEquals(0, result.exitCode(), result.toString());
        Map<String, Object> row = productRow(canonical(code(1)));
        assertEquals("Updated by the source", row.get("name"), "the row was updated");
        assertEquals(true, row.get("verified"), "verified is never cleared by a sync");
        assertEquals(false, productRow(canonical(code(2))).get("verified"));
    }

    // ---------------------------------------------------------------- scope

    @Test
    void upcsLimitTheSyncToThoseCodesWhateverTheirForm() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(UPC_AS_EAN13).name("UPC product"));
        fixture.add(OffCsvFixture.product(NUTELLA).name("Nutella"));
        fixture.add(OffCsvFixture.product(code(1)).name("Other 1"));
        fixture.add(OffCsvFixture.product(code(2)).name("Other 2"));
        Path file = fixture.write(dir.resolve("products.csv"));

        // The 12-digit UPC-A form selects the product the file lists in its 13-digit form.
        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--upcs", "012345678905," + NUTELLA,
                "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 4, 2, 0, 0, 2, 0);
        assertEquals(Set.of("00012345678905", "03017620422003"), xmins().keySet());
    }

    @Test
    void upcsFileLimitsTheSyncToTheCodesInIt() throws IOException {
        Path file = simpleFile("products.csv", 5);
        Path upcs = dir.resolve("upcs.csv");
        Files.writeString(upcs, "upc,note\n" + code(2) + ",wanted\n\n" + code(5) + ",also wanted\n");

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--upcs-file", upcs.toString(), "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 5, 2, 0, 0, 3, 0);
        assertEquals(Set.of(canonical(code(2)), canonical(code(5))), xmins().keySet());
    }

    @Test
    void upcsFileWithAnInvalidCodeIsRefusedBeforeAnyWrite() throws IOException {
        Path file = simpleFile("products.csv", 2);
        migrate();
        Path upcs = dir.resolve("upcs.txt");
        Files.writeString(upcs, code(1) + "\nnot-a-code\n", StandardCharsets.UTF_8);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--upcs-file", upcs.toString());

        assertEquals(65, result.exitCode(), result.toString());
        assertTrue(result.err().contains("line 2"), result.err());
        assertEquals(0, count("SELECT count(*) FROM products"));
    }

    @Test
    void categoriesLimitTheSyncToProductsInThem() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Milk").categories("en:dairies", "en:milks"));
        fixture.add(OffCsvFixture.product(code(2)).name("Cheese").categories("en:dairies", "en:cheeses"));
        fixture.add(OffCsvFixture.product(code(3)).name("Juice").categories("en:beverages", "en:juices"));
        fixture.add(OffCsvFixture.product(code(4)).name("No category"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--categories", "milks,en:juices",
                "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 4, 2, 0, 0, 2, 0);
        assertEquals(Set.of(canonical(code(1)), canonical(code(3))), xmins().keySet());
    }

    @Test
    void limitStopsAfterThatManyProducts() throws IOException {
        Path file = simpleFile("products.csv", 6);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--limit", "2", "--batch-size", "1",
                "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, json(result).get("counts").get("added").asLong());
        assertEquals(Set.of(canonical(code(1)), canonical(code(2))), xmins().keySet(), "the first two products");
    }

    @Test
    void targetsOnlySyncsOnlyCodesOnTheTargetList() throws IOException {
        Path file = simpleFile("products.csv", 5);
        Path targets = dir.resolve("apl.csv");
        Files.writeString(targets, "upc,category\n" + code(1) + ",snacks\n" + code(4) + ",snacks\n"
                + code(99) + ",not in the file\n");
        assertEquals(0, cli.run("targets", "import", targets.toString()).exitCode());

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--targets-only", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 5, 2, 0, 0, 3, 0);
        assertEquals(Set.of(canonical(code(1)), canonical(code(4))), xmins().keySet());
    }

    @Test
    void dryRunWritesNoProductsAndReportsWhatWouldChange() throws IOException {
        Path file = simpleFile("products.csv", 3);

        Cli.Result first = cli.run("sync", "--from", file.toString(), "--full", "--dry-run", "--json");

        assertEquals(0, first.exitCode(), first.toString());
        JsonNode document = json(first);
        assertTrue(document.get("dry_run").asBoolean());
        assertCounts(document, 3, 3, 0, 0, 0, 0);
        assertEquals(0, count("SELECT count(*) FROM products"), "a dry run writes no product");
        assertEquals(true, jobRow(document.get("job_id").asLong()).get("dry_run"));

        assertEquals(0, cli.run("sync", "--from", file.toString(), "--full").exitCode());
        Map<String, String> before = xmins();
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Would change"));
        fixture.add(OffCsvFixture.product(code(2)).name("Product 2").brands("Brand 2").categories("en:snacks")
                .energyKcal("102"));
        fixture.add(OffCsvFixture.product(code(7)).name("Would be added"));
        fixture.write(file);

        Cli.Result second = cli.run("sync", "--from", file.toString(), "--full", "--dry-run", "--json");

        assertEquals(0, second.exitCode(), second.toString());
        assertCounts(json(second), 3, 1, 1, 1, 0, 0);
        assertEquals(before, xmins(), "nothing was written");
        assertEquals("Product 1", productRow(canonical(code(1))).get("name"));
    }

    // ---------------------------------------------------------------- duplicates

    @Test
    void duplicateCodesInOneBatchLeaveOneRowAndTheLastWins() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("First version"));
        fixture.add(OffCsvFixture.product(code(2)).name("Other"));
        fixture.add(OffCsvFixture.product(canonical(code(1))).name("Last version, 14-digit form"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, count("SELECT count(*) FROM products"));
        assertEquals("Last version, 14-digit form", productRow(canonical(code(1))).get("name"));
        assertCounts(json(result), 3, 2, 0, 0, 1, 0);
    }

    @Test
    void duplicateCodesInDifferentBatchesOfAFullSyncLeaveOneRowAndTheLastWins() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("First version"));
        fixture.add(OffCsvFixture.product(code(2)).name("Other"));
        fixture.add(OffCsvFixture.product(code(1)).name("Last version"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--batch-size", "1");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, count("SELECT count(*) FROM products"));
        assertEquals("Last version", productRow(canonical(code(1))).get("name"));
    }

    @Test
    void duplicateCodesInDifferentBatchesOfAnIncrementalSyncLeaveOneRowAndTheLastWins() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("First version"));
        fixture.add(OffCsvFixture.product(code(2)).name("Other"));
        fixture.add(OffCsvFixture.product(code(1)).name("Last version"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--batch-size", "1");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, count("SELECT count(*) FROM products"));
        assertEquals("Last version", productRow(canonical(code(1))).get("name"),
                "the same file gives the same rows whatever the batch size");
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badLinesBecomeErrorRowsWithTypeAndLineWhileGoodRowsLoad() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        long good1 = fixture.add(OffCsvFixture.product(code(1)).name("Good one"));
        long malformed = fixture.raw(code(2) + "\tonly three\tfields");
        long letters = fixture.add(OffCsvFixture.product("30176204AB003").name("Letters in the code"));
        long allZeros = fixture.add(OffCsvFixture.product("0000000").name("All zeros"));
        long invalidUtf8 = fixture.productWithBytes(OffCsvFixture.product(code(3)).name("MARK"), "MARK",
                new byte[] {'b', 'a', 'd', (byte) 0xC3, (byte) 0x28});
        long nul = fixture.productWithBytes(OffCsvFixture.product(code(4)).name("MARK"), "MARK",
                new byte[] {'n', 'u', 0, 'l'});
        long overlongField = fixture.add(OffCsvFixture.product(code(5)).name("x".repeat(2_001)));
        long overlongLine = fixture.add(OffCsvFixture.product(code(6)).set("ingredients_text", "y".repeat(9 << 20)));
        long good2 = fixture.add(OffCsvFixture.product(code(7)).name("Good two"));
        Path file = fixture.write(dir.resolve("bad.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--failure-tolerance", "10", "--json");

        assertEquals(0, result.exitCode(), "within tolerance: " + result);
        JsonNode document = json(result);
        assertEquals("completed", document.get("status").asText());
        assertCounts(document, 9, 2, 0, 0, 0, 7);
        assertEquals(Set.of(canonical(code(1)), canonical(code(7))), xmins().keySet(), "only the good rows loaded");
        assertEquals("Good one", productRow(canonical(code(1))).get("name"));

        List<ErrorRow> errors = errors(document.get("job_id").asLong());
        Map<Long, String> typeByLine = new LinkedHashMap<>();
        errors.forEach(error -> typeByLine.put(error.line(), error.type()));
        Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(malformed, "malformed_line");
        expected.put(letters, "invalid_barcode");
        expected.put(allZeros, "invalid_barcode");
        expected.put(invalidUtf8, "invalid_encoding");
        expected.put(nul, "nul_byte");
        expected.put(overlongField, "field_too_long");
        expected.put(overlongLine, "line_too_long");
        assertEquals(expected, typeByLine);
        assertEquals(7, errors.size());
        errors.forEach(error -> {
            assertEquals("bad.csv", error.source());
            assertFalse(error.message().isBlank());
        });
        assertEquals("30176204AB003", errors.stream().filter(error -> error.line() == letters).findFirst()
                .orElseThrow().barcode());
        assertEquals(7, document.get("errors_by_type").properties().stream()
                .mapToLong(entry -> entry.getValue().asLong()).sum());
        assertEquals(2, document.get("errors_by_type").get("invalid_barcode").asLong());
        assertFalse(typeByLine.containsKey(good1) || typeByLine.containsKey(good2), "good lines have no error");
    }

    @Test
    void badLinesAreListedInTheTextReport() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Good"));
        long bad = fixture.add(OffCsvFixture.product("ABC").name("Bad"));
        Path file = fixture.write(dir.resolve("bad.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--failure-tolerance", "1");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("completed"), result.out());
        assertTrue(result.out().contains("invalid_barcode 1"), result.out());
        assertTrue(result.out().contains("line " + bad + ": invalid_barcode"), result.out());
    }

    @Test
    void truncatedGzipIsOneErrorRowAfterTheLastCompleteLineAndEarlierRowsLoad() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 400; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product number " + i + " " + Integer.toHexString(i * 7919))
                    .brands("Brand " + (i * 31 % 97)).energyKcal(Integer.toString(i * 13 % 900)));
        }
        Path file = fixture.writeTruncatedGzip(dir.resolve("cut.csv.gz"), fixture.gzipSize() / 2);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--failure-tolerance", "1", "--json");

        assertEquals(1, result.exitCode(), "a partial load is not a success: " + result);
        JsonNode document = json(result);
        assertEquals("failed", document.get("status").asText());
        long loaded = count("SELECT count(*) FROM products");
        assertTrue(loaded > 0 && loaded < 400, "some rows before the cut loaded: " + loaded);
        List<ErrorRow> errors = errors(document.get("job_id").asLong());
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("truncated_input", errors.get(0).type());
        assertEquals(loaded + 2, errors.get(0).line(), "the line after the last complete one (header is line 1)");
        assertEquals(1, document.get("counts").get("failed").asLong());
        assertEquals(loaded, count("SELECT count(*) FROM products WHERE code <= '" + canonical(code((int) loaded)) + "'"),
                "the loaded rows are the first ones of the file");
    }

    @Test
    void failuresOverTheToleranceExitOneAndMarkTheJobFailed() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Good"));
        fixture.add(OffCsvFixture.product("not a code").name("Bad"));
        fixture.add(OffCsvFixture.product(code(2)).name("Good too"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--failure-tolerance", "0", "--json");

        assertEquals(1, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertEquals("failed", document.get("status").asText());
        assertEquals(1, document.get("exit_code").asInt());
        assertEquals("failed", jobRow(document.get("job_id").asLong()).get("status"));
        assertEquals(2, count("SELECT count(*) FROM products"), "good rows are kept");
        assertEquals(1, count("SELECT count(*) FROM errors"));
    }

    @Test
    void defaultToleranceIsOnePercentOfRecordsRead() {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 50; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i));
        }
        fixture.add(OffCsvFixture.product("bad").name("Bad"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result overOnePercent = cli.run("sync", "--from", file.toString(), "--full");
        assertEquals(1, overOnePercent.exitCode(), "1 of 51 is over 1%: " + overOnePercent);

        for (int i = 51; i <= 150; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i));
        }
        fixture.write(file);
        Cli.Result underOnePercent = cli.run("sync", "--from", file.toString(), "--full");
        assertEquals(0, underOnePercent.exitCode(), "1 of 151 is under 1%: " + underOnePercent);
    }

    @Test
    void toleranceFromTheConfigFileApplies() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("Good"));
        fixture.add(OffCsvFixture.product("bad").name("Bad"));
        Path file = fixture.write(dir.resolve("products.csv"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "sync:\n  failure_tolerance: 5\n");

        Cli.Result result = cli.run("--config", config.toString(), "sync", "--from", file.toString(), "--full");
        assertEquals(0, result.exitCode(), "1 failure is within a tolerance of 5: " + result);

        Cli.Result flagWins = cli.run("--config", config.toString(), "sync", "--from", file.toString(), "--full",
                "--failure-tolerance", "0");
        assertEquals(1, flagWins.exitCode(), "the flag overrides the file: " + flagWins);
    }

    @Test
    void fileMissingColumnsOfTheDeclaredFormatIsRefusedWithExit65BeforeAnyWrite() {
        OffCsvFixture fixture = OffCsvFixture.withoutColumns("product_name", "brands");
        fixture.add(OffCsvFixture.product(code(1)).categories("en:snacks"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--format", "off-csv", "--full");

        assertEquals(65, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line on stderr: " + result.err());
        assertTrue(result.err().contains("product_name") && result.err().contains("brands"), result.err());
        assertEquals(0, count("SELECT count(*) FROM products"));
    }

    @Test
    void detectedOffExportMissingAMappedColumnIsRefusedWithExit65() {
        OffCsvFixture fixture = OffCsvFixture.withoutColumns("categories_tags");
        fixture.add(OffCsvFixture.product(code(1)).name("Would load"));
        Path file = fixture.write(dir.resolve("products.csv"));

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full");

        assertEquals(65, result.exitCode(), result.toString());
        assertTrue(result.err().contains("categories_tags"), result.err());
        assertEquals(0, count("SELECT count(*) FROM products"));
    }

    // ---------------------------------------------------------------- config

    @Test
    void csvSourceFromTheConfigFileIsReadThroughItsMapping() throws IOException {
        Path feed = dir.resolve("feed.csv");
        Files.writeString(feed, """
                UPC;Description;Maker;Group;Kcal;Ignored
                %s;Hazelnut spread;Ferrero;"en:spreads,en:sweet";539;x
                012345678905;Lemonade;Simply;en:beverages;41;y
                """.formatted(NUTELLA), StandardCharsets.UTF_8);
        Path config = dir.resolve("sync-products.yaml");
        Files.writeString(config, """
                sources:
                  store_feed:
                    type: csv
                    path: feed.csv
                    delimiter: ";"
                    mapping:
                      code: UPC
                      name: Description
                      brands: Maker
                      categories: Group
                      energy_kcal_100g: Kcal
                """, StandardCharsets.UTF_8);

        Cli.Result result = cli.run("--config", config.toString(), "sync", "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertCounts(json(result), 2, 2, 0, 0, 0, 0);
        Map<String, Object> row = productRow("03017620422003");
        assertEquals("Hazelnut spread", row.get("name"));
        assertEquals("Ferrero", row.get("brands"));
        assertEquals("en:spreads|en:sweet", row.get("categories"));
        assertEquals(0, new BigDecimal("539").compareTo((BigDecimal) row.get("energy_kcal_100g")));
        assertEquals("store_feed", row.get("source"), "products carry the configured source name");
        assertEquals("012345678905", productRow("00012345678905").get("display_code"));
    }

    @Test
    void configFileFromTheEnvironmentIsUsed() throws IOException {
        Path feed = dir.resolve("feed.csv");
        Files.writeString(feed, "ean,title\n" + code(1) + ",From env config\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("env.yaml");
        Files.writeString(config, """
                sources:
                  env_feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: ean, name: title}
                """, StandardCharsets.UTF_8);

        Cli.Result result = cli.withEnv("SYNC_PRODUCTS_CONFIG", config.toString()).run("--full");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("env_feed", productRow(canonical(code(1))).get("source"));
    }

    @Test
    void csvFileLackingAMappedColumnIsRefusedWithExit65() throws IOException {
        Files.writeString(dir.resolve("feed.csv"), "UPC,Description\n" + code(1) + ",x\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("sync-products.yaml");
        Files.writeString(config, """
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: UPC, name: Description, brands: Brand}
                """, StandardCharsets.UTF_8);

        Cli.Result result = cli.run("--config", config.toString(), "sync", "--full");

        assertEquals(65, result.exitCode(), result.toString());
        assertTrue(result.err().contains("Brand"), result.err());
        assertEquals(0, count("SELECT count(*) FROM products"));
    }

    @Test
    void mappingToAnUnknownProductFieldIsAConfigurationError() throws IOException {
        Files.writeString(dir.resolve("feed.csv"), "UPC,Colour\n" + code(1) + ",red\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("sync-products.yaml");
        Files.writeString(config, """
                sources:
                  feed:
                    type: csv
                    path: feed.csv
                    mapping: {code: UPC, colour: Colour}
                """, StandardCharsets.UTF_8);

        Cli.Result result = cli.run("--config", config.toString(), "sync", "--full");

        assertEquals(78, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("colour"), result.err());
    }

    @Test
    void noSourcesAndNoFromIsAConfigurationError() {
        Cli.Result result = cli.run("sync", "--full");

        assertEquals(78, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("--from"), "says what to do: " + result.err());
    }

    @Test
    void missingSourceFileIsAConfigurationError() {
        Cli.Result result = cli.run("sync", "--from", dir.resolve("nowhere.csv").toString(), "--format", "off-csv");

        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("nowhere.csv"), result.err());
    }

    // ---------------------------------------------------------------- jobs: lock, interruption, resume

    @Test
    void secondSyncWhileAnotherHoldsTheLockExits75AndCreatesNoJob() {
        Path file = simpleFile("products.csv", 2);
        migrate();
        try (Handle holder = database.jdbi().open()) {
            holder.createQuery("SELECT 1 FROM (SELECT pg_advisory_lock(:key)) AS locked").bind("key", SyncLock.KEY)
                    .mapTo(Integer.class).one();

            Cli.Result result = cli.run("sync", "--from", file.toString(), "--full");

            assertEquals(75, result.exitCode(), result.toString());
            assertEquals(1, result.err().strip().lines().count(), result.err());
            assertTrue(result.err().contains("another sync"), result.err());
            assertEquals(0, count("SELECT count(*) FROM jobs"), "no job row is created");
            assertEquals(0, count("SELECT count(*) FROM products"));
        }
        Cli.Result afterRelease = cli.run("sync", "--from", file.toString(), "--full");
        assertEquals(0, afterRelease.exitCode(), "the lock is free again once its holder closed: " + afterRelease);
    }

    @Test
    void jobLeftRunningByADeadProcessIsMarkedInterruptedByTheNextSync() throws IOException {
        Path file = simpleFile("products.csv", 2);
        migrate();
        long stale = database.jdbi().withHandle(handle -> handle.createQuery("""
                        INSERT INTO jobs (status, strategy, started_at, heartbeat_at, host, pid)
                        VALUES ('running', 'full', now() - interval '2 hours', now() - interval '1 hour', 'gone', 999999)
                        RETURNING id""").mapTo(Long.class).one());

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertEquals(List.of(stale), JSON.convertValue(document.get("interrupted_jobs"),
                JSON.getTypeFactory().constructCollectionType(List.class, Long.class)));
        Map<String, Object> job = jobRow(stale);
        assertEquals("interrupted", job.get("status"));
        assertNotNull(job.get("ended_at"));
        assertEquals(job.get("heartbeat_at"), job.get("ended_at"), "it ended when it last showed life");
        assertEquals("completed", jobRow(document.get("job_id").asLong()).get("status"));
        assertTrue(document.get("resumed_from_job").isNull(), "nothing to resume without a checkpoint");
    }

    @Test
    void rerunAfterACrashResumesAfterTheCheckpointOfTheInterruptedJob() throws IOException {
        Path file = simpleFile("products.csv", 5);
        migrate();
        String checkpoint = JSON.writeValueAsString(Map.of("source", "products.csv",
                "fingerprint", FileInput.fingerprint(file), "position", 4));
        long crashed = database.jdbi().withHandle(handle -> handle.createQuery("""
                        INSERT INTO jobs (status, strategy, sources, started_at, heartbeat_at, host, pid, checkpoint,
                                          read_count, added_count)
                        VALUES ('running', 'full', '{products.csv}', now() - interval '2 hours', now() - interval '1 hour',
                                'gone', 999999, cast(:checkpoint AS jsonb), 3, 3)
                        RETURNING id""").bind("checkpoint", checkpoint).mapTo(Long.class).one());

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertEquals(crashed, document.get("resumed_from_job").asLong());
        Map<String, Object> job = jobRow(document.get("job_id").asLong());
        assertEquals(crashed, job.get("resumed_from"));
        assertEquals("interrupted", jobRow(crashed).get("status"));
        // Lines 2..4 (products 1..3) were committed by the crashed job; only lines 5 and 6 are read now.
        assertCounts(document, 2, 2, 0, 0, 0, 0);
        assertEquals(Set.of(canonical(code(4)), canonical(code(5))), xmins().keySet());
    }

    @Test
    void noResumeStartsFreshInsteadOfContinuingAnOldCheckpoint() throws IOException {
        Path file = simpleFile("products.csv", 5);
        migrate();
        String checkpoint = JSON.writeValueAsString(Map.of("source", "products.csv",
                "fingerprint", FileInput.fingerprint(file), "position", 4));
        database.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO jobs (status, strategy, sources, checkpoint, ended_at)
                        VALUES ('cancelled', 'full', '{products.csv}', cast(:checkpoint AS jsonb), now())""")
                .bind("checkpoint", checkpoint).execute());

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--no-resume", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertTrue(document.get("resumed_from_job").isNull(), document.toString());
        assertCounts(document, 5, 5, 0, 0, 0, 0);
    }

    @Test
    void checkpointOfADifferentInputIsNotResumed() throws IOException {
        Path file = simpleFile("products.csv", 3);
        migrate();
        String checkpoint = JSON.writeValueAsString(Map.of("source", "products.csv",
                "fingerprint", FileInput.fingerprint(file) + "-an-older-file", "position", 3));
        database.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO jobs (status, strategy, sources, checkpoint, ended_at)
                        VALUES ('interrupted', 'full', '{products.csv}', cast(:checkpoint AS jsonb), now())""")
                .bind("checkpoint", checkpoint).execute());

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        assertTrue(document.get("resumed_from_job").isNull(), document.toString());
        assertCounts(document, 3, 3, 0, 0, 0, 0);
    }

    // ---------------------------------------------------------------- output

    @Test
    void jsonOutputIsOneDocumentWithTheDocumentedKeys() throws IOException {
        Path file = simpleFile("products.csv", 2);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode document = json(result);
        List<String> keys = new ArrayList<>();
        document.fieldNames().forEachRemaining(keys::add);
        assertEquals(new HashSet<>(List.of("job_id", "status", "dry_run", "exit_code", "counts", "duration_ms",
                "records_per_second", "errors_by_type", "resumed_from_job", "interrupted_jobs", "message")),
                new HashSet<>(keys));
        List<String> countKeys = new ArrayList<>();
        document.get("counts").fieldNames().forEachRemaining(countKeys::add);
        assertEquals(Set.of("read", "added", "updated", "unchanged", "skipped", "failed"), new HashSet<>(countKeys));
        assertTrue(document.get("job_id").isIntegralNumber());
        assertEquals(0, document.get("exit_code").asInt());
        assertFalse(document.get("dry_run").asBoolean());
        assertTrue(document.get("errors_by_type").isObject());
        assertTrue(document.get("interrupted_jobs").isArray());
        assertTrue(document.get("duration_ms").isIntegralNumber());
        assertTrue(document.get("message").asText().contains("2 added"), document.toString());
    }

    @Test
    void textOutputSaysWhatTheJobDid() {
        Path file = simpleFile("products.csv", 3);

        Cli.Result result = cli.run("sync", "--from", file.toString(), "--full");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().matches("(?s)job #\\d+ completed in .*3 read, 3 added, 0 updated.*"), result.out());
        assertEquals("", result.err(), "results go to stdout, and logs are not on the command's stderr");
    }
}
