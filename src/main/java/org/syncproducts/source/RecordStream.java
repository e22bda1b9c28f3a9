package org.syncproducts.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;

/**
 * An open source being read, one record at a time. Close it when done (also on failure).
 */
public interface RecordStream extends Closeable {
    /**
     * The next record, or null at the end. Problems with single items come back as
     * {@link SourceRecord.Failure}s; an exception means the source as a whole cannot go on.
     */
    SourceRecord next() throws IOException;

    /** How far reading has got, for progress and ETA. */
    InputProgress progress();

    /**
     * The source's incremental state after the last record returned (and at the end, after the
     * whole input), for {@link ProductSource#open(long, JsonNode)}; null for a source without state.
     */
    default JsonNode state() {
        return null;
    }

    /**
     * Asks the stream to hash its raw lines with {@code lines}, to hand each product's raw hash
     * on ({@link SourceRecord.Item#rawHash()}) and, when the check {@linkplain UnchangedLines.Check#skips()
     * skips}, to yield {@link SourceRecord.Unchanged} for the lines it recognises instead of parsing
     * them. Call it before the first {@link #next()}.
     *
     * @return false when the stream has no raw lines to hash (the default): nothing changes
     */
    default boolean skipUnchanged(UnchangedLines lines) {
        return false;
    }
}
