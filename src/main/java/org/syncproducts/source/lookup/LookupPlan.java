package org.syncproducts.source.lookup;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.syncproducts.model.Barcode;

/**
 * Which codes a lookup run asks for, computed when the run starts reading (after any file
 * source of the same job has been synced, so codes those filled are not asked for).
 *
 * @param description what the codes are, e.g. {@code missing targets}; part of the checkpoint
 *                    fingerprint, so only a run with the same plan resumes a checkpoint
 * @param codesAfter  the codes in canonical order after the given canonical code (null: all)
 */
public record LookupPlan(String description, Function<String, List<Barcode>> codesAfter) {
    public LookupPlan {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(codesAfter, "codesAfter");
    }
}
