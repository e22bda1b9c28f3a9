package org.syncproducts.source.offdelta;

import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;

/**
 * The delta files offered do not continue what was applied before (exit 1): products changed in
 * between would be missing. A full export load repairs it, which {@code sync --auto} does itself.
 */
public final class DeltaGapException extends SyncProductsException {
    private final String why;

    DeltaGapException(String message, String why) {
        super(ExitCode.FAILURE, message);
        this.why = why;
    }

    /** What the gap is, in a few words (without the repair advice). */
    public String why() {
        return why;
    }
}
