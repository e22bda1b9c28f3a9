package org.syncproducts.source;

import org.syncproducts.model.ItemError;
import org.syncproducts.model.RawProduct;

/**
 * What a source yields, in input order: a product as read, or an item that failed to read.
 * {@link #position()} is the line (or record) number; it grows monotonically and is what a
 * checkpoint stores, so a resumed run skips every record at or before it.
 */
public sealed interface SourceRecord permits SourceRecord.Item, SourceRecord.Failure {
    long position();

    record Item(long position, RawProduct product) implements SourceRecord {
    }

    record Failure(long position, ItemError error) implements SourceRecord {
    }
}
