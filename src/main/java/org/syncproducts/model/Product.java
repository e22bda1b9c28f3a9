package org.syncproducts.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One product as the tool stores it: validated, normalized, ready to upsert.
 *
 * @param code             the barcode (canonical key plus the code as the source gave it)
 * @param categories       category tags, in source order (may be empty, never null)
 * @param nutrition        per-100 g values (never null; {@link Nutrition#EMPTY} when unknown)
 * @param novaGroup        1..4 or null
 * @param nutriscoreGrade  a..e or null
 * @param source           name of the configured source that produced this product
 * @param sourceModifiedAt the source's own last-modified time, when it has one
 * @param extra            mapped extra fields and values kept because they could not be parsed
 */
public record Product(
        Barcode code,
        String name,
        String brands,
        List<String> categories,
        String quantity,
        String imageUrl,
        Nutrition nutrition,
        String ingredients,
        String allergens,
        String nutriscoreGrade,
        Integer novaGroup,
        String source,
        Instant sourceModifiedAt,
        Map<String, String> extra) {

    public Product {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        categories = categories == null ? List.of() : List.copyOf(categories);
        nutrition = nutrition == null ? Nutrition.EMPTY : nutrition;
        extra = extra == null ? Map.of() : Map.copyOf(new TreeMap<>(extra));
    }

    /**
     * A 64-bit fingerprint of everything a sync writes to the product's row. Two products with
     * the same hash are treated as the same content, so an unchanged row is never rewritten.
     */
    public long contentHash() {
        StringBuilder text = new StringBuilder(512);
        append(text, code.display());
        append(text, name);
        append(text, brands);
        append(text, String.join("\u001e", categories));
        append(text, quantity);
        append(text, imageUrl);
        nutrition.values().forEach(value -> append(text, value == null ? null : value.stripTrailingZeros().toPlainString()));
        append(text, ingredients);
        append(text, allergens);
        append(text, nutriscoreGrade);
        append(text, novaGroup == null ? null : novaGroup.toString());
        append(text, source);
        append(text, sourceModifiedAt == null ? null : Long.toString(sourceModifiedAt.getEpochSecond()));
        new TreeMap<>(extra).forEach((key, value) -> {
            append(text, key);
            append(text, value);
        });
        byte[] digest = sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }

    /** True when the product has at least one nutrition value. */
    public boolean hasNutrition() {
        return nutrition.isPresent();
    }

    private static void append(StringBuilder text, String value) {
        // \u001f separates fields; \u0000 marks null so that null and "" hash differently.
        text.append(value == null ? "\u0000" : value).append('\u001f');
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    });

    private static MessageDigest sha256() {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest;
    }
}
