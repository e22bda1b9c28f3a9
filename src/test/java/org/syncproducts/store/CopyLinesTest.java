package org.syncproducts.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches' COPY lines live in pooled chunks: intact until their batch is released, then reused. */
class CopyLinesTest {

    private static byte[] line(int batch, int row) {
        return ("batch " + batch + " row " + row + "\tsome text to fill the chunk " + "x".repeat(row % 97) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesOfBatchesInFlightStayIntactAcrossChunksAndReuse() {
        CopyLines.Pool pool = new CopyLines.Pool();
        List<CopyLines.Line> previous = null;
        CopyLines previousLines = null;
        for (int batch = 0; batch < 5; batch++) {
            CopyLines lines = pool.lines();
            List<CopyLines.Line> kept = new ArrayList<>();
            for (int row = 0; row < 40_000; row++) { // several chunks per batch
                byte[] bytes = line(batch, row);
                kept.add(lines.put(bytes, bytes.length));
            }
            // The batch before this one is still being written while this one fills: untouched.
            if (previous != null) {
                for (int row = 0; row < previous.size(); row++) {
                    assertArrayEquals(line(batch - 1, row), previous.get(row).toArray());
                }
                previousLines.release();
            }
            for (int row = 0; row < kept.size(); row++) {
                assertArrayEquals(line(batch, row), kept.get(row).toArray());
            }
            previous = kept;
            previousLines = lines;
        }
    }

    @Test
    void aReleasedChunkIsReusedByTheNextBatch() {
        CopyLines.Pool pool = new CopyLines.Pool();
        CopyLines first = pool.lines();
        byte[] bytes = line(1, 1);
        CopyLines.Line before = first.put(bytes, bytes.length);
        first.release();

        CopyLines.Line after = pool.lines().put(bytes, bytes.length);

        assertSame(before.bytes(), after.bytes(), "the chunk came back from the pool");
    }

    @Test
    void longLinesAndUnpooledLinesGetArraysOfTheirOwn() {
        CopyLines lines = new CopyLines.Pool().lines();
        byte[] small = line(1, 1);
        byte[] large = new byte[CopyLines.CHUNK_BYTES];
        large[0] = 7;

        CopyLines.Line smallLine = lines.put(small, small.length);
        CopyLines.Line largeLine = lines.put(large, large.length);
        CopyLines.Line unpooled = CopyLines.unpooled().put(small, small.length);

        assertNotSame(smallLine.bytes(), largeLine.bytes());
        assertArrayEquals(large, largeLine.toArray());
        assertArrayEquals(small, unpooled.bytes(), "an unpooled line is exactly its own array");
    }
}
