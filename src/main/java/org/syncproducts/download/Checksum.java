package org.syncproducts.download;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The checksum a downloaded export must have: a SHA-256 given in config ({@code sha256:}), or
 * one published next to the export ({@code checksum_url:}), in the format of {@code sha256sum}
 * that Open Food Facts publishes ({@code openfoodfacts-products.jsonl.gz.sha256sum}: one line
 * {@code <64 hex digits>  <file name>}). Neither means the download is not checked.
 *
 * @param sha256 the expected digest in lower-case hex, or null
 * @param url    where the published checksum file is, or null
 */
public record Checksum(String sha256, HttpUrl url) {
    public static final Checksum NONE = new Checksum(null, null);

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Checksum {
        sha256 = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
        if (sha256 != null && !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 hexadecimal digits; got '" + sha256 + "'");
        }
    }

    /** Whether anything is to be checked. */
    public boolean configured() {
        return sha256 != null || url != null;
    }

    /** Whether {@code text} is a SHA-256 in hex (any case). */
    public static boolean isSha256(String text) {
        return text != null && HEX.matcher(text.strip().toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * The digest a published checksum file gives for {@code fileName}: the line naming that file
     * ({@code sha256sum} output, with {@code *} before the name in binary mode), else the only
     * digest of a file that names none or one file.
     *
     * @return the digest in lower-case hex, or null when the text holds none for that file
     */
    public static String published(String text, String fileName) {
        String only = null;
        int digests = 0;
        for (String line : text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            String[] parts = line.split("\\s+", 2);
            if (!isSha256(parts[0])) {
                continue;
            }
            String digest = parts[0].toLowerCase(Locale.ROOT);
            String name = parts.length > 1 ? parts[1].replaceFirst("^\\*", "") : null;
            if (name != null && (name.equals(fileName) || name.endsWith("/" + fileName))) {
                return digest;
            }
            digests++;
            only = digest;
        }
        return digests == 1 ? only : null;
    }

    /** The SHA-256 of a file, in lower-case hex. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
