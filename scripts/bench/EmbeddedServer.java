import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL (zonky, from the project's fat jar) for benchmarks.
 *
 * <pre>
 * java -cp target/sync-products.jar scripts/bench/EmbeddedServer.java --dir DIR --port PORT
 * </pre>
 *
 * <p>The data directory is {@code DIR/pgdata}; it is created on the first run and kept between
 * runs. The server's own log goes to {@code DIR/postgres.log}, so standard output carries exactly
 * one line once the server accepts connections:
 * {@code ready jdbc:postgresql://localhost:PORT/postgres?user=postgres}.
 *
 * <p>The server stops when standard input reaches end of file (close the pipe that feeds it) or
 * when the process gets SIGINT/SIGTERM. When standard input is {@code /dev/null} (as for a
 * background job of a non-interactive shell), only a signal stops it.
 */
public final class EmbeddedServer {

    private EmbeddedServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = null;
        int port = -1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--dir") || arg.equals("--port")) && i + 1 >= args.length) {
                usage(arg + " needs a value");
            }
            switch (arg) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--port" -> {
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--port needs a number, not '" + args[i] + "'");
                    }
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument " + arg);
            }
        }
        if (dir == null || port < 1 || port > 65_535) {
            usage("--dir DIR and --port PORT (1-65535) are required");
        }
        Path dataDirectory = dir.toAbsolutePath().resolve("pgdata");
        Files.createDirectories(dir.toAbsolutePath());
        Path log = dir.toAbsolutePath().resolve("postgres.log");

        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            System.err.println("EmbeddedServer: PostgreSQL did not start in " + dataDirectory + " on port " + port
                    + ": " + e.getMessage() + " (see " + log + "; is the port free, or another server using the directory?)");
            System.exit(69);
            return;
        }
        System.out.println("ready jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
        System.out.flush();

        if (stdinIsDevNull()) {
            new CountDownLatch(1).await();
        }
        InputStream in = System.in;
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // wait for end of file; what is written to stdin is ignored
        }
        postgres.close();
        System.err.println("EmbeddedServer: standard input closed; PostgreSQL stopped");
    }

    private static boolean stdinIsDevNull() {
        try {
            return Files.isSameFile(Path.of("/proc/self/fd/0"), Path.of("/dev/null"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("EmbeddedServer: " + problem);
        }
        System.err.println("usage: java -cp target/sync-products.jar scripts/bench/EmbeddedServer.java --dir DIR --port PORT");
        System.exit(problem == null ? 0 : 64);
    }
}
