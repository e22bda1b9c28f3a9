package org.syncproducts.source;

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
}
