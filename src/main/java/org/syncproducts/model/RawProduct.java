package org.syncproducts.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A product as a source read it: text values by field, before validation. Sources fill it;
 * {@link ProductParser} turns it into a {@link Product} or an {@link ItemError}, so every source
 * gets the same validation.
 */
public final class RawProduct {
    private final EnumMap<ProductField, String> values = new EnumMap<>(ProductField.class);
    /** Made on the first put: most records have neither. */
    private Map<String, String> extra;
    private Map<String, String> localizedNames;
    private String language;

    public RawProduct set(ProductField field, String value) {
        if (value != null && !value.isEmpty()) {
            values.put(field, value);
        }
        return this;
    }

    public String get(ProductField field) {
        return values.get(field);
    }

    /** Keeps a source value that has no product field of its own (stored in the JSON column). */
    public RawProduct putExtra(String key, String value) {
        if (value != null && !value.isEmpty()) {
            if (extra == null) {
                extra = new LinkedHashMap<>();
            }
            extra.put(key, value);
        }
        return this;
    }

    /**
     * Keeps the product's name in one language ({@code product_name_fr}), used when the source
     * gives no {@link ProductField#NAME}. The first name given for a language wins.
     */
    public RawProduct putLocalizedName(String languageCode, String name) {
        if (languageCode != null && !languageCode.isBlank() && name != null && !name.isBlank()) {
            if (localizedNames == null) {
                localizedNames = new LinkedHashMap<>();
            }
            localizedNames.putIfAbsent(languageCode.strip().toLowerCase(Locale.ROOT), name);
        }
        return this;
    }

    /** The product's main language as the source says ({@code lang}, else {@code lc}); set the first one given. */
    public RawProduct language(String languageCode) {
        if (language == null && languageCode != null && !languageCode.isBlank()) {
            language = languageCode.strip().toLowerCase(Locale.ROOT);
        }
        return this;
    }

    /** Names by language code, in the order the source gave them (read-only). */
    public Map<String, String> localizedNames() {
        return localizedNames == null ? Map.of() : Collections.unmodifiableMap(localizedNames);
    }

    /** The product's main language, or null. */
    public String language() {
        return language;
    }

    public Map<ProductField, String> values() {
        return values;
    }

    /** Extra values by key, in the order the source gave them (read-only). */
    public Map<String, String> extra() {
        return extra == null ? Map.of() : Collections.unmodifiableMap(extra);
    }
}
