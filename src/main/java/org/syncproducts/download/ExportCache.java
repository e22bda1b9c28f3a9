package org.syncproducts.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;

/**
 * Where downloaded exports are kept: one file per URL, named from the URL's last path segment
 * (so the format still shows) after a short hash of the whole URL (so two URLs never share a
 * file), with a sidecar JSON record saying what the file is ({@code .json}). A download in
 * progress is written to {@code .part}, with its own sidecar; only a complete, verified file is
 * renamed into place.
 */
public final class ExportCache {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    /**
     * What a cached file (or a partial download) is.
     *
     * @param url          where it comes from, without credentials or query (the file name tells URLs apart)
     * @param etag         the server's ETag, or null
     * @param lastModified the server's Last-Modified, as sent, or null
     * @param size         the whole file's size in bytes, or -1 when the server did not say (a partial download)
     * @param sha256       the verified SHA-256 in hex, or null when no checksum was configured
     * @param fetchedAt    when the download completed (or, for a part, started)
     */
    public record Entry(String url, String etag, String lastModified, long size, String sha256, Instant fetchedAt) {
        /** The same file, checked against {@code sha256}. */
        public Entry verified(String sha256) {
            return new Entry(url, etag, lastModified, size, sha256, fetchedAt);
        }
    }

    private final Path directory;

    public ExportCache(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The cached copy of {@code url}. */
    public Path file(HttpUrl url) {
        String segment = url.pathSegments().isEmpty() ? "" : url.pathSegments().get(url.pathSegments().size() - 1);
        String safe = segment.replaceAll("[^A-Za-z0-9._-]", "_");
        return directory.resolve(shortHash(url.toString()) + "-" + (safe.isEmpty() ? "export" : safe));
    }

    /** The download in progress of {@code url}. */
    public Path part(HttpUrl url) {
        return sibling(file(url), ".part");
    }

    /** The sidecar of the cached file, else of the part. */
    public Optional<Entry> entry(Path file) {
        Path sidecar = sibling(file, ".json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(sidecar)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(sidecar.toFile(), Entry.class));
        } catch (IOException e) {
            // An unreadable sidecar only costs a fresh download: the file is then not trusted.
            return Optional.empty();
        }
    }

    public void writeEntry(Path file, Entry entry) throws IOException {
        Path sidecar = sibling(file, ".json");
        Path temporary = sibling(file, ".json.tmp");
        Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
        Files.move(temporary, sidecar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a file and its sidecar. */
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(sibling(file, ".json"));
        Files.deleteIfExists(file);
    }

    /** Moves the complete part into place with its sidecar; the sidecar goes last, so it never describes another file. */
    public void complete(HttpUrl url, Entry entry) throws IOException {
        Path file = file(url);
        Files.deleteIfExists(sibling(file, ".json"));
        Files.move(part(url), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writeEntry(file, entry);
        Files.deleteIfExists(sibling(part(url), ".json"));
    }

    /**
     * Takes the lock of {@code url}'s files for this process, so two runs never write the same
     * part; a held lock is exit 75 (try again later). Closing the channel returned releases it.
     */
    public FileChannel lock(HttpUrl url) throws IOException {
        Files.createDirectories(directory);
        Path lockFile = sibling(file(url), ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new SyncProductsException(ExitCode.TEMPORARY, "another process is downloading " + url.redact()
                    + " into " + directory + "; try again when it has finished");
        }
        return channel;
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
