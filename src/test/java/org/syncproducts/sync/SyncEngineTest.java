package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.model.JobCounts;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.store.Database;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** How a sync ends when its input or its reader lets it down: at once, and saying truly how. */
class SyncEngineTest {
    @TempDir
    Path dir;

    private TestDatabase testDatabase;
    private Database database;

    @BeforeEach
    void openDatabase() {
        testDatabase = TestDatabase.create();
        database = testDatabase.open(4);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    private static SyncRequest request(ProductSource source, Strategy strategy, int batchSize) {
        return new SyncRequest(List.of(source), strategy, new Scope(null, null), false, 0, batchSize, false,
                FailureTolerance.DEFAULT, Map.of());
    }

    private String text(String sql) {
        return testDatabase.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    /** A source whose reader yields one product, then dies of an Error, as of an OutOfMemoryError. */
    private static final class DyingSource implements ProductSource {
        @Override
        public String name() {
            return "dying";
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public String fingerprint() {
            return "dying";
        }

        @Override
        public RecordStream open(long resumeAfter) {
            return new RecordStream() {
                private int read;

                @Override
                public SourceRecord next() {
                    if (read++ == 0) {
                        RawProduct product = new RawProduct();
                        product.set(ProductField.CODE, code(1));
                        product.set(ProductField.NAME, "Before the death");
                        return new SourceRecord.Item(1, product);
                    }
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }

                @Override
                public InputProgress progress() {
                    return InputProgress.UNKNOWN;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void readerThatDiesOfAnErrorEndsTheRunAtOnceWithAFailedJob() {
        SyncEngine engine = new SyncEngine(database, Duration.ofMinutes(5));

        SyncProductsException error = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                SyncProductsException.class, () -> engine.run(request(new DyingSource(), Strategy.FULL, 100),
                        new CancellationToken(), ProgressListener.NONE)));

        assertEquals(ExitCode.INTERNAL, error.exitCode());
        assertTrue(error.getMessage().contains("OutOfMemoryError"), error.getMessage());
        assertEquals("failed", text("SELECT status FROM jobs"));
        assertTrue(text("SELECT message FROM jobs").contains("OutOfMemoryError"));
    }

    @Test
    void resumedIncrementalRunKeepsTheLastRecordForARepeatedCode() {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(code(1)).name("First"));
        for (int i = 2; i <= 9; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product " + i));
        }
        fixture.add(OffCsvFixture.product(code(1)).name("Last"));
        Path file = fixture.write(dir.resolve("repeats.csv"));
        SyncEngine engine = new SyncEngine(database, Duration.ofMinutes(5));
        CancellationToken stopAfterOneBatch = new CancellationToken();
        ProgressListener stopper = new ProgressListener() {
            @Override
            public void onStart(String source, InputProgress progress) {
            }

            @Override
            public void onBatch(JobCounts total, InputProgress progress) {
                stopAfterOneBatch.cancel(ExitCode.SIGTERM, "test");
            }

            @Override
            public void onEnd() {
            }
        };

        SyncResult stopped = engine.run(request(FileSources.forFile(file, null, "repeats"), Strategy.INCREMENTAL, 3),
                stopAfterOneBatch, stopper);
        SyncResult resumed = engine.run(request(FileSources.forFile(file, null, "repeats"), Strategy.INCREMENTAL, 3),
                new CancellationToken(), ProgressListener.NONE);

        assertEquals("cancelled", stopped.status());
        assertEquals(stopped.jobId(), resumed.resumedFrom(), "the second run resumes the first");
        assertEquals("completed", resumed.status());
        assertEquals("Last", text("SELECT name FROM products WHERE code = '0" + code(1) + "'"),
                "the last record for the code wins, as in one clean run");
    }

    @Test
    void batchesWrittenOnTwoConnectionsGiveTheRowsCountsAndCheckpointOfOneAfterAnother() {
        // Codes repeat in the next batch, a few batches on and far away: each must end as its last
        // record, whichever connection wrote which batch.
        OffCsvFixture fixture = OffCsvFixture.create();
        Map<Integer, String> expected = new HashMap<>();
        int lines = 0;
        for (int i = 1; i <= 300; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("First " + i).categories("en:group-" + i % 4));
            expected.put(i, "First " + i);
            lines++;
            if (i % 5 == 0) {
                int repeated = i % 2 == 0 ? i - 3 : i / 5;
                fixture.add(OffCsvFixture.product(code(repeated)).name("Last " + repeated)
                        .categories("en:moved-" + repeated % 3));
                expected.put(repeated, "Last " + repeated);
                lines++;
            }
        }
        Path file = fixture.write(dir.resolve("repeats.csv"));
        SyncEngine engine = new SyncEngine(database, Duration.ofMinutes(5));

        SyncResult loaded = engine.run(request(FileSources.forFile(file, null, "repeats"), Strategy.FULL, 7),
                new CancellationToken(), ProgressListener.NONE);

        assertEquals("completed", loaded.status(), loaded.message());
        assertEquals(300, testDatabase.count("SELECT count(*) FROM products"));
        expected.forEach((i, name) -> assertEquals(name, text("SELECT name FROM products WHERE code = '0" + code(i) + "'"),
                "product " + i));
        assertEquals(0, testDatabase.count("""
                SELECT count(*) FROM ((SELECT dimension, value, products FROM product_counts WHERE products <> 0
                                       EXCEPT SELECT * FROM product_counts_actual())
                                      UNION ALL (SELECT * FROM product_counts_actual()
                                       EXCEPT SELECT dimension, value, products FROM product_counts)) AS differing"""),
                "the kept counts are exact");
        assertEquals(lines, testDatabase.count("SELECT read_count FROM jobs"));
        assertEquals(lines + 1, testDatabase.count("SELECT (checkpoint ->> 'position')::bigint FROM jobs"),
                "the checkpoint is the last line's, header included");
    }

    @Test
    void truncatedGzipEndsTheJobFailedKeepingTheRowsBeforeTheCut() throws IOException {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= 400; i++) {
            fixture.add(OffCsvFixture.product(code(i)).name("Product number " + i + " " + Integer.toHexString(i * 7919))
                    .brands("Brand " + (i * 31 % 97)).energyKcal(Integer.toString(i * 13 % 900)));
        }
        Path file = fixture.writeTruncatedGzip(dir.resolve("cut.csv.gz"), fixture.gzipSize() / 2);

        Cli.Result result = Cli.against(testDatabase).run("sync", "--from", file.toString(), "--full");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        long loaded = testDatabase.count("SELECT count(*) FROM products");
        assertTrue(loaded > 0 && loaded < 400, "the rows before the cut are committed: " + loaded);
        assertEquals("failed", text("SELECT status FROM jobs"));
        List<String> errLines = result.err().lines().filter(line -> line.startsWith("sync-products:")).toList();
        assertEquals(1, errLines.size(), result.err());
        assertTrue(errLines.get(0).contains("input is truncated") && errLines.get(0).contains("after line " + (loaded + 1)),
                errLines.get(0));
    }

    @Test
    void truncatedGenericCsvGzipEndsTheJobFailedToo() throws IOException {
        StringBuilder content = new StringBuilder("code,name\n");
        for (int i = 1; i <= 3000; i++) {
            content.append(code(i)).append(",Product ").append(i * 7919L % 10007).append('\n');
        }
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(compressed)) {
            out.write(content.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] bytes = compressed.toByteArray();
        Path file = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Cli.Result result = Cli.against(testDatabase).run("sync", "--from", file.toString(), "--format", "csv");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertTrue(testDatabase.count("SELECT count(*) FROM products") > 100);
        assertEquals("failed", text("SELECT status FROM jobs"));
        assertTrue(result.err().contains("input is truncated"), result.err());
    }

    @Test
    void formatRefusalWritesNothingAndLeavesNoFailedJob() throws IOException {
        Path file = Files.writeString(dir.resolve("products.csv"), "barcode,title\n3017620422003,Nutella\n");

        Cli.Result result = Cli.against(testDatabase).run("sync", "--from", file.toString(), "--format", "off-csv");

        assertEquals(ExitCode.DATA_ERROR, result.exitCode(), result.toString());
        assertEquals(0, testDatabase.count("SELECT count(*) FROM jobs"), "no job counts toward failure alerts");
        assertEquals(0, testDatabase.count("SELECT count(*) FROM products"));
    }
}
