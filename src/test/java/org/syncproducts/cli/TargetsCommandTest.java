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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code targets import / list / count} through the real command line against a real PostgreSQL. */
class TargetsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NUTELLA = "3017620422003";
    private static final String UPC_A = "012345678905";
    private static final String EAN_8 = "96385074";

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
        return OffCsvFixture.withCheckDigit(String.format("300000%06d", number));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Cli.Result run(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    private static JsonNode json(Cli.Result result) throws IOException {
        return JSON.readTree(result.out());
    }

    /** Stored targets as "list/code/category". */
    private List<String> storedTargets() {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT list_name || '/' || code || '/' || coalesce(category, '-') FROM targets
                        ORDER BY list_name, code""")
                .mapTo(String.class).list());
    }

    /** Loads products with these codes through a real sync. */
    private void syncProducts(String... codes) {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (String code : codes) {
            fixture.add(OffCsvFixture.product(code).name("Product " + code));
        }
        Path products = fixture.write(dir.resolve("products.csv"));
        run("sync", "--from", products.toString(), "--full");
    }

    @Test
    void importReportsInvalidCodesWithTheirLineNumbersAndImportsTheValidOnes() throws IOException {
        Path apl = file("apl.csv", """
                upc,category
                %s,spreads
                3017620422004,spreads
                30176204AB003,spreads
                0000,spreads
                %s,beverages
                """.formatted(NUTELLA, UPC_A));

        Cli.Result result = run("targets", "import", apl.toString());

        assertTrue(result.out().contains("imported 2 targets"), result.out());
        assertTrue(result.out().contains("3 invalid codes not imported"), result.out());
        assertTrue(result.out().contains("line 3: '3017620422004': check digit is wrong"), result.out());
        assertTrue(result.out().contains("line 4: '30176204AB003'"), result.out());
        assertTrue(result.out().contains("line 5: '0000'"), result.out());
        assertFalse(result.out().contains("line 2:") || result.out().contains("line 6:"), result.out());
        assertEquals(List.of("default/00012345678905/beverages", "default/03017620422003/spreads"), storedTargets());
    }

    @Test
    void importJsonListsInvalidCodesWithLineAndReason() throws IOException {
        Path apl = file("apl.csv", "code\n" + NUTELLA + "\nABCDEFGH\n" + EAN_8 + "\n0000000\n");

        Cli.Result result = run("--json", "targets", "import", apl.toString());

        JsonNode document = json(result);
        assertEquals(2, document.get("valid").asInt());
        assertEquals(2, document.get("added").asInt());
        JsonNode invalid = document.get("invalid");
        assertEquals(2, invalid.size());
        assertEquals(3, invalid.get(0).get("line").asInt());
        assertEquals("ABCDEFGH", invalid.get(0).get("code").asText());
        assertTrue(invalid.get(0).get("reason").asText().contains("other than digits"), invalid.toString());
        assertEquals(5, invalid.get(1).get("line").asInt());
        assertTrue(invalid.get(1).get("reason").asText().contains("all zeros"), invalid.toString());
        assertEquals(2, database.count("SELECT count(*) FROM targets"));
    }

    @Test
    void concurrentImportsNeverPrintNegativeCounts() throws Exception {
        StringBuilder content = new StringBuilder("code\n");
        for (int i = 0; i < 3000; i++) {
            content.append(OffCsvFixture.withCheckDigit(String.format("500000%06d", i))).append('\n');
        }
        Path apl = file("apl.csv", content.toString());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Cli.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(() -> run("--json", "targets", "import", apl.toString())));
        }
        long added = 0;
        for (java.util.concurrent.Future<Cli.Result> future : runs) {
            JsonNode document = json(future.get());
            for (String count : List.of("added", "updated", "unchanged")) {
                assertTrue(document.get(count).asLong() >= 0, count + " is negative: " + document);
            }
            added += document.get("added").asLong();
        }
        pool.shutdown();

        assertEquals(3000, added, "each target is added once, by one of the imports");
        assertEquals(3000, database.count("SELECT count(*) FROM targets"));
    }

    @Test
    void listAndCategoryColumnsAreImportedAndListedPerList() throws IOException {
        Path apl = file("apl.csv", """
                list,code,category
                wic,%s,spreads
                wic,%s,beverages
                snap,%s,
                """.formatted(NUTELLA, UPC_A, EAN_8));
        run("targets", "import", apl.toString());

        assertEquals(List.of("snap/00000096385074/-", "wic/00012345678905/beverages", "wic/03017620422003/spreads"),
                storedTargets());

        JsonNode wic = json(run("--json", "targets", "list", "--list", "wic")).get("items");
        assertEquals(2, wic.size());
        Map<String, String> categoryByCode = new LinkedHashMap<>();
        wic.forEach(target -> {
            assertEquals("wic", target.get("list").asText());
            assertFalse(target.get("present").asBoolean());
            categoryByCode.put(target.get("code").asText(), target.get("category").asText());
        });
        assertEquals(Map.of(UPC_A, "beverages", NUTELLA, "spreads"), categoryByCode,
                "codes are listed as the file gave them");

        Cli.Result text = run("targets", "list");
        assertEquals(3, text.out().strip().lines().count(), text.out());
        assertTrue(text.out().lines().anyMatch(line -> line.startsWith(EAN_8) && line.contains("snap")
                && line.contains("missing")), text.out());
    }

    @Test
    void importWithoutListColumnUsesTheListOption() throws IOException {
        Path apl = file("apl.csv", "barcode;category\n" + NUTELLA + ";spreads\n");

        run("targets", "import", apl.toString(), "--list", "state-apl");

        assertEquals(List.of("state-apl/03017620422003/spreads"), storedTargets());
    }

    @Test
    void reimportingTheSameFileChangesNothingAndCountsItUnchanged() throws IOException {
        Path apl = file("apl.csv", "code,category\n" + code(1) + ",a\n" + code(2) + ",a\n" + code(3) + ",b\n");
        JsonNode first = json(run("--json", "targets", "import", apl.toString()));
        assertEquals(3, first.get("added").asInt());
        String addedAt = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT string_agg(added_at::text || xmin::text, ',' ORDER BY code) FROM targets").mapTo(String.class).one());

        JsonNode again = json(run("--json", "targets", "import", apl.toString()));

        assertEquals(List.of(0, 0, 3, 0), List.of(again.get("added").asInt(), again.get("updated").asInt(),
                again.get("unchanged").asInt(), again.get("removed").asInt()), again.toString());
        assertEquals(addedAt, database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT string_agg(added_at::text || xmin::text, ',' ORDER BY code) FROM targets").mapTo(String.class).one()),
                "no target row was rewritten");

        file("apl.csv", "code,category\n" + code(1) + ",a\n" + code(2) + ",changed\n" + code(3) + ",b\n" + code(4) + ",b\n");
        JsonNode changed = json(run("--json", "targets", "import", apl.toString()));
        assertEquals(List.of(1, 1, 2), List.of(changed.get("added").asInt(), changed.get("updated").asInt(),
                changed.get("unchanged").asInt()), changed.toString());
    }

    @Test
    void replaceRemovesTargetsOfTheImportedListsThatAreNotInTheFile() throws IOException {
        run("targets", "import", file("wic.csv", "code\n" + code(1) + "\n" + code(2) + "\n" + code(3) + "\n").toString(),
                "--list", "wic");
        run("targets", "import", file("snap.csv", "code\n" + code(9) + "\n").toString(), "--list", "snap");

        JsonNode result = json(run("--json", "targets", "import",
                file("wic2.csv", "code\n" + code(2) + "\n" + code(4) + "\n").toString(), "--list", "wic", "--replace"));

        assertEquals(2, result.get("removed").asInt(), result.toString());
        assertEquals(List.of("snap/" + "0" + code(9) + "/-", "wic/0" + code(2) + "/-", "wic/0" + code(4) + "/-"),
                storedTargets(), "other lists are left alone");
    }

    @Test
    void importWithoutReplaceKeepsTargetsNotInTheFile() throws IOException {
        run("targets", "import", file("a.csv", "code\n" + code(1) + "\n").toString());
        run("targets", "import", file("b.csv", "code\n" + code(2) + "\n").toString());

        assertEquals(2, database.count("SELECT count(*) FROM targets"));
    }

    @Test
    void duplicateRowsInTheFileAreImportedOnce() throws IOException {
        Path apl = file("apl.csv", "code\n" + code(1) + "\n0" + code(1) + "\n" + code(2) + "\n");

        JsonNode result = json(run("--json", "targets", "import", apl.toString()));

        assertEquals(2, result.get("valid").asInt());
        assertEquals(1, result.get("duplicates").asInt());
        assertEquals(2, database.count("SELECT count(*) FROM targets"));
    }

    @Test
    void listMissingAndCountReflectWhichTargetsHaveAProduct() throws IOException {
        Path apl = file("apl.csv", """
                code,category
                %s,snacks
                %s,snacks
                %s,dairy
                %s,
                """.formatted(code(1), code(2), code(3), code(4)));
        run("targets", "import", apl.toString());
        syncProducts(code(1), code(3), code(50));

        JsonNode missing = json(run("--json", "targets", "list", "--missing")).get("items");
        List<String> missingCodes = new ArrayList<>();
        missing.forEach(target -> {
            missingCodes.add(target.get("code").asText());
            assertFalse(target.get("present").asBoolean());
        });
        assertEquals(List.of(code(2), code(4)), missingCodes);

        Cli.Result missingText = run("targets", "list", "--missing");
        assertEquals(2, missingText.out().strip().lines().count(), missingText.out());

        JsonNode count = json(run("--json", "targets", "count"));
        assertEquals(4, count.get("targets").asInt());
        assertEquals(2, count.get("present").asInt());
        Map<String, String> byCategory = new LinkedHashMap<>();
        count.get("by_list_and_category").forEach(row -> byCategory.put(row.get("list").asText() + "/"
                + row.get("category").asText(), row.get("present").asInt() + "/" + row.get("targets").asInt()));
        assertEquals(Map.of("default/", "0/1", "default/dairy", "1/1", "default/snacks", "1/2"), byCategory);

        Cli.Result countText = run("targets", "count");
        assertTrue(countText.out().startsWith("4 targets, 2 with a product"), countText.out());
        assertTrue(countText.out().contains("(no category)"), countText.out());
    }

    @Test
    void softDeletedProductsDoNotCountAsPresent() throws IOException {
        run("targets", "import", file("apl.csv", "code\n" + code(1) + "\n").toString());
        syncProducts(code(1));
        database.jdbi().useHandle(handle -> handle.execute("UPDATE products SET deleted_at = now()"));

        JsonNode count = json(run("--json", "targets", "count"));

        assertEquals(0, count.get("present").asInt());
    }

    @Test
    void countOfAnEmptyTargetListIsZero() throws IOException {
        JsonNode count = json(run("--json", "targets", "count"));

        assertEquals(0, count.get("targets").asInt());
        assertEquals(0, count.get("present").asInt());
        assertEquals(0, count.get("by_list_and_category").size());
        assertEquals("0 targets, 0 with a product", run("targets", "count").out().strip());
    }

    @Test
    void fileWithoutACodeColumnIsRefusedWithExit65() throws IOException {
        Path apl = file("apl.csv", "name,category\nNutella,spreads\n");

        Cli.Result result = cli.run("targets", "import", apl.toString());

        assertEquals(65, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("no code column"), result.err());
    }

    @Test
    void missingFileIsAConfigurationError() {
        Cli.Result result = cli.run("targets", "import", dir.resolve("nowhere.csv").toString());

        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("nowhere.csv"), result.err());
    }
}
