package org.syncproducts.source;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.model.ProductField;
import org.syncproducts.source.csv.CsvOptions;
import org.syncproducts.source.csv.CsvSource;
import org.syncproducts.source.off.OffCsvSource;
import org.syncproducts.source.off.OffJsonlSource;

/**
 * The registry of source types: the {@code type:} names config files use and how each is built.
 * Registering a type twice is a programming error.
 */
public final class SourceTypes {
    private final Map<String, SourceFactory> factories = new LinkedHashMap<>();

    /** The registry with every built-in type. */
    public static SourceTypes builtIn() {
        SourceTypes types = new SourceTypes();
        types.register(OffCsvSource.TYPE, (name, options, baseDir) -> {
            options.allowOnly(Set.of("type", "path"));
            return new OffCsvSource(name, requiredPath(options, baseDir));
        });
        types.register(OffJsonlSource.TYPE, (name, options, baseDir) -> {
            options.allowOnly(Set.of("type", "path"));
            return new OffJsonlSource(name, requiredPath(options, baseDir));
        });
        types.register(CsvSource.TYPE, (name, options, baseDir) -> {
            options.allowOnly(Set.of("type", "path", "delimiter", "quote", "header", "encoding", "mapping", "extra"));
            return new CsvSource(name, requiredPath(options, baseDir), csvOptions(options));
        });
        return types;
    }

    public void register(String type, SourceFactory factory) {
        if (factories.putIfAbsent(type, factory) != null) {
            throw new IllegalStateException("source type registered twice: " + type);
        }
    }

    public Set<String> names() {
        return factories.keySet();
    }

    public ProductSource create(String name, ConfigNode options, Path baseDir) {
        String type = options.text("type", null);
        if (type == null) {
            throw options.error("needs a type: one of " + String.join(", ", factories.keySet()));
        }
        SourceFactory factory = factories.get(type);
        if (factory == null) {
            throw options.child("type").error("unknown source type '" + type + "'; known: " + String.join(", ", factories.keySet()));
        }
        return factory.create(name, options, baseDir);
    }

    private static Path requiredPath(ConfigNode options, Path baseDir) {
        String path = options.text("path", null);
        if (path == null || path.isBlank()) {
            throw options.error("needs a path");
        }
        return baseDir.resolve(expandHome(path)).normalize();
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** Reads and checks the options of a {@code csv} source; a mapping to an unknown field is refused. */
    static CsvOptions csvOptions(ConfigNode options) {
        String delimiter = unescape(options.text("delimiter", ","));
        if (delimiter.length() != 1) {
            throw options.child("delimiter").error("must be one character (use \"\\t\" for tab); got '" + delimiter + "'");
        }
        String quoteText = options.text("quote", "\"");
        Character quote;
        if (quoteText.equalsIgnoreCase("none") || quoteText.isEmpty()) {
            quote = null;
        } else if (quoteText.length() == 1) {
            quote = quoteText.charAt(0);
        } else {
            throw options.child("quote").error("must be one character or none; got '" + quoteText + "'");
        }
        Charset encoding;
        String encodingName = options.text("encoding", "UTF-8");
        try {
            encoding = Charset.forName(encodingName);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw options.child("encoding").error("unknown character set '" + encodingName + "'");
        }
        ConfigNode mappingNode = options.child("mapping");
        Map<ProductField, String> mapping = new EnumMap<>(ProductField.class);
        for (Map.Entry<String, String> entry : options.stringMap("mapping").entrySet()) {
            ProductField field = ProductField.byConfigName(entry.getKey()).orElseThrow(() ->
                    mappingNode.child(entry.getKey()).error("unknown product field; mappable fields are: "
                            + ProductField.allConfigNames()));
            mapping.put(field, entry.getValue());
        }
        if (!mapping.containsKey(ProductField.CODE)) {
            throw mappingNode.error("must map the code field (the column holding the barcode)");
        }
        boolean header = options.bool("header", true);
        Map<String, String> extra = options.stringMap("extra");
        if (!header) {
            requireColumnNumbers(mappingNode, options.stringMap("mapping"));
            requireColumnNumbers(options.child("extra"), extra);
        }
        return new CsvOptions(delimiter.charAt(0), quote, header, encoding, mapping, extra);
    }

    /** Without a header, columns can only be named by number; checked here so the error names the key. */
    private static void requireColumnNumbers(ConfigNode node, Map<String, String> columns) {
        columns.forEach((key, column) -> {
            if (!column.strip().matches("[0-9]{1,9}") || Integer.parseInt(column.strip()) < 1) {
                throw node.child(key).error("header is false, so columns are named by number (1, 2, ...); got '"
                        + column + "'");
            }
        });
    }

    private static String unescape(String text) {
        return switch (text) {
            case "\\t", "tab" -> "\t";
            default -> text;
        };
    }

    /** Thrown for unknown types at runtime rather than config time (e.g. --format). */
    public SyncProductsException unknownType(String type) {
        return new SyncProductsException(org.syncproducts.ExitCode.USAGE,
                "unknown format '" + type + "'; known: " + String.join(", ", factories.keySet()));
    }
}
