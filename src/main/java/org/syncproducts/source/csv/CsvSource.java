package org.syncproducts.source.csv;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.file.FileInput;
import org.syncproducts.source.file.FileSource;

/**
 * Any CSV file (plain or .gz), read with Apache Commons CSV and mapped to product fields by
 * {@link CsvOptions#mapping()}. Positions are record numbers (the header is not counted), and
 * error messages give the line each record starts on.
 */
public final class CsvSource extends FileSource {
    public static final String TYPE = "csv";

    private final CsvOptions options;

    public CsvSource(String name, Path path, CsvOptions options) {
        super(name, path);
        this.options = options;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RecordStream open(long resumeAfter) throws IOException {
        FileInput input = FileInput.open(path());
        // Bad bytes become U+FFFD; a record holding one is reported as invalid_encoding.
        PushbackReader reader = new PushbackReader(new InputStreamReader(input.content(), options.encoding().newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1);
        CSVFormat.Builder format = CSVFormat.DEFAULT.builder()
                .setDelimiter(options.delimiter())
                .setQuote(options.quote())
                .setIgnoreEmptyLines(true)
                .setTrim(false);
        if (options.header()) {
            format.setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).setDuplicateHeaderMode(
                    org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL);
        }
        CSVParser parser;
        try {
            // A byte order mark (spreadsheets write one) is not part of the first column's name.
            int first = reader.read();
            if (first >= 0 && first != '\uFEFF') {
                reader.unread(first);
            }
            parser = CSVParser.builder().setReader(reader).setFormat(format.get()).get();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            input.close();
            throw SyncProductsException.badInput(path() + " is not a readable CSV file: " + e.getMessage());
        }
        try {
            List<String> missing = new ArrayList<>();
            Map<ProductField, Integer> columns = resolve(options.mapping(), parser, missing);
            Map<String, Integer> extraColumns = new LinkedHashMap<>();
            options.extra().forEach((key, column) -> {
                Integer index = resolveColumn(column, parser, missing);
                if (index != null) {
                    extraColumns.put(key, index);
                }
            });
            if (!missing.isEmpty()) {
                throw SyncProductsException.badInput(path() + " does not match the mapping of source '" + name()
                        + "': the header lacks column(s) " + String.join(", ", missing.stream().sorted().toList()));
            }
            return new Stream(input, parser, columns, extraColumns, resumeAfter, options.encoding().name());
        } catch (RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    /** Column index by field; columns the header lacks are added to {@code missing}. */
    private Map<ProductField, Integer> resolve(Map<ProductField, String> mapping, CSVParser parser, List<String> missing) {
        Map<ProductField, Integer> columns = new HashMap<>();
        mapping.forEach((field, column) -> {
            Integer index = resolveColumn(column, parser, missing);
            if (index != null) {
                columns.put(field, index);
            }
        });
        return columns;
    }

    private Integer resolveColumn(String column, CSVParser parser, List<String> missing) {
        if (!options.header()) {
            try {
                int number = Integer.parseInt(column.strip());
                if (number >= 1) {
                    return number - 1;
                }
            } catch (NumberFormatException e) {
                // Falls through: without a header a column must be a number.
            }
            throw SyncProductsException.config("source '" + name() + "' has header: false, so its mapping must name "
                    + "columns by number (1, 2, ...); got '" + column + "'");
        }
        Map<String, Integer> header = parser.getHeaderMap();
        Integer index = header == null ? null : header.get(column);
        if (index == null) {
            missing.add(column);
        }
        return index;
    }

    private static final class Stream implements RecordStream {
        private final FileInput input;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final Map<ProductField, Integer> columns;
        private final Map<String, Integer> extraColumns;
        private final long resumeAfter;
        private final String encoding;
        private long nextStartLine;
        private boolean finished;

        Stream(FileInput input, CSVParser parser, Map<ProductField, Integer> columns,
               Map<String, Integer> extraColumns, long resumeAfter, String encoding) {
            this.input = input;
            this.parser = parser;
            this.records = parser.iterator();
            this.columns = columns;
            this.extraColumns = extraColumns;
            this.resumeAfter = resumeAfter;
            this.encoding = encoding;
            this.nextStartLine = parser.getCurrentLineNumber() + 1;
        }

        @Override
        public SourceRecord next() {
            while (!finished) {
                CSVRecord record;
                long startLine = nextStartLine;
                try {
                    if (!records.hasNext()) {
                        finished = true;
                        return null;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    finished = true;
                    ErrorType type = e.getCause() instanceof java.io.EOFException
                            || e.getCause() instanceof java.util.zip.ZipException
                            ? ErrorType.TRUNCATED_INPUT : ErrorType.MALFORMED_LINE;
                    return new SourceRecord.Failure(startLine, new ItemError(type, startLine, null,
                            "cannot read past line " + startLine + ": " + rootMessage(e) + "; the rest of the file was not read"));
                }
                nextStartLine = parser.getCurrentLineNumber() + 1;
                long position = record.getRecordNumber();
                if (position <= resumeAfter) {
                    continue;
                }
                return toRecord(record, position, startLine);
            }
            return null;
        }

        private SourceRecord toRecord(CSVRecord record, long position, long line) {
            RawProduct product = new RawProduct();
            for (Map.Entry<ProductField, Integer> column : columns.entrySet()) {
                int index = column.getValue();
                if (index >= record.size()) {
                    return failure(position, line, ErrorType.MALFORMED_LINE, null,
                            "record has " + record.size() + " fields; column " + (index + 1) + " is missing");
                }
                product.set(column.getKey(), record.get(index));
            }
            extraColumns.forEach((key, index) -> {
                if (index < record.size()) {
                    product.putExtra(key, record.get(index));
                }
            });
            String code = product.get(ProductField.CODE);
            for (String value : record) {
                if (value.indexOf('\u0000') >= 0) {
                    return failure(position, line, ErrorType.NUL_BYTE, code, "record contains a NUL byte");
                }
                if (value.indexOf('\uFFFD') >= 0) {
                    return failure(position, line, ErrorType.INVALID_ENCODING, null,
                            "record has bytes that are not valid " + encoding + " text");
                }
            }
            return new SourceRecord.Item(position, product);
        }

        private static SourceRecord failure(long position, long line, ErrorType type, String code, String message) {
            return new SourceRecord.Failure(position, new ItemError(type, line, code, message));
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }

        @Override
        public InputProgress progress() {
            return input.progress();
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
