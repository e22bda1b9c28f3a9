package org.syncproducts.store;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.syncproducts.model.Nutrition;
import org.syncproducts.model.Product;
import org.syncproducts.model.ProductField;

/**
 * A product encoded once, as the COPY line that writes it, with its content hash.
 *
 * <p>The content hash is computed over the encoded content columns (everything the sync writes
 * except the key itself), so it changes exactly when the row a sync would write changes. It is
 * two independent hardware-accelerated 32-bit CRCs side by side: cheap for millions of rows, and a
 * changed product keeping both is about as unlikely as a 64-bit collision.
 *
 * <p>Rows wait in batches between being read and being written, thousands at a time, so a row is
 * one flat object (its line, modified time, raw hash and counted values in fields, not in objects
 * of their own): every young collection copied each object that waited, and five per row were a
 * third of what a bulk load's collections copied. The accessors build those values on demand.
 */
public final class ProductRow {

    /** The product's part of the kept counts, as the migration's {@code product_count_keys} reads it from the row. */
    public record Counted(String source, List<String> categories, boolean image, boolean nutrition) {
    }

    private final String code;
    private final long contentHash;
    private final byte[] lineBytes;
    private final int lineOffset;
    private final int lineLength;
    private final boolean modified;
    private final long modifiedSecond;
    private final int modifiedNano;
    private final String source;
    private final String[] categories;
    private final boolean image;
    private final boolean nutrition;
    private final boolean hashedLine;
    private final long rawHash;

    private ProductRow(String code, long contentHash, CopyLines.Line line, Instant sourceModifiedAt, String source,
                       String[] categories, boolean image, boolean nutrition, Long rawHash) {
        this.code = code;
        this.contentHash = contentHash;
        this.lineBytes = line.bytes();
        this.lineOffset = line.offset();
        this.lineLength = line.length();
        this.modified = sourceModifiedAt != null;
        this.modifiedSecond = modified ? sourceModifiedAt.getEpochSecond() : 0;
        this.modifiedNano = modified ? sourceModifiedAt.getNano() : 0;
        this.source = source;
        this.categories = categories;
        this.image = image;
        this.nutrition = nutrition;
        this.hashedLine = rawHash != null;
        this.rawHash = hashedLine ? rawHash : 0;
    }

    /** The canonical key. */
    public String code() {
        return code;
    }

    /** The fingerprint stored in {@code products.content_hash}. */
    public long contentHash() {
        return contentHash;
    }

    /** The source's own last-modified time of the product, or null. */
    public Instant sourceModifiedAt() {
        return modified ? Instant.ofEpochSecond(modifiedSecond, modifiedNano) : null;
    }

    /** What the product adds to the kept counts (table {@code product_counts}) while live. */
    public Counted counted() {
        return new Counted(source, List.of(categories), image, nutrition);
    }

    /** {@link #counted()}'s source, without building the record (the writer's hot path). */
    String countedSource() {
        return source;
    }

    /** {@link #counted()}'s category tags, without a copy: the caller must not modify the array. */
    String[] countedCategories() {
        return categories;
    }

    /** {@link #counted()}'s image flag. */
    boolean countedImage() {
        return image;
    }

    /** {@link #counted()}'s nutrition flag. */
    boolean countedNutrition() {
        return nutrition;
    }

    /**
     * The hash of the export line the product was parsed from ({@code products.raw_hash}, see
     * {@code sync.RawLineShortcut}), or null when it came some other way.
     */
    public Long rawHash() {
        return hashedLine ? rawHash : null;
    }

    /** The columns a sync writes, in COPY order; times, verified and deleted_at are managed separately. */
    public static final List<String> COLUMNS = List.of(
            "code", "display_code", "check_digit_valid", "is_gtin", "name", "brands", "categories", "quantity", "image_url",
            "energy_kcal_100g", "fat_100g", "saturated_fat_100g", "carbohydrates_100g", "sugars_100g", "fiber_100g",
            "proteins_100g", "salt_100g", "sodium_100g", "ingredients", "allergens", "allergens_tags", "traces",
            "traces_tags", "nutriscore_grade", "nova_group",
            "source", "source_modified_at", "extra", "content_hash", "raw_hash");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NUTRIENTS = ProductField.NUTRIENTS.size();

    /** Encodes a product that was not parsed from an export line (no raw hash). */
    public static ProductRow encode(Product product, CopyText buffer) {
        return encode(product, null, buffer, CopyLines.unpooled());
    }

    /**
     * Encodes a product; {@code buffer} is scratch space reused between calls on one thread.
     *
     * <p>A change to what this writes for a product must bump {@link org.syncproducts.model.ProductParser#VERSION}.
     *
     * @param rawHash the raw hash of the line it was parsed from, or null
     * @param lines   where the line is kept (the batch's, or {@link CopyLines#unpooled()})
     */
    public static ProductRow encode(Product product, Long rawHash, CopyText buffer, CopyLines lines) {
        buffer.reset().add(product.code().canonical());
        int contentStart = buffer.length();
        buffer.add(product.code().display())
                .add(product.code().checkDigitValid() ? "t" : "f")
                .add(product.code().gtin() ? "t" : "f")
                .add(product.name())
                .add(product.brands())
                .addArray(product.categories())
                .add(product.quantity())
                .add(product.imageUrl());
        Nutrition nutrition = product.nutrition();
        for (int i = 0; i < NUTRIENTS; i++) {
            buffer.addDecimal(nutrition.value(i));
        }
        Instant modified = product.sourceModifiedAt();
        buffer.add(product.ingredients())
                .add(product.allergens())
                .addArray(product.allergenTags())
                .add(product.traces())
                .addArray(product.traceTags())
                .add(product.nutriscoreGrade())
                .add(product.novaGroup())
                .add(product.source())
                .addInstant(modified)
                .add(extraJson(product.extra()));
        long hash = buffer.hash(contentStart);
        buffer.addLong(hash);
        if (rawHash == null) {
            buffer.add((String) null);
        } else {
            buffer.addLong(rawHash);
        }
        List<String> tags = product.categories();
        String[] categories = new String[tags.size()];
        for (int i = 0; i < categories.length; i++) {
            categories[i] = buffer.shared(tags.get(i));
        }
        return new ProductRow(product.code().canonical(), hash, buffer.toLine(lines), modified,
                buffer.shared(product.source()), categories, product.imageUrl() != null, product.hasNutrition(), rawHash);
    }

    /**
     * Writes the COPY line (text for {@link #COLUMNS}, newline included). In a pooled batch's
     * {@link CopyLines}, it is readable until the batch is released.
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(lineBytes, lineOffset, lineLength);
    }

    /** The COPY line as a new array. */
    public byte[] copyLine() {
        return Arrays.copyOfRange(lineBytes, lineOffset, lineOffset + lineLength);
    }

    private static String extraJson(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return "{}";
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(extra));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProductRow row && row.code.equals(code) && row.contentHash == contentHash
                && Objects.equals(row.rawHash(), rawHash()) && Arrays.equals(row.lineBytes, row.lineOffset,
                row.lineOffset + row.lineLength, lineBytes, lineOffset, lineOffset + lineLength);
    }

    @Override
    public int hashCode() {
        return code.hashCode() * 31 + Long.hashCode(contentHash);
    }

    @Override
    public String toString() {
        return "ProductRow[" + code + ", hash " + contentHash + "]";
    }
}
