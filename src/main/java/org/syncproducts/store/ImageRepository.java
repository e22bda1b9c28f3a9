package org.syncproducts.store;

import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The product_images table: what {@code sync --images} stored or failed to store, and where. */
public final class ImageRepository {
    /** A product whose front image is to be fetched. */
    public record Pending(String code, String imageUrl) {
    }

    /** One product's image outcome; {@code store} names the store that holds it. */
    public record Outcome(String code, String sourceUrl, boolean stored, String path, String sha256, Long sizeBytes,
                          String contentType, String publicUrl, String error, String store) {
    }

    /** A stored image, as {@code verify --images} samples it. */
    public record StoredImage(String code, String path) {
    }

    private static final String PENDING = """
            FROM products p
            LEFT JOIN product_images i ON i.code = p.code
            WHERE p.deleted_at IS NULL AND p.image_url IS NOT NULL
              AND (:named OR i.code IS NULL OR i.status <> 'stored' OR i.source_url <> p.image_url
                   OR coalesce(i.store, :store) <> :store)
              AND (NOT :named OR p.code = ANY(:codes))""";

    private final Jdbi jdbi;

    public ImageRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Live products with an image URL whose image is not stored yet in {@code store}, or was
     * stored from another URL, or failed last time; with {@code codes}, exactly those products'
     * images whatever was recorded (to fetch again what a store lost). In code order, after
     * {@code afterCode} (null for the first).
     */
    public List<Pending> pending(String store, Set<String> codes, String afterCode, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT p.code, p.image_url " + PENDING + """

                          AND p.code > coalesce(:after, '')
                        ORDER BY p.code LIMIT :limit""")
                .bind("store", store)
                .bind("named", codes != null)
                .bindArray("codes", String.class, codes == null ? List.of() : List.copyOf(codes))
                .bind("after", afterCode)
                .bind("limit", limit)
                .map((rs, ctx) -> new Pending(rs.getString("code"), rs.getString("image_url")))
                .list());
    }

    /** How many images {@link #pending} would give over all pages. */
    public long countPending(String store, Set<String> codes) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) " + PENDING)
                .bind("store", store)
                .bind("named", codes != null)
                .bindArray("codes", String.class, codes == null ? List.of() : List.copyOf(codes))
                .mapTo(Long.class).one());
    }

    public void record(Outcome outcome) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO product_images (code, source_url, status, path, sha256, size_bytes, content_type,
                                                    public_url, error, fetched_at, store)
                        VALUES (:code, :sourceUrl, :status, :path, :sha256, :sizeBytes, :contentType, :publicUrl, :error,
                                now(), :store)
                        ON CONFLICT (code) DO UPDATE SET source_url = excluded.source_url, status = excluded.status,
                            path = coalesce(excluded.path, product_images.path),
                            sha256 = coalesce(excluded.sha256, product_images.sha256),
                            size_bytes = coalesce(excluded.size_bytes, product_images.size_bytes),
                            content_type = coalesce(excluded.content_type, product_images.content_type),
                            public_url = coalesce(excluded.public_url, product_images.public_url),
                            error = excluded.error, fetched_at = excluded.fetched_at,
                            store = coalesce(excluded.store, product_images.store)""")
                .bind("code", outcome.code())
                .bind("sourceUrl", outcome.sourceUrl())
                .bind("status", outcome.stored() ? "stored" : "failed")
                .bind("path", outcome.path())
                .bind("sha256", outcome.sha256())
                .bind("sizeBytes", outcome.sizeBytes())
                .bind("contentType", outcome.contentType())
                .bind("publicUrl", outcome.publicUrl())
                .bind("error", outcome.error())
                .bind("store", outcome.stored() ? outcome.store() : null)
                .execute());
    }

    /** Up to {@code limit} images recorded as stored in {@code store}, picked at random. */
    public List<StoredImage> sample(String store, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT code, path FROM product_images
                        WHERE status = 'stored' AND path IS NOT NULL AND coalesce(store, :store) = :store
                        ORDER BY random() LIMIT :limit""")
                .bind("store", store)
                .bind("limit", limit)
                .map((rs, ctx) -> new StoredImage(rs.getString("code"), rs.getString("path")))
                .list());
    }

    /** How many images are recorded as stored in {@code store}. */
    public long countStored(String store) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(*) FROM product_images
                        WHERE status = 'stored' AND path IS NOT NULL AND coalesce(store, :store) = :store""")
                .bind("store", store)
                .mapTo(Long.class).one());
    }

    /** Records what the images phase of job {@code jobId} did (a JSON document) on its job row. */
    public void recordOnJob(long jobId, String imagesJson) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE jobs SET images = cast(:images AS jsonb) WHERE id = :id")
                .bind("images", imagesJson)
                .bind("id", jobId)
                .execute());
    }
}
