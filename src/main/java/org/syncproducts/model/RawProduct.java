package org.syncproducts.model;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A product as a source read it: text values by field, before validation. Sources fill it;
 * {@link ProductParser} turns it into a {@link Product} or an {@link ItemError}, so every source
 * gets the same validation.
 */
public final class RawProduct {
    private final EnumMap<ProductField, String> values = new EnumMap<>(ProductField.class);
    private final Map<String, String> extra = new LinkedHashMap<>();

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
            extra.put(key, value);
        }
        return this;
    }

    public Map<ProductField, String> values() {
        return values;
    }

    public Map<String, String> extra() {
        return extra;
    }
}
