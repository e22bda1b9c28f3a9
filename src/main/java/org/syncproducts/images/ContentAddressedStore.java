package org.syncproducts.images;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local directory image store: files named by the SHA-256 of their bytes,
 * {@code ab/cd/abcd…ef.jpg}. The same image stored twice is one file; a file is written to a
 * temporary name and moved into place, so a reader or a crash never sees half a file.
 */
public final class ContentAddressedStore implements ImageStore {
    private final Path directory;

    public ContentAddressedStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public Stored store(ImageKey key, byte[] bytes, String contentType) throws IOException {
        Path target = directory.resolve(key.relativePath());
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return new Stored(key.relativePath(), key.sha256(), bytes.length, true);
        }
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        try {
            Files.write(temporary, bytes);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return new Stored(key.relativePath(), key.sha256(), bytes.length, false);
    }

    @Override
    public boolean exists(String relativePath) {
        return Files.isRegularFile(directory.resolve(relativePath));
    }

    @Override
    public String publicPath(String relativePath) {
        return relativePath;
    }

    @Override
    public void close() {
        // Nothing is held open between images.
    }
}
