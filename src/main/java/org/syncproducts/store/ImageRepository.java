package org.syncproducts.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The product_images table: what {@code sync --images} stored or failed to store. */
public final class ImageRepository {
    /** A product whose front image is to be fetched. */
    public record Pending(String code, String imageUrl) {
    }

    /** One product's image outcome. */
    public record Outcome(String code, String sourceUrl, boolean stored, String path, String sha256, Long sizeBytes,
                          String contentType, String publicUrl, String error) {
    }

    private final Jdbi jdbi;

    public ImageRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Live products with an image URL whose image is not stored yet, or was stored from another
     * URL, or failed last time; in code order, after {@code afterCode} (null for the first).
     */
    public List<Pending> pending(String afterCode, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT p.code, p.image_url FROM products p
                        LEFT JOIN product_images i ON i.code = p.code
                        WHERE p.deleted_at IS NULL AND p.image_url IS NOT NULL
                          AND (i.code IS NULL OR i.status <> 'stored' OR i.source_url <> p.image_url)
                          AND p.code > coalesce(:after, '')
                        ORDER BY p.code LIMIT :limit""")
                .bind("after", afterCode)
                .bind("limit", limit)
                .map((rs, ctx) -> new Pending(rs.getString("code"), rs.getString("image_url")))
                .list());
    }

    public void record(Outcome outcome) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO product_images (code, source_url, status, path, sha256, size_bytes, content_type,
                                                    public_url, error, fetched_at)
                        VALUES (:code, :sourceUrl, :status, :path, :sha256, :sizeBytes, :contentType, :publicUrl, :error,
                                now())
                        ON CONFLICT (code) DO UPDATE SET source_url = excluded.source_url, status = excluded.status,
                            path = coalesce(excluded.path, product_images.path),
                            sha256 = coalesce(excluded.sha256, product_images.sha256),
                            size_bytes = coalesce(excluded.size_bytes, product_images.size_bytes),
                            content_type = coalesce(excluded.content_type, product_images.content_type),
                            public_url = coalesce(excluded.public_url, product_images.public_url),
                            error = excluded.error, fetched_at = excluded.fetched_at""")
                .bind("code", outcome.code())
                .bind("sourceUrl", outcome.sourceUrl())
                .bind("status", outcome.stored() ? "stored" : "failed")
                .bind("path", outcome.path())
                .bind("sha256", outcome.sha256())
                .bind("sizeBytes", outcome.sizeBytes())
                .bind("contentType", outcome.contentType())
                .bind("publicUrl", outcome.publicUrl())
                .bind("error", outcome.error())
                .execute());
    }
}
