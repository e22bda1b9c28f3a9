package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code stats} through the real command line against a real PostgreSQL. */
class StatsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("400000%06d", number));
    }

    private Cli.Result run(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private JsonNode stats(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--json", "stats"));
        args.addAll(List.of(extra));
        return JSON.readTree(run(args.toArray(String[]::new)).out());
    }

    /**
     * Two sources: "shop.csv" with 4 products (2 with an image, 3 with nutrition) and "off.csv"
     * with 2 (none with either). Targets: snacks 1, 2 and 7 (7 has no product), dairy 5, and 9
     * with no category (no product).
     */
    private void loadCatalogue() throws IOException {
        OffCsvFixture shop = OffCsvFixture.create();
        shop.add(OffCsvFixture.product(code(1)).name("Crisps").categories("en:snacks", "en:salty-snacks")
                .imageUrl("https://example.org/1.jpg").energyKcal("530"));
        shop.add(OffCsvFixture.product(code(2)).name("Pretzels").categories("en:snacks", "en:salty-snacks")
                .imageUrl("https://example.org/2.jpg").salt("2.1"));
        shop.add(OffCsvFixture.product(code(3)).name("Cookies").categories("en:snacks", "en:sweet-snacks")
                .sugars("30"));
        shop.add(OffCsvFixture.product(code(4)).name("Unknown"));
        run("sync", "--from", shop.write(dir.resolve("shop.csv")).toString(), "--full");

        OffCsvFixture off = OffCsvFixture.create();
        off.add(OffCsvFixture.product(code(5)).name("Milk").categories("en:dairies", "en:milks"));
        off.add(OffCsvFixture.product(code(6)).name("Yogurt").categories("en:dairies"));
        run("sync", "--from", off.write(dir.resolve("off.csv")).toString(), "--full");

        Path apl = Files.writeString(dir.resolve("apl.csv"), "code,category\n" + code(1) + ",snacks\n" + code(2)
                + ",snacks\n" + code(7) + ",snacks\n" + code(5) + ",dairy\n" + code(9) + ",\n", StandardCharsets.UTF_8);
        run("targets", "import", apl.toString());
        database.jdbi().useHandle(handle -> handle.execute("UPDATE products SET verified = true WHERE code = ?",
                "0" + code(1)));
    }

    @Test
    void emptyDatabaseGivesZerosAndNoFailure() throws IOException {
        JsonNode document = stats();

        JsonNode products = document.get("products");
        assertEquals(List.of(0, 0, 0, 0), List.of(products.get("total").asInt(), products.get("with_image").asInt(),
                products.get("with_nutrition").asInt(), products.get("verified").asInt()));
        assertEquals(0, document.get("by_source").size());
        assertEquals(0, document.get("top_categories").size());
        assertEquals(0, document.get("coverage").get("targets").asInt());
        assertTrue(document.get("coverage").get("percent").isNull(), "no percentage of nothing");
        assertEquals(0, document.get("sync").get("total").asInt());
        assertTrue(document.get("sync").get("success_rate").isNull());
        assertTrue(document.get("sync").get("last_status").isNull());
        assertEquals(0, document.get("history").size());

        Cli.Result text = run("stats");
        assertTrue(text.out().contains("Target coverage: no targets"), text.out());
        assertTrue(text.out().contains("none yet"), text.out());
    }

    @Test
    void jsonHasTotalsBySourceAndTopCategories() throws IOException {
        loadCatalogue();

        JsonNode document = stats();

        JsonNode products = document.get("products");
        assertEquals(6, products.get("total").asInt());
        assertEquals(2, products.get("with_image").asInt());
        assertEquals(3, products.get("with_nutrition").asInt());
        assertEquals(1, products.get("verified").asInt());

        Map<String, Integer> bySource = new LinkedHashMap<>();
        document.get("by_source").forEach(row -> bySource.put(row.get("source").asText(), row.get("products").asInt()));
        assertEquals(List.of("shop.csv", "off.csv"), List.copyOf(bySource.keySet()), "largest source first");
        assertEquals(Map.of("shop.csv", 4, "off.csv", 2), bySource);

        JsonNode top = document.get("top_categories");
        assertEquals("en:snacks", top.get(0).get("category").asText());
        assertEquals(3, top.get(0).get("products").asInt());
        Map<String, Integer> categories = new LinkedHashMap<>();
        top.forEach(row -> categories.put(row.get("category").asText(), row.get("products").asInt()));
        assertEquals(Map.of("en:snacks", 3, "en:salty-snacks", 2, "en:dairies", 2, "en:sweet-snacks", 1, "en:milks", 1),
                categories);
    }

    @Test
    void softDeletedProductsAreNotCounted() throws IOException {
        loadCatalogue();
        database.jdbi().useHandle(handle -> handle.execute("UPDATE products SET deleted_at = now() WHERE code = ?",
                "0" + code(1)));

        JsonNode document = stats();

        assertEquals(5, document.get("products").get("total").asInt());
        assertEquals(1, document.get("products").get("with_image").asInt());
        assertEquals(0, document.get("products").get("verified").asInt());
        assertEquals(2, document.get("coverage").get("present").asInt(), "a deleted product does not cover its target");
    }

    @Test
    void topCategoriesAreAtMostTwenty() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        String[] many = IntStream.rangeClosed(1, 25).mapToObj(i -> String.format("en:category-%02d", i))
                .toArray(String[]::new);
        fixture.add(OffCsvFixture.product(code(1)).name("Everything").categories(many));
        fixture.add(OffCsvFixture.product(code(2)).name("Popular").categories("en:category-25"));
        run("sync", "--from", fixture.write(dir.resolve("many.csv")).toString(), "--full");

        JsonNode top = stats().get("top_categories");

        assertEquals(20, top.size());
        assertEquals("en:category-25", top.get(0).get("category").asText(), "the most frequent first");
        assertEquals(2, top.get(0).get("products").asInt());
    }

    @Test
    void coverageOfTargetsOverallAndByCategory() throws IOException {
        loadCatalogue();

        JsonNode coverage = stats().get("coverage");

        assertEquals(5, coverage.get("targets").asInt());
        assertEquals(3, coverage.get("present").asInt());
        assertEquals(60.0, coverage.get("percent").asDouble());
        Map<String, String> byCategory = new LinkedHashMap<>();
        coverage.get("by_category").forEach(row -> byCategory.put(row.get("category").asText(),
                row.get("present").asInt() + "/" + row.get("targets").asInt() + " " + row.get("percent").asDouble()));
        assertEquals(Map.of("snacks", "2/3 66.7", "dairy", "1/1 100.0", "(none)", "0/1 0.0"), byCategory);
    }

    @Test
    void textOutputShowsCoverageAndTotals() throws IOException {
        loadCatalogue();

        Cli.Result result = run("stats");

        String out = result.out();
        assertTrue(out.contains("Target coverage: 3 of 5 targets have a product (60.0%)"), out);
        assertTrue(out.lines().anyMatch(line -> line.contains("snacks") && line.contains("2 / 3")), out);
        assertTrue(out.lines().anyMatch(line -> line.strip().startsWith("total") && line.contains("6")), out);
        assertTrue(out.contains("shop.csv"), out);
        assertTrue(out.contains("en:snacks"), out);
        assertTrue(out.contains("Recent jobs"), out);
    }

    @Test
    void syncMetricsCountSuccessesAndFailuresButNotDryRuns() throws IOException {
        OffCsvFixture good = OffCsvFixture.create();
        good.add(OffCsvFixture.product(code(1)).name("Good"));
        Path goodFile = good.write(dir.resolve("good.csv"));
        OffCsvFixture bad = OffCsvFixture.create();
        bad.add(OffCsvFixture.product("not-a-code").name("Bad"));
        Path badFile = bad.write(dir.resolve("bad.csv"));

        run("sync", "--from", goodFile.toString(), "--full");
        run("sync", "--from", goodFile.toString(), "--full");
        assertEquals(1, cli.run("sync", "--from", badFile.toString(), "--full", "--failure-tolerance", "0").exitCode());
        run("sync", "--from", goodFile.toString(), "--full", "--dry-run");

        JsonNode sync = stats().get("sync");

        assertEquals(3, sync.get("total").asInt(), "the dry run is not a sync: " + sync);
        assertEquals(2, sync.get("successful").asInt());
        assertEquals(1, sync.get("failed").asInt());
        assertEquals(66.7, sync.get("success_rate").asDouble());
        assertEquals("failed", sync.get("last_status").asText(), "the last real sync failed");
        assertFalse(sync.get("last_sync_at").isNull());
        assertFalse(sync.get("last_success_at").isNull());
        assertTrue(sync.get("average_duration_ms").isIntegralNumber(), "completed jobs have an average: " + sync);
    }

    @Test
    void historyShowsTheLastNJobsNewestFirst() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("One"));
        fixture.add(OffCsvFixture.product(code(2)).name("Two"));
        Path file = fixture.write(dir.resolve("products.csv"));
        run("sync", "--from", file.toString(), "--full");
        run("sync", "--from", file.toString());
        run("sync", "--from", file.toString(), "--full");

        JsonNode history = stats("--history", "2").get("history");

        assertEquals(2, history.size());
        long newest = history.get(0).get("job_id").asLong();
        assertEquals(newest - 1, history.get(1).get("job_id").asLong());
        assertEquals("full", history.get(0).get("strategy").asText());
        assertEquals("completed", history.get(0).get("status").asText());
        assertEquals(2, history.get(0).get("unchanged").asInt());
        assertEquals("incremental", history.get(1).get("strategy").asText());
        assertEquals(2, history.get(1).get("skipped").asInt());
        Set<String> keys = new java.util.HashSet<>();
        history.get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("job_id", "status", "strategy", "started_at", "duration_ms", "read", "added", "updated",
                "unchanged", "skipped", "failed"), keys);

        assertEquals(3, stats("--history", "10").get("history").size());
        assertEquals(0, stats("--history", "0").get("history").size());
    }

    @Test
    void jsonDocumentHasTheDocumentedSections() throws IOException {
        JsonNode document = stats();

        List<String> keys = new ArrayList<>();
        document.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("products", "by_source", "top_categories", "coverage", "sync", "history", "trend",
                "exit_code"), keys);
        List<String> syncKeys = new ArrayList<>();
        document.get("sync").fieldNames().forEachRemaining(syncKeys::add);
        assertEquals(Set.of("total", "successful", "failed", "success_rate", "average_duration_ms", "last_sync_at",
                "last_status", "last_written", "last_success_at"), syncKeys.stream().collect(Collectors.toSet()));
    }
}
