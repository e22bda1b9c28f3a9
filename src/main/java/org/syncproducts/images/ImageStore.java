package org.syncproducts.images;

import java.io.IOException;

/**
 * Where {@code sync --images} puts image bytes: a local directory ({@link ContentAddressedStore})
 * or an S3 bucket ({@link S3ImageStore}), both content-addressed by {@link ImageKey}. Safe for
 * concurrent use.
 */
public interface ImageStore extends AutoCloseable {
    /** Where one image ended up. */
    record Stored(String relativePath, String sha256, long sizeBytes, boolean alreadyThere) {
    }

    /**
     * Stores the bytes under their {@code key} ({@link ImageKey#of}), unless the store already
     * holds that key with the same size (then nothing is written or uploaded).
     *
     * @throws IOException when the store cannot take it; the image is then recorded as failed
     */
    Stored store(ImageKey key, byte[] bytes, String contentType) throws IOException;

    /** Whether the store holds {@code relativePath} (an {@link ImageKey#relativePath()}). */
    boolean exists(String relativePath) throws IOException;

    /** The path below the public base URL where the CDN serves {@code relativePath}. */
    String publicPath(String relativePath);

    /** Closes any connections; a no-op for a directory. */
    @Override
    void close();
}
