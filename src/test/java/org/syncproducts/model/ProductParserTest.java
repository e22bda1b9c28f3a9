package org.syncproducts.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncproducts.store.CopyText;
import org.syncproducts.store.ProductRow;

class ProductParserTest {

    /** A complete, valid record: every field set. */
    private static Map<ProductField, String> completeValues() {
        Map<ProductField, String> values = new EnumMap<>(ProductField.class);
        values.put(ProductField.CODE, "3029330003533");
        values.put(ProductField.NAME, "Pain complet");
        values.put(ProductField.BRANDS, "Jacquet");
        values.put(ProductField.CATEGORIES, "en:plant-based-foods,en:breads");
        values.put(ProductField.QUANTITY, "730 g");
        values.put(ProductField.IMAGE_URL, "https://images.example.org/302/933/000/3533/front_fr.116.400.jpg");
        values.put(ProductField.ENERGY_KCAL_100G, "246");
        values.put(ProductField.FAT_100G, "3.4");
        values.put(ProductField.SATURATED_FAT_100G, "0.3");
        values.put(ProductField.CARBOHYDRATES_100G, "41");
        values.put(ProductField.SUGARS_100G, "3.6");
        values.put(ProductField.FIBER_100G, "6.7");
        values.put(ProductField.PROTEINS_100G, "9.5");
        values.put(ProductField.SALT_100G, "1.1");
        values.put(ProductField.SODIUM_100G, "0.44");
        values.put(ProductField.INGREDIENTS, "Farine complète de blé, eau, levure");
        values.put(ProductField.ALLERGENS, "en:gluten");
        values.put(ProductField.ALLERGENS_TAGS, "en:gluten");
        values.put(ProductField.TRACES, "en:eggs,en:milk");
        values.put(ProductField.TRACES_TAGS, "en:eggs,en:milk");
        values.put(ProductField.NUTRISCORE_GRADE, "b");
        values.put(ProductField.NOVA_GROUP, "4");
        values.put(ProductField.SOURCE_MODIFIED_AT, "1742669182");
        return values;
    }

    /** A different valid value for each field, to show that changing it changes the hash. */
    private static String otherValue(ProductField field) {
        return switch (field) {
            case CODE -> "4006381333931";
            case NAME -> "Pain complet bio";
            case BRANDS -> "Harrys";
            case CATEGORIES -> "en:plant-based-foods,en:breads,en:wholemeal-breads";
            case QUANTITY -> "500 g";
            case IMAGE_URL -> "https://images.example.org/302/933/000/3533/front_fr.117.400.jpg";
            case ENERGY_KCAL_100G, FAT_100G, SATURATED_FAT_100G, CARBOHYDRATES_100G, SUGARS_100G, FIBER_100G,
                    PROTEINS_100G, SALT_100G, SODIUM_100G -> "7.77";
            case INGREDIENTS -> "Farine de blé, eau, levure";
            case ALLERGENS -> "en:gluten,en:sesame-seeds";
            case ALLERGENS_TAGS -> "en:gluten,en:milk,en:sesame-seeds";
            case TRACES -> "Peut contenir des traces de lait";
            case TRACES_TAGS -> "en:milk";
            case NUTRISCORE_GRADE -> "c";
            case NOVA_GROUP -> "3";
            case SOURCE_MODIFIED_AT -> "1742669183";
            // Only read when no kcal is given: see energyInKilojoulesOnlyIsStoredAsKilocalories.
            case ENERGY_KJ_100G -> "9999";
        };
    }

    private static RawProduct raw(Map<ProductField, String> values) {
        RawProduct raw = new RawProduct();
        values.forEach(raw::set);
        return raw;
    }

    private static RawProduct raw(String code) {
        return new RawProduct().set(ProductField.CODE, code);
    }

    private static Product parsed(RawProduct raw) {
        ProductParser.Result result = ProductParser.parse(raw, "src", 7);
        return assertInstanceOf(ProductParser.Parsed.class, result, () -> "refused: " + result).product();
    }

    private static ItemError refused(RawProduct raw, long position) {
        ProductParser.Result result = ProductParser.parse(raw, "src", position);
        return assertInstanceOf(ProductParser.Refused.class, result, () -> "parsed: " + result).error();
    }

    private static void assertNumber(String expected, BigDecimal actual) {
        assertTrue(actual != null && new BigDecimal(expected).compareTo(actual) == 0,
                () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void completeRecordIsParsedIntoEveryField() {
        Product product = parsed(raw(completeValues()));

        assertEquals("03029330003533", product.code().canonical());
        assertEquals("3029330003533", product.code().display());
        assertTrue(product.code().checkDigitValid());
        assertEquals("Pain complet", product.name());
        assertEquals("Jacquet", product.brands());
        assertEquals(List.of("en:plant-based-foods", "en:breads"), product.categories());
        assertEquals("730 g", product.quantity());
        assertEquals("https://images.example.org/302/933/000/3533/front_fr.116.400.jpg", product.imageUrl());
        assertNumber("246", product.nutrition().energyKcal());
        assertNumber("3.4", product.nutrition().fat());
        assertNumber("0.3", product.nutrition().saturatedFat());
        assertNumber("41", product.nutrition().carbohydrates());
        assertNumber("3.6", product.nutrition().sugars());
        assertNumber("6.7", product.nutrition().fiber());
        assertNumber("9.5", product.nutrition().proteins());
        assertNumber("1.1", product.nutrition().salt());
        assertNumber("0.44", product.nutrition().sodium());
        assertEquals("Farine complète de blé, eau, levure", product.ingredients());
        assertEquals("en:gluten", product.allergens());
        assertEquals("b", product.nutriscoreGrade());
        assertEquals(4, product.novaGroup());
        assertEquals("src", product.source());
        assertEquals(Instant.ofEpochSecond(1_742_669_182L), product.sourceModifiedAt());
        assertEquals(Map.of(), product.extra());
        assertTrue(product.hasNutrition());
    }

    @Test
    void allergenAndTraceTagsAreKeptAsListsBesideTheText() {
        // Real product 3029330003533: its allergen text names gluten; its tags list more traces.
        Product product = parsed(raw(completeValues()));

        assertEquals("en:gluten", product.allergens());
        assertEquals(List.of("en:gluten"), product.allergenTags());
        assertEquals("en:eggs,en:milk", product.traces());
        assertEquals(List.of("en:eggs", "en:milk"), product.traceTags());
    }

    @Test
    void energyInKilojoulesOnlyIsStoredAsKilocalories() {
        Map<ProductField, String> values = completeValues();
        values.remove(ProductField.ENERGY_KCAL_100G);
        values.put(ProductField.ENERGY_KJ_100G, "1046");

        assertNumber("250", parsed(raw(values)).nutrition().energyKcal());
        values.put(ProductField.ENERGY_KJ_100G, "212.5");
        assertNumber("50.8", parsed(raw(values)).nutrition().energyKcal());
    }

    @Test
    void kilocaloriesGivenWinOverKilojoules() {
        Map<ProductField, String> values = completeValues();
        values.put(ProductField.ENERGY_KJ_100G, "9999");

        assertNumber("246", parsed(raw(values)).nutrition().energyKcal());
    }

    @Test
    void unreadableKilojoulesAreKeptAsUnparsed() {
        Map<ProductField, String> values = completeValues();
        values.remove(ProductField.ENERGY_KCAL_100G);
        values.put(ProductField.ENERGY_KJ_100G, "about 1000");

        Product product = parsed(raw(values));
        assertNull(product.nutrition().energyKcal());
        assertEquals("about 1000", product.extra().get("unparsed.energy_kj_100g"));
    }

    @Test
    void withoutAPlainNameTheNameInTheProductsOwnLanguageIsUsed() {
        RawProduct raw = raw("3029330003533").language("fr")
                .putLocalizedName("en", "Wholemeal bread").putLocalizedName("fr", "Pain complet");

        assertEquals("Pain complet", parsed(raw).name());
    }

    @Test
    void thenTheConfiguredLanguagesInOrderThenAnyLanguage() {
        RawProduct raw = raw("8015673029861").language("sk").putLocalizedName("sk", " ")
                .putLocalizedName("de", "La Numero Uno Margherita").putLocalizedName("it", "La numero uno Margherita");

        Product preferItalian = assertInstanceOf(ProductParser.Parsed.class,
                ProductParser.parse(raw, "src", 1, List.of("fr", "it"))).product();
        assertEquals("La numero uno Margherita", preferItalian.name());
        assertEquals("La Numero Uno Margherita", parsed(raw).name(), "no configured language has one: the first given");
    }

    @Test
    void aPlainNameWinsOverLocalizedOnes() {
        RawProduct raw = raw("3029330003533").set(ProductField.NAME, "Pain").language("fr")
                .putLocalizedName("fr", "Pain complet");

        assertEquals("Pain", parsed(raw).name());
    }

    @Test
    void recordWithOnlyACodeIsAProductWithNothingElseKnown() {
        Product product = parsed(raw("3029330003533"));

        assertNull(product.name());
        assertEquals(List.of(), product.categories());
        assertEquals(Nutrition.EMPTY, product.nutrition());
        assertFalse(product.hasNutrition());
        assertNull(product.novaGroup());
        assertNull(product.sourceModifiedAt());
        assertEquals(Map.of(), product.extra());
    }

    @Test
    void textValuesAreTrimmedAndBlankOnesAreNoValue() {
        Product product = parsed(raw("3029330003533").set(ProductField.NAME, "  Pain complet \t")
                .set(ProductField.BRANDS, "   ").set(ProductField.QUANTITY, "\n"));

        assertEquals("Pain complet", product.name());
        assertNull(product.brands());
        assertNull(product.quantity());
    }

    @ParameterizedTest
    @EnumSource(value = ProductField.class, names = {"NAME", "BRANDS", "CATEGORIES", "QUANTITY", "IMAGE_URL",
            "INGREDIENTS", "ALLERGENS", "FAT_100G", "NOVA_GROUP"})
    void fieldLongerThanItsLimitRefusesTheRecord(ProductField field) {
        RawProduct raw = raw("3029330003533").set(field, "x".repeat(field.maxLength() + 1));

        ItemError error = refused(raw, 42);

        assertEquals(ErrorType.FIELD_TOO_LONG, error.type());
        assertEquals(42, error.position());
        assertEquals("3029330003533", error.barcode());
        assertTrue(error.message().contains(field.configName()), error.message());
        assertTrue(error.message().contains(Integer.toString(field.maxLength() + 1)), error.message());
    }

    @Test
    void fieldExactlyAtItsLimitIsAccepted() {
        String name = "n".repeat(ProductField.NAME.maxLength());

        assertEquals(name, parsed(raw("3029330003533").set(ProductField.NAME, name)).name());
    }

    @Test
    void overlongCodeIsRefusedAsTooLongWithAShortenedBarcode() {
        String code = "1".repeat(ProductField.CODE.maxLength() + 100);

        ItemError error = refused(raw(code), 3);

        assertEquals(ErrorType.FIELD_TOO_LONG, error.type());
        assertTrue(error.barcode().length() <= 65, "the error keeps a shortened code: " + error.barcode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567", "123456789012345", "20000000123456789012"})
    void productCodesThatAreNotGtinsAreKeptAndFlagged(String code) {
        Product product = parsed(raw(code));

        assertEquals(code, product.code().canonical());
        assertFalse(product.code().gtin());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30293300035AB", "ABCDEFGH", "00000000", "0000000000000000"})
    void malformedBarcodeRefusesTheRecordWithTheReason(String code) {
        ItemError error = refused(raw(code).set(ProductField.NAME, "Something"), 9);

        assertEquals(ErrorType.INVALID_BARCODE, error.type());
        assertEquals(9, error.position());
        assertEquals(code, error.barcode());
        assertTrue(error.message().startsWith(Barcode.whyInvalid(code)), error.message());
        assertTrue(error.message().contains(code), error.message());
    }

    @Test
    void missingBarcodeRefusesTheRecord() {
        ItemError error = refused(new RawProduct().set(ProductField.NAME, "No code"), 1);

        assertEquals(ErrorType.INVALID_BARCODE, error.type());
        assertNull(error.barcode());
        assertEquals("barcode is empty", error.message());
    }

    @Test
    void wrongCheckDigitStillParsesAndIsRecorded() {
        Product product = parsed(raw("3029330003534"));

        assertFalse(product.code().checkDigitValid());
        assertEquals("03029330003534", product.code().canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {"n/a", "12 g", "traces", "1,234.5", "NaN", "Infinity", "--1"})
    void unparsableNutrientIsKeptAsUnparsedAndTheProductStillParses(String value) {
        Product product = parsed(raw("3029330003533").set(ProductField.NAME, "Bread").set(ProductField.FAT_100G, value)
                .set(ProductField.SUGARS_100G, "3.6"));

        assertNull(product.nutrition().fat());
        assertEquals(value, product.extra().get("unparsed.fat_100g"));
        assertNumber("3.6", product.nutrition().sugars());
        assertEquals("Bread", product.name());
    }

    @Test
    void decimalCommaIsReadAsADecimalPoint() {
        Product product = parsed(raw("3029330003533").set(ProductField.CARBOHYDRATES_100G, "12,5"));

        assertNumber("12.5", product.nutrition().carbohydrates());
        assertEquals(Map.of(), product.extra());
    }

    @Test
    void exponentNotationIsReadAsANumber() {
        assertNumber("100", parsed(raw("3029330003533").set(ProductField.SODIUM_100G, "1e2")).nutrition().sodium());
    }

    @Test
    void negativeNutrientIsKeptAsUnparsed() {
        Product product = parsed(raw("3029330003533").set(ProductField.SALT_100G, "-0.5"));

        assertNull(product.nutrition().salt());
        assertEquals("-0.5", product.extra().get("unparsed.salt_100g"));
    }

    @Test
    void implausiblyLargeNutrientIsKeptAsUnparsed() {
        Product product = parsed(raw("3029330003533").set(ProductField.ENERGY_KCAL_100G, "1e9"));

        assertNull(product.nutrition().energyKcal());
        assertEquals("1e9", product.extra().get("unparsed.energy_kcal_100g"));
    }

    @Test
    void nutrientWithAnAbsurdExponentIsKeptAsUnparsedWithoutExpandingIt() {
        // A 12-character value whose plain decimal form has a billion digits; writing it out
        // (for the content hash or the database) must never be attempted.
        Product product = parsed(raw("3029330003533").set(ProductField.FAT_100G, "1e-999999999"));

        assertNull(product.nutrition().fat());
        assertEquals("1e-999999999", product.extra().get("unparsed.fat_100g"));
        hash(product);
    }

    @Test
    void zeroNutrientIsAValue() {
        Product product = parsed(raw("3029330003533").set(ProductField.FAT_100G, "0"));

        assertNumber("0", product.nutrition().fat());
        assertTrue(product.hasNutrition());
    }

    @Test
    void nutriscoreGradeIsLowerCased() {
        assertEquals("e", parsed(raw("3029330003533").set(ProductField.NUTRISCORE_GRADE, "E")).nutriscoreGrade());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "not-applicable"})
    void nutriscoreGradeThatOpenFoodFactsLeavesOpenIsNoValueAndNotUnparsed(String value) {
        Product product = parsed(raw("3029330003533").set(ProductField.NUTRISCORE_GRADE, value));

        assertNull(product.nutriscoreGrade());
        assertEquals(Map.of(), product.extra());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f", "ab", "1", "A+"})
    void unparsableNutriscoreGradeIsKeptAsUnparsed(String value) {
        Product product = parsed(raw("3029330003533").set(ProductField.NUTRISCORE_GRADE, value));

        assertNull(product.nutriscoreGrade());
        assertEquals(value, product.extra().get("unparsed.nutriscore_grade"));
    }

    @Test
    void novaGroupGivenAsADecimalIsAccepted() {
        assertEquals(2, parsed(raw("3029330003533").set(ProductField.NOVA_GROUP, "2.0")).novaGroup());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5", "7", "2.5", "-1", "four", "4294967300", "4e2147483647"})
    void unparsableNovaGroupIsKeptAsUnparsed(String value) {
        Product product = parsed(raw("3029330003533").set(ProductField.NOVA_GROUP, value).set(ProductField.NAME, "X"));

        assertNull(product.novaGroup(), value);
        assertEquals(value, product.extra().get("unparsed.nova_group"));
        assertEquals("X", product.name());
    }

    @Test
    void lastModifiedInUnixSecondsIsRead() {
        Product product = parsed(raw("3029330003533").set(ProductField.SOURCE_MODIFIED_AT, "1774265353"));

        assertEquals(Instant.ofEpochSecond(1_774_265_353L), product.sourceModifiedAt());
    }

    @Test
    void lastModifiedAsAnIsoInstantIsRead() {
        assertEquals(Instant.parse("2024-03-01T10:15:30Z"),
                parsed(raw("3029330003533").set(ProductField.SOURCE_MODIFIED_AT, "2024-03-01T10:15:30Z")).sourceModifiedAt());
        assertEquals(Instant.parse("2024-03-01T09:15:30Z"),
                parsed(raw("3029330003533").set(ProductField.SOURCE_MODIFIED_AT, "2024-03-01T10:15:30+01:00"))
                        .sourceModifiedAt());
    }

    @Test
    void lastModifiedAsAnIsoDateIsMidnightUtc() {
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"),
                parsed(raw("3029330003533").set(ProductField.SOURCE_MODIFIED_AT, "2024-03-01")).sourceModifiedAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-45", "01/03/2024", "99999999999999999999"})
    void unparsableLastModifiedIsKeptAsUnparsed(String value) {
        Product product = parsed(raw("3029330003533").set(ProductField.SOURCE_MODIFIED_AT, value));

        assertNull(product.sourceModifiedAt());
        assertEquals(value, product.extra().get("unparsed.source_modified_at"));
    }

    @Test
    void categoriesAreSplitOnCommasTrimmedAndBlanksDropped() {
        Product product = parsed(raw("3029330003533").set(ProductField.CATEGORIES, " en:dairies , en:milks,, ,fr:Laits "));

        assertEquals(List.of("en:dairies", "en:milks", "fr:Laits"), product.categories());
    }

    @Test
    void extraValuesFromTheSourceAreKeptNextToUnparsedOnes() {
        RawProduct raw = raw("3029330003533").putExtra("price", "2.49").set(ProductField.FIBER_100G, "lots");

        assertEquals(Map.of("price", "2.49", "unparsed.fiber_100g", "lots"), parsed(raw).extra());
    }

    @Test
    void equalContentHasEqualHash() {
        assertEquals(hash(parsed(raw(completeValues()))), hash(parsed(raw(completeValues()))));
    }

    @Test
    void sameNumberWrittenDifferentlyHasEqualHash() {
        Map<ProductField, String> plain = completeValues();
        plain.put(ProductField.ENERGY_KCAL_100G, "50");
        plain.put(ProductField.FAT_100G, "0.5");
        Map<ProductField, String> decorated = completeValues();
        decorated.put(ProductField.ENERGY_KCAL_100G, "50.0");
        decorated.put(ProductField.FAT_100G, "0,50");

        assertEquals(hash(parsed(raw(plain))), hash(parsed(raw(decorated))));
    }

    @Test
    void surroundingWhitespaceDoesNotChangeTheHash() {
        Map<ProductField, String> padded = completeValues();
        padded.put(ProductField.NAME, "  Pain complet ");
        padded.put(ProductField.CATEGORIES, "en:plant-based-foods , en:breads");

        assertEquals(hash(parsed(raw(completeValues()))), hash(parsed(raw(padded))));
    }

    @ParameterizedTest
    @EnumSource(value = ProductField.class, mode = EnumSource.Mode.EXCLUDE, names = "ENERGY_KJ_100G")
    void changingAnyFieldChangesTheHash(ProductField field) {
        Map<ProductField, String> changed = completeValues();
        changed.put(field, otherValue(field));

        assertNotEquals(hash(parsed(raw(completeValues()))), hash(parsed(raw(changed))), field.configName());
    }

    @ParameterizedTest
    @EnumSource(value = ProductField.class, mode = EnumSource.Mode.EXCLUDE, names = {"CODE", "ENERGY_KJ_100G"})
    void removingAnyFieldChangesTheHash(ProductField field) {
        Map<ProductField, String> removed = completeValues();
        removed.remove(field);

        assertNotEquals(hash(parsed(raw(completeValues()))), hash(parsed(raw(removed))), field.configName());
    }

    @Test
    void sameNumberInADifferentNutrientChangesTheHash() {
        Map<ProductField, String> fatOnly = Map.of(ProductField.CODE, "3029330003533", ProductField.FAT_100G, "5");
        Map<ProductField, String> sugarsOnly = Map.of(ProductField.CODE, "3029330003533", ProductField.SUGARS_100G, "5");

        assertNotEquals(hash(parsed(raw(fatOnly))), hash(parsed(raw(sugarsOnly))));
    }

    @Test
    void sourceAndExtraValuesAreContent() {
        Product base = parsed(raw(completeValues()));
        Product fromOtherSource = assertInstanceOf(ProductParser.Parsed.class,
                ProductParser.parse(raw(completeValues()), "other", 7)).product();
        Product withExtra = parsed(raw(completeValues()).putExtra("price", "2.49"));
        Product withOtherExtra = parsed(raw(completeValues()).putExtra("price", "2.59"));

        assertNotEquals(hash(base), hash(fromOtherSource));
        assertNotEquals(hash(base), hash(withExtra));
        assertNotEquals(hash(withExtra), hash(withOtherExtra));
    }

    @Test
    void categoryOrderIsContent() {
        Map<ProductField, String> reordered = completeValues();
        reordered.put(ProductField.CATEGORIES, "en:breads,en:plant-based-foods");

        assertNotEquals(hash(parsed(raw(completeValues()))), hash(parsed(raw(reordered))));
    }

    /** The fast path gives exactly the general path's value and scale, or leaves the text to it. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "00", "0.0", "0.000", "-0", "1", "12.5", "12.50", "0.0100", "100", "100.0", "0100",
        "007.250", "100000", "100000.0", "100000.01", "99999.99999", "1e3", "1E+2", ".5", "5.", "12,5", "+3", "1.2.3",
        "999999999999999999", "0.00000000000000001", "1234567890123456789", "3.14159265358979323846", "", "x", "١٢"})
    void plainNutrientsParseAsTheGeneralPathDoes(String text) {
        BigDecimal plain = ProductParser.plainDecimal(text);
        BigDecimal general = ProductParser.parseDecimal(text);
        if (plain == null) {
            assertTrue(general == null || general.signum() < 0 || general.compareTo(new BigDecimal("100000")) > 0
                    || !text.matches("[0-9]+(\\.[0-9]+)?") || text.replace(".", "").length() > 18, text);
            return;
        }
        BigDecimal normalized = general.stripTrailingZeros();
        normalized = normalized.scale() < 0 ? normalized.setScale(0) : normalized;
        assertEquals(normalized, plain, text);
        assertEquals(normalized.toPlainString(), plain.toPlainString(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.5", "0.0100", "100", "0", "100000", "99999.99999"})
    void plainNutrientsTakeTheFastPath(String text) {
        assertNotNull(ProductParser.plainDecimal(text), text);
    }

    /** As {@code String.split(",")} then {@code strip()}, blanks dropped, whatever the spacing or script. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "a,b", " a , b ", ",a,,b,", ",,,", " , ", "a,", ",a", "\u2003em\u2003,\u00a0nbsp",
        "😀,été , x", "\t tab\t,\nline\n", "a\\b,\"q\""})
    void categoriesSplitOnCommasAndStrip(String value) {
        List<String> expected = Arrays.stream(value.split(",")).map(String::strip).filter(tag -> !tag.isEmpty())
                .toList();
        assertEquals(expected, ProductParser.categories(value));
    }

    /**
     * Tags come from a per-thread cache that colliding tags evict: over more distinct tags than it
     * has slots, every line still gives exactly its own tags, and a tag seen just before is the
     * same instance (the point of the cache: no new string per line).
     */
    @Test
    void cachedTagsAreAlwaysTheLinesOwnTags() {
        SplittableRandom random = new SplittableRandom(7);
        for (int line = 0; line < 20_000; line++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(1, 6); i > 0; i--) {
                value.append(" en:tag-").append(random.nextInt(12_000)).append(random.nextBoolean() ? "é" : "").append(',');
            }
            String text = value.toString();
            List<String> expected = Arrays.stream(text.split(",")).map(String::strip).filter(tag -> !tag.isEmpty())
                    .toList();
            assertEquals(expected, ProductParser.categories(text), text);
        }
        List<String> first = ProductParser.categories("en:milks,fr:laits");
        List<String> again = ProductParser.categories("xx, en:milks , fr:laits");
        assertSame(first.get(0), again.get(1));
        assertSame(first.get(1), again.get(2));
    }

    /** The content hash the writer stores: taken over the product's encoded row. */
    private static long hash(Product product) {
        return ProductRow.encode(product, new CopyText()).contentHash();
    }
}
