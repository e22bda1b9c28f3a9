package org.syncproducts.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ItemError;
import org.syncproducts.store.CopyLines;
import org.syncproducts.store.ProductRow;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.SourceRecord;

/**
 * Records read from a source, ready to be written in one transaction: products unique by code
 * (a later record for the same code replaces the earlier one), item errors, and the position of
 * the last record, which becomes the checkpoint once the batch commits.
 */
final class Batch {
    /** Where the products' COPY lines are kept; released once the batch is written. */
    final CopyLines lines;
    private final Map<String, ProductRow> products = new LinkedHashMap<>();
    /** Codes of lines skipped as unchanged ({@link RawLineShortcut}): present, nothing to write. */
    private final Set<String> unchanged = new LinkedHashSet<>();
    private final List<ItemError> errors = new ArrayList<>();
    /** Canonical codes of products a lookup source found (they settle earlier errors and misses). */
    final List<String> lookedUp = new ArrayList<>();
    /** Codes no lookup source has. */
    final List<SourceRecord.NotFound> notFound = new ArrayList<>();
    /** Canonical codes the source says were deleted. */
    final Set<String> deleted = new LinkedHashSet<>();
    long read;
    long skipped;
    long lastPosition;
    /** The error that ended the input early (a truncated file), when one did. */
    ItemError inputEnded;
    InputProgress progress = InputProgress.UNKNOWN;
    /** The source's state after the batch's last record, or null. */
    JsonNode state;
    /** See {@link #otherCodes()}. */
    private Set<String> otherCodes;

    Batch(CopyLines lines) {
        this.lines = lines;
    }

    /** Adds a product; returns false when it replaced one with the same code in this batch. */
    boolean add(ProductRow product) {
        deleted.remove(product.code());
        boolean replacedUnchanged = unchanged.remove(product.code());
        return products.put(product.code(), product) == null && !replacedUnchanged;
    }

    /**
     * Notes a code whose record is known to match the stored product, as a product that will turn
     * out unchanged; returns false when it replaced a record of that code in this batch (as
     * {@link #add} does, so the job's counts are those parsing it would give).
     */
    boolean unchanged(String code) {
        deleted.remove(code);
        boolean replacedProduct = products.remove(code) != null;
        return unchanged.add(code) && !replacedProduct;
    }

    /** How many records of the batch are known unchanged without being written. */
    int unchangedCount() {
        return unchanged.size();
    }

    /** Notes a deleted code; a product of that code earlier in the batch is dropped (the last record wins). */
    void delete(String code) {
        products.remove(code);
        unchanged.remove(code);
        deleted.add(code);
    }

    void fail(ItemError error) {
        errors.add(error);
        if (error.type().endsInput()) {
            inputEnded = error;
        }
    }

    Collection<ProductRow> products() {
        return products.values();
    }

    List<ItemError> errors() {
        return errors;
    }

    /**
     * Canonical codes the source holds in this batch: its products and the records that failed
     * with a usable code (a product whose record failed is still in the source).
     */
    List<String> presentCodes() {
        List<String> codes = new ArrayList<>(products.keySet());
        codes.addAll(unchanged);
        codes.addAll(failedCodes());
        return codes;
    }

    /** Canonical codes of the failed records that have a usable one. */
    private List<String> failedCodes() {
        List<String> codes = new ArrayList<>();
        for (ItemError error : errors) {
            if (error.barcode() != null) {
                Barcode.parse(error.barcode()).ifPresent(code -> codes.add(code.canonical()));
            }
        }
        return codes;
    }

    /**
     * Whether this batch and {@code other} touch a product of the same code: written, deleted,
     * present, missed by a lookup, or failed. Batches that share none may be written at once.
     */
    boolean sharesCodeWith(Batch other) {
        return anyTouchedBy(products.keySet(), other) || anyTouchedBy(unchanged, other) || anyTouchedBy(deleted, other)
                || anyTouchedBy(otherCodes(), other);
    }

    private static boolean anyTouchedBy(Collection<String> codes, Batch other) {
        for (String code : codes) {
            if (other.products.containsKey(code) || other.unchanged.contains(code) || other.deleted.contains(code)
                    || other.otherCodes().contains(code)) {
                return true;
            }
        }
        return false;
    }

    /** The codes of the batch's lookup misses and failed records, computed once the batch is complete. */
    private Set<String> otherCodes() {
        if (otherCodes == null) {
            Set<String> codes = new HashSet<>(failedCodes());
            notFound.forEach(miss -> codes.add(miss.code()));
            otherCodes = codes;
        }
        return otherCodes;
    }

    int size() {
        return products.size() + unchanged.size() + errors.size() + notFound.size() + deleted.size();
    }
}
