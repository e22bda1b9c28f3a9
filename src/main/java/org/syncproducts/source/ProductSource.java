package org.syncproducts.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * A place products come from. Implementations read; the sync engine routes what they yield into
 * the database and stores their checkpoints (see {@link SourceRecord#position()}).
 *
 * <p>A source with incremental state (a watermark, a page cursor) implements {@link Stateful}
 * and reports its state through {@link RecordStream#state()}: the
 * engine stores that state with the batch holding the last record read before it (in the job's
 * checkpoint), and once the whole source was read, as the source's state for the next run. The
 * source alone knows what the state means.
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
     * Opens the source where its stored state says; sources without state need not override it.
     *
     * @param resumeAfter records at or before this position were committed by the run being resumed
     * @param state       what {@link RecordStream#state()} said at the last committed batch of the
     *                    run being resumed, else at the end of the last completed run; null on a
     *                    first run and in a full sync (read everything)
     */
    default RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        return open(resumeAfter);
    }

    /**
     * Whether records carry the source's own last-modified time: then an incremental run applies a
     * record newer than the stored product too (missing or changed), not only missing codes. A
     * record without a modified time is only added when its code is missing.
     */
    default boolean appliesNewerRecords() {
        return false;
    }

    /**
     * Whether a complete read yields every product the source has (a whole export file), so a code
     * absent from it is one the source no longer has ({@code sync.mark_missing_deleted}).
     */
    default boolean readsWholeCatalogue() {
        return false;
    }

    /** The environment variables holding this source's secrets (never their values). */
    default List<String> secretVariables() {
        return List.of();
    }

    /**
     * The most records a batch (one transaction and checkpoint) of this source holds, whatever
     * the configured batch size. A source whose records are slow to come (an API) keeps batches
     * small, so a stop or a crash loses little and progress is committed often.
     */
    default int maxBatchSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * A source with incremental state: it implements {@link #open(long, JsonNode)} only, and a
     * plain {@link #open(long)} (a first run, or a full sync) is that with no state.
     */
    interface Stateful extends ProductSource {
        @Override
        RecordStream open(long resumeAfter, JsonNode state) throws IOException;

        @Override
        default RecordStream open(long resumeAfter) throws IOException {
            return open(resumeAfter, null);
        }
    }
}
