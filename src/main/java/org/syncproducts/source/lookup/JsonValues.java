package org.syncproducts.source.lookup;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading values out of API answers the way every source needs them. */
public final class JsonValues {
    private JsonValues() {
    }

    /**
     * The text of a scalar: numbers as their exact decimal text (an API may send a number or a
     * string for the same field), U+0000 removed (PostgreSQL text cannot hold it); null for a
     * missing value, JSON null, an object or an array.
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String text = node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
        return text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
    }

    /** The first element of an array as text, or null. */
    public static String first(JsonNode array) {
        return array != null && array.isArray() && !array.isEmpty() ? text(array.get(0)) : null;
    }
}
