import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The reference side of the bulk-load benchmark: a raw {@code COPY} of the same products the tool
 * would write, into an identical table on the same server.
 *
 * <pre>
 * java -cp target/sync-products.jar scripts/bench/RawCopy.java --db-url JDBC_URL --in FILE
 *      [--tmp-dir DIR] [--keep-table] [--no-checkpoint]
 * </pre>
 *
 * <ol>
 *   <li>Before any timing, converts the Open Food Facts CSV export {@code FILE} (plain or gzip,
 *       tab-separated, no quoting) into a COPY text-format temp file holding exactly the columns
 *       the tool writes into {@code products}, the way the tool derives them (canonical 14-digit
 *       code, text trimmed and blank as null, categories from categories_tags, nutrients that
 *       parse as numbers 0..100000, Nutri-Score a-e only, NOVA 1-4 only, last_modified_t as the
 *       source time). Rows the tool would refuse (barcode not 8-14 digits, over-long fields) and
 *       repeated codes are left out and counted on stderr.</li>
 *   <li>Creates {@code bench_raw_products (LIKE products INCLUDING ALL)}: same columns, defaults,
 *       constraints and indexes. The {@code products} table must exist ({@code sync-products
 *       migrate}). Then runs {@code CHECKPOINT} (unless {@code --no-checkpoint}) so dirty pages left
 *       by earlier runs are not flushed during the timed COPY.</li>
 *   <li>Times only {@code CopyManager.copyIn("COPY bench_raw_products (...) FROM STDIN", ...)}
 *       from the temp file, one statement under autocommit (one transaction), and prints
 *       {@code raw_copy rows=N seconds=S rows_per_sec=R} on stdout.</li>
 *   <li>Drops the table (unless {@code --keep-table}) and deletes the temp file.</li>
 * </ol>
 *
 * <p>The database URL may also come from {@code DATABASE_URL} (JDBC form, or {@code postgresql://}
 * without credentials in it). Exit codes: 0 done, 64 usage, 65 input unusable, 69 database
 * unavailable or table missing.
 */
public final class RawCopy {

    static final String TABLE = "bench_raw_products";
    static final String COLUMNS = "code, display_code, check_digit_valid, name, brands, categories, quantity, image_url, "
            + "energy_kcal_100g, fat_100g, saturated_fat_100g, carbohydrates_100g, sugars_100g, fiber_100g, "
            + "proteins_100g, salt_100g, sodium_100g, ingredients, allergens, nutriscore_grade, nova_group, "
            + "source, source_modified_at, content_hash, extra";
    static final String SOURCE = "bench";
    static final BigDecimal MAX_NUTRIENT = new BigDecimal("100000");

    /** Export columns read, with the tool's length limit for each (ProductField.maxLength). */
    static final String[] INPUT = {"code", "product_name", "brands", "categories_tags", "quantity", "image_url",
        "energy-kcal_100g", "fat_100g", "saturated-fat_100g", "carbohydrates_100g", "sugars_100g", "fiber_100g",
        "proteins_100g", "salt_100g", "sodium_100g", "ingredients_text", "allergens", "nutriscore_grade",
        "nova_group", "last_modified_t"};
    static final int[] MAX_LENGTH = {64, 2_000, 2_000, 20_000, 500, 2_048,
        64, 64, 64, 64, 64, 64,
        64, 64, 64, 65_535, 10_000, 16,
        16, 64};
    static final int CODE = 0;
    static final int NAME = 1;
    static final int BRANDS = 2;
    static final int CATEGORIES = 3;
    static final int QUANTITY = 4;
    static final int IMAGE_URL = 5;
    static final int FIRST_NUTRIENT = 6;
    static final int LAST_NUTRIENT = 14;
    static final int INGREDIENTS = 15;
    static final int ALLERGENS = 16;
    static final int NUTRISCORE = 17;
    static final int NOVA = 18;
    static final int MODIFIED = 19;

    private RawCopy() {
    }

    static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Failure e) {
            System.err.println("RawCopy: " + e.getMessage());
            System.exit(e.exitCode);
        } catch (IOException e) {
            System.err.println("RawCopy: " + e);
            System.exit(65);
        }
    }

    static void run(String[] args) throws Failure, IOException {
        String dbUrl = System.getenv("DATABASE_URL");
        Path input = null;
        Path tmpDir = null;
        boolean keepTable = false;
        boolean checkpoint = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--db-url" -> dbUrl = value(args, ++i, arg);
                case "--in" -> input = Path.of(value(args, ++i, arg));
                case "--tmp-dir" -> tmpDir = Path.of(value(args, ++i, arg));
                case "--keep-table" -> keepTable = true;
                case "--no-checkpoint" -> checkpoint = false;
                case "-h", "--help" -> {
                    System.out.println("usage: java -cp target/sync-products.jar scripts/bench/RawCopy.java "
                            + "--db-url JDBC_URL --in FILE [--tmp-dir DIR] [--keep-table] [--no-checkpoint]");
                    return;
                }
                default -> throw new Failure(64, "unknown argument " + arg + " (see --help)");
            }
        }
        if (dbUrl == null || dbUrl.isBlank()) {
            throw new Failure(64, "--db-url JDBC_URL is required (or set DATABASE_URL)");
        }
        if (input == null) {
            throw new Failure(64, "--in FILE is required");
        }
        if (!Files.isReadable(input)) {
            throw new Failure(65, input + " does not exist or is not readable");
        }
        if (dbUrl.startsWith("postgresql://") || dbUrl.startsWith("postgres://")) {
            dbUrl = "jdbc:postgresql://" + dbUrl.substring(dbUrl.indexOf("://") + 3);
        }

        long convertStart = System.nanoTime();
        Path copyFile = Files.createTempFile(tmpDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : tmpDir,
                "bench-raw-copy-", ".copy");
        copyFile.toFile().deleteOnExit();
        try {
            Conversion conversion = convert(input, copyFile);
            System.err.printf("RawCopy: converted %,d rows of %s in %.1f s (%,d refused, %,d repeated codes); "
                            + "COPY file %,d MB%n", conversion.rows, input, (System.nanoTime() - convertStart) / 1e9,
                    conversion.refused, conversion.duplicates, Files.size(copyFile) / 1_000_000);
            copy(dbUrl, copyFile, conversion.rows, keepTable, checkpoint);
        } finally {
            Files.deleteIfExists(copyFile);
        }
    }

    private static String value(String[] args, int index, String name) throws Failure {
        if (index >= args.length) {
            throw new Failure(64, name + " needs a value");
        }
        return args[index];
    }

    // ------------------------------------------------------------------ conversion

    record Conversion(long rows, long refused, long duplicates) {
    }

    static InputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 20);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 20);
        }
        return in;
    }

    static Conversion convert(Path input, Path output) throws IOException, Failure {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(input), StandardCharsets.UTF_8), 1 << 20);
             Writer writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8),
                     1 << 20)) {
            String header = reader.readLine();
            if (header == null) {
                throw new Failure(65, input + " is empty: expected the Open Food Facts CSV header");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            String[] names = header.split("\t", -1);
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                byName.putIfAbsent(names[i].strip(), i);
            }
            int[] columnOf = new int[INPUT.length];
            for (int f = 0; f < INPUT.length; f++) {
                Integer index = byName.get(INPUT[f]);
                if (index == null) {
                    throw new Failure(65, input + " is not an Open Food Facts CSV export (tab-separated): no column "
                            + INPUT[f]);
                }
                columnOf[f] = index;
            }
            // wanted[c] = field number + 1 for export column c, 0 when the column is not read
            int[] wanted = new int[names.length];
            int lastWanted = 0;
            for (int f = 0; f < INPUT.length; f++) {
                wanted[columnOf[f]] = f + 1;
                lastWanted = Math.max(lastWanted, columnOf[f]);
            }

            String[] fields = new String[INPUT.length];
            StringBuilder out = new StringBuilder(8192);
            Set<String> seen = new HashSet<>(1 << 20);
            long rows = 0;
            long refused = 0;
            long duplicates = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                split(line, wanted, lastWanted, fields);
                String display = digits(fields[CODE]);
                if (display == null || tooLong(fields)) {
                    refused++;
                    continue;
                }
                String canonical = "0".repeat(14 - display.length()) + display;
                if (canonical.equals("00000000000000")) {
                    refused++;
                    continue;
                }
                if (!seen.add(canonical)) {
                    duplicates++;
                    continue;
                }
                out.setLength(0);
                out.append(canonical).append('\t').append(display).append('\t')
                        .append(validCheckDigit(display) ? 't' : 'f').append('\t');
                text(out, fields[NAME]);
                text(out, fields[BRANDS]);
                categories(out, fields[CATEGORIES]);
                text(out, fields[QUANTITY]);
                text(out, fields[IMAGE_URL]);
                for (int f = FIRST_NUTRIENT; f <= LAST_NUTRIENT; f++) {
                    nutrient(out, fields[f]);
                }
                text(out, fields[INGREDIENTS]);
                text(out, fields[ALLERGENS]);
                nutriscore(out, fields[NUTRISCORE]);
                nova(out, fields[NOVA]);
                out.append(SOURCE).append('\t');
                modifiedAt(out, fields[MODIFIED]);
                out.append(hash(line)).append('\t').append("{}").append('\n');
                writer.append(out);
                rows++;
            }
            return new Conversion(rows, refused, duplicates);
        }
    }

    /** Puts the wanted columns of a tab-separated line into {@code fields}; absent columns are null. */
    static void split(String line, int[] wanted, int lastWanted, String[] fields) {
        java.util.Arrays.fill(fields, null);
        int start = 0;
        for (int column = 0; column <= lastWanted; column++) {
            int end = line.indexOf('\t', start);
            boolean lastField = end < 0;
            if (lastField) {
                end = line.length();
            }
            if (wanted[column] != 0) {
                fields[wanted[column] - 1] = line.substring(start, end);
            }
            if (lastField) {
                return;
            }
            start = end + 1;
        }
    }

    static boolean tooLong(String[] fields) {
        for (int f = 0; f < fields.length; f++) {
            if (fields[f] != null && fields[f].length() > MAX_LENGTH[f]) {
                return true;
            }
        }
        return false;
    }

    /** The code's digits (spaces and hyphens dropped), or null when it is not 8..14 digits. */
    static String digits(String raw) {
        if (raw == null) {
            return null;
        }
        String code = raw.strip();
        if (code.indexOf(' ') >= 0 || code.indexOf('-') >= 0) {
            code = code.replace(" ", "").replace("-", "");
        }
        if (code.length() < 8 || code.length() > 14) {
            return null;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return code;
    }

    static boolean validCheckDigit(String digits) {
        int sum = 0;
        int last = digits.length() - 1;
        for (int i = last - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (digits.charAt(i) - '0') * weight;
        }
        return digits.charAt(last) - '0' == (10 - sum % 10) % 10;
    }

    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** Appends a value in COPY text format followed by a tab: \N for null, \\ \t \n \r escaped, NUL dropped. */
    static void text(StringBuilder out, String raw) {
        String value = clean(raw);
        if (value == null) {
            out.append("\\N\t");
            return;
        }
        escape(out, value);
        out.append('\t');
    }

    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> { }
                default -> out.append(c);
            }
        }
    }

    /** categories_tags split on ',' (blanks dropped) as a text[] literal, COPY-escaped; {} when none. */
    static void categories(StringBuilder out, String raw) {
        StringBuilder literal = new StringBuilder(raw == null ? 2 : raw.length() + 16).append('{');
        if (raw != null) {
            boolean first = true;
            for (String part : raw.split(",")) {
                String tag = part.strip();
                if (tag.isEmpty()) {
                    continue;
                }
                if (!first) {
                    literal.append(',');
                }
                first = false;
                literal.append('"');
                for (int i = 0; i < tag.length(); i++) {
                    char c = tag.charAt(i);
                    if (c == '"' || c == '\\') {
                        literal.append('\\');
                    }
                    literal.append(c);
                }
                literal.append('"');
            }
        }
        literal.append('}');
        escape(out, literal.toString());
        out.append('\t');
    }

    /** A number 0..100000 ("12.5", "12,5", "1e2") as plain decimal text, else \N. */
    static void nutrient(StringBuilder out, String raw) {
        String value = clean(raw);
        if (value != null) {
            if (value.indexOf(',') >= 0 && value.indexOf('.') < 0) {
                value = value.replace(',', '.');
            }
            try {
                BigDecimal number = new BigDecimal(value);
                if (number.signum() >= 0 && number.compareTo(MAX_NUTRIENT) <= 0) {
                    out.append(number.toPlainString()).append('\t');
                    return;
                }
            } catch (NumberFormatException e) {
                // not a number: the tool leaves the nutrient empty too
            }
        }
        out.append("\\N\t");
    }

    static void nutriscore(StringBuilder out, String raw) {
        String value = clean(raw);
        if (value != null && value.length() == 1) {
            char grade = Character.toLowerCase(value.charAt(0));
            if (grade >= 'a' && grade <= 'e') {
                out.append(grade).append('\t');
                return;
            }
        }
        out.append("\\N\t");
    }

    static void nova(StringBuilder out, String raw) {
        String value = clean(raw);
        if (value != null) {
            try {
                if (value.indexOf(',') >= 0 && value.indexOf('.') < 0) {
                    value = value.replace(',', '.');
                }
                BigDecimal number = new BigDecimal(value);
                if (number.stripTrailingZeros().scale() <= 0 && number.compareTo(BigDecimal.ONE) >= 0
                        && number.compareTo(BigDecimal.valueOf(4)) <= 0) {
                    out.append(number.intValue()).append('\t');
                    return;
                }
            } catch (NumberFormatException e) {
                // not a number: no NOVA group
            }
        }
        out.append("\\N\t");
    }

    /** Unix seconds, an ISO-8601 instant or a date, as timestamptz text; \N when none parses. */
    static void modifiedAt(StringBuilder out, String raw) {
        String value = clean(raw);
        Instant instant = null;
        if (value != null) {
            try {
                if (value.chars().allMatch(Character::isDigit)) {
                    instant = Instant.ofEpochSecond(Long.parseLong(value));
                } else if (value.length() == 10) {
                    instant = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } else {
                    instant = OffsetDateTime.parse(value).toInstant();
                }
            } catch (RuntimeException e) {
                instant = null;
            }
        }
        if (instant == null) {
            out.append("\\N\t");
        } else {
            out.append(instant).append('\t');
        }
    }

    /** 64-bit FNV-1a of the line: any bigint will do for the reference rows. */
    static long hash(String line) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < line.length(); i++) {
            hash ^= line.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    // ------------------------------------------------------------------ the timed COPY

    static void copy(String dbUrl, Path copyFile, long expectedRows, boolean keepTable, boolean checkpoint)
            throws Failure, IOException {
        try (Connection connection = DriverManager.getConnection(dbUrl)) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                try (ResultSet result = statement.executeQuery("SELECT to_regclass('products') IS NOT NULL")) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        throw new Failure(69, "table products does not exist: run `sync-products migrate` "
                                + "against this database first");
                    }
                }
                statement.execute("DROP TABLE IF EXISTS " + TABLE);
                statement.execute("CREATE TABLE " + TABLE + " (LIKE products INCLUDING ALL)");
                if (checkpoint) {
                    try {
                        statement.execute("CHECKPOINT");
                    } catch (SQLException e) {
                        System.err.println("RawCopy: no CHECKPOINT before the COPY (" + e.getMessage().strip()
                                + "); timing goes on without it");
                    }
                }
            }
            CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY " + TABLE + " (" + COLUMNS + ") FROM STDIN";
            long rows;
            long start;
            long end;
            try (InputStream in = Files.newInputStream(copyFile)) {
                start = System.nanoTime();
                rows = copyManager.copyIn(sql, in, 1 << 16);
                end = System.nanoTime();
            }
            double seconds = (end - start) / 1e9;
            if (rows != expectedRows) {
                System.err.printf("RawCopy: COPY reported %,d rows, the file held %,d%n", rows, expectedRows);
            }
            System.out.printf("raw_copy rows=%d seconds=%.3f rows_per_sec=%d%n", rows, seconds,
                    Math.round(rows / Math.max(seconds, 1e-9)));
            System.out.flush();
            if (!keepTable) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE " + TABLE);
                }
            }
        } catch (SQLException e) {
            throw new Failure(69, "database error: " + e.getMessage());
        }
    }
}
