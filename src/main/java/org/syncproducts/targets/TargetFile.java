package org.syncproducts.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.Barcode;
import org.syncproducts.store.TargetRepository.Target;

/**
 * Reads a target list (APL) file: a CSV with a header and a code column ({@code code},
 * {@code upc}, {@code barcode}, {@code ean} or {@code gtin}), and optional {@code category} and
 * {@code list} columns. A code must be a well-formed barcode with a valid GS1 check digit; any
 * other is reported with its line number and not imported.
 */
public final class TargetFile {
    private static final List<String> CODE_COLUMNS = List.of("code", "upc", "barcode", "ean", "gtin", "upc_code");
    private static final List<String> CATEGORY_COLUMNS = List.of("category", "target_category");
    private static final List<String> LIST_COLUMNS = List.of("list", "list_name");

    /** A code that was not imported, and why. */
    public record Invalid(long line, String code, String reason) {
    }

    /** The file's valid targets (unique per list and code) and its refused lines. */
    public record Parsed(List<Target> targets, List<Invalid> invalid, long duplicates) {
    }

    private TargetFile() {
    }

    /**
     * @param defaultList list name for rows without a list column (or with it empty)
     */
    public static Parsed read(Path file, String defaultList) {
        if (!Files.isRegularFile(file)) {
            throw SyncProductsException.config("targets import " + file + ": file not found; give the path of a CSV "
                    + "with a code column (example: sample-config/targets.csv)");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // Peek at the header to choose the delimiter, then let the parser read from the start.
            reader.mark(1 << 16);
            String header = reader.readLine();
            reader.reset();
            char delimiter = header != null && header.indexOf(';') > header.indexOf(',') ? ';'
                    : header != null && header.indexOf('\t') >= 0 && header.indexOf(',') < 0 ? '\t' : ',';
            CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setTrim(true).get();
            try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
                Map<String, Integer> columns = new LinkedHashMap<>();
                parser.getHeaderMap().forEach((name, index) ->
                        columns.putIfAbsent(name.strip().toLowerCase(Locale.ROOT).replace('\uFEFF', ' ').strip(), index));
                Integer code = find(columns, CODE_COLUMNS);
                if (code == null) {
                    throw SyncProductsException.badInput(file + ": no code column in the header (looked for "
                            + String.join(", ", CODE_COLUMNS) + ")");
                }
                return parse(parser, code, find(columns, CATEGORY_COLUMNS), find(columns, LIST_COLUMNS), defaultList);
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw SyncProductsException.badInput("cannot read target file " + file + ": " + e.getMessage());
        }
    }

    private static Parsed parse(CSVParser parser, int codeColumn, Integer categoryColumn, Integer listColumn,
                                String defaultList) {
        Map<String, Target> targets = new LinkedHashMap<>();
        List<Invalid> invalid = new ArrayList<>();
        long duplicates = 0;
        long line = parser.getCurrentLineNumber() + 1;
        for (CSVRecord record : parser) {
            long recordLine = line;
            line = parser.getCurrentLineNumber() + 1;
            String raw = codeColumn < record.size() ? record.get(codeColumn) : "";
            Barcode barcode = Barcode.parse(raw).orElse(null);
            if (barcode == null) {
                invalid.add(new Invalid(recordLine, raw, Barcode.whyInvalid(raw)));
                continue;
            }
            // A GTIN's check digit guards against typing errors in the list; other product codes
            // (produce PLU codes, store codes) have none.
            if (barcode.gtin() && !barcode.checkDigitValid()) {
                invalid.add(new Invalid(recordLine, raw, "check digit is wrong"));
                continue;
            }
            String category = value(record, categoryColumn);
            String list = value(record, listColumn);
            Target target = new Target(list == null ? defaultList : list, barcode.canonical(), barcode.display(), category);
            if (targets.put(target.listName() + "\u0000" + target.code(), target) != null) {
                duplicates++;
            }
        }
        return new Parsed(List.copyOf(targets.values()), invalid, duplicates);
    }

    private static String value(CSVRecord record, Integer column) {
        if (column == null || column >= record.size()) {
            return null;
        }
        String value = record.get(column).strip();
        return value.isEmpty() ? null : value;
    }

    private static Integer find(Map<String, Integer> columns, List<String> names) {
        for (String name : names) {
            if (columns.containsKey(name)) {
                return columns.get(name);
            }
        }
        return null;
    }
}
