package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * What real Open Food Facts data holds, through the real command line and PostgreSQL: codes that
 * are not GTINs, names only in another language, energy only in kJ, allergen tags beyond the text,
 * and rows edited behind the tool's back (see {@code src/test/resources/off/real-products.README.md}).
 */
class RealDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORE_CODE = "2000000012345678901";

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private Path realProducts() throws IOException {
        Path file = dir.resolve("real-products.jsonl");
        try (InputStream in = getClass().getResourceAsStream("/off/real-products.jsonl")) {
            Files.copy(in, file);
        }
        return file;
    }

    private Map<String, Object> product(String code) {
        return database.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT code, display_code, is_gtin, name, energy_kcal_100g, allergens,
                               array_to_string(allergens_tags, ',') AS allergens_tags, traces,
                               array_to_string(traces_tags, ',') AS traces_tags, content_hash
                        FROM products WHERE code = :code""")
                .bind("code", code).mapToMap().one());
    }

    private Cli.Result ok(String... args) {
        Cli.Result result = cli.run(args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    @Test
    void realDocumentsAreStoredAsAPersonWouldReadThem() throws IOException {
        JsonNode job = JSON.readTree(ok("--json", "sync", "--from", realProducts().toString()).out());

        assertEquals("completed", job.get("status").asText());
        assertEquals(3, job.get("counts").get("added").asLong());
        assertEquals(0, job.get("counts").get("failed").asLong());

        Map<String, Object> bread = product("03029330003533");
        assertEquals("en:gluten", bread.get("allergens"));
        assertEquals("en:gluten", bread.get("allergens_tags"));
        assertEquals("en:eggs,en:milk,en:sesame-seeds,en:soybeans", bread.get("traces_tags"),
                "the tags say more than the allergen text: they must be stored");

        assertEquals("La Numero Uno Margherita", product("08015673029861").get("name"),
                "no product_name, no English name: the first language that has one");

        Map<String, Object> cheese = product(STORE_CODE);
        assertEquals(false, cheese.get("is_gtin"));
        assertEquals(STORE_CODE, cheese.get("display_code"));
        assertEquals("Tomme de Savoie à la coupe", cheese.get("name"), "its own language, French");
        assertEquals(0, new BigDecimal("354.9").compareTo((BigDecimal) cheese.get("energy_kcal_100g")),
                "1485 kJ given as energy_100g");
    }

    @Test
    void theCsvExportGivesKilocaloriesFromKilojoulesAndAllergenTags() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product("3017620422003").name("Only kJ").set("energy-kj_100g", "1046")
                .set("allergens", "en:milk,en:nuts").set("traces_tags", "en:gluten"));
        fixture.add(OffCsvFixture.product("4006381333931").name("Only energy_100g").set("energy_100g", "212.5"));
        Path file = fixture.write(dir.resolve("export.csv"));

        ok("sync", "--from", file.toString());

        Map<String, Object> onlyKj = product("03017620422003");
        assertEquals(0, new BigDecimal("250").compareTo((BigDecimal) onlyKj.get("energy_kcal_100g")));
        assertEquals("en:milk,en:nuts", onlyKj.get("allergens_tags"));
        assertEquals("en:gluten", onlyKj.get("traces_tags"));
        assertEquals(0, new BigDecimal("50.8").compareTo((BigDecimal) product("04006381333931").get("energy_kcal_100g")));
    }

    @Test
    void configuredLanguagesChooseTheFallbackName() throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), "sync:\n  languages: [it, de]\n");

        ok("--config", config.toString(), "sync", "--from", realProducts().toString());

        assertEquals("La numero uno Margherita", product("08015673029861").get("name"));
    }

    @Test
    void aNonGtinCodeIsFindableByItsOwnDigits() throws IOException {
        Path file = realProducts();

        JsonNode job = JSON.readTree(ok("--json", "sync", "--from", file.toString(), "--upcs", STORE_CODE).out());

        assertEquals(1, job.get("counts").get("added").asLong());
        assertEquals(1, database.count("SELECT count(*) FROM products WHERE code = '" + STORE_CODE + "'"));
        ok("targets", "import", Files.writeString(dir.resolve("apl.csv"), "code\n" + STORE_CODE + "\n4011\n").toString());
        assertEquals(2, database.count("SELECT count(*) FROM targets"), "store and PLU codes are valid targets");
    }

    @Test
    void anExportWithNonGtinCodesIsNotAFailedJob() throws IOException {
        // As in a real 1,000-row sample of the export: 11 codes that are not GTINs.
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 989; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("200000%06d", i)))
                    .name("Product " + i));
        }
        for (int i = 1; i <= 11; i++) {
            fixture.add(OffCsvFixture.product(i % 2 == 0 ? "2" + "0".repeat(15) + i : Integer.toString(1000 + i))
                    .name("Store item " + i));
        }
        Path file = fixture.write(dir.resolve("export.csv"));

        Cli.Result result = cli.run("--json", "sync", "--from", file.toString(), "--full");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1000, database.count("SELECT count(*) FROM products"));
        assertEquals(11, database.count("SELECT count(*) FROM products WHERE NOT is_gtin"));
        JsonNode job = JSON.readTree(result.out());
        assertEquals("completed", job.get("status").asText());
        assertEquals(0, job.get("counts").get("failed").asLong());
    }

    @Test
    void fullRepairsARowEditedDirectlyInTheDatabase() throws IOException {
        Path file = realProducts();
        ok("sync", "--from", file.toString(), "--full");
        database.jdbi().useHandle(handle -> {
            handle.execute("UPDATE products SET name = 'Edited by hand' WHERE code = '03029330003533'");
            handle.execute("UPDATE products SET verified = true WHERE code = '08015673029861'");
        });

        JsonNode resync = JSON.readTree(ok("--json", "sync", "--from", file.toString(), "--full").out());

        assertEquals(1, resync.get("counts").get("updated").asLong(), "only the edited row is rewritten");
        assertEquals(2, resync.get("counts").get("unchanged").asLong(), "setting verified is not an edit of content");
        assertFalse("Edited by hand".equals(product("03029330003533").get("name")));
        assertEquals(1, database.count("SELECT count(*) FROM products WHERE verified"), "verified is kept");
        JsonNode again = JSON.readTree(ok("--json", "sync", "--from", file.toString(), "--full").out());
        assertEquals(0, again.get("counts").get("updated").asLong());
    }

    @Test
    void monitorCountsWhatAFailedFirstJobWrote() {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 20; i++) {
            fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit(String.format("200000%06d", i)))
                    .name("Product " + i));
        }
        fixture.add(OffCsvFixture.product("LETTERS").name("Unusable code"));
        Path file = fixture.write(dir.resolve("feed.csv"));
        assertEquals(1, cli.run("sync", "--from", file.toString(), "--failure-tolerance", "0").exitCode());

        Cli.Result monitor = cli.run("--json", "monitor");

        assertTrue(monitor.out().contains("\"no_completed_sync\""), monitor.out());
        assertTrue(monitor.out().contains("after writing 20 products (20 products stored)"), monitor.out());
    }
}
