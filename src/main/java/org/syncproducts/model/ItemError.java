package org.syncproducts.model;

import java.util.Objects;

/**
 * One item that could not be synced; becomes a row of the errors table.
 *
 * @param type     why
 * @param position line (or record) number in the source, 0 when it has none
 * @param barcode  the code as given, when known
 * @param message  a human explanation with the detail needed to fix it
 */
public record ItemError(ErrorType type, long position, String barcode, String message) {
    public ItemError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
