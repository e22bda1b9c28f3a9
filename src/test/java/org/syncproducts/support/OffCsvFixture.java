package org.syncproducts.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes files in the format of the Open Food Facts CSV export: the real 210-column,
 * tab-separated header (kept in {@code src/test/resources/fixtures/off-header.tsv}), then one
 * line per product with chosen values, and raw lines or raw bytes for bad input.
 *
 * <p>Line numbers follow the file: the header is line 1, so the first line added is line 2;
 * {@link #add} and friends return the number of the line they added.
 */
public final class OffCsvFixture {
    private static final List<String> HEADER = readHeader();

    private final List<String> columns;
    private final List<byte[]> lines = new ArrayList<>();

    private OffCsvFixture(List<String> columns) {
        this.columns = columns;
    }

    /** A fixture with the real export header. */
    public static OffCsvFixture create() {
        return new OffCsvFixture(HEADER);
    }

    /** A fixture whose header lacks the given columns (a file not in the declared format). */
    public static OffCsvFixture withoutColumns(String... missing) {
        List<String> columns = new ArrayList<>(HEADER);
        for (String column : missing) {
            if (!columns.remove(column)) {
                throw new IllegalArgumentException("the export header has no column " + column);
            }
        }
        return new OffCsvFixture(List.copyOf(columns));
    }

    /** The 210 column names of the real export header. */
    public static List<String> header() {
        return HEADER;
    }

    /** A product line to fill in, with its code set. */
    public static Row product(String code) {
        return new Row().set("code", code);
    }

    /** The digits followed by their GS1 mod-10 check digit: a valid barcode to use in fixtures. */
    public static String withCheckDigit(String digits) {
        int sum = 0;
        for (int i = digits.length() - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (digits.charAt(i) - '0') * weight;
        }
        return digits + (10 - sum % 10) % 10;
    }

    /** Adds a product line; returns its line number. Columns the header lacks are left out. */
    public long add(Row row) {
        return raw(line(row));
    }

    /** Adds a line as given (no newline in it); returns its line number. */
    public long raw(String line) {
        return rawBytes(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a line of raw bytes (no newline in them); returns its line number. */
    public long rawBytes(byte[] line) {
        lines.add(line.clone());
        return lines.size() + 1;
    }

    /** Adds a product line whose field text is then replaced, byte for byte, by {@code bytes}. */
    public long productWithBytes(Row row, String marker, byte[] bytes) {
        String text = line(row);
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException("marker not in the line: " + marker);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return rawBytes(out.toByteArray());
    }

    /** The tab-separated line a row becomes under this fixture's header. */
    public String line(Row row) {
        String[] fields = new String[columns.size()];
        Arrays.fill(fields, "");
        row.values.forEach((column, value) -> {
            int index = columns.indexOf(column);
            if (index >= 0) {
                fields[index] = value;
            }
        });
        return String.join("\t", fields);
    }

    /** The whole file: header and lines, each ending in a newline. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(String.join("\t", columns).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Writes the file as plain text. */
    public Path write(Path file) {
        try {
            Files.write(file, bytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file gzip-compressed. */
    public Path writeGzip(Path file) {
        try {
            Files.write(file, gzip(bytes()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file gzip-compressed and cut off after {@code keep} compressed bytes. */
    public Path writeTruncatedGzip(Path file, int keep) {
        byte[] compressed = gzip(bytes());
        if (keep >= compressed.length) {
            throw new IllegalArgumentException("the compressed file has only " + compressed.length + " bytes");
        }
        try {
            Files.write(file, Arrays.copyOf(compressed, keep));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many compressed bytes {@link #writeGzip} writes. */
    public int gzipSize() {
        return gzip(bytes()).length;
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static List<String> readHeader() {
        try (InputStream in = OffCsvFixture.class.getResourceAsStream("/fixtures/off-header.tsv")) {
            if (in == null) {
                throw new IllegalStateException("test resource /fixtures/off-header.tsv is missing");
            }
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            List<String> columns = List.of(line.split("\t", -1));
            if (columns.size() != 210 || !columns.get(0).equals("code")) {
                throw new IllegalStateException("off-header.tsv is not the 210-column export header");
            }
            return columns;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One product line's values by export column name; columns not set stay empty. */
    public static final class Row {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Row() {
        }

        /** Sets any export column. */
        public Row set(String column, String value) {
            if (!HEADER.contains(column)) {
                throw new IllegalArgumentException("the export header has no column " + column);
            }
            values.put(column, value);
            return this;
        }

        public Row name(String name) {
            return set("product_name", name);
        }

        public Row brands(String brands) {
            return set("brands", brands);
        }

        /** The {@code categories_tags} column, comma-separated as in the export. */
        public Row categories(String... tags) {
            return set("categories_tags", String.join(",", tags));
        }

        public Row quantity(String quantity) {
            return set("quantity", quantity);
        }

        public Row imageUrl(String url) {
            return set("image_url", url);
        }

        public Row energyKcal(String value) {
            return set("energy-kcal_100g", value);
        }

        public Row fat(String value) {
            return set("fat_100g", value);
        }

        public Row sugars(String value) {
            return set("sugars_100g", value);
        }

        public Row proteins(String value) {
            return set("proteins_100g", value);
        }

        public Row salt(String value) {
            return set("salt_100g", value);
        }

        public Row nutriscore(String grade) {
            return set("nutriscore_grade", grade);
        }

        public Row novaGroup(String group) {
            return set("nova_group", group);
        }

        public Row lastModified(long epochSeconds) {
            return set("last_modified_t", Long.toString(epochSeconds));
        }
    }
}
