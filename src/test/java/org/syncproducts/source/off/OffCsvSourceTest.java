package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.Product;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.ProductParser;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.file.LineRecordStream;

class OffCsvSourceTest {

    private static final String SAMPLE = "/fixtures/off-csv/export-header-plus-2-rows.tsv";

    @TempDir
    Path directory;

    private static Path sample() throws URISyntaxException {
        return Path.of(OffCsvSourceTest.class.getResource(SAMPLE).toURI());
    }

    /** The export's real header line (210 tab-separated names). */
    private static String header() throws IOException, URISyntaxException {
        String content = Files.readString(sample(), StandardCharsets.UTF_8);
        return content.substring(0, content.indexOf('\n'));
    }

    private static List<String> columns() throws IOException, URISyntaxException {
        return Arrays.asList(header().split("\t", -1));
    }

    /** One export line: the given columns set, all others empty. */
    private static String row(Map<String, String> values) throws IOException, URISyntaxException {
        List<String> columns = columns();
        String[] fields = new String[columns.size()];
        Arrays.fill(fields, "");
        values.forEach((column, value) -> {
            int index = columns.indexOf(column);
            assertTrue(index >= 0, "no column " + column);
            fields[index] = value;
        });
        return String.join("\t", fields);
    }

    private static String row(String code, String name) throws IOException, URISyntaxException {
        return row(Map.of("code", code, "product_name", name));
    }

    /** Header, then the given lines, each ending in a newline. */
    private Path export(String fileName, String... lines) throws IOException, URISyntaxException {
        StringBuilder content = new StringBuilder(header()).append('\n');
        for (String line : lines) {
            content.append(line).append('\n');
        }
        return Files.writeString(directory.resolve(fileName), content, StandardCharsets.UTF_8);
    }

    private Path exportBytes(String fileName, byte[]... lines) throws IOException, URISyntaxException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(header().getBytes(StandardCharsets.UTF_8));
        content.write('\n');
        for (byte[] line : lines) {
            content.write(line);
            content.write('\n');
        }
        return Files.write(directory.resolve(fileName), content.toByteArray());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(compressed)) {
            out.write(content);
        }
        return compressed.toByteArray();
    }

    private static List<SourceRecord> readAll(Path path, long resumeAfter) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordStream stream = new OffCsvSource("off", path).open(resumeAfter)) {
            for (SourceRecord record = stream.next(); record != null; record = stream.next()) {
                records.add(record);
            }
            assertNull(stream.next(), "the stream stays at its end");
        }
        return records;
    }

    private static List<Long> positions(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::position).toList();
    }

    private static RawProduct itemAt(List<SourceRecord> records, long line) {
        SourceRecord record = records.stream().filter(candidate -> candidate.position() == line).findFirst()
                .orElseThrow(() -> new AssertionError("no record for line " + line + " in " + positions(records)));
        return assertInstanceOf(SourceRecord.Item.class, record, () -> "line " + line + ": " + record).product();
    }

    private static ItemError failureAt(List<SourceRecord> records, long line) {
        SourceRecord record = records.stream().filter(candidate -> candidate.position() == line).findFirst()
                .orElseThrow(() -> new AssertionError("no record for line " + line + " in " + positions(records)));
        ItemError error = assertInstanceOf(SourceRecord.Failure.class, record, () -> "line " + line).error();
        assertEquals(line, error.position(), "the error names its line");
        return error;
    }

    private static Product parsed(RawProduct raw, long line) {
        ProductParser.Result result = ProductParser.parse(raw, "src", line);
        return assertInstanceOf(ProductParser.Parsed.class, result, () -> "line " + line + ": " + result).product();
    }

    private static Map<ProductField, String> values(RawProduct product) {
        return new HashMap<>(product.values());
    }

    @Test
    void sourceDescribesItself() throws Exception {
        OffCsvSource source = new OffCsvSource("export", sample());

        assertEquals("export", source.name());
        assertEquals(OffCsvSource.TYPE, source.type());
        assertEquals("off-csv", source.type());
        assertTrue(source.fingerprint().contains("export-header-plus-2-rows.tsv"), source.fingerprint());
    }

    @Test
    void realExportRowsAreReadAtTheirLineNumbers() throws Exception {
        List<SourceRecord> records = readAll(sample(), 0);

        assertEquals(List.of(2L, 3L), positions(records), "line 1 is the header");
    }

    @Test
    void realExportRowIsMappedColumnByColumn() throws Exception {
        RawProduct lemonade = itemAt(readAll(sample(), 0), 2);

        assertEquals("0025000044984", lemonade.get(ProductField.CODE));
        assertEquals("Simply lemonade", lemonade.get(ProductField.NAME));
        assertEquals("en:beverages-and-beverages-preparations,en:beverages,en:carbonated-drinks,en:sodas,en:lemonade,"
                + "en:sweetened-beverages", lemonade.get(ProductField.CATEGORIES));
        assertEquals("50", lemonade.get(ProductField.ENERGY_KCAL_100G));
        assertEquals("0", lemonade.get(ProductField.FAT_100G));
        assertEquals("0", lemonade.get(ProductField.SATURATED_FAT_100G));
        assertEquals("12.5", lemonade.get(ProductField.CARBOHYDRATES_100G));
        assertEquals("11.67", lemonade.get(ProductField.SUGARS_100G));
        assertEquals("0", lemonade.get(ProductField.PROTEINS_100G));
        assertEquals("0.0159", lemonade.get(ProductField.SALT_100G));
        assertEquals("0.00636", lemonade.get(ProductField.SODIUM_100G));
        assertEquals("Contains pure filtered water, lemon juice, cane sugar, natural flavors.",
                lemonade.get(ProductField.INGREDIENTS));
        assertEquals("e", lemonade.get(ProductField.NUTRISCORE_GRADE));
        assertEquals("4", lemonade.get(ProductField.NOVA_GROUP));
        assertEquals("1774265353", lemonade.get(ProductField.SOURCE_MODIFIED_AT));
        assertNull(lemonade.get(ProductField.BRANDS), "an empty column is no value");
        assertNull(lemonade.get(ProductField.QUANTITY));
        assertNull(lemonade.get(ProductField.IMAGE_URL));
        assertNull(lemonade.get(ProductField.FIBER_100G));
        assertNull(lemonade.get(ProductField.ALLERGENS));
        assertEquals(Map.of(), lemonade.extra(), "unmapped columns are not kept");
    }

    @Test
    void realExportRowWithAccentsIsDecodedAsUtf8() throws Exception {
        RawProduct milk = itemAt(readAll(sample(), 0), 3);

        assertEquals("04083637", milk.get(ProductField.CODE));
        assertEquals("Lait concentré non sucré entier", milk.get(ProductField.NAME));
        assertEquals("Régilait", milk.get(ProductField.BRANDS));
        assertEquals("410 g", milk.get(ProductField.QUANTITY));
        assertEquals("en:milk", milk.get(ProductField.ALLERGENS));
        assertEquals("7.5", milk.get(ProductField.FAT_100G));
        assertEquals("Lait entier (origine UE), stabilisants : phosphates de sodium, carraghénanes",
                milk.get(ProductField.INGREDIENTS));
        assertEquals("c", milk.get(ProductField.NUTRISCORE_GRADE));
    }

    @Test
    void realExportRowsParseIntoProducts() throws Exception {
        List<SourceRecord> records = readAll(sample(), 0);
        Product lemonade = parsed(itemAt(records, 2), 2);
        Product milk = parsed(itemAt(records, 3), 3);

        assertEquals("00025000044984", lemonade.code().canonical());
        assertTrue(lemonade.code().checkDigitValid());
        assertEquals(6, lemonade.categories().size());
        assertEquals("en:beverages-and-beverages-preparations", lemonade.categories().get(0));
        assertEquals(0, new BigDecimal("12.5").compareTo(lemonade.nutrition().carbohydrates()));
        assertEquals(Instant.ofEpochSecond(1_774_265_353L), lemonade.sourceModifiedAt());
        assertEquals(4, lemonade.novaGroup());
        assertEquals(Map.of(), lemonade.extra());

        assertEquals("00000004083637", milk.code().canonical());
        assertEquals("04083637", milk.code().display());
        assertEquals(List.of("en:dairies", "en:evaporated-milks", "en:evaporated-milks-without-sugar",
                "fr:laits-entiers-concentres"), milk.categories());
    }

    @Test
    void gzipExportIsReadLikeThePlainOne() throws Exception {
        Path compressed = Files.write(directory.resolve("products.csv.gz"), gzip(Files.readAllBytes(sample())));

        List<SourceRecord> plain = readAll(sample(), 0);
        List<SourceRecord> unzipped = readAll(compressed, 0);

        assertEquals(positions(plain), positions(unzipped));
        for (SourceRecord record : plain) {
            assertEquals(values(itemAt(plain, record.position())), values(itemAt(unzipped, record.position())));
        }
    }

    @Test
    void gzipIsRecognizedByItsContentNotItsName() throws Exception {
        Path compressed = Files.write(directory.resolve("products.csv"), gzip(Files.readAllBytes(sample())));

        assertEquals(List.of(2L, 3L), positions(readAll(compressed, 0)));
    }

    @Test
    void windowsLineEndingsAreAccepted() throws Exception {
        String content = Files.readString(sample(), StandardCharsets.UTF_8).replace("\n", "\r\n");
        Path crlf = Files.writeString(directory.resolve("crlf.csv"), content, StandardCharsets.UTF_8);

        List<SourceRecord> records = readAll(crlf, 0);

        assertEquals(values(itemAt(readAll(sample(), 0), 3)), values(itemAt(records, 3)));
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() throws Exception {
        Path withBom = Files.writeString(directory.resolve("bom.csv"),
                "\uFEFF" + Files.readString(sample(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        assertEquals("0025000044984", itemAt(readAll(withBom, 0), 2).get(ProductField.CODE));
    }

    @Test
    void emptyLinesAreSkippedButCounted() throws Exception {
        Path file = export("blank.csv", row("3029330003533", "Bread"), "", row("4006381333931", "Pen"));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(List.of(2L, 4L), positions(records));
    }

    @Test
    void lineWithTooFewTabsIsAMalformedLineAndReadingGoesOn() throws Exception {
        String good = row("3029330003533", "Bread");
        String missingTab = good.replaceFirst("\t", "");
        Path file = export("short.csv", good, missingTab, row("4006381333931", "Pen"));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(List.of(2L, 3L, 4L), positions(records));
        ItemError error = failureAt(records, 3);
        assertEquals(ErrorType.MALFORMED_LINE, error.type());
        assertTrue(error.message().contains("expected " + columns().size()), error.message());
        assertTrue(error.message().contains("found " + (columns().size() - 1)), error.message());
        assertEquals("Bread", itemAt(records, 2).get(ProductField.NAME));
        assertEquals("Pen", itemAt(records, 4).get(ProductField.NAME));
    }

    @Test
    void lineWithTooManyTabsIsAMalformedLineNamingItsBarcode() throws Exception {
        Path file = export("long.csv", row("3029330003533", "Bread") + "\tsurplus", row("4006381333931", "Pen"));

        List<SourceRecord> records = readAll(file, 0);

        ItemError error = failureAt(records, 2);
        assertEquals(ErrorType.MALFORMED_LINE, error.type());
        assertEquals("3029330003533", error.barcode());
        assertTrue(error.message().contains("found " + (columns().size() + 1)), error.message());
        assertEquals("Pen", itemAt(records, 3).get(ProductField.NAME));
    }

    /** Columns past the last mapped one are counted, not located: a count off by any amount is still found. */
    @Test
    void everyColumnCountButTheHeadersIsAMalformedLine() throws Exception {
        String good = row("3029330003533", "Bread");
        Path file = export("counts.csv", good, "3029330003533\tcut\tshort", good + "\t\t\t\t\t\t\t\t\t",
                good.substring(0, good.lastIndexOf('\t')), good + "\t" + good, good);

        List<SourceRecord> records = readAll(file, 0);

        assertEquals("found 3", failureAt(records, 3).message().replaceAll(".*(found \\d+).*", "$1"));
        assertTrue(failureAt(records, 4).message().contains("found " + (columns().size() + 9)));
        assertTrue(failureAt(records, 5).message().contains("found " + (columns().size() - 1)));
        assertTrue(failureAt(records, 6).message().contains("found " + (2 * columns().size())));
        assertEquals("Bread", itemAt(records, 2).get(ProductField.NAME));
        assertEquals("Bread", itemAt(records, 7).get(ProductField.NAME));
    }

    @Test
    void invalidUtf8IsAnEncodingFailureAndReadingGoesOn() throws Exception {
        byte[] good = utf8(row("3029330003533", "Bread"));
        byte[] latin1 = row("4006381333931", "Cr\u00e8me").getBytes(StandardCharsets.ISO_8859_1);
        Path file = exportBytes("latin1.csv", good, latin1, utf8(row("5901234123457", "Crème")));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(List.of(2L, 3L, 4L), positions(records));
        assertEquals(ErrorType.INVALID_ENCODING, failureAt(records, 3).type());
        assertEquals("Crème", itemAt(records, 4).get(ProductField.NAME), "valid multi-byte UTF-8 is fine");
    }

    @Test
    void truncatedMultiByteCharacterIsAnEncodingFailure() throws Exception {
        byte[] cut = utf8(row("3029330003533", "Caf\u00e9"));
        for (int i = 0; i < cut.length; i++) {
            if (cut[i] == (byte) 0xA9) {
                cut[i] = 'e'; // 'é' is C3 A9: keep its first byte without a valid second one
            }
        }
        Path file = exportBytes("cut.csv", cut, utf8(row("4006381333931", "Pen")));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(ErrorType.INVALID_ENCODING, failureAt(records, 2).type());
        assertEquals("Pen", itemAt(records, 3).get(ProductField.NAME));
    }

    @Test
    void replacementCharacterWrittenAsValidUtf8IsText() throws Exception {
        Path file = export("fffd.csv", row("3029330003533", "Odd \uFFFD name"));

        assertEquals("Odd \uFFFD name", itemAt(readAll(file, 0), 2).get(ProductField.NAME));
    }

    @Test
    void nulByteIsAFailureAndReadingGoesOn() throws Exception {
        Path file = export("nul.csv", row("3029330003533", "Bread"), row("4006381333931", "P\u0000en"),
                row("5901234123457", "Ink"));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(ErrorType.NUL_BYTE, failureAt(records, 3).type());
        assertEquals("Bread", itemAt(records, 2).get(ProductField.NAME));
        assertEquals("Ink", itemAt(records, 4).get(ProductField.NAME));
    }

    @Test
    void nulByteAfterNonAsciiTextIsStillFound() throws Exception {
        Path file = export("nul-late.csv", row("3029330003533", "Crème\u0000brûlée"));

        assertEquals(ErrorType.NUL_BYTE, failureAt(readAll(file, 0), 2).type());
    }

    @Test
    void overlongLineIsSkippedAsTooLongAndReadingGoesOn() throws Exception {
        Path file = directory.resolve("overlong.csv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(utf8(header() + "\n" + row("3029330003533", "Bread") + "\n"));
            out.write(utf8(row("4006381333931", "Huge")));
            byte[] filler = new byte[1 << 16];
            Arrays.fill(filler, (byte) 'x');
            for (long written = 0; written <= LineRecordStream.MAX_LINE_BYTES; written += filler.length) {
                out.write(filler);
            }
            out.write(utf8("\n" + row("5901234123457", "Ink") + "\n"));
        }

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(List.of(2L, 3L, 4L), positions(records));
        ItemError error = failureAt(records, 3);
        assertEquals(ErrorType.LINE_TOO_LONG, error.type());
        assertEquals("Ink", itemAt(records, 4).get(ProductField.NAME));
    }

    @Test
    void truncatedGzipEndsWithATruncatedInputFailureAfterTheLinesBeforeTheCut() throws Exception {
        Random random = new Random(42);
        StringBuilder content = new StringBuilder(header()).append('\n');
        int rows = 400;
        for (int i = 0; i < rows; i++) {
            StringBuilder name = new StringBuilder();
            for (int letter = 0; letter < 40; letter++) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            content.append(row(Long.toString(3_000_000_000_000L + i), name.toString())).append('\n');
        }
        byte[] compressed = gzip(utf8(content.toString()));
        Path file = Files.write(directory.resolve("truncated.csv.gz"), Arrays.copyOf(compressed, compressed.length / 2));

        List<SourceRecord> records = readAll(file, 0);

        SourceRecord last = records.get(records.size() - 1);
        ItemError error = assertInstanceOf(SourceRecord.Failure.class, last).error();
        assertEquals(ErrorType.TRUNCATED_INPUT, error.type());
        assertTrue(error.type().retryable());
        List<SourceRecord> before = records.subList(0, records.size() - 1);
        assertTrue(before.size() >= 50, "the lines before the cut load: " + before.size());
        assertTrue(before.size() < rows, "the lines after the cut do not: " + before.size());
        for (int i = 0; i < before.size(); i++) {
            RawProduct product = assertInstanceOf(SourceRecord.Item.class, before.get(i)).product();
            assertEquals(i + 2, before.get(i).position());
            assertEquals(Long.toString(3_000_000_000_000L + i), product.get(ProductField.CODE));
        }
        assertEquals(before.size() + 2, last.position(), "the failure is at the first line not read whole");
        assertEquals(last.position(), error.position());
    }

    @Test
    void gzipCutInsideItsTrailerStillYieldsEveryLineThenTheFailure() throws Exception {
        byte[] compressed = gzip(Files.readAllBytes(sample()));
        Path file = Files.write(directory.resolve("trailer.csv.gz"), Arrays.copyOf(compressed, compressed.length - 4));

        List<SourceRecord> records = readAll(file, 0);

        assertEquals(List.of(2L, 3L, 4L), positions(records));
        assertEquals("0025000044984", itemAt(records, 2).get(ProductField.CODE));
        assertEquals("04083637", itemAt(records, 3).get(ProductField.CODE));
        assertEquals(ErrorType.TRUNCATED_INPUT, failureAt(records, 4).type());
    }

    @Test
    void headerMissingMappedColumnsIsRefusedWhenOpened() throws Exception {
        List<String> columns = new ArrayList<>(columns());
        columns.remove("nova_group");
        columns.remove("last_modified_t");
        Path file = Files.writeString(directory.resolve("old-export.csv"), String.join("\t", columns) + "\n",
                StandardCharsets.UTF_8);
        OffCsvSource source = new OffCsvSource("off", file);

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> source.open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
        assertTrue(error.getMessage().contains("last_modified_t, nova_group"), error.getMessage());
    }

    @Test
    void fileThatIsNotAnExportIsRefusedWhenOpened() throws Exception {
        Path file = Files.writeString(directory.resolve("products.csv"), "UPC,Description\n036000291452,Lemonade\n");

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> new OffCsvSource("off", file).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
        assertTrue(error.getMessage().contains("code"), error.getMessage());
    }

    @Test
    void emptyFileIsRefusedWhenOpened() throws Exception {
        Path file = Files.write(directory.resolve("empty.csv"), new byte[0]);

        SyncProductsException error = assertThrows(SyncProductsException.class, () -> new OffCsvSource("off", file).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
    }

    @Test
    void headerWithColumnsInAnotherOrderIsMappedByName() throws Exception {
        List<String> columns = new ArrayList<>(columns());
        columns.remove("product_name");
        columns.add("product_name");
        String[] fields = new String[columns.size()];
        Arrays.fill(fields, "");
        fields[columns.indexOf("code")] = "3029330003533";
        fields[columns.indexOf("product_name")] = "Bread";
        Path file = Files.writeString(directory.resolve("reordered.csv"),
                String.join("\t", columns) + "\n" + String.join("\t", fields) + "\n", StandardCharsets.UTF_8);

        RawProduct product = itemAt(readAll(file, 0), 2);

        assertEquals("3029330003533", product.get(ProductField.CODE));
        assertEquals("Bread", product.get(ProductField.NAME));
    }

    @Test
    void resumingSkipsEveryLineAtOrBeforeTheCheckpoint() throws Exception {
        Path file = export("resume.csv", row("3029330003533", "Bread"), row("4006381333931", "Pen"),
                row("5901234123457", "Ink"));

        assertEquals(List.of(2L, 3L, 4L), positions(readAll(file, 0)));
        assertEquals(List.of(3L, 4L), positions(readAll(file, 2)));
        assertEquals(List.of(4L), positions(readAll(file, 3)));
        assertEquals(List.of(), positions(readAll(file, 4)));
        assertEquals("Ink", itemAt(readAll(file, 3), 4).get(ProductField.NAME));
    }

    @Test
    void resumingAlsoSkipsFailuresBeforeTheCheckpoint() throws Exception {
        Path file = export("resume-bad.csv", row("3029330003533", "P\u0000en"), row("5901234123457", "Ink"));

        assertEquals(List.of(3L), positions(readAll(file, 2)));
    }

    @Test
    void progressCountsTheBytesOfThePlainFile() throws Exception {
        Path file = export("progress.csv", row("3029330003533", "Bread"), row("4006381333931", "Pen"));
        long size = Files.size(file);

        try (RecordStream stream = new OffCsvSource("off", file).open(0)) {
            assertNotNullRecord(stream.next());
            InputProgress during = stream.progress();
            assertEquals(size, during.total());
            assertTrue(during.done() > 0 && during.done() <= size, during.toString());
            while (stream.next() != null) {
                // read to the end
            }
            assertEquals(new InputProgress(size, size), stream.progress());
            assertEquals(1.0, stream.progress().fraction());
        }
    }

    @Test
    void progressOfAGzipFileCountsCompressedBytes() throws Exception {
        byte[] plain = Files.readAllBytes(sample());
        Path file = Files.write(directory.resolve("progress.csv.gz"), gzip(plain));
        long size = Files.size(file);

        try (RecordStream stream = new OffCsvSource("off", file).open(0)) {
            while (stream.next() != null) {
                // read to the end
            }
            assertEquals(size, stream.progress().total());
            assertTrue(size < plain.length, "the total is the compressed size");
            assertEquals(size, stream.progress().done());
        }
    }

    @Test
    void recordsKeepTheirValuesAfterLaterLinesAreRead() throws Exception {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("code", "3029330003533");
        first.put("product_name", "A long first product name");
        first.put("brands", "Jacquet");
        Path file = export("reuse.csv", row(first), row("4006381333931", "Pen"));

        List<SourceRecord> records = readAll(file, 0);

        RawProduct product = itemAt(records, 2);
        assertEquals("A long first product name", product.get(ProductField.NAME));
        assertEquals("Jacquet", product.get(ProductField.BRANDS));
        assertFalse(product.values().containsValue("Pen"));
    }

    private static void assertNotNullRecord(SourceRecord record) {
        assertTrue(record != null, "expected a record");
    }
}
