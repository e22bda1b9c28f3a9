package org.syncproducts.source.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncproducts.model.ErrorType;

class CsvRecordReaderTest {

    private static List<CsvRecordReader.Record> readAll(String text, int maxRecordChars) throws IOException {
        CsvRecordReader reader = new CsvRecordReader(new StringReader(text), ',', '"', maxRecordChars);
        List<CsvRecordReader.Record> records = new ArrayList<>();
        for (CsvRecordReader.Record record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        assertNull(reader.next());
        return records;
    }

    @Test
    void strayQuoteIsGivenUpAtTheBoundAndEveryLineAfterItIsRead() throws IOException {
        StringBuilder text = new StringBuilder("1,\"stray\n");
        for (int i = 2; i <= 40; i++) {
            text.append(i).append(",name ").append(i).append('\n');
        }

        List<CsvRecordReader.Record> records = readAll(text.toString(), 100);

        assertEquals(40, records.size());
        assertEquals(ErrorType.MALFORMED_LINE, records.get(0).problem());
        assertEquals(1, records.get(0).line());
        for (int i = 2; i <= 40; i++) {
            CsvRecordReader.Record record = records.get(i - 1);
            assertEquals(List.of(Integer.toString(i), "name " + i), record.fields());
            assertEquals(i, record.line());
        }
    }

    @Test
    void twoStrayQuotesInARowEachCostTheirLine() throws IOException {
        List<CsvRecordReader.Record> records = readAll("1,\"a\n2,\"b\n3,c\n4,d\n", 1000);

        assertEquals(List.of(1L, 2L, 3L, 4L), records.stream().map(CsvRecordReader.Record::line).toList());
        assertEquals(ErrorType.MALFORMED_LINE, records.get(0).problem());
        assertEquals(ErrorType.MALFORMED_LINE, records.get(1).problem());
        assertEquals(List.of("3", "c"), records.get(2).fields());
        assertEquals(List.of("4", "d"), records.get(3).fields());
    }

    @Test
    void quotedFieldsKeepLineBreaksAndDoubledQuotesAndCountTheirLines() throws IOException {
        List<CsvRecordReader.Record> records = readAll("1,\"a\r\nb \"\"c\"\"\"\r\n\r\n2,d\r\n", 1000);

        assertEquals(List.of("1", "a\r\nb \"c\""), records.get(0).fields());
        assertEquals(List.of("2", "d"), records.get(1).fields());
        assertEquals(4, records.get(1).line());
    }

    @Test
    void textAfterAClosingQuoteIsMalformedAndTheNextRecordIsRead() throws IOException {
        List<CsvRecordReader.Record> records = readAll("1,\"a\"b\n2,c\n", 1000);

        assertEquals(ErrorType.MALFORMED_LINE, records.get(0).problem());
        assertEquals(List.of("2", "c"), records.get(1).fields());
    }

    @Test
    void quoteInsideAnUnquotedFieldIsText() throws IOException {
        assertEquals(List.of("12\" pizza", "x"), readAll("12\" pizza,x\n", 1000).get(0).fields());
    }
}
