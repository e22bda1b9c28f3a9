import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.syncproducts.store.ProductRow;

/**
 * The reference side of the bulk-load benchmark: a raw {@code COPY} of exactly the rows the tool
 * wrote, into a table identical to {@code products}, on the same server.
 *
 * <pre>
 * java -cp target/sync-products.jar scripts/bench/RawCopy.java --db-url JDBC_URL [--tmp-dir DIR]
 * </pre>
 *
 * <ol>
 *   <li>Untimed: exports the columns a sync writes ({@code ProductRow.COLUMNS}, from the jar, so the
 *       reference never drifts from the tool) of every row of {@code products} with
 *       {@code COPY ... TO STDOUT} into a temp file. The URL's search path must reach the tool's
 *       schema ({@code currentSchema=sync_products}).</li>
 *   <li>Creates {@code bench_raw_products (LIKE products INCLUDING ALL)}: same columns, defaults,
 *       constraints and indexes (not triggers: their cost is the tool's own overhead), and runs
 *       {@code CHECKPOINT} so dirty pages left by the sync are not flushed during the timed COPY.</li>
 *   <li>Times only {@code COPY bench_raw_products (...) FROM STDIN} from the file, one statement
 *       under autocommit, prints {@code raw_copy rows=N seconds=S rows_per_sec=R}, drops the table.</li>
 * </ol>
 */
public final class RawCopy {
    private static final String TABLE = "bench_raw_products";

    /** This connection's backend's /proc stat file (the server runs on this machine), or null. */
    private static Path backendStat(Statement statement) throws Exception {
        try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            Path stat = Path.of("/proc", pid.getString(1), "stat");
            return Files.isReadable(stat) ? stat : null;
        }
    }

    /** The process's user + system CPU seconds (NaN when it cannot be read: a remote server). */
    private static double cpuSeconds(Path stat) throws Exception {
        if (stat == null) {
            return Double.NaN;
        }
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    public static void main(String[] args) throws Exception {
        String dbUrl = null;
        Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db-url" -> dbUrl = args[++i];
                case "--tmp-dir" -> tmpDir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: RawCopy --db-url JDBC_URL [--tmp-dir DIR]");
                    System.exit(64);
                }
            }
        }
        if (dbUrl == null) {
            System.err.println("RawCopy: --db-url JDBC_URL is required");
            System.exit(64);
        }
        String columns = String.join(", ", ProductRow.COLUMNS);
        Path copyFile = Files.createTempFile(tmpDir, "bench-raw-copy-", ".copy");
        try (Connection connection = DriverManager.getConnection(dbUrl);
             Statement statement = connection.createStatement()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long rows;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(copyFile), 1 << 20)) {
                rows = copy.copyOut("COPY (SELECT " + columns + " FROM products) TO STDOUT", out);
            }
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (LIKE products INCLUDING ALL)");
            statement.execute("CHECKPOINT");
            Path backend = backendStat(statement);
            double backendBefore = cpuSeconds(backend);
            long start = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(copyFile), 1 << 20)) {
                copy.copyIn("COPY " + TABLE + " (" + columns + ") FROM STDIN", in);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double backendSeconds = cpuSeconds(backend) - backendBefore;
            statement.execute("DROP TABLE " + TABLE);
            System.out.printf("raw_copy rows=%d seconds=%.3f rows_per_sec=%.0f backend_cpu_s=%.2f (COPY file %,d MB)%n", rows,
                    seconds, rows / seconds, backendSeconds, Files.size(copyFile) / 1_000_000);
        } finally {
            Files.deleteIfExists(copyFile);
        }
    }
}
