package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.Nutrition;
import org.syncproducts.model.Product;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.ProductParser;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;

class OffJsonlSourceTest {

    @TempDir
    Path temporaryDirectory;

    private static Path sample() throws URISyntaxException {
        return Path.of(OffJsonlSourceTest.class.getResource("/off/products-sample.jsonl").toURI());
    }

    private static List<SourceRecord> readAll(Path path, long resumeAfter) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordStream stream = new OffJsonlSource("off", path).open(resumeAfter)) {
            for (SourceRecord record = stream.next(); record != null; record = stream.next()) {
                records.add(record);
            }
            assertNull(stream.next(), "the stream stays at its end");
        }
        return records;
    }

    private static RawProduct itemAt(List<SourceRecord> records, long lineNumber) {
        SourceRecord record = records.stream().filter(candidate -> candidate.position() == lineNumber)
                .findFirst().orElseThrow(() -> new AssertionError("no record for line " + lineNumber));
        return assertInstanceOf(SourceRecord.Item.class, record, "line " + lineNumber).product();
    }

    private static SourceRecord.Failure failureAt(List<SourceRecord> records, long lineNumber) {
        SourceRecord record = records.stream().filter(candidate -> candidate.position() == lineNumber)
                .findFirst().orElseThrow(() -> new AssertionError("no record for line " + lineNumber));
        return assertInstanceOf(SourceRecord.Failure.class, record, "line " + lineNumber);
    }

    private static Product parsed(RawProduct raw, long lineNumber) {
        ProductParser.Result result = ProductParser.parse(raw, "off", lineNumber);
        return assertInstanceOf(ProductParser.Parsed.class, result, () -> "line " + lineNumber + ": " + result)
                .product();
    }

    private Path write(String fileName, String content) throws IOException {
        return Files.writeString(temporaryDirectory.resolve(fileName), content, StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(content);
        }
        return compressed.toByteArray();
    }

    @Test
    void sourceDescribesItself() throws Exception {
        OffJsonlSource source = new OffJsonlSource("off-dump", sample());

        assertEquals("off-dump", source.name());
        assertEquals("off-jsonl", source.type());
        assertEquals(OffJsonlSource.TYPE, source.type());
        assertTrue(source.fingerprint().contains("products-sample.jsonl"), source.fingerprint());
    }

    @Test
    void everyNonEmptyLineYieldsOneRecordPositionedAtItsLineNumber() throws Exception {
        List<SourceRecord> records = readAll(sample(), 0);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L),
                records.stream().map(SourceRecord::position).toList(), "line 7 is empty and skipped");
        assertEquals(List.of(true, true, true, true, false, false, true, false),
                records.stream().map(record -> record instanceof SourceRecord.Item).toList());
    }

    @Test
    void productFieldsAreMappedFromTheDocument() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 1);

        assertEquals("3029330003533", product.get(ProductField.CODE));
        assertEquals("Pain complet", product.get(ProductField.NAME));
        assertEquals("Jacquet", product.get(ProductField.BRANDS));
        assertEquals("en:plant-based-foods,en:breads,en:wholemeal-sliced-breads", product.get(ProductField.CATEGORIES));
        assertEquals("730 g", product.get(ProductField.QUANTITY));
        assertEquals("https://images.openfoodfacts.org/images/products/302/933/000/3533/front_fr.116.400.jpg",
                product.get(ProductField.IMAGE_URL));
        assertEquals("Farine complète de blé, eau, levure", product.get(ProductField.INGREDIENTS));
        assertEquals("en:gluten", product.get(ProductField.ALLERGENS));
        assertEquals("b", product.get(ProductField.NUTRISCORE_GRADE));
        assertEquals("4", product.get(ProductField.NOVA_GROUP));
        assertEquals("1742669182", product.get(ProductField.SOURCE_MODIFIED_AT));
    }

    @Test
    void flatNutrimentsAreMappedPer100Grams() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 1);

        assertEquals("246", product.get(ProductField.ENERGY_KCAL_100G));
        assertEquals("0.3", product.get(ProductField.SATURATED_FAT_100G));
        assertEquals("41", product.get(ProductField.CARBOHYDRATES_100G));
        assertEquals("3.6", product.get(ProductField.SUGARS_100G));
        assertEquals("6.7", product.get(ProductField.FIBER_100G));
        assertEquals("9.5", product.get(ProductField.PROTEINS_100G));
        assertEquals("1.1", product.get(ProductField.SALT_100G));
    }

    @Test
    void jsonNumbersKeepTheirExactDecimalText() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 1);

        assertEquals("3.40", product.get(ProductField.FAT_100G));
        assertEquals("0.440", product.get(ProductField.SODIUM_100G));
    }

    @Test
    void numbersAsStringsAreKeptExactly() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 3);

        assertEquals("40111445", product.get(ProductField.CODE), "a code given as a JSON number");
        assertEquals("12.5", product.get(ProductField.ENERGY_KCAL_100G));
        assertEquals("0.50", product.get(ProductField.FAT_100G));
        assertEquals("1e1", product.get(ProductField.SUGARS_100G));
        assertNull(product.get(ProductField.PROTEINS_100G), "an empty string is no value");
        assertEquals("4", product.get(ProductField.NOVA_GROUP));
        assertEquals("1700000000", product.get(ProductField.SOURCE_MODIFIED_AT));

        Product parsed = parsed(product, 3);
        assertEquals(0, new BigDecimal("10").compareTo(parsed.nutrition().sugars()));
        assertEquals(Integer.valueOf(4), parsed.novaGroup());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), parsed.sourceModifiedAt());
    }

    @Test
    void nulCharactersAreStrippedFromStrings() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 3);

        assertEquals("Chocolate Bar", product.get(ProductField.NAME));
        assertEquals("Ritter", product.get(ProductField.BRANDS));
        product.values().values().forEach(value -> assertFalse(value.contains("\u0000"), value));
    }

    @Test
    void aggregatedSetIsReadAndConvertedToGrams() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 2);

        assertNull(product.get(ProductField.ENERGY_KCAL_100G));
        assertEquals("1046", product.get(ProductField.ENERGY_KJ_100G), "energy given in kJ is handed on in kJ");
        assertEquals(0, new BigDecimal("250").compareTo(((ProductParser.Parsed) ProductParser.parse(product, "off", 2))
                .product().nutrition().energyKcal()), "and stored as kcal");
        assertEquals("1.5", product.get(ProductField.FAT_100G));
        assertEquals("0.5", product.get(ProductField.SATURATED_FAT_100G), "500 mg");
        assertEquals("4.2", product.get(ProductField.SUGARS_100G), "a value given as a string");
        assertEquals("0.0025", product.get(ProductField.FIBER_100G), "2500 µg");
        assertEquals("1", product.get(ProductField.SALT_100G), "1000 mg");
        assertEquals("0.4", product.get(ProductField.SODIUM_100G), "400 mg");
        assertNull(product.get(ProductField.CARBOHYDRATES_100G));
    }

    @Test
    void aggregatedNutrientWithAnUnknownUnitIsKeptAsUnparsed() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 2);

        assertNull(product.get(ProductField.PROTEINS_100G));
        assertEquals("2 IU", product.extra().get("unparsed.proteins_100g"));
    }

    @Test
    void aggregatedSetNotPer100GramsIsIgnored() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 8);

        assertNull(product.get(ProductField.SUGARS_100G), "per serving, not per 100 g");
    }

    @Test
    void flatNutrimentsWinOverTheAggregatedSetPerNutrient() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 4);

        assertEquals("30.9", product.get(ProductField.FAT_100G), "flat nutriments win");
        assertEquals("56.3", product.get(ProductField.SUGARS_100G), "only in the aggregated set, 56300 mg");
    }

    @Test
    void allergensFallBackToAllergensTagsWhenEmpty() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 4);

        assertEquals("en:milk,en:nuts", product.get(ProductField.ALLERGENS));
    }

    @Test
    void codeFallsBackToIdAndImageUrlToImageFrontUrl() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 8);

        assertEquals("5000112637922", product.get(ProductField.CODE));
        assertEquals("https://images.openfoodfacts.org/images/products/500/011/263/7922/front_en.3.400.jpg",
                product.get(ProductField.IMAGE_URL));
    }

    @Test
    void frontImageUrlIsBuiltFromImagesInTheProductLanguage() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 4);

        assertEquals("https://images.openfoodfacts.org/images/products/301/762/042/2003/front_fr.116.400.jpg",
                product.get(ProductField.IMAGE_URL), "front_fr (lang fr) rather than the earlier front_de");
    }

    @Test
    void frontImageUrlIsBuiltFromTheNewerSelectedImagesShape() throws Exception {
        RawProduct product = itemAt(readAll(sample(), 0), 2);

        assertEquals("https://images.openfoodfacts.org/images/products/004/119/691/0759/front_en.7.400.jpg",
                product.get(ProductField.IMAGE_URL), "12-digit code padded to 13 for the folder");
    }

    @Test
    void brokenJsonLineIsAMalformedLineFailureWithTheCodeSeenSoFar() throws Exception {
        SourceRecord.Failure failure = failureAt(readAll(sample(), 0), 5);

        assertEquals(ErrorType.MALFORMED_LINE, failure.error().type());
        assertEquals(5, failure.error().position());
        assertEquals("4000000000001", failure.error().barcode());
        assertTrue(failure.error().message().startsWith("line is not valid JSON"), failure.error().message());
    }

    @Test
    void lineThatIsNotAnObjectIsAMalformedLineFailure() throws Exception {
        SourceRecord.Failure failure = failureAt(readAll(sample(), 0), 6);

        assertEquals(ErrorType.MALFORMED_LINE, failure.error().type());
        assertNull(failure.error().barcode());
        assertEquals("line is not a JSON object (it holds an array)", failure.error().message());
    }

    @Test
    void twoDocumentsOnOneLineAreAMalformedLineFailure() throws Exception {
        SourceRecord.Failure failure = failureAt(readAll(sample(), 0), 9);

        assertEquals(ErrorType.MALFORMED_LINE, failure.error().type());
        assertEquals("4006381333931", failure.error().barcode());
    }

    @Test
    void mappedProductsPassTheCommonParser() throws Exception {
        List<SourceRecord> records = readAll(sample(), 0);

        Product bread = parsed(itemAt(records, 1), 1);
        assertEquals("03029330003533", bread.code().canonical());
        assertEquals(List.of("en:plant-based-foods", "en:breads", "en:wholemeal-sliced-breads"), bread.categories());
        assertEquals(Instant.ofEpochSecond(1_742_669_182L), bread.sourceModifiedAt());
        assertEquals("b", bread.nutriscoreGrade());
        assertEquals(Integer.valueOf(4), bread.novaGroup());

        Product soup = parsed(itemAt(records, 2), 2);
        Nutrition nutrition = soup.nutrition();
        assertEquals(0, new BigDecimal("250.0").compareTo(nutrition.energyKcal()));
        assertEquals(0, new BigDecimal("0.0025").compareTo(nutrition.fiber()));
        assertEquals(0, new BigDecimal("0.4").compareTo(nutrition.sodium()));
        assertEquals("2 IU", soup.extra().get("unparsed.proteins_100g"));
    }

    @Test
    void resumeSkipsLinesAtOrBeforeThePosition() throws Exception {
        List<SourceRecord> records = readAll(sample(), 2);

        assertEquals(List.of(3L, 4L, 5L, 6L, 8L, 9L), records.stream().map(SourceRecord::position).toList());
    }

    @Test
    void firstLineIsNotLostToTheFormatCheck() throws Exception {
        try (RecordStream stream = new OffJsonlSource("off", sample()).open(0)) {
            SourceRecord first = stream.next();
            assertEquals(1, first.position());
            assertEquals("3029330003533",
                    assertInstanceOf(SourceRecord.Item.class, first).product().get(ProductField.CODE));
        }
    }

    @Test
    void leadingBlankLinesAndAByteOrderMarkAreAccepted() throws Exception {
        Path withBom = write("bom.jsonl", "\uFEFF{\"code\":\"3017620422003\"}\n");
        Path withBlankLines = write("blank.jsonl", "\n  \n{\"code\":\"3017620422003\"}\n");

        List<SourceRecord> bomRecords = readAll(withBom, 0);
        assertEquals("3017620422003", itemAt(bomRecords, 1).get(ProductField.CODE));

        List<SourceRecord> blankRecords = readAll(withBlankLines, 0);
        assertEquals(List.of(2L, 3L), blankRecords.stream().map(SourceRecord::position).toList());
        assertEquals(ErrorType.MALFORMED_LINE, failureAt(blankRecords, 2).error().type(),
                "a line of spaces is not a document");
        assertEquals("3017620422003", itemAt(blankRecords, 3).get(ProductField.CODE));
    }

    @Test
    void gzipDumpReadsLikeThePlainFile() throws Exception {
        Path compressed = temporaryDirectory.resolve("openfoodfacts-products.jsonl.gz");
        Files.write(compressed, gzip(Files.readAllBytes(sample())));

        List<SourceRecord> plain = readAll(sample(), 0);
        List<SourceRecord> fromGzip = readAll(compressed, 0);

        assertEquals(plain.size(), fromGzip.size());
        for (int index = 0; index < plain.size(); index++) {
            SourceRecord expected = plain.get(index);
            SourceRecord actual = fromGzip.get(index);
            assertEquals(expected.position(), actual.position());
            if (expected instanceof SourceRecord.Item expectedItem) {
                RawProduct actualProduct = assertInstanceOf(SourceRecord.Item.class, actual).product();
                assertEquals(expectedItem.product().values(), actualProduct.values());
                assertEquals(expectedItem.product().extra(), actualProduct.extra());
            } else {
                assertEquals(((SourceRecord.Failure) expected).error(),
                        assertInstanceOf(SourceRecord.Failure.class, actual).error());
            }
        }
    }

    @Test
    void truncatedGzipEndsWithTruncatedInputAfterTheGoodLines() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int index = 0; index < 3000; index++) {
            content.append("{\"code\":\"").append(4_000_000_000_000L + index * 7919L)
                    .append("\",\"product_name\":\"Product ").append(index)
                    .append("\",\"nutriments\":{\"fat_100g\":").append(index % 97).append(".").append(index % 10)
                    .append("}}\n");
        }
        byte[] compressed = gzip(content.toString().getBytes(StandardCharsets.UTF_8));
        Path truncated = temporaryDirectory.resolve("openfoodfacts-products.jsonl.gz");
        Files.write(truncated, Arrays.copyOf(compressed, compressed.length / 2));

        List<SourceRecord> records = readAll(truncated, 0);

        assertTrue(records.size() > 1, "some lines are read before the cut");
        List<SourceRecord> good = records.subList(0, records.size() - 1);
        for (int index = 0; index < good.size(); index++) {
            SourceRecord.Item item = assertInstanceOf(SourceRecord.Item.class, good.get(index));
            assertEquals(index + 1, item.position());
            assertEquals("Product " + index, item.product().get(ProductField.NAME));
        }
        SourceRecord.Failure last = assertInstanceOf(SourceRecord.Failure.class, records.get(records.size() - 1));
        assertEquals(ErrorType.TRUNCATED_INPUT, last.error().type());
        assertEquals(good.size() + 1, last.position());
        assertTrue(good.size() < 3000);
    }

    @Test
    void nonJsonFileIsRefusedWithExitCode65() throws Exception {
        Path csv = write("en.openfoodfacts.org.products.csv", "code\turl\tproduct_name\n3029330003533\thttps://x\tPain\n");

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> new OffJsonlSource("off", csv).open(0));

        assertEquals(65, refused.exitCode());
        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
        assertTrue(refused.getMessage().contains("is not an Open Food Facts JSONL dump: line 1 is not a JSON object"),
                refused.getMessage());
    }

    @Test
    void prettyPrintedJsonIsRefused() throws Exception {
        Path pretty = write("product.json", "{\n  \"code\": \"3029330003533\"\n}\n");

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> new OffJsonlSource("off", pretty).open(0));

        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
    }

    @Test
    void firstLineThatIsAJsonArrayIsRefused() throws Exception {
        Path array = write("products.json", "[{\"code\":\"3029330003533\"}]\n");

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> new OffJsonlSource("off", array).open(0));

        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
    }

    @Test
    void emptyFileIsRefused() throws Exception {
        Path empty = write("empty.jsonl", "\n\n");

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> new OffJsonlSource("off", empty).open(0));

        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
        assertTrue(refused.getMessage().contains("no readable line"), refused.getMessage());
    }

    @Test
    void missingFileIsAConfigurationError() {
        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> new OffJsonlSource("off", temporaryDirectory.resolve("absent.jsonl")).open(0));

        assertEquals(ExitCode.CONFIG, refused.exitCode());
    }

    @Test
    void progressReachesTheFileSizeAtTheEnd() throws Exception {
        try (RecordStream stream = new OffJsonlSource("off", sample()).open(0)) {
            while (stream.next() != null) {
                assertTrue(stream.progress().done() <= stream.progress().total());
            }
            assertEquals(Files.size(sample()), stream.progress().done());
            assertEquals(1.0, stream.progress().fraction());
        }
    }
}
