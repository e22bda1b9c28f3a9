package org.syncproducts.images;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Files named by the SHA-256 of their bytes: {@code ab/cd/abcd…ef.jpg}. The same image stored
 * twice is one file; a file is written to a temporary name and moved into place, so a reader or a
 * crash never sees half a file.
 */
public final class ContentAddressedStore {
    /** Where one image ended up. */
    public record Stored(String relativePath, String sha256, long sizeBytes, boolean alreadyThere) {
    }

    private final Path directory;

    public ContentAddressedStore(Path directory) {
        this.directory = directory;
    }

    public Stored store(byte[] bytes, String contentType) throws IOException {
        String sha256 = sha256(bytes);
        String relative = sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256 + extension(contentType);
        Path target = directory.resolve(relative);
        if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
            return new Stored(relative, sha256, bytes.length, true);
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
        return new Stored(relative, sha256, bytes.length, false);
    }

    static String extension(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "image/avif" -> ".avif";
            default -> ".img";
        };
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
