package org.syncproducts.source.offdelta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the delta source keeps between runs (and with every batch): the last file applied to its
 * end, the validators of the index whose files were all applied (for the conditional request),
 * and the file being applied with the last line read of it (so a killed run resumes at that line).
 *
 * @param lastFile          the last file applied to its end, or null
 * @param lastChange        that file's last change (UNIX seconds), or null
 * @param indexEtag         the ETag (local directory: size and time) of the index last read through
 * @param indexLastModified the Last-Modified of that index
 * @param file              the file being applied, or null between files
 * @param line              the last line of {@code file} read
 * @param positionBase      the position of the record before {@code file}'s first line
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DeltaState(@JsonProperty("last_file") String lastFile,
                  @JsonProperty("last_change_t") Long lastChange,
                  @JsonProperty("index_etag") String indexEtag,
                  @JsonProperty("index_last_modified") String indexLastModified,
                  @JsonProperty("file") String file,
                  @JsonProperty("line") Long line,
                  @JsonProperty("position_base") Long positionBase) {

    static final DeltaState NONE = new DeltaState(null, null, null, null, null, null, null);

    /** After {@code applied} was read to its end. */
    DeltaState applied(DeltaFile applied) {
        return new DeltaState(applied.name(), applied.last(), indexEtag, indexLastModified, null, null, null);
    }

    /** While {@code reading} is read, at {@code readLine}. */
    DeltaState reading(DeltaFile reading, long readLine, long base) {
        return new DeltaState(lastFile, lastChange, indexEtag, indexLastModified, reading.name(), readLine, base);
    }

    /** Once every file of an index was applied: that index's validators. */
    DeltaState withIndex(String etag, String lastModified) {
        return new DeltaState(lastFile, lastChange, etag, lastModified, null, null, null);
    }

    /** Whether a conditional request for the index can stand for this state (nothing is half-read). */
    boolean hasIndexValidators() {
        return file == null && (indexEtag != null || indexLastModified != null);
    }
}
