package org.syncproducts.source.off;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;

/**
 * The largest {@code last_modified_t} an Open Food Facts export held: the state the off-csv and
 * off-jsonl sources report. The engine stores it in {@code source_state} once an export was read
 * to its end, and that is how the delta source ({@link OffDeltaSource}) knows up to which change
 * a full export was loaded (a truncated or failed load never gets there).
 */
public final class ExportHorizon {
    /** The key of the state, {@code {"max_last_modified_t": 1767225600}}. */
    public static final String KEY = "max_last_modified_t";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The state as stored. */
    record State(@JsonProperty(KEY) long maxLastModifiedT) {
    }

    private long max;
    private JsonNode state;

    /** Starts from the state of a resumed read (the lines before its checkpoint count too), else from nothing. */
    ExportHorizon(JsonNode state) {
        JsonNode stored = state == null ? null : state.get(KEY);
        if (stored != null && stored.canConvertToLong()) {
            max = stored.asLong();
            this.state = state;
        }
    }

    /** Notes a product read. */
    void see(RawProduct product) {
        see(product.get(ProductField.SOURCE_MODIFIED_AT));
    }

    /** Notes the raw {@code last_modified_t} of a product read (a line skipped unparsed), null or empty for none. */
    void see(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                // Not a UNIX time (the parser reports it); it tells nothing about the export's date.
                return;
            }
            value = value * 10 + (c - '0');
        }
        if (value > max) {
            max = value;
            state = null;
        }
    }

    /** {@code {"max_last_modified_t": N}}, or null when no product had a time. */
    JsonNode state() {
        if (state == null && max > 0) {
            state = JSON.valueToTree(new State(max));
        }
        return state;
    }
}
