package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.support.OffCsvFixture;

/** The export sources report the largest last_modified_t they read: the date a delta gap is judged by. */
class ExportHorizonTest {
    @TempDir
    Path dir;

    private static JsonNode stateAtTheEnd(ProductSource source, JsonNode resumedState) throws IOException {
        try (RecordStream stream = source.open(0, resumedState)) {
            while (stream.next() != null) {
                // Read to the end.
            }
            return stream.state();
        }
    }

    @Test
    void theCsvExportReportsItsLatestChange() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product("3017620422003").name("a").lastModified(1_700_000_500L));
        fixture.add(OffCsvFixture.product("3017620425035").name("b").lastModified(1_700_000_900L));
        fixture.add(OffCsvFixture.product("3017620429484").name("c").set("last_modified_t", "not a time"));
        Path file = fixture.write(dir.resolve("export.csv"));

        JsonNode state = stateAtTheEnd(new OffCsvSource("export", file), null);

        assertEquals(1_700_000_900L, state.get(ExportHorizon.KEY).asLong());
    }

    @Test
    void theJsonlDumpReportsItsLatestChangeAndAResumedReadKeepsTheEarlierOne() throws IOException {
        Path file = dir.resolve("dump.jsonl");
        Files.writeString(file, """
                {"code":"3017620422003","product_name":"a","last_modified_t":1700000500}
                {"code":"3017620425035","product_name":"b","last_modified_t":"1700000200"}
                """);

        assertEquals(1_700_000_500L, stateAtTheEnd(new OffJsonlSource("dump", file), null)
                .get(ExportHorizon.KEY).asLong());
        JsonNode resumed = stateAtTheEnd(new OffJsonlSource("dump", file),
                new ObjectMapper().readTree("{\"max_last_modified_t\":1800000000}"));
        assertEquals(1_800_000_000L, resumed.get(ExportHorizon.KEY).asLong());
    }

    @Test
    void anExportWithoutTimesReportsNoState() throws IOException {
        Path file = dir.resolve("dump.jsonl");
        Files.writeString(file, "{\"code\":\"3017620422003\",\"product_name\":\"a\"}\n");
        assertNull(stateAtTheEnd(new OffJsonlSource("dump", file), null));
    }
}
