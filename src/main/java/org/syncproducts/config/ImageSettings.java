package org.syncproducts.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@code sync --images} keeps product images and how it fetches them.
 *
 * @param directory     the content-addressed store: {@code ab/cd/<sha256>.<ext>} below it
 * @param publicBaseUrl the URL the directory is served at (a CDN origin), or null: a stored
 *                      image's public URL is this plus its path
 * @param maxBytes      larger images are refused
 * @param perMinute     downloads a minute
 */
public record ImageSettings(Path directory, String publicBaseUrl, long maxBytes, double perMinute) {
    public static final long DEFAULT_MAX_BYTES = 5L << 20;
    public static final double DEFAULT_PER_MINUTE = 60;

    public ImageSettings {
        Objects.requireNonNull(directory, "directory");
        if (publicBaseUrl != null && !publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl + "/";
        }
    }
}
