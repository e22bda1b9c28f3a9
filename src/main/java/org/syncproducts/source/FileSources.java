package org.syncproducts.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.download.Checksum;
import org.syncproducts.download.ExportCache;
import org.syncproducts.download.ExportDownload;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.csv.CsvOptions;
import org.syncproducts.source.csv.CsvSource;
import org.syncproducts.source.file.FileInput;
import org.syncproducts.source.file.LineReader;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;

/**
 * Builds a source for {@code sync --from FILE} with no config: the format comes from
 * {@code --format}, else the file name, else the first line. A plain CSV is mapped by its header
 * names ({@code code}/{@code barcode}/{@code upc}/{@code ean}, {@code name}/{@code product_name},
 * and the product field names), with the delimiter the header uses.
 */
public final class FileSources {
    private static final Map<String, ProductField> HEADER_ALIASES = aliases();

    private FileSources() {
    }

    public static ProductSource forFile(Path path, String format, String name) {
        String type = format != null ? format : detectFormat(path);
        return switch (type) {
            case OffCsvSource.TYPE -> new OffCsvSource(name, path);
            case OffJsonlSource.TYPE -> new OffJsonlSource(name, path);
            case CsvSource.TYPE -> new CsvSource(name, path, autoMappedCsv(path));
            default -> throw new SyncProductsException(ExitCode.USAGE, "unknown --format '" + type
                    + "'; use off-csv, off-jsonl or csv");
        };
    }

    /**
     * A file source as a job recorded it: its type and its input fingerprint ({@code path|size|mtime},
     * see {@code FileInput.fingerprint}), so a file synced with {@code --from} can be found again.
     */
    public static ProductSource forRecorded(String name, String type, String fingerprint) {
        String path = fingerprint;
        for (int i = 0; i < 2 && path.lastIndexOf('|') >= 0; i++) {
            path = path.substring(0, path.lastIndexOf('|'));
        }
        return forFile(Path.of(path), type, name);
    }

    /**
     * A source synced from a URL, as its job recorded it ({@code URL|version|size}, see
     * {@link ExportDownload#fingerprint}): the cached copy of that very download, so
     * {@code verify --source} compares the database with what the sync read, without downloading.
     *
     * @throws SyncProductsException 78 when the cache no longer holds that download
     */
    public static ProductSource forRecordedDownload(String name, String type, String fingerprint, ExportCache cache) {
        HttpUrl url = HttpUrl.parse(fingerprint.substring(0, fingerprint.indexOf('|')));
        Path file = url == null ? null : cache.file(url);
        boolean cached = file != null && Files.isRegularFile(file) && cache.entry(file)
                .map(entry -> ExportDownload.fingerprint(url, entry.etag(), entry.lastModified(), entry.size())
                        .equals(fingerprint))
                .orElse(false);
        if (!cached) {
            throw SyncProductsException.config("source " + name + " was last synced from "
                    + fingerprint.substring(0, fingerprint.indexOf('|')) + ", and the download cache in "
                    + cache.directory() + " no longer holds that download; sync it again (sync --from URL),"
                    + " then verify");
        }
        return forFile(file, type, name);
    }

    /** Whether {@code --from} names a URL (http or https) rather than a file. */
    public static boolean isUrl(String from) {
        String lower = from.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * Builds the source of {@code sync --from URL}: an export downloaded into the cache, its format
     * from {@code --format}, else from the name the URL's path ends with
     * ({@code openfoodfacts-products.jsonl.gz}, {@code en.openfoodfacts.org.products.csv.gz}).
     *
     * @param name the source name, or null for the URL's file name without .gz
     */
    public static UrlExportSource forUrl(String text, String format, String name) {
        HttpUrl url = HttpUrl.parse(text.strip());
        if (url == null || url.pathSegments().get(url.pathSegments().size() - 1).isEmpty()) {
            throw new SyncProductsException(ExitCode.USAGE, "--from " + text + ": not an http:// or https:// URL of "
                    + "a file");
        }
        String fileName = url.pathSegments().get(url.pathSegments().size() - 1);
        String type = format != null ? format : formatOfName(fileName);
        if (type == null) {
            throw new SyncProductsException(ExitCode.USAGE, "--from " + ExportDownload.display(url) + ": cannot tell "
                    + "the format from the name '" + fileName + "'; add --format off-jsonl or --format off-csv");
        }
        if (!type.equals(OffJsonlSource.TYPE) && !type.equals(OffCsvSource.TYPE)) {
            throw new SyncProductsException(ExitCode.USAGE, "--from URL reads Open Food Facts exports: --format "
                    + "off-jsonl or off-csv; got '" + type + "'");
        }
        String sourceName = name != null ? name : fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3)
                : fileName;
        return new UrlExportSource(sourceName, type, url, Checksum.NONE, UrlExportSource.defaultHttp());
    }

    /** The export format a URL's file name says ({@code .jsonl[.gz]}, {@code .csv[.gz]}), or null. */
    public static String formatOfName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        String bare = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
        if (bare.endsWith(".jsonl") || bare.endsWith(".ndjson")) {
            return OffJsonlSource.TYPE;
        }
        if (bare.endsWith(".csv") || bare.endsWith(".tsv")) {
            return OffCsvSource.TYPE;
        }
        return null;
    }

    /** The source name a file gets by default: its file name without .gz. */
    public static String defaultName(Path path) {
        String fileName = path.getFileName().toString();
        return fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
    }

    static String detectFormat(Path path) {
        String fileName = defaultName(path).toLowerCase(Locale.ROOT);
        if (fileName.endsWith(".jsonl") || fileName.endsWith(".ndjson") || fileName.endsWith(".json")) {
            return OffJsonlSource.TYPE;
        }
        String header = firstLine(path);
        if (OffCsvSource.looksLikeHeader(header)) {
            return OffCsvSource.TYPE;
        }
        if (header.stripLeading().startsWith("{")) {
            return OffJsonlSource.TYPE;
        }
        return CsvSource.TYPE;
    }

    static CsvOptions autoMappedCsv(Path path) {
        String header = firstLine(path);
        char delimiter = guessDelimiter(header);
        String[] names = header.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1);
        Map<ProductField, String> mapping = new EnumMap<>(ProductField.class);
        for (String raw : names) {
            String column = raw.strip();
            String key = unquote(column).toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            ProductField field = HEADER_ALIASES.get(key);
            if (field != null && !mapping.containsKey(field)) {
                mapping.put(field, headerName(raw));
            }
        }
        if (!mapping.containsKey(ProductField.CODE)) {
            throw SyncProductsException.badInput(path + ": no column holds the barcode (looked for code, barcode, upc, ean, gtin);"
                    + " rename the column or describe the file in a config source with a mapping");
        }
        return new CsvOptions(delimiter, '"', true, StandardCharsets.UTF_8, mapping, Map.of());
    }

    private static char guessDelimiter(String header) {
        char best = ',';
        long bestCount = 0;
        for (char candidate : new char[] {',', ';', '\t', '|'}) {
            long count = header.chars().filter(c -> c == candidate).count();
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * The column name as the CSV reader will see it: a quoted name without its quotes, an
     * unquoted one exactly as written (with any spaces after the delimiter).
     */
    private static String headerName(String raw) {
        return raw.startsWith("\"") ? unquote(raw.stripTrailing()) : raw;
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    private static String firstLine(Path path) {
        FileInput input = FileInput.open(path);
        try (LineReader reader = new LineReader(input.content(), 1 << 20)) {
            LineReader.Line line = reader.next();
            if (line == null || line.text() == null) {
                throw SyncProductsException.badInput(path + " is empty or its first line is unreadable");
            }
            String text = line.text();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (IOException e) {
            throw SyncProductsException.badInput("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static Map<String, ProductField> aliases() {
        Map<String, ProductField> aliases = new LinkedHashMap<>();
        for (ProductField field : ProductField.values()) {
            aliases.put(field.configName(), field);
        }
        for (String alias : new String[] {"barcode", "upc", "ean", "gtin", "ean13", "upc_code", "product_code"}) {
            aliases.put(alias, ProductField.CODE);
        }
        for (String alias : new String[] {"product_name", "title", "description", "product"}) {
            aliases.put(alias, ProductField.NAME);
        }
        aliases.put("brand", ProductField.BRANDS);
        aliases.put("category", ProductField.CATEGORIES);
        aliases.put("size", ProductField.QUANTITY);
        aliases.put("image", ProductField.IMAGE_URL);
        aliases.put("ingredients_text", ProductField.INGREDIENTS);
        aliases.put("last_modified", ProductField.SOURCE_MODIFIED_AT);
        aliases.put("updated_at", ProductField.SOURCE_MODIFIED_AT);
        return Map.copyOf(aliases);
    }
}
