package org.syncproducts.source.offdelta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.syncproducts.SyncProductsException;

/**
 * Delta files in a local directory (copied there, or for tests and benchmarks). The index's size
 * and modification time stand in for an ETag, so an unchanged index is recognized without reading it.
 */
final class DirectoryLocation implements DeltaLocation {
    private final Path directory;
    private final long maxIndexBytes;

    DirectoryLocation(Path directory, long maxIndexBytes) {
        this.directory = directory;
        this.maxIndexBytes = maxIndexBytes;
    }

    @Override
    public Index index(DeltaState known) throws IOException {
        Path index = directory.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw SyncProductsException.config("no " + INDEX + " in " + directory + ": give the directory that holds the "
                    + "Open Food Facts delta files and their index");
        }
        String etag = Files.size(index) + "-" + Files.getLastModifiedTime(index).toMillis();
        if (known.hasIndexValidators() && Objects.equals(known.indexEtag(), etag)) {
            return Index.UNCHANGED;
        }
        if (Files.size(index) > maxIndexBytes) {
            throw SyncProductsException.badInput(index + " is larger than " + maxIndexBytes
                    + " bytes; it is not an index of delta files");
        }
        return new Index(Files.readString(index, StandardCharsets.UTF_8), etag, null);
    }

    @Override
    public Download open(String fileName) throws IOException {
        Path file = directory.resolve(fileName);
        try {
            return new Download(Files.newInputStream(file), Files.size(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return directory.toAbsolutePath().normalize().toString();
    }
}
