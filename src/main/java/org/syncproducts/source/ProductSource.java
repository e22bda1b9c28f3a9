package org.syncproducts.source;

import java.io.IOException;

/**
 * A place products come from. Implementations read; the sync engine routes what they yield into
 * the database and stores their checkpoints (see {@link SourceRecord#position()}).
 */
public interface ProductSource {
    /** The name the operator gave the source in config (or derived from a file name). */
    String name();

    /** The source type as written in config, e.g. {@code off-csv}. */
    String type();

    /**
     * Identifies the input as it is now (for a file: path, size and modification time). A
     * checkpoint is only resumed when the fingerprint it was taken under still matches.
     */
    String fingerprint();

    /**
     * Opens the source. The format is checked here, before anything is written: an input that is
     * not in the declared format fails with exit code 65.
     *
     * @param resumeAfter records at or before this position are skipped (0 reads everything)
     */
    RecordStream open(long resumeAfter) throws IOException;

    /**
     * The most records a batch (one transaction and checkpoint) of this source holds, whatever
     * the configured batch size. A source whose records are slow to come (an API) keeps batches
     * small, so a stop or a crash loses little and progress is committed often.
     */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }
}
