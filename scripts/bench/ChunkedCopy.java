import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.syncproducts.store.ProductRow;

/**
 * A diagnostic for the bulk-load benchmark (issue 12), no part of it: what the server spends on
 * the same rows when they arrive as the tool sends them (one {@code COPY} and commit per batch, on
 * one or more connections) against one {@code COPY} of them all, as {@code RawCopy} times them.
 * No tool runs, so the server's own cost is measured without the tool competing for the CPU.
 *
 * <pre>
 * java -Xmx2g -cp target/sync-products.jar scripts/bench/ChunkedCopy.java --db-url JDBC_URL \
 *     [--batch ROWS] [--writers N] [--runs R] [--tmp-dir DIR]
 * </pre>
 *
 * <p>Exports the rows of {@code products} (the URL's search path must reach the tool's schema,
 * {@code currentSchema=sync_products}) once, then, R times in turn: one COPY of them all on one
 * connection, and batches of ROWS (default 5,000, the tool's) each COPYed and committed on N
 * connections at once (default 2, the tool's writers; batch i on connection i mod N), each into a
 * new {@code LIKE products INCLUDING ALL} table after a {@code CHECKPOINT}. Prints the wall time
 * and the CPU seconds of the backends (from {@code /proc}, so the server must run on this machine).
 */
public final class ChunkedCopy {
    private static final String TABLE = "bench_chunked_products";

    private ChunkedCopy() {
    }

    public static void main(String[] args) throws Exception {
        String dbUrl = null;
        int batch = 5_000;
        int writers = 2;
        int runs = 3;
        Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db-url" -> dbUrl = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--tmp-dir" -> tmpDir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ChunkedCopy --db-url JDBC_URL [--batch ROWS] [--writers N] [--runs R] [--tmp-dir DIR]");
                    System.exit(64);
                }
            }
        }
        if (dbUrl == null) {
            System.err.println("ChunkedCopy: --db-url JDBC_URL is required");
            System.exit(64);
        }
        String columns = String.join(", ", ProductRow.COLUMNS);
        Path copyFile = Files.createTempFile(tmpDir, "bench-chunked-copy-", ".copy");
        try {
            try (Connection connection = DriverManager.getConnection(dbUrl);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(copyFile), 1 << 20)) {
                connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyOut("COPY (SELECT " + columns + " FROM products) TO STDOUT", out);
            }
            List<byte[]> batches = split(copyFile, batch);
            for (int run = 1; run <= runs; run++) {
                Result whole = copyWhole(dbUrl, columns, copyFile);
                System.out.printf("run %d: one COPY                         wall %6.2f s, backend CPU %6.2f s%n", run,
                        whole.seconds(), whole.backendCpu());
                Result chunked = copyInBatches(dbUrl, columns, batches, writers);
                System.out.printf("run %d: %,d COPYs of %,d rows on %d connection(s) wall %6.2f s, backend CPU %6.2f s%n", run,
                        batches.size(), batch, writers, chunked.seconds(), chunked.backendCpu());
            }
        } finally {
            Files.deleteIfExists(copyFile);
        }
    }

    private record Result(double seconds, double backendCpu) {
    }

    /** The exported lines in groups of {@code rows}, each group one COPY's data. */
    private static List<byte[]> split(Path copyFile, int rows) throws IOException {
        List<byte[]> batches = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(copyFile)) {
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n' && ++lines == rows) {
                        current.write(buffer, from, i + 1 - from);
                        batches.add(current.toByteArray());
                        current.reset();
                        lines = 0;
                        from = i + 1;
                    }
                }
                current.write(buffer, from, read - from);
            }
        }
        if (current.size() > 0) {
            batches.add(current.toByteArray());
        }
        return batches;
    }

    private static Result copyWhole(String dbUrl, String columns, Path copyFile) throws Exception {
        freshTable(dbUrl);
        try (Connection connection = DriverManager.getConnection(dbUrl)) {
            double cpuBefore = backendCpu(connection);
            long start = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(copyFile), 1 << 20)) {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + TABLE + " (" + columns + ") FROM STDIN", in);
            }
            return new Result((System.nanoTime() - start) / 1e9, backendCpu(connection) - cpuBefore);
        } finally {
            dropTable(dbUrl);
        }
    }

    private static Result copyInBatches(String dbUrl, String columns, List<byte[]> batches, int writers) throws Exception {
        freshTable(dbUrl);
        List<Connection> connections = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            double cpuBefore = 0;
            for (int i = 0; i < writers; i++) {
                Connection connection = DriverManager.getConnection(dbUrl);
                connection.setAutoCommit(false);
                connections.add(connection);
                cpuBefore += backendCpu(connection);
            }
            long start = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Connection connection = connections.get(w);
                int first = w;
                done.add(threads.submit(() -> {
                    for (int i = first; i < batches.size(); i += writers) {
                        connection.unwrap(PGConnection.class).getCopyAPI()
                                .copyIn("COPY " + TABLE + " (" + columns + ") FROM STDIN", new ByteArrayInputStream(batches.get(i)));
                        connection.commit();
                    }
                    return null;
                }));
            }
            for (Future<Void> writer : done) {
                writer.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuAfter = 0;
            for (Connection connection : connections) {
                cpuAfter += backendCpu(connection);
            }
            return new Result(seconds, cpuAfter - cpuBefore);
        } finally {
            threads.shutdown();
            for (Connection connection : connections) {
                connection.close();
            }
            dropTable(dbUrl);
        }
    }

    private static void freshTable(String dbUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(dbUrl); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
            statement.execute("CREATE TABLE " + TABLE + " (LIKE products INCLUDING ALL)");
            statement.execute("CHECKPOINT");
        }
    }

    private static void dropTable(String dbUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(dbUrl); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    /** The connection's backend's user + system CPU seconds, from /proc. */
    private static double backendCpu(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            String text = Files.readString(Path.of("/proc", pid.getString(1), "stat"));
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }
    }
}
