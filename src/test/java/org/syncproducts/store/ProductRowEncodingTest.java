package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.ProductParser;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;

/**
 * The bytes a product is written as, and so its content hash, must not change when the encoding
 * is made faster: a changed hash makes the next sync rewrite every stored product once. The
 * expected values below were computed by the encoder before its fast paths (commit 2d12fc2).
 */
class ProductRowEncodingTest {

    /** Code, content hash and SHA-256 of the COPY line of each product of the real fixture files. */
    private static final List<String> FIXTURE_ROWS = List.of(
            "00025000044984 2310160016574928284 f4d05ef2411d173308a21be8742e1ba99c4e2577a621d67a0f4505a85239067f",
            "00000004083637 -4195753687766908387 e638460dc0574c5528788cfa53590cb8582b3f7b72ebd54d5d6d7989166341b8",
            "03029330003533 772052742458462151 e7335d43d367f29907c1eae5d6a1da955cb5639358d658232f486dea90ca0fa6",
            "08015673029861 8411626348774501066 da6f8c0056834410e6d2c2d547fc182768412902a0a65416a9455fbe595563fd",
            "2000000012345678901 6499984799637093094 4e3500c1662d54168cbbf3fe8298398f517033413af21243102daa2e8b4e31f1",
            "03029330003533 -2200460480771254111 3d99a276337687270c376806651c5b9de91805956eeeb29850939a4e7c2cd4a9",
            "00041196910759 4340615341906815499 c405fd8efacb48c4d05ad34622f397b20dde859da14ae16b8d4451227e2aed91",
            "00000040111445 23566587791669483 b04216067df45161754f78306ab12ade6ba51a013c329fcc36f5d44563dcb82b",
            "03017620422003 4485054384534868531 275dc283ca22222fd577e4f5798e1aec987ef66266ec815e1a2daf4630fd070a",
            "05000112637922 -4199403334167722304 7e48f38b5a5831f1c4a59bdd1a9c17938d951ba0d9f521e3b71a45c63f44b227");

    @Test
    void realExportRowsAreEncodedAsBefore() throws Exception {
        List<String> rows = new ArrayList<>();
        rows.addAll(encodeAll(new OffCsvSource("off", resource("/fixtures/off-csv/export-header-plus-2-rows.tsv"))));
        rows.addAll(encodeAll(new OffJsonlSource("off", resource("/off/real-products.jsonl"))));
        rows.addAll(encodeAll(new OffJsonlSource("off", resource("/off/products-sample.jsonl"))));
        assertEquals(FIXTURE_ROWS, rows);
    }

    /** Escapes, non-ASCII, lone surrogates, blank tags and every kind of nutrient text, as before. */
    @Test
    void edgeCasesAreEncodedAsBefore() throws Exception {
        List<String> expected = List.of(
                "-554192582519396695 27109fda6faac4cebcb3a2c1c390b27f0fd04bbea80e2677016377bdb1004185 [a\\b, \"q\", x]",
                "-5584856776596278572 0ced3fe060c78c776d85ce90307ba77b89fe12a8dbcbf7331ee945ac28d2db65 [en:été, 😀, \u00a0nbsp, em]",
                "2313573899655845466 8df9c92d444f2aa194c90810a0cde82b6c779d1e3fcfc52e3bac20dcf19e9bcc []",
                "-5732178679390274668 f58d83bc142cc111ce2fd627a311fa99ffcbd626424fae36382d83ddb5949cf4 []");
        String[][] nutrients = {
            {"1e3", "-0", ".5", "0.0100", "100", "12,5", "0100", "5.", "100000"},
            {"100000.01", "0.000", "0", "007.250", "999999999999999999", "1234567890123456789", "+3", " 4.5 ", "1.2.3"},
            {"0.5e-1", "1E+2", "-1", "3.14159265358979323846", "2,50", "0,0", "00", "99999.99999", "x"},
        };
        String[] modified = {"1742669182", "0", "2024-02-29T23:59:59Z", "2024-02-29"};
        String[] names = {"Back\\slash \"quoted\"\ttab\nnew\rline", "Nestlé ☕ 😀 Ω", "lone \uD83D surrogate and \uDE00 low",
            "  padded\u2003 "};
        String[] categories = {" a\\b , \"q\" ,, ,x ", "en:été,😀,\u00a0nbsp,\u2003em\u2003", "", ",,,"};
        CopyText buffer = new CopyText();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawProduct raw = new RawProduct().set(ProductField.CODE, "3029330003533")
                    .set(ProductField.NAME, names[i]).set(ProductField.CATEGORIES, categories[i])
                    .set(ProductField.BRANDS, names[(i + 1) % 4]).set(ProductField.ALLERGENS_TAGS, categories[(i + 1) % 4])
                    .set(ProductField.SOURCE_MODIFIED_AT, modified[i]).set(ProductField.NOVA_GROUP, i == 0 ? "4.0" : "2")
                    .set(ProductField.ENERGY_KJ_100G, i == 3 ? "1046" : null)
                    .set(ProductField.NUTRISCORE_GRADE, i == 1 ? "B" : "z");
            for (int n = 0; n < ProductField.NUTRIENTS.size() && i < 3; n++) {
                raw.set(ProductField.NUTRIENTS.get(n), nutrients[i][n]);
            }
            ProductRow row = ProductRow.encode(((ProductParser.Parsed) ProductParser.parse(raw, "off", 1)).product(), buffer);
            rows.add(row.contentHash() + " " + sha256(withoutRawHash(row)) + " " + row.counted().categories());
        }
        assertEquals(expected, rows);
    }

    /** Text values against an independent reference: COPY escapes, then the JDK's UTF-8 encoder. */
    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "back\\slash", "tab\there", "line\nbreak", "cr\rhere", "quote\"d", "\u007f",
        "é", "Nestlé ☕", "😀 emoji", "\u0000", "\u07ff\u0800\uffff", "mixed é\\\t😀\"\n"})
    void textIsCopyEscapedUtf8(String value) {
        String escaped = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        assertArrayEquals((escaped + "\n").getBytes(StandardCharsets.UTF_8), new CopyText().reset().add(value).toLine());
        String element = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\", "\\\\")
                .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        assertArrayEquals(("{\"" + element + "\",\"x\"}\n").getBytes(StandardCharsets.UTF_8),
                new CopyText().reset().addArray(List.of(value, "x")).toLine());
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacter() {
        assertArrayEquals("a\uFFFDb\uFFFD\n".getBytes(StandardCharsets.UTF_8),
                new CopyText().reset().add("a\uD83Db\uDE00").toLine());
    }

    @Test
    void instantsAreWrittenAsInstantToString() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(86_399),
                Instant.ofEpochSecond(951_782_400), Instant.parse("2000-02-29T23:59:59Z"), Instant.parse("2100-03-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochSecond(-1),
                Instant.parse("1969-12-31T23:59:59Z"), Instant.ofEpochSecond(1_742_669_182, 5),
                Instant.ofEpochSecond(1_742_669_182, 120_000_000)));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(0, 253_402_300_800L)));
        }
        CopyText buffer = new CopyText();
        for (Instant instant : instants) {
            assertEquals(instant + "\n", new String(buffer.reset().addInstant(instant).toLine(), StandardCharsets.UTF_8));
        }
        assertEquals("\\N\tx\n", new String(buffer.reset().addInstant(null).add("x").toLine(), StandardCharsets.UTF_8));
    }

    @Test
    void decimalsAreWrittenAsToPlainString() {
        List<BigDecimal> values = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("0.05"),
                new BigDecimal("100000"), new BigDecimal("1E+2"), new BigDecimal("-1.5"), new BigDecimal("0.000000000000000001"),
                new BigDecimal("999999999999999999"), new BigDecimal("9999999999999999999"), new BigDecimal("1E-19"),
                new BigDecimal("3.14159265358979323846"), new BigDecimal("12.50")));
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            values.add(BigDecimal.valueOf(random.nextLong(0, 1_000_000_000_000L) / (i % 7 == 0 ? 1 : 1_000), random.nextInt(0, 19)));
        }
        CopyText buffer = new CopyText();
        for (BigDecimal value : values) {
            assertEquals(value.toPlainString() + "\n", new String(buffer.reset().addDecimal(value).toLine(), StandardCharsets.UTF_8));
        }
        assertEquals("\\N\n", new String(buffer.reset().addDecimal(null).toLine(), StandardCharsets.UTF_8));
    }

    @Test
    void longsAreWrittenAsLongToString() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -10L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        CopyText buffer = new CopyText();
        for (long value : values) {
            assertEquals(value + "\n", new String(buffer.reset().addLong(value).toLine(), StandardCharsets.UTF_8));
        }
    }

    private static List<String> encodeAll(ProductSource source) throws Exception {
        List<String> rows = new ArrayList<>();
        CopyText buffer = new CopyText();
        try (RecordStream stream = source.open(0)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                if (record instanceof SourceRecord.Item item
                        && ProductParser.parse(item.product(), "off", item.position()) instanceof ProductParser.Parsed parsed) {
                    ProductRow row = ProductRow.encode(parsed.product(), buffer);
                    rows.add(row.code() + " " + row.contentHash() + " " + sha256(withoutRawHash(row)));
                }
            }
        }
        return rows;
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ProductRowEncodingTest.class.getResource(name).toURI());
    }

    /**
     * The COPY line as the encoder wrote it before V9 added the raw hash column (these rows, not
     * parsed from an export line, have none: {@code \N}), so the pinned digests still prove the
     * encoding of every other column unchanged.
     */
    private static byte[] withoutRawHash(ProductRow row) {
        String line = new String(row.copyLine(), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\t\\N\n"), line);
        return (line.substring(0, line.length() - 4) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
