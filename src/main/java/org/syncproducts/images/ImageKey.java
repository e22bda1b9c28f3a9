package org.syncproducts.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where an image's bytes are stored in any store: {@code ab/cd/<sha256>.<ext>}, named by the
 * SHA-256 of the bytes, so identical bytes are one file or object.
 *
 * @param relativePath {@code ab/cd/abcd…ef.jpg}
 * @param sha256       the hex SHA-256 of the bytes
 */
public record ImageKey(String relativePath, String sha256) {
    public static ImageKey of(byte[] bytes, String contentType) {
        String sha256 = sha256(bytes);
        return new ImageKey(sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256
                + extension(contentType), sha256);
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
