package org.syncproducts.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.syncproducts.model.Product;

/**
 * Upserts batches of products the fast way: COPY into a session-local staging table, then one
 * {@code INSERT ... SELECT ... ON CONFLICT} into {@code products}.
 *
 * <p>Guarantees: a row whose content hash did not change is not touched (no update, no new
 * timestamp, no dead tuple); {@code verified} and {@code first_seen_at} are never overwritten;
 * incremental mode only adds codes not yet present. The caller owns the transaction, so a batch,
 * its errors and the job checkpoint commit together.
 */
public final class ProductWriter {
    private static final String COLUMNS = """
            code, display_code, check_digit_valid, name, brands, categories, quantity, image_url,
            energy_kcal_100g, fat_100g, saturated_fat_100g, carbohydrates_100g, sugars_100g, fiber_100g,
            proteins_100g, salt_100g, sodium_100g, ingredients, allergens, nutriscore_grade, nova_group,
            source, source_modified_at, content_hash, extra""";

    private static final String UPDATE_SET = """
            display_code = excluded.display_code, check_digit_valid = excluded.check_digit_valid,
            name = excluded.name, brands = excluded.brands, categories = excluded.categories,
            quantity = excluded.quantity, image_url = excluded.image_url,
            energy_kcal_100g = excluded.energy_kcal_100g, fat_100g = excluded.fat_100g,
            saturated_fat_100g = excluded.saturated_fat_100g, carbohydrates_100g = excluded.carbohydrates_100g,
            sugars_100g = excluded.sugars_100g, fiber_100g = excluded.fiber_100g,
            proteins_100g = excluded.proteins_100g, salt_100g = excluded.salt_100g,
            sodium_100g = excluded.sodium_100g, ingredients = excluded.ingredients,
            allergens = excluded.allergens, nutriscore_grade = excluded.nutriscore_grade,
            nova_group = excluded.nova_group, source = excluded.source,
            source_modified_at = excluded.source_modified_at, content_hash = excluded.content_hash,
            extra = excluded.extra, last_synced_at = now(), last_changed_at = now(), deleted_at = NULL""";

    private static final String UPSERT_CHANGED = """
            WITH written AS (
                INSERT INTO products AS p (%s)
                SELECT %s FROM product_staging
                ON CONFLICT (code) DO UPDATE SET %s
                WHERE p.content_hash IS DISTINCT FROM excluded.content_hash OR p.deleted_at IS NOT NULL
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS updated
            FROM written""".formatted(COLUMNS, COLUMNS, UPDATE_SET);

    private static final String INSERT_MISSING = """
            WITH written AS (
                INSERT INTO products (%s)
                SELECT %s FROM product_staging
                ON CONFLICT (code) DO NOTHING
                RETURNING 1)
            SELECT count(*) AS added, 0 AS updated FROM written""".formatted(COLUMNS, COLUMNS);

    private static final String PREVIEW = """
            SELECT count(*) FILTER (WHERE p.code IS NULL) AS added,
                   count(*) FILTER (WHERE p.code IS NOT NULL AND :full
                                    AND (p.content_hash <> s.content_hash OR p.deleted_at IS NOT NULL)) AS updated
            FROM product_staging s LEFT JOIN products p ON p.code = s.code""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Handle handle;

    /** @param handle a handle this writer may use for the whole job (it creates a temp table on it) */
    public ProductWriter(Handle handle) {
        this.handle = handle;
        handle.execute("""
                CREATE TEMP TABLE IF NOT EXISTS product_staging
                (LIKE products INCLUDING DEFAULTS) ON COMMIT DELETE ROWS""");
    }

    /**
     * Writes one batch inside the caller's open transaction. Codes must be unique in the batch.
     *
     * @param full   update rows whose content changed (false: only add missing codes)
     * @param dryRun compute what would change without writing products
     */
    public BatchOutcome write(Collection<Product> products, boolean full, boolean dryRun) {
        if (products.isEmpty()) {
            return new BatchOutcome(0, 0);
        }
        copyToStaging(products);
        if (dryRun) {
            return handle.createQuery(PREVIEW).bind("full", full)
                    .map((rs, ctx) -> new BatchOutcome(rs.getLong("added"), rs.getLong("updated"))).one();
        }
        return handle.createQuery(full ? UPSERT_CHANGED : INSERT_MISSING)
                .map((rs, ctx) -> new BatchOutcome(rs.getLong("added"), rs.getLong("updated"))).one();
    }

    private void copyToStaging(Collection<Product> products) {
        try {
            PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
            CopyText row = new CopyText();
            try (OutputStream out = new PGCopyOutputStream(pg, "COPY product_staging (" + COLUMNS + ") FROM STDIN", 1 << 16)) {
                for (Product product : products) {
                    out.write(toRow(product, row).getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (SQLException e) {
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException("COPY into staging failed: "
                    + e.getMessage(), e, null);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY into staging failed", e);
        }
    }

    private static String toRow(Product product, CopyText row) {
        row.reset()
                .add(product.code().canonical())
                .add(product.code().display())
                .add(product.code().checkDigitValid() ? "t" : "f")
                .add(product.name())
                .add(product.brands())
                .addArray(product.categories())
                .add(product.quantity())
                .add(product.imageUrl());
        product.nutrition().values().forEach(value -> row.add(value == null ? null : value.toPlainString()));
        Instant modified = product.sourceModifiedAt();
        return row.add(product.ingredients())
                .add(product.allergens())
                .add(product.nutriscoreGrade())
                .add(product.novaGroup())
                .add(product.source())
                .add(modified == null ? null : modified.toString())
                .add(Long.toString(product.contentHash()))
                .add(extraJson(product))
                .endRow();
    }

    private static String extraJson(Product product) {
        if (product.extra().isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(product.extra());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
