import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a CSV made by {@code GenerateOffCsv.java} into Open Food Facts daily delta files and one
 * export of the same rows, both in the JSONL dump format (one product document a line, gzip):
 * every non-empty column becomes a field of the document ({@code *_100g} columns go into
 * {@code nutriments}, {@code *_tags} columns become arrays), as in the real dump.
 *
 * <pre>
 * java scripts/bench/MakeDeltas.java --csv FILE --files K --per-file N --deltas DIR --export FILE.jsonl.gz
 * </pre>
 *
 * <p>Delta file i (0-based) holds rows i*N .. i*N+N-1 and is named
 * {@code openfoodfacts_products_{from}_{to}.json.gz} for the day (from, to] its rows'
 * {@code last_modified_t} fall in; {@code index.txt} lists them. The export holds the same K*N
 * rows with the same times.
 */
public final class MakeDeltas {
    private static final long DAY = 86_400;
    private static final long START = 1_764_547_200L; // 2025-12-01T00:00:00Z

    public static void main(String[] args) throws IOException {
        Path csv = null;
        Path deltas = null;
        Path export = null;
        int files = 14;
        int perFile = 20_000;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--csv" -> csv = Path.of(args[i + 1]);
                case "--deltas" -> deltas = Path.of(args[i + 1]);
                case "--export" -> export = Path.of(args[i + 1]);
                case "--files" -> files = Integer.parseInt(args[i + 1]);
                case "--per-file" -> perFile = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(deltas);
        List<String> names = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(csv),
                StandardCharsets.UTF_8), 1 << 16);
             Writer all = gzipWriter(export)) {
            String[] header = in.readLine().split("\t", -1);
            for (int file = 0; file < files; file++) {
                long from = START + file * DAY;
                long to = from + DAY;
                String name = "openfoodfacts_products_" + from + "_" + to + ".json.gz";
                names.add(name);
                try (Writer delta = gzipWriter(deltas.resolve(name))) {
                    for (int row = 0; row < perFile; row++) {
                        String line = in.readLine();
                        if (line == null) {
                            throw new IllegalStateException(csv + " has fewer than " + files * perFile + " rows");
                        }
                        String document = document(header, line.split("\t", -1), from + 1 + (row * (DAY - 1)) / perFile);
                        delta.write(document);
                        all.write(document);
                    }
                }
            }
        }
        Files.writeString(deltas.resolve("index.txt"), String.join("\n", names) + "\n");
        System.err.println("wrote " + files + " delta files of " + perFile + " products to " + deltas + " and "
                + export);
    }

    private static Writer gzipWriter(Path path) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(new FileOutputStream(path.toFile()),
                1 << 16) {
            {
                def.setLevel(1);
            }
        }, StandardCharsets.UTF_8), 1 << 16);
    }

    private static String document(String[] header, String[] values, long modified) {
        StringBuilder json = new StringBuilder(2048).append('{');
        StringBuilder nutriments = new StringBuilder();
        for (int i = 0; i < header.length && i < values.length; i++) {
            String column = header[i];
            String value = values[i];
            if (value.isEmpty() || column.startsWith("last_modified")) {
                continue;
            }
            if (column.endsWith("_100g")) {
                nutriments.append(nutriments.length() == 0 ? "" : ",");
                string(string(nutriments, column).append(':'), value);
            } else if (column.endsWith("_tags")) {
                string(json, column).append(":[");
                String[] tags = value.split(",");
                for (int t = 0; t < tags.length; t++) {
                    string(json.append(t == 0 ? "" : ","), tags[t]);
                }
                json.append("],");
            } else {
                string(json, column).append(':');
                string(json, value).append(',');
            }
        }
        json.append("\"nutriments\":{").append(nutriments).append("},");
        return json.append("\"last_modified_t\":").append(modified).append("}\n").toString();
    }

    private static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
