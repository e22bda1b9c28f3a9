package org.syncproducts.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The product fields a source can be mapped to, by the names used in config files
 * ({@code mapping: {name: "Description"}}). A mapping to any other name is a configuration error.
 */
public enum ProductField {
    CODE("code", 64),
    NAME("name", 2_000),
    BRANDS("brands", 2_000),
    CATEGORIES("categories", 20_000),
    QUANTITY("quantity", 500),
    IMAGE_URL("image_url", 2_048),
    ENERGY_KCAL_100G("energy_kcal_100g", 64),
    FAT_100G("fat_100g", 64),
    SATURATED_FAT_100G("saturated_fat_100g", 64),
    CARBOHYDRATES_100G("carbohydrates_100g", 64),
    SUGARS_100G("sugars_100g", 64),
    FIBER_100G("fiber_100g", 64),
    PROTEINS_100G("proteins_100g", 64),
    SALT_100G("salt_100g", 64),
    SODIUM_100G("sodium_100g", 64),
    INGREDIENTS("ingredients", 65_535),
    ALLERGENS("allergens", 10_000),
    /** Normalized allergen tags ({@code en:milk}), comma-separated in sources. */
    ALLERGENS_TAGS("allergens_tags", 10_000),
    TRACES("traces", 10_000),
    /** Normalized tags of allergens the product may contain as traces. */
    TRACES_TAGS("traces_tags", 10_000),
    NUTRISCORE_GRADE("nutriscore_grade", 16),
    NOVA_GROUP("nova_group", 16),
    SOURCE_MODIFIED_AT("source_modified_at", 64),
    /** Energy in kJ per 100 g: read only to derive {@link #ENERGY_KCAL_100G} when a source gives no kcal. */
    ENERGY_KJ_100G("energy_kj_100g", 64);

    /** The nutrient fields, in the order of {@link Nutrition#values()}. */
    public static final List<ProductField> NUTRIENTS = List.of(ENERGY_KCAL_100G, FAT_100G, SATURATED_FAT_100G,
            CARBOHYDRATES_100G, SUGARS_100G, FIBER_100G, PROTEINS_100G, SALT_100G, SODIUM_100G);

    private static final Map<String, ProductField> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ProductField::configName, Function.identity()));

    private final String configName;
    private final int maxLength;

    ProductField(String configName, int maxLength) {
        this.configName = configName;
        this.maxLength = maxLength;
    }

    /** The name used in config mappings and error messages. */
    public String configName() {
        return configName;
    }

    /** The longest value accepted; a longer one makes the record a {@code field_too_long} error. */
    public int maxLength() {
        return maxLength;
    }

    public static Optional<ProductField> byConfigName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** All config names, for error messages listing what is allowed. */
    public static String allConfigNames() {
        return Arrays.stream(values()).map(ProductField::configName).collect(Collectors.joining(", "));
    }
}
