package org.syncproducts.model;

import java.util.Objects;

/**
 * One item that could not be synced; becomes a row of the errors table.
 *
 * @param type      why
 * @param position  line (or record) number in the source, 0 when it has none
 * @param barcode   the code as given, when known
 * @param message   a human explanation with the detail needed to fix it
 * @param source    the source that failed when it is not the one being synced (a lookup source
 *                  behind {@code TargetLookupSource}), else null
 * @param attempts  tries made (HTTP requests for a lookup; 1 for a file record)
 * @param errorCode the source's own code for the failure (an HTTP status), or null
 */
public record ItemError(ErrorType type, long position, String barcode, String message, String source, int attempts,
                        String errorCode) {
    public ItemError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** An error of the source being synced, found on the first try. */
    public ItemError(ErrorType type, long position, String barcode, String message) {
        this(type, position, barcode, message, null, 1, null);
    }

    /** The same error, attributed to {@code source}. */
    public ItemError withSource(String source) {
        return new ItemError(type, position, barcode, message, source, attempts, errorCode);
    }
}
