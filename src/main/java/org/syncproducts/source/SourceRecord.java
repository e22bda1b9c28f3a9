package org.syncproducts.source;

import java.util.List;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.RawProduct;

/**
 * What a source yields, in input order: a product as read, an item that failed to read, or (for
 * lookups) a code no source has. {@link #position()} is the line (or record) number; it grows
 * monotonically and is what a checkpoint stores, so a resumed run skips every record at or
 * before it.
 */
public sealed interface SourceRecord permits SourceRecord.Item, SourceRecord.Failure, SourceRecord.NotFound,
        SourceRecord.Deleted, SourceRecord.Unchanged {
    long position();

    /**
     * A product as read.
     *
     * @param origin the source the product came from when it is not the one being synced (a
     *               lookup source behind {@code TargetLookupSource}), else null. Products from
     *               an origin are lookups: they resolve earlier errors and not-found marks of
     *               their code.
     * @param rawHash the hash of the export line the product was read from, under the stream's
     *               {@link UnchangedLines} (stored so the next re-sync may skip that line), else null
     */
    record Item(long position, RawProduct product, String origin, Long rawHash) implements SourceRecord {
        public Item(long position, RawProduct product) {
            this(position, product, null, null);
        }

        public Item(long position, RawProduct product, String origin) {
            this(position, product, origin, null);
        }
    }

    record Failure(long position, ItemError error) implements SourceRecord {
    }

    /**
     * A code that every lookup source asked answered it does not have; remembered so it is not
     * asked again before the re-check interval.
     *
     * @param code    canonical code
     * @param sources the sources that were asked, in priority order
     */
    record NotFound(long position, String code, List<String> sources) implements SourceRecord {
        public NotFound {
            sources = List.copyOf(sources);
        }
    }

    /**
     * A record the source says was deleted: the product of that code is marked deleted (soft
     * delete, {@code deleted_at}) when this source is the one whose data it holds.
     *
     * @param code the code as the source gave it
     */
    record Deleted(long position, String code) implements SourceRecord {
    }

    /**
     * A line that {@link UnchangedLines} recognised, unparsed, as the one the live stored product
     * was written from: nothing to write, and the product is present in the source.
     *
     * @param code canonical code
     */
    record Unchanged(long position, String code) implements SourceRecord {
    }
}
