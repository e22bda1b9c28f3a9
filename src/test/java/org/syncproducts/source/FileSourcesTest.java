package org.syncproducts.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;

class FileSourcesTest {

    @TempDir
    Path directory;

    private static byte[] offExport() throws IOException, URISyntaxException {
        return Files.readAllBytes(Path.of(FileSourcesTest.class.getResource(
                "/fixtures/off-csv/export-header-plus-2-rows.tsv").toURI()));
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(content);
        }
        return compressed.toByteArray();
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }

    private static ProductSource detected(Path path) {
        return FileSources.forFile(path, null, FileSources.defaultName(path));
    }

    private static List<RawProduct> items(ProductSource source) throws IOException {
        List<RawProduct> items = new ArrayList<>();
        try (RecordStream stream = source.open(0)) {
            for (SourceRecord record = stream.next(); record != null; record = stream.next()) {
                SourceRecord read = record;
                items.add(assertInstanceOf(SourceRecord.Item.class, read, () -> "not an item: " + read).product());
            }
        }
        return items;
    }

    @Test
    void openFoodFactsHeaderMakesAnOffCsvSourceEvenWhenNamedCsv() throws Exception {
        ProductSource source = detected(file("products.csv", offExport()));

        assertEquals("off-csv", source.type());
        assertEquals("products.csv", source.name());
        assertEquals(List.of("0025000044984", "04083637"),
                items(source).stream().map(product -> product.get(ProductField.CODE)).toList());
    }

    @Test
    void gzippedOpenFoodFactsExportIsDetectedFromItsDecompressedHeader() throws Exception {
        ProductSource source = detected(file("en.openfoodfacts.org.products.csv.gz", gzip(offExport())));

        assertEquals("off-csv", source.type());
        assertEquals("en.openfoodfacts.org.products.csv", source.name());
        assertEquals(2, items(source).size());
    }

    @Test
    void openFoodFactsHeaderAfterAByteOrderMarkIsDetected() throws Exception {
        byte[] export = offExport();
        byte[] withBom = new byte[export.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(export, 0, withBom, 3, export.length);

        assertEquals("off-csv", detected(file("export.tsv", withBom)).type());
    }

    @ParameterizedTest
    @CsvSource({"products.jsonl", "openfoodfacts-products.jsonl.gz", "delta.json.gz", "dump.ndjson", "PRODUCTS.JSONL"})
    void jsonLinesFileNamesMakeAnOffJsonlSource(String fileName) throws IOException {
        Path path = file(fileName, "{\"code\":\"3029330003533\"}\n");

        assertEquals("off-jsonl", detected(path).type());
    }

    @Test
    void fileStartingWithAJsonObjectIsJsonLinesWhateverItsName() throws IOException {
        ProductSource source = detected(file("products.txt", "{\"code\":\"3029330003533\",\"product_name\":\"Pain\"}\n"));

        assertEquals("off-jsonl", source.type());
        assertEquals("Pain", items(source).get(0).get(ProductField.NAME));
    }

    @Test
    void plainCsvWithAUpcColumnIsAutoMappedWithItsSemicolonDelimiter() throws IOException {
        ProductSource source = detected(file("feed.csv", "UPC;Description;Brand;Price\n036000291452;Lemonade, sparkling;Acme;1,99\n"));

        assertEquals("csv", source.type());
        RawProduct product = items(source).get(0);
        assertEquals("036000291452", product.get(ProductField.CODE));
        assertEquals("Lemonade, sparkling", product.get(ProductField.NAME));
        assertEquals("Acme", product.get(ProductField.BRANDS));
    }

    @Test
    void plainCsvWithABarcodeColumnIsAutoMappedWithCommas() throws IOException {
        ProductSource source = detected(file("feed.csv",
                "barcode,product_name,categories,fat_100g\n3029330003533,\"Pain, complet\",en:breads,3.4\n"));

        assertEquals("csv", source.type());
        RawProduct product = items(source).get(0);
        assertEquals("3029330003533", product.get(ProductField.CODE));
        assertEquals("Pain, complet", product.get(ProductField.NAME));
        assertEquals("en:breads", product.get(ProductField.CATEGORIES));
        assertEquals("3.4", product.get(ProductField.FAT_100G));
    }

    @Test
    void tabSeparatedFileThatIsNotAnExportIsAutoMappedAsCsv() throws IOException {
        ProductSource source = detected(file("feed.tsv", "EAN\tTitle\n4006381333931\tPen\n"));

        assertEquals("csv", source.type());
        assertEquals("Pen", items(source).get(0).get(ProductField.NAME));
    }

    @Test
    void pipeSeparatedFileWithQuotedHeaderNamesIsAutoMapped() throws IOException {
        ProductSource source = detected(file("feed.txt", "\"GTIN\"|\"Product Name\"\n00036000291452|Lemonade\n"));

        RawProduct product = items(source).get(0);
        assertEquals("00036000291452", product.get(ProductField.CODE));
        assertEquals("Lemonade", product.get(ProductField.NAME));
    }

    @Test
    void headerNamesWithSpacesAfterTheDelimiterAreAutoMapped() throws IOException {
        ProductSource source = detected(file("feed.csv", "upc, name, brand\n036000291452, Lemonade, Acme\n"));

        RawProduct product = items(source).get(0);
        assertEquals("036000291452", product.get(ProductField.CODE));
        assertEquals("Lemonade", product.get(ProductField.NAME).strip());
        assertEquals("Acme", product.get(ProductField.BRANDS).strip());
    }

    @Test
    void csvWithAByteOrderMarkIsAutoMapped() throws IOException {
        ProductSource source = detected(file("excel.csv", "\uFEFFUPC,Description\n036000291452,Lemonade\n"));

        RawProduct product = items(source).get(0);
        assertEquals("036000291452", product.get(ProductField.CODE));
        assertEquals("Lemonade", product.get(ProductField.NAME));
    }

    @Test
    void unmatchedColumnsAreNotMapped() throws IOException {
        RawProduct product = items(detected(file("feed.csv", "code,price,warehouse\n036000291452,1.99,B7\n"))).get(0);

        assertEquals("036000291452", product.get(ProductField.CODE));
        assertEquals(1, product.values().size(), product.values().toString());
    }

    @Test
    void csvWithoutACodeLikeColumnIsRefused() throws IOException {
        Path path = file("feed.csv", "sku,name\nA-17,Lemonade\n");

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> detected(path));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
        assertTrue(error.getMessage().contains("feed.csv"), error.getMessage());
        assertTrue(error.getMessage().contains("barcode"), error.getMessage());
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path path = file("feed.csv", "");

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> detected(path));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
    }

    @Test
    void declaredFormatWinsOverTheFileName() throws Exception {
        Path path = file("export.jsonl", offExport());

        ProductSource source = FileSources.forFile(path, "off-csv", "export");

        assertEquals("off-csv", source.type());
        assertEquals(2, items(source).size());
    }

    @Test
    void fileNotInTheDeclaredFormatIsRefusedWhenOpened() throws IOException {
        Path path = file("feed.csv", "UPC,Description\n036000291452,Lemonade\n");
        ProductSource source = FileSources.forFile(path, "off-csv", "feed");

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> source.open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
    }

    @Test
    void unknownDeclaredFormatIsAUsageError() throws IOException {
        Path path = file("feed.csv", "UPC\n036000291452\n");

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> FileSources.forFile(path, "xlsx", "feed"));

        assertEquals(ExitCode.USAGE, error.exitCode());
        assertTrue(error.getMessage().contains("xlsx"), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "en.openfoodfacts.org.products.csv.gz, en.openfoodfacts.org.products.csv",
            "openfoodfacts-products.jsonl.gz,      openfoodfacts-products.jsonl",
            "feed.csv,                             feed.csv",
            "archive.gz,                           archive",
            "gz,                                   gz",
    })
    void defaultNameIsTheFileNameWithoutGz(String fileName, String expected) {
        assertEquals(expected, FileSources.defaultName(Path.of("/data/incoming").resolve(fileName)));
    }

    @Test
    void defaultNameUsesOnlyTheFileName() {
        assertEquals("products.csv", FileSources.defaultName(Path.of("/srv/exports.gz/products.csv.gz")));
    }
}
