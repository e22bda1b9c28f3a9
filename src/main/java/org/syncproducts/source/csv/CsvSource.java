package org.syncproducts.source.csv;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
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
 * Any CSV file (plain or .gz), split into bounded records by {@link CsvRecordReader} and mapped
 * to product fields by {@link CsvOptions#mapping()}. Positions are record numbers (the header is
 * not counted, a record that cannot be read is), and error messages give the line each record
 * starts on.
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
        // Bad bytes become U+FFFD; a record holding one is reported as invalid_encoding. The decoder
        // is told no bytes are ready, so it hands over what it decoded before it reads on: the
        // records before a truncated .gz's cut are read before the cut is found.
        InputStream content = new FilterInputStream(input.content()) {
            @Override
            public int available() {
                return 0;
            }
        };
        CsvRecordReader reader = new CsvRecordReader(new InputStreamReader(content, options.encoding().newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), options.delimiter(), options.quote());
        try {
            Map<String, Integer> header = options.header() ? header(reader) : Map.of();
            List<String> missing = new ArrayList<>();
            Map<ProductField, Integer> columns = new HashMap<>();
            options.mapping().forEach((field, column) -> {
                Integer index = resolveColumn(column, header, missing);
                if (index != null) {
                    columns.put(field, index);
                }
            });
            Map<String, Integer> extraColumns = new LinkedHashMap<>();
            options.extra().forEach((key, column) -> {
                Integer index = resolveColumn(column, header, missing);
                if (index != null) {
                    extraColumns.put(key, index);
                }
            });
            if (!missing.isEmpty()) {
                throw SyncProductsException.badInput(path() + " does not match the mapping of source '" + name()
                        + "': the header lacks column(s) " + String.join(", ", missing.stream().sorted().toList()));
            }
            return new Stream(input, reader, columns, extraColumns, resumeAfter, options.encoding().name());
        } catch (IOException | RuntimeException e) {
            input.close();
            if (e instanceof IOException) {
                throw SyncProductsException.badInput(path() + " is not a readable CSV file: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Column index by name, from the first record; a later column of the same name wins, as in
     * Commons CSV.
     */
    private Map<String, Integer> header(CsvRecordReader reader) throws IOException {
        CsvRecordReader.Record record = reader.next();
        if (record == null) {
            throw SyncProductsException.badInput(path() + " is not a readable CSV file: it is empty");
        }
        if (!record.ok()) {
            throw SyncProductsException.badInput(path() + " is not a readable CSV file: its header (line "
                    + record.line() + ") is unusable: " + record.message());
        }
        Map<String, Integer> header = new HashMap<>();
        List<String> names = record.fields();
        for (int i = 0; i < names.size(); i++) {
            header.put(names.get(i), i);
        }
        return header;
    }

    private Integer resolveColumn(String column, Map<String, Integer> header, List<String> missing) {
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
        Integer index = header.get(column);
        if (index == null) {
            missing.add(column);
        }
        return index;
    }

    private static final class Stream implements RecordStream {
        private final FileInput input;
        private final CsvRecordReader reader;
        private final Map<ProductField, Integer> columns;
        private final Map<String, Integer> extraColumns;
        private final long resumeAfter;
        private final String encoding;
        private long recordNumber;
        private boolean finished;

        Stream(FileInput input, CsvRecordReader reader, Map<ProductField, Integer> columns,
               Map<String, Integer> extraColumns, long resumeAfter, String encoding) {
            this.input = input;
            this.reader = reader;
            this.columns = columns;
            this.extraColumns = extraColumns;
            this.resumeAfter = resumeAfter;
            this.encoding = encoding;
        }

        @Override
        public SourceRecord next() {
            while (!finished) {
                CsvRecordReader.Record record;
                try {
                    record = reader.next();
                } catch (IOException e) {
                    finished = true;
                    long line = reader.line();
                    boolean truncated = e instanceof EOFException || e instanceof ZipException;
                    return new SourceRecord.Failure(recordNumber + 1, new ItemError(
                            truncated ? ErrorType.TRUNCATED_INPUT : ErrorType.READ_ERROR, line, null,
                            (truncated ? "input ends early (" + rootMessage(e) + ")" : "cannot read on: " + rootMessage(e))
                                    + " in line " + line + " of " + input.path().getFileName()
                                    + "; the rest of the file was not read"));
                }
                if (record == null) {
                    finished = true;
                    return null;
                }
                long position = ++recordNumber;
                if (position <= resumeAfter) {
                    continue;
                }
                return record.ok() ? toRecord(record.fields(), position, record.line())
                        : failure(position, record.line(), record.problem(), null, record.message());
            }
            return null;
        }

        private SourceRecord toRecord(List<String> record, long position, long line) {
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
            input.close();
        }
    }
}
