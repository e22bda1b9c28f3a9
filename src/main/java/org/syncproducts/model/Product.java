package org.syncproducts.model;

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
 * @param allergens        the allergen statement as the source wrote it
 * @param allergenTags     normalized allergen tags ({@code en:milk}); never null
 * @param traces           the "may contain" statement as the source wrote it
 * @param traceTags        normalized tags of possible traces; never null
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
        List<String> allergenTags,
        String traces,
        List<String> traceTags,
        String nutriscoreGrade,
        Integer novaGroup,
        String source,
        Instant sourceModifiedAt,
        Map<String, String> extra) {

    public Product {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        categories = categories == null ? List.of() : List.copyOf(categories);
        allergenTags = allergenTags == null ? List.of() : List.copyOf(allergenTags);
        traceTags = traceTags == null ? List.of() : List.copyOf(traceTags);
        nutrition = nutrition == null ? Nutrition.EMPTY : nutrition;
        extra = extra == null || extra.isEmpty() ? Map.of() : Map.copyOf(new TreeMap<>(extra));
    }

    /** True when the product has at least one nutrition value. */
    public boolean hasNutrition() {
        return nutrition.isPresent();
    }
}
