package org.syncproducts.source.off;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.file.FileInput;
import org.syncproducts.source.file.FileSource;
import org.syncproducts.source.file.LineReader;
import org.syncproducts.source.file.LineRecordStream;
import org.syncproducts.source.file.Utf8;

/**
 * The Open Food Facts CSV export ({@code en.openfoodfacts.org.products.csv[.gz]}): tab-separated,
 * no quoting, one product per line, a header of 210 columns. Only the mapped columns are read.
 *
 * <p>A change to what a line becomes (the column mapping, the splitting) must bump
 * {@link org.syncproducts.model.ProductParser#VERSION}: stored raw hashes of lines then stop matching.
 */
public final class OffCsvSource extends FileSource {
    public static final String TYPE = "off-csv";

    /** Export column to product field. Every one of these columns must be in the header. */
    static final Map<String, ProductField> COLUMNS = columns();

    /**
     * Product fields read from columns the export may lack (older exports), each from the first
     * listed column that has a value in the row: energy in kJ ({@code energy_100g} is documented in
     * kJ), allergen tags (the export's {@code allergens} column holds tags), traces.
     */
    static final Map<ProductField, List<String>> OPTIONAL_COLUMNS = Map.of(
            ProductField.ENERGY_KJ_100G, List.of("energy-kj_100g", "energy_100g"),
            ProductField.ALLERGENS_TAGS, List.of("allergens"),
            ProductField.TRACES, List.of("traces"),
            ProductField.TRACES_TAGS, List.of("traces_tags"));


    public OffCsvSource(String name, Path path) {
        super(name, path);
    }

    private static Map<String, ProductField> columns() {
        Map<String, ProductField> columns = new LinkedHashMap<>();
        columns.put("code", ProductField.CODE);
        columns.put("product_name", ProductField.NAME);
        columns.put("brands", ProductField.BRANDS);
        columns.put("categories_tags", ProductField.CATEGORIES);
        columns.put("quantity", ProductField.QUANTITY);
        columns.put("image_url", ProductField.IMAGE_URL);
        columns.put("energy-kcal_100g", ProductField.ENERGY_KCAL_100G);
        columns.put("fat_100g", ProductField.FAT_100G);
        columns.put("saturated-fat_100g", ProductField.SATURATED_FAT_100G);
        columns.put("carbohydrates_100g", ProductField.CARBOHYDRATES_100G);
        columns.put("sugars_100g", ProductField.SUGARS_100G);
        columns.put("fiber_100g", ProductField.FIBER_100G);
        columns.put("proteins_100g", ProductField.PROTEINS_100G);
        columns.put("salt_100g", ProductField.SALT_100G);
        columns.put("sodium_100g", ProductField.SODIUM_100G);
        columns.put("ingredients_text", ProductField.INGREDIENTS);
        columns.put("allergens", ProductField.ALLERGENS);
        columns.put("nutriscore_grade", ProductField.NUTRISCORE_GRADE);
        columns.put("nova_group", ProductField.NOVA_GROUP);
        columns.put("last_modified_t", ProductField.SOURCE_MODIFIED_AT);
        return Map.copyOf(columns);
    }

    /** True when a header line looks like the export's (tab-separated, starting with code). */
    public static boolean looksLikeHeader(String line) {
        return line != null && stripBom(line).startsWith("code\t") && line.contains("\tproduct_name\t");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RecordStream open(long resumeAfter) throws IOException {
        return open(resumeAfter, null);
    }

    /** The state reported is the largest {@code last_modified_t} read (see {@link ExportHorizon}). */
    @Override
    public RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        FileInput input = FileInput.open(path());
        LineReader reader = new LineReader(input.content(), LineRecordStream.MAX_LINE_BYTES);
        try {
            LineReader.Line header = LineRecordStream.firstLine(reader);
            if (header == null || header.text() == null) {
                throw SyncProductsException.badInput(path() + " is not an Open Food Facts CSV export: it has no readable header line");
            }
            String[] names = stripBom(header.text()).split("\t", -1);
            Map<String, Integer> indexByName = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                indexByName.putIfAbsent(names[i].strip(), i);
            }
            List<String> missing = new ArrayList<>();
            int[] fieldColumn = new int[ProductField.values().length];
            Arrays.fill(fieldColumn, -1);
            COLUMNS.forEach((column, field) -> {
                Integer index = indexByName.get(column);
                if (index == null) {
                    missing.add(column);
                } else {
                    fieldColumn[field.ordinal()] = index;
                }
            });
            if (!missing.isEmpty()) {
                throw SyncProductsException.badInput(path() + " is not an Open Food Facts CSV export (tab-separated): "
                        + "the header lacks column(s) " + String.join(", ", missing.stream().sorted().toList()));
            }
            int[] fallbackColumn = new int[ProductField.values().length];
            Arrays.fill(fallbackColumn, -1);
            OPTIONAL_COLUMNS.forEach((field, columns) -> {
                List<Integer> present = columns.stream().map(indexByName::get).filter(index -> index != null).toList();
                if (!present.isEmpty()) {
                    fieldColumn[field.ordinal()] = present.get(0);
                }
                if (present.size() > 1) {
                    fallbackColumn[field.ordinal()] = present.get(1);
                }
            });
            return new Stream(input, reader, resumeAfter, header.text(), names.length, fieldColumn, fallbackColumn,
                    new ExportHorizon(state));
        } catch (RuntimeException | IOException e) {
            reader.close();
            throw e;
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static final class Stream extends LineRecordStream {
        /** {@link ProductField#values()} without a new array per line. */
        private static final ProductField[] FIELDS = ProductField.values();
        private final String header;
        private final int columnCount;
        /** Columns up to the last mapped one are located; the rest are only counted. */
        private final int locatedColumns;
        private final int[] fieldColumn;
        private final int[] fallbackColumn;
        private final int[] starts;
        private final int[] ends;
        /** The positions of a line's first tabs, one per located field (the last field ends at the line's end). */
        private final int[] tabs;
        private final ExportHorizon horizon;

        Stream(FileInput input, LineReader reader, long resumeAfter, String header, int columnCount, int[] fieldColumn,
               int[] fallbackColumn, ExportHorizon horizon) {
            super(input, reader, resumeAfter);
            this.header = header;
            this.horizon = horizon;
            this.columnCount = columnCount;
            this.fieldColumn = fieldColumn;
            this.fallbackColumn = fallbackColumn;
            int lastMapped = 0;
            for (int column : fieldColumn) {
                lastMapped = Math.max(lastMapped, column);
            }
            for (int column : fallbackColumn) {
                lastMapped = Math.max(lastMapped, column);
            }
            this.locatedColumns = lastMapped + 1;
            this.starts = new int[locatedColumns];
            this.ends = new int[locatedColumns];
            this.tabs = new int[locatedColumns];
        }

        @Override
        public JsonNode state() {
            return horizon.state();
        }

        /** The header decides which column is which field, so it is part of what a line becomes. */
        @Override
        protected String lineFormat() {
            return header;
        }

        @Override
        protected String lineCode(byte[] bytes, int length) {
            int end = Utf8.indexOf(bytes, 0, length, (byte) '\t');
            return end > 0 ? new String(bytes, 0, end, StandardCharsets.UTF_8) : null;
        }

        /** A skipped line still counts for the export horizon: its last_modified_t is all that is read of it. */
        @Override
        protected void skipped(byte[] bytes, int length) {
            int column = fieldColumn[ProductField.SOURCE_MODIFIED_AT.ordinal()];
            int start = 0;
            for (int i = 0; i < column && start >= 0; i++) {
                int tab = Utf8.indexOf(bytes, start, length, (byte) '\t');
                start = tab < 0 ? -1 : tab + 1;
            }
            if (start >= 0) {
                int end = Utf8.indexOf(bytes, start, length, (byte) '\t');
                horizon.see(new String(bytes, start, (end < 0 ? length : end) - start, StandardCharsets.US_ASCII));
            }
        }

        @Override
        protected SourceRecord parse(long lineNumber, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return parse(lineNumber, bytes, bytes.length);
        }

        /** Splits on tab bytes (never part of a multi-byte UTF-8 character) and decodes only mapped columns. */
        @Override
        protected SourceRecord parse(long lineNumber, byte[] bytes, int length) {
            int found = split(bytes, length);
            if (found != columnCount) {
                String code = found > 0 && ends[0] - starts[0] <= 64
                        ? new String(bytes, starts[0], ends[0] - starts[0], StandardCharsets.UTF_8) : null;
                return new SourceRecord.Failure(lineNumber, new ItemError(ErrorType.MALFORMED_LINE, lineNumber, code,
                        "expected " + columnCount + " tab-separated fields, found " + found));
            }
            RawProduct product = new RawProduct();
            for (ProductField field : FIELDS) {
                int column = fieldColumn[field.ordinal()];
                if (column >= 0 && ends[column] == starts[column]) {
                    column = fallbackColumn[field.ordinal()];
                }
                if (column >= 0 && ends[column] > starts[column]) {
                    product.set(field, new String(bytes, starts[column], ends[column] - starts[column],
                            StandardCharsets.UTF_8));
                }
            }
            horizon.see(product);
            return new SourceRecord.Item(lineNumber, product);
        }

        /**
         * Records the boundaries of the fields up to the last mapped one and counts the rest;
         * returns the number of fields.
         */
        private int split(byte[] bytes, int length) {
            int tabCount = Utf8.positions(bytes, 0, length, (byte) '\t', tabs);
            int located = Math.min(tabCount + 1, locatedColumns);
            int start = 0;
            for (int column = 0; column < located; column++) {
                starts[column] = start;
                ends[column] = column < tabCount ? tabs[column] : length;
                start = ends[column] + 1;
            }
            return tabCount + 1;
        }
    }
}
