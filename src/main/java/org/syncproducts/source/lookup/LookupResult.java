package org.syncproducts.source.lookup;

import java.util.Objects;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.RawProduct;

/** What one {@link LookupSource} said about one code. */
public sealed interface LookupResult permits LookupResult.Found, LookupResult.NotFound, LookupResult.Failed {

    /** The source has the product. */
    record Found(RawProduct product) implements LookupResult {
        public Found {
            Objects.requireNonNull(product, "product");
        }
    }

    /** The source answered and does not have the code (404, {@code status: 0}, absent from a batch answer). */
    record NotFound() implements LookupResult {
        public static final NotFound INSTANCE = new NotFound();
    }

    /**
     * The source gave no usable answer for the code.
     *
     * @param httpStatus the HTTP status of the last answer, or null when there was none
     * @param attempts   tries made
     */
    record Failed(ErrorType type, String message, Integer httpStatus, int attempts) implements LookupResult {
        public Failed {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }
}
