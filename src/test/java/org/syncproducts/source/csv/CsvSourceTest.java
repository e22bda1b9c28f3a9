package org.syncproducts.source.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

class CsvSourceTest {

    private static final Map<ProductField, String> CODE_AND_NAME = Map.of(ProductField.CODE, "code", ProductField.NAME, "name");

    @TempDir
    Path directory;

    private static CsvOptions options(char delimiter, Character quote, boolean header, Charset encoding,
                                      Map<ProductField, String> mapping, Map<String, String> extra) {
        return new CsvOptions(delimiter, quote, header, encoding, mapping, extra);
    }

    private static CsvOptions commaSeparated(Map<ProductField, String> mapping) {
        return options(',', '"', true, StandardCharsets.UTF_8, mapping, Map.of());
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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

    private static List<SourceRecord> readAll(Path path, CsvOptions options, long resumeAfter) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordStream stream = new CsvSource("feed", path, options).open(resumeAfter)) {
            for (SourceRecord record = stream.next(); record != null; record = stream.next()) {
                records.add(record);
            }
            assertNull(stream.next(), "the stream stays at its end");
        }
        return records;
    }

    private static List<SourceRecord> readAll(Path path, CsvOptions options) throws IOException {
        return readAll(path, options, 0);
    }

    private static List<Long> positions(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::position).toList();
    }

    private static RawProduct item(SourceRecord record) {
        return assertInstanceOf(SourceRecord.Item.class, record, () -> "not an item: " + record).product();
    }

    private static ItemError failure(SourceRecord record) {
        return assertInstanceOf(SourceRecord.Failure.class, record, () -> "not a failure: " + record).error();
    }

    private static Product parsed(RawProduct raw, long position) {
        ProductParser.Result result = ProductParser.parse(raw, "src", position);
        return assertInstanceOf(ProductParser.Parsed.class, result, () -> "refused: " + result).product();
    }

    @Test
    void sourceDescribesItself() throws IOException {
        Path path = file("feed.csv", "code,name\n");
        CsvSource source = new CsvSource("feed", path, commaSeparated(CODE_AND_NAME));

        assertEquals("feed", source.name());
        assertEquals("csv", source.type());
        assertTrue(source.fingerprint().startsWith(path.toAbsolutePath().toString()), source.fingerprint());
    }

    @Test
    void commaSeparatedFileIsMappedByHeaderNamesAndPositionedByRecordNumber() throws IOException {
        Path path = file("feed.csv", "code,name,brand\n3029330003533,Pain complet,Jacquet\n4006381333931,Pen,Stabilo\n");
        Map<ProductField, String> mapping = Map.of(ProductField.CODE, "code", ProductField.NAME, "name",
                ProductField.BRANDS, "brand");

        List<SourceRecord> records = readAll(path, commaSeparated(mapping));

        assertEquals(List.of(1L, 2L), positions(records), "the header is not a record");
        assertEquals("3029330003533", item(records.get(0)).get(ProductField.CODE));
        assertEquals("Pain complet", item(records.get(0)).get(ProductField.NAME));
        assertEquals("Jacquet", item(records.get(0)).get(ProductField.BRANDS));
        assertEquals("Stabilo", item(records.get(1)).get(ProductField.BRANDS));
    }

    @Test
    void semicolonDelimitedFileIsRead() throws IOException {
        Path path = file("feed.csv", "UPC;Description;Price\n036000291452;Lemonade, sparkling;1,99\n");
        CsvOptions options = options(';', '"', true, StandardCharsets.UTF_8,
                Map.of(ProductField.CODE, "UPC", ProductField.NAME, "Description"), Map.of());

        RawProduct product = item(readAll(path, options).get(0));

        assertEquals("036000291452", product.get(ProductField.CODE));
        assertEquals("Lemonade, sparkling", product.get(ProductField.NAME), "a comma is text here");
    }

    @Test
    void customQuoteCharacterProtectsDelimitersAndIsEscapedByDoubling() throws IOException {
        Path path = file("feed.csv", "code,name\n'3029330003533','Pain, complet'\n'4006381333931','It''s a pen'\n");
        CsvOptions options = options(',', '\'', true, StandardCharsets.UTF_8, CODE_AND_NAME, Map.of());

        List<SourceRecord> records = readAll(path, options);

        assertEquals("3029330003533", item(records.get(0)).get(ProductField.CODE));
        assertEquals("Pain, complet", item(records.get(0)).get(ProductField.NAME));
        assertEquals("It's a pen", item(records.get(1)).get(ProductField.NAME));
    }

    @Test
    void withoutQuotingQuoteCharactersAreText() throws IOException {
        Path path = file("feed.csv", "code|name\n3029330003533|12\" pizza\n");
        CsvOptions options = options('|', null, true, StandardCharsets.UTF_8, CODE_AND_NAME, Map.of());

        assertEquals("12\" pizza", item(readAll(path, options).get(0)).get(ProductField.NAME));
    }

    @Test
    void quotedFieldsMayHoldNewlinesDelimitersAndQuotes() throws IOException {
        Path path = file("feed.csv", "code,name,brand\n"
                + "3029330003533,\"Pain\ncomplet\",\"Jacquet, \"\"Brioche\"\" SA\"\n"
                + "4006381333931,Pen,Stabilo\n");
        Map<ProductField, String> mapping = Map.of(ProductField.CODE, "code", ProductField.NAME, "name",
                ProductField.BRANDS, "brand");

        List<SourceRecord> records = readAll(path, commaSeparated(mapping));

        assertEquals(List.of(1L, 2L), positions(records));
        assertEquals("Pain\ncomplet", item(records.get(0)).get(ProductField.NAME));
        assertEquals("Jacquet, \"Brioche\" SA", item(records.get(0)).get(ProductField.BRANDS));
        assertEquals("Pen", item(records.get(1)).get(ProductField.NAME));
    }

    @Test
    void withoutHeaderColumnsAreNumberedFromOne() throws IOException {
        Path path = file("feed.csv", "036000291452;Lemonade;Acme\n3029330003533;Pain complet;Jacquet\n");
        CsvOptions options = options(';', '"', false, StandardCharsets.UTF_8,
                Map.of(ProductField.CODE, "1", ProductField.BRANDS, "3"), Map.of());

        List<SourceRecord> records = readAll(path, options);

        assertEquals(List.of(1L, 2L), positions(records), "the first line is a record");
        assertEquals("036000291452", item(records.get(0)).get(ProductField.CODE));
        assertEquals("Acme", item(records.get(0)).get(ProductField.BRANDS));
        assertNull(item(records.get(0)).get(ProductField.NAME), "column 2 is not mapped");
        assertEquals("Jacquet", item(records.get(1)).get(ProductField.BRANDS));
    }

    @Test
    void withoutHeaderAColumnNameIsAConfigurationError() throws IOException {
        Path path = file("feed.csv", "036000291452;Lemonade\n");
        CsvOptions options = options(';', '"', false, StandardCharsets.UTF_8, Map.of(ProductField.CODE, "UPC"), Map.of());

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> new CsvSource("feed", path, options).open(0));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertTrue(error.getMessage().contains("UPC"), error.getMessage());
    }

    @Test
    void latin1FileIsDecodedWithItsDeclaredEncoding() throws IOException {
        Path path = file("feed.csv", "code,name,brand\n3029330003533,Crème brûlée,Régilait\n".getBytes(StandardCharsets.ISO_8859_1));
        CsvOptions options = options(',', '"', true, StandardCharsets.ISO_8859_1,
                Map.of(ProductField.CODE, "code", ProductField.NAME, "name", ProductField.BRANDS, "brand"), Map.of());

        RawProduct product = item(readAll(path, options).get(0));

        assertEquals("Crème brûlée", product.get(ProductField.NAME));
        assertEquals("Régilait", product.get(ProductField.BRANDS));
    }

    @Test
    void invalidUtf8InAUtf8FileIsAnEncodingFailureAndReadingGoesOn() throws IOException {
        Path path = file("feed.csv", concat(
                utf8("code,name\n3029330003533,Bread\n"),
                utf8("4006381333931,Cr"), new byte[] {(byte) 0xE8}, utf8("me\n"),
                utf8("5901234123457,Crème\n")));

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(List.of(1L, 2L, 3L), positions(records));
        assertEquals("Bread", item(records.get(0)).get(ProductField.NAME));
        ItemError error = failure(records.get(1));
        assertEquals(ErrorType.INVALID_ENCODING, error.type());
        assertEquals(3, error.position(), "the line the record starts on");
        assertEquals("Crème", item(records.get(2)).get(ProductField.NAME));
    }

    @Test
    void nulInAFieldIsAFailureNamingTheBarcode() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533,Br\u0000ead\n4006381333931,Pen\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        ItemError error = failure(records.get(0));
        assertEquals(ErrorType.NUL_BYTE, error.type());
        assertEquals(2, error.position());
        assertEquals("3029330003533", error.barcode());
        assertEquals("Pen", item(records.get(1)).get(ProductField.NAME));
    }

    @Test
    void nulInAnUnmappedFieldIsAFailureToo() throws IOException {
        Path path = file("feed.csv", "code,name,notes\n3029330003533,Bread,a\u0000b\n");

        assertEquals(ErrorType.NUL_BYTE, failure(readAll(path, commaSeparated(CODE_AND_NAME)).get(0)).type());
    }

    @Test
    void recordWithTooFewFieldsIsAMalformedLineAtTheLineItStartsOn() throws IOException {
        Path path = file("feed.csv", "code,name,brand\n"
                + "3029330003533,\"Pain\ncomplet\",Jacquet\n"
                + "4006381333931\n"
                + "5901234123457,Ink,Pelikan\n");
        Map<ProductField, String> mapping = Map.of(ProductField.CODE, "code", ProductField.NAME, "name",
                ProductField.BRANDS, "brand");

        List<SourceRecord> records = readAll(path, commaSeparated(mapping));

        assertEquals(List.of(1L, 2L, 3L), positions(records));
        ItemError error = failure(records.get(1));
        assertEquals(ErrorType.MALFORMED_LINE, error.type());
        assertEquals(4, error.position(), "line 1 is the header, the first record spans lines 2 and 3");
        assertEquals("Ink", item(records.get(2)).get(ProductField.NAME));
    }

    @Test
    void unterminatedQuoteCostsOneLineAndReadingResumesAtTheNextLine() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533,Bread\n4006381333931,\"Pen\n5901234123457,Ink\n"
                + "036000291452,Lemonade\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(List.of(1L, 2L, 3L, 4L), positions(records));
        assertEquals("Bread", item(records.get(0)).get(ProductField.NAME));
        ItemError error = failure(records.get(1));
        assertEquals(ErrorType.MALFORMED_LINE, error.type());
        assertEquals(3, error.position());
        assertTrue(error.message().contains("never closed"), error.message());
        assertEquals("Ink", item(records.get(2)).get(ProductField.NAME));
        assertEquals("Lemonade", item(records.get(3)).get(ProductField.NAME));
    }

    @Test
    void oversizedFieldIsALineTooLongAndTheRecordsAroundItAreRead() throws IOException {
        String huge = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 1000);
        Path path = file("feed.csv", "code,name\n3029330003533,Bread\n4006381333931,\"" + huge + "\"\n"
                + "5901234123457," + huge + "\n036000291452,Lemonade\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(List.of(1L, 2L, 3L, 4L), positions(records));
        assertEquals(ErrorType.LINE_TOO_LONG, failure(records.get(1)).type());
        assertEquals(3, failure(records.get(1)).position());
        assertEquals(ErrorType.LINE_TOO_LONG, failure(records.get(2)).type());
        assertEquals(4, failure(records.get(2)).position());
        assertEquals("Lemonade", item(records.get(3)).get(ProductField.NAME));
    }

    @Test
    void recordWithTooManyFieldsIsAMalformedLine() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533," + ",".repeat(CsvRecordReader.MAX_FIELDS + 5)
                + "\n4006381333931,Pen\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(ErrorType.MALFORMED_LINE, failure(records.get(0)).type());
        assertEquals("Pen", item(records.get(1)).get(ProductField.NAME));
    }

    @Test
    void linesAfterEncodingAndNulFailuresAreNumberedRight() throws IOException {
        Path path = file("feed.csv", concat(utf8("code,name\n3029330003533,Bread\n4006381333931,Cr"),
                new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("me\n5901234123457,a\u0000b\n036000291452\n"
                        + "3017620422003,\"Nutella\"x\n\n76222,Pen\n")));

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(List.of(3L, 4L, 5L, 6L), records.subList(1, 5).stream()
                .map(record -> failure(record).position()).toList(), records.toString());
        assertEquals(List.of(ErrorType.INVALID_ENCODING, ErrorType.NUL_BYTE, ErrorType.MALFORMED_LINE,
                ErrorType.MALFORMED_LINE), records.subList(1, 5).stream().map(record -> failure(record).type()).toList());
        assertEquals("Pen", item(records.get(5)).get(ProductField.NAME));
    }

    @Test
    void truncatedGzipIsATruncatedInputFailureAfterTheRecordsBeforeIt() throws IOException {
        StringBuilder content = new StringBuilder("code,name\n");
        for (int i = 0; i < 2000; i++) {
            content.append(3_000_000_000_000L + i).append(",Product number ").append(i * 7919L % 10007).append('\n');
        }
        byte[] compressed = gzip(utf8(content.toString()));
        Path path = file("feed.csv.gz", Arrays.copyOf(compressed, compressed.length / 2));

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        ItemError error = failure(records.get(records.size() - 1));
        assertEquals(ErrorType.TRUNCATED_INPUT, error.type());
        assertTrue(records.size() > 100, "records before the cut are read: " + records.size());
        assertTrue(records.size() < 2000, "records after the cut are not: " + records.size());
        for (SourceRecord record : records.subList(0, records.size() - 1)) {
            assertEquals(Long.toString(3_000_000_000_000L + record.position() - 1), item(record).get(ProductField.CODE));
        }
    }

    @Test
    void gzipFileIsRead() throws IOException {
        Path path = file("feed.csv.gz", gzip(utf8("code,name\n3029330003533,Bread\n")));

        assertEquals("Bread", item(readAll(path, commaSeparated(CODE_AND_NAME)).get(0)).get(ProductField.NAME));
    }

    @Test
    void mappedColumnMissingFromTheHeaderIsRefusedWhenOpened() throws IOException {
        Path path = file("feed.csv", "code,title\n3029330003533,Bread\n");
        Map<ProductField, String> mapping = Map.of(ProductField.CODE, "code", ProductField.NAME, "name",
                ProductField.BRANDS, "brand");

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> new CsvSource("feed", path, commaSeparated(mapping)).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
        assertTrue(error.getMessage().contains("brand, name"), error.getMessage());
        assertTrue(error.getMessage().contains("'feed'"), error.getMessage());
    }

    @Test
    void headerNamesAreMatchedExactly() throws IOException {
        Path path = file("feed.csv", "Code,Name\n3029330003533,Bread\n");

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> new CsvSource("feed", path, commaSeparated(CODE_AND_NAME)).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
    }

    @Test
    void emptyFileIsRefusedWhenOpened() throws IOException {
        Path path = file("feed.csv", "");

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> new CsvSource("feed", path, commaSeparated(CODE_AND_NAME)).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        Path path = file("excel.csv", "\uFEFFcode,name\n3029330003533,Bread\n");

        RawProduct product = item(readAll(path, commaSeparated(CODE_AND_NAME)).get(0));

        assertEquals("3029330003533", product.get(ProductField.CODE));
        assertEquals("Bread", product.get(ProductField.NAME));
    }

    @Test
    void extraColumnsEndUpInTheProductsExtraValues() throws IOException {
        Path path = file("feed.csv", "code,name,Price,Aisle\n3029330003533,Bread,2.49,\n");
        CsvOptions options = options(',', '"', true, StandardCharsets.UTF_8, CODE_AND_NAME,
                Map.of("price", "Price", "aisle", "Aisle"));

        RawProduct raw = item(readAll(path, options).get(0));

        assertEquals(Map.of("price", "2.49"), raw.extra(), "an empty value is not kept");
        assertEquals(Map.of("price", "2.49"), parsed(raw, 1).extra());
    }

    @Test
    void extraColumnsCanBeNumberedWithoutAHeader() throws IOException {
        Path path = file("feed.csv", "3029330003533,Bread,2.49\n");
        CsvOptions options = options(',', '"', false, StandardCharsets.UTF_8, Map.of(ProductField.CODE, "1"),
                Map.of("price", "3"));

        assertEquals(Map.of("price", "2.49"), item(readAll(path, options).get(0)).extra());
    }

    @Test
    void extraColumnMissingFromTheHeaderIsRefusedWhenOpened() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533,Bread\n");
        CsvOptions options = options(',', '"', true, StandardCharsets.UTF_8, CODE_AND_NAME, Map.of("price", "Price"));

        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> new CsvSource("feed", path, options).open(0));

        assertEquals(ExitCode.DATA_ERROR, error.exitCode());
        assertTrue(error.getMessage().contains("Price"), error.getMessage());
    }

    @Test
    void emptyLinesAreIgnored() throws IOException {
        Path path = file("feed.csv", "code,name\n\n3029330003533,Bread\n\n\n4006381333931,Pen\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME));

        assertEquals(List.of(1L, 2L), positions(records));
        assertEquals("Pen", item(records.get(1)).get(ProductField.NAME));
    }

    @Test
    void windowsLineEndingsAreNotPartOfTheLastField() throws IOException {
        Path path = file("feed.csv", "code,name\r\n3029330003533,Bread\r\n");

        assertEquals("Bread", item(readAll(path, commaSeparated(CODE_AND_NAME)).get(0)).get(ProductField.NAME));
    }

    @Test
    void resumingSkipsRecordsAtOrBeforeTheCheckpoint() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533,Bread\n4006381333931,Pen\n5901234123457,Ink\n");

        List<SourceRecord> records = readAll(path, commaSeparated(CODE_AND_NAME), 2);

        assertEquals(List.of(3L), positions(records));
        assertEquals("Ink", item(records.get(0)).get(ProductField.NAME));
    }

    @Test
    void progressCountsTheBytesOfTheFile() throws IOException {
        Path path = file("feed.csv", "code,name\n3029330003533,Bread\n4006381333931,Pen\n");
        long size = Files.size(path);

        try (RecordStream stream = new CsvSource("feed", path, commaSeparated(CODE_AND_NAME)).open(0)) {
            while (stream.next() != null) {
                // read to the end
            }
            assertEquals(new InputProgress(size, size), stream.progress());
        }
    }
}
