package org.syncproducts.source.offdelta;

import java.io.IOException;
import java.io.InputStream;

/** Where the delta files are: a base URL or a local directory, each holding {@code index.txt} and the files. */
interface DeltaLocation {
    /** The index file's name, in the base. */
    String INDEX = "index.txt";

    /**
     * The index as it is now.
     *
     * @param known the state holding the validators of the index read last; only used when
     *              {@link DeltaState#hasIndexValidators()}
     * @return the index, or {@link Index#UNCHANGED} when it is the one {@code known} describes
     */
    Index index(DeltaState known) throws IOException;

    /**
     * Opens one file for reading, as stored (gzip); null when the location does not have it.
     */
    Download open(String fileName) throws IOException;

    /** The base, for messages and the fingerprint (no secret in it). */
    String describe();

    /**
     * The index text and its validators.
     *
     * @param text null for {@link #UNCHANGED}
     */
    record Index(String text, String etag, String lastModified) {
        static final Index UNCHANGED = new Index(null, null, null);

        boolean unchanged() {
            return text == null;
        }
    }

    /**
     * One file being read: its bytes as stored, and its size when known (else -1).
     */
    record Download(InputStream body, long size) {
    }
}
