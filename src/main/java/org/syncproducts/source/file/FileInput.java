package org.syncproducts.source.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.syncproducts.SyncProductsException;
import org.syncproducts.source.InputProgress;

/**
 * Opens a source file for streaming, plain or gzip (recognized by its magic bytes, not its
 * name), and counts the stored bytes read so progress and ETA work for both.
 */
public final class FileInput {
    private static final int BUFFER_SIZE = 1 << 16;

    private final Path path;
    private final long size;
    private final CountingInputStream counted;
    private final InputStream content;

    private FileInput(Path path) throws IOException {
        this.path = path;
        this.size = Files.size(path);
        this.counted = new CountingInputStream(new BufferedInputStream(Files.newInputStream(path), BUFFER_SIZE));
        this.content = isGzip(path) ? new GZIPInputStream(counted, BUFFER_SIZE) : counted;
    }

    /** Opens the file; a missing or unreadable file is a configuration error (exit 78). */
    public static FileInput open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw notFound(path);
        }
        try {
            return new FileInput(path);
        } catch (NoSuchFileException e) {
            throw notFound(path);
        } catch (IOException e) {
            throw SyncProductsException.config("cannot read source file " + path + ": " + e.getMessage());
        }
    }

    private static SyncProductsException notFound(Path path) {
        return SyncProductsException.config("source file not found: " + path + "; fix the source's path: in the "
                + "config, or put the file there");
    }

    /** Path, size and modification time: the identity a checkpoint is tied to. */
    public static String fingerprint(Path path) {
        try {
            return path.toAbsolutePath().normalize() + "|" + Files.size(path) + "|"
                    + Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize().toString();
        }
    }

    public static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** The decompressed content. */
    public InputStream content() {
        return content;
    }

    public Path path() {
        return path;
    }

    public InputProgress progress() {
        return new InputProgress(counted.count(), size);
    }

    public void close() throws IOException {
        content.close();
    }
}
