package org.syncproducts.source.file;

import java.nio.file.Path;
import org.syncproducts.source.ProductSource;

/**
 * What every file source shares: its name and path, and a fingerprint (path, size, modification
 * time) that ties a checkpoint to the input it was taken on.
 */
public abstract class FileSource implements ProductSource {
    private final String name;
    private final Path path;

    protected FileSource(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The file read. */
    public final Path path() {
        return path;
    }

    @Override
    public final String fingerprint() {
        return FileInput.fingerprint(path);
    }

    /**
     * A file's records carry their last-modified time when the format has one (Open Food Facts'
     * {@code last_modified_t}, a mapped {@code last_modified} column): an incremental run then
     * applies a record newer than the stored product too. Records without one only add missing codes.
     */
    @Override
    public boolean appliesNewerRecords() {
        return true;
    }

    /** A file is read whole: an export names every product its source has. */
    @Override
    public boolean readsWholeCatalogue() {
        return true;
    }
}
