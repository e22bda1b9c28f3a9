package org.syncproducts.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentAddressedStoreTest {
    @TempDir
    Path dir;

    @Test
    void theSameBytesAreOneFileNamedByTheirHash() throws IOException {
        ContentAddressedStore store = new ContentAddressedStore(dir);
        byte[] bytes = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
        ImageStore.Stored first = store.store(ImageKey.of(bytes, "image/jpeg; charset=binary"), bytes, "image/jpeg; charset=binary");
        ImageStore.Stored second = store.store(ImageKey.of(bytes, "image/jpeg"), bytes, "image/jpeg");
        assertFalse(first.alreadyThere());
        assertTrue(second.alreadyThere());
        assertEquals(first.relativePath(), second.relativePath());
        assertTrue(first.relativePath().matches("[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\\.jpg"), first.relativePath());
        assertEquals(bytes.length, first.sizeBytes());
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "no temporary file left behind");
        }
    }

    @Test
    void extensionsFollowTheContentType() {
        assertEquals(".png", ImageKey.extension("image/png"));
        assertEquals(".webp", ImageKey.extension("IMAGE/WEBP"));
        assertEquals(".img", ImageKey.extension("image/x-unknown"));
    }
}
