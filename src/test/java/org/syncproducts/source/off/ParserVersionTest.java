package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.store.CopyText;
import org.syncproducts.store.ProductRow;
import org.syncproducts.support.OffCsvFixture;

/**
 * Stored raw hashes are only as good as {@link ProductParser#VERSION}: a change to what an export
 * line becomes that keeps the version would let a re-sync skip lines whose rows the old code wrote.
 * This pins what a sample export becomes (every row's COPY line, every error) to the version, so
 * such a change fails here until the version is bumped and the new value pinned beside it.
 */
class ParserVersionTest {
    /** What the sample becomes, by parser version: add the new version's value when you bump it. */
    private static final Map<Integer, Long> PINNED = Map.of(1, 2_591_814_587L);

    @TempDir
    Path dir;

    @Test
    void whatASampleExportBecomesIsPinnedToTheParserVersion() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit("400000000001")).name("  Plain \\ name\t")
                .brands("Brand, Other").categories("en:milk", " fr:lait ", "").quantity("1 l")
                .imageUrl("https://images.example/1.jpg").energyKcal("50.0").fat("3,5").sugars("1e1").proteins("-1")
                .salt("abc").nutriscore("B").novaGroup("4").lastModified(1_700_000_000L));
        fixture.add(OffCsvFixture.product("0" + OffCsvFixture.withCheckDigit("12345678901")).set("energy-kj_100g", "418.4")
                .set("allergens", "en:milk,en:nuts").set("traces", "Nuts").set("traces_tags", "en:nuts")
                .set("ingredients_text", "Wasser, Zucker \u00e9\u20ac\ud83d\ude00").nutriscore("unknown").novaGroup("7"));
        fixture.add(OffCsvFixture.product("1234567").set("last_modified_t", "2024-01-02"));
        fixture.add(OffCsvFixture.product("not-a-code").name("Refused"));
        fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit("400000000002")).name("x".repeat(100_000)));
        fixture.raw("short\tline");
        Path file = fixture.write(dir.resolve("sample.csv"));

        CRC32C digest = new CRC32C();
        CopyText encoder = new CopyText();
        try (RecordStream stream = new OffCsvSource("pinned", file).open(0)) {
            SourceRecord record;
            while ((record = stream.next()) != null) {
                if (record instanceof SourceRecord.Item item) {
                    ProductParser.Result result = ProductParser.parse(item.product(), "pinned", item.position(),
                            List.of("en", "fr"));
                    if (result instanceof ProductParser.Parsed parsed) {
                        digest.update(ProductRow.encode(parsed.product(), encoder).copyLine());
                    } else {
                        digest.update(((ProductParser.Refused) result).error().toString()
                                .getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    digest.update(record.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        assertEquals(PINNED.get(ProductParser.VERSION), digest.getValue(), "what an export line becomes changed: bump "
                + "ProductParser.VERSION and pin the new value for it in PINNED (else re-syncs skip lines whose "
                + "rows the old code wrote)");
    }
}
