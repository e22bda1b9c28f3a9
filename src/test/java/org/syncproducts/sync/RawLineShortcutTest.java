package org.syncproducts.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.generic.GenericType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.config.DatabaseSettings;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.JobCounts;
import org.syncproducts.source.FileSources;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.UnchangedLines;
import org.syncproducts.store.Database;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * The raw-line shortcut of a full re-sync: unchanged export lines are skipped unparsed, and the
 * run ends exactly as parsing every line would have (rows, job counts, presence, horizon).
 *
 * <p>To see that a line was skipped rather than parsed, some tests forge a row: its content is
 * changed with the edit trigger off, so it keeps the raw hash of its line. A run that trusts the
 * raw hash leaves the forged row alone; a run that parses the line repairs it.
 */
class RawLineShortcutTest {
    private static final int PRODUCTS = 40;

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
        return OffCsvFixture.withCheckDigit(String.format("300000%06d", number));
    }

    private static OffCsvFixture.Row product(int number, String name) {
        return OffCsvFixture.product(code(number)).name(name).brands("Brand " + number % 7)
                .categories("en:test", "en:group-" + number % 3).energyKcal(Integer.toString(number * 10))
                .lastModified(1_700_000_000L + number);
    }

    /** The export: PRODUCTS products, one malformed line, one refused (bad barcode), one with an unparsed value. */
    private static OffCsvFixture export() {
        OffCsvFixture fixture = OffCsvFixture.create();
        for (int i = 1; i <= PRODUCTS; i++) {
            fixture.add(product(i, "Product " + i));
            if (i == 10) {
                fixture.raw("only\tthree\tfields");
            }
            if (i == 20) {
                fixture.add(OffCsvFixture.product("not-a-code").name("Broken"));
            }
        }
        fixture.add(product(PRODUCTS + 1, "Odd nutriscore").nutriscore("z"));
        return fixture;
    }

    private SyncResult sync(Path file, long limit, boolean dryRun, int batchSize, List<String> languages,
                            FailureTolerance markMissing, CancellationToken cancellation, ProgressListener progress) {
        SyncRequest request = new SyncRequest(List.of(FileSources.forFile(file, null, "export")), Strategy.FULL,
                Scope.ALL, false, limit, batchSize, dryRun, FailureTolerance.parse("50%"), Map.of(), true, languages,
                markMissing);
        return new SyncEngine(database, Duration.ofMinutes(5)).run(request, cancellation, progress);
    }

    private SyncResult sync(Path file) {
        return sync(file, 0, false, 7, null, null, new CancellationToken(), ProgressListener.NONE);
    }

    /** Changes a product's name without the edit trigger: the row keeps the raw hash of its line. */
    private void forge(int number) {
        testDatabase.jdbi().useHandle(handle -> {
            handle.execute("ALTER TABLE products DISABLE TRIGGER products_direct_edit");
            handle.createUpdate("UPDATE products SET name = 'forged', content_hash = content_hash + 1 WHERE code = :code")
                    .bind("code", canonical(number)).execute();
            handle.execute("ALTER TABLE products ENABLE TRIGGER products_direct_edit");
        });
    }

    private String name(int number) {
        return testDatabase.jdbi().withHandle(handle -> handle.createQuery("SELECT name FROM products WHERE code = :code")
                .bind("code", canonical(number)).mapTo(String.class).one());
    }

    private static String canonical(int number) {
        return "0" + code(number);
    }

    @Test
    void unchangedLinesAreSkippedAndCountedAsParsingThemWould() {
        Path file = export().write(dir.resolve("export.csv"));
        SyncResult first = sync(file);
        assertEquals(0, testDatabase.count("SELECT count(*) FROM products WHERE raw_hash IS NULL"),
                "every row written from a line carries its raw hash");

        forge(5);
        SyncResult resync = sync(file);

        assertEquals("forged", name(5), "the line of an unchanged raw hash was skipped, not parsed");
        assertEquals(new JobCounts(PRODUCTS + 3, 0, 0, PRODUCTS + 1, 0, 2), resync.counts());
        assertEquals(first.counts().read(), resync.counts().read());
    }

    /**
     * Lines read ahead wait in pooled memory that is reused chunk after chunk: across many chunks,
     * the changed lines among skipped ones are still parsed from their own bytes.
     */
    @Test
    void changedLinesAmongManyChunksOfSkippedOnesAreParsedFromTheirOwnBytes() {
        int count = 5_500;
        OffCsvFixture original = OffCsvFixture.create();
        OffCsvFixture changed = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            original.add(product(i, "Product " + i));
            changed.add(product(i, i % 7 == 0 ? "Renamed " + i + "x".repeat(i % 50) : "Product " + i));
        }
        sync(original.write(dir.resolve("original.csv")), 0, false, 500, null, null, new CancellationToken(),
                ProgressListener.NONE);

        SyncResult resync = sync(changed.write(dir.resolve("changed.csv")), 0, false, 500, null, null,
                new CancellationToken(), ProgressListener.NONE);

        assertEquals(new JobCounts(count, 0, count / 7, count - count / 7, 0, 0), resync.counts());
        Map<String, String> names = testDatabase.jdbi().withHandle(handle -> handle
                .createQuery("SELECT code, name FROM products").setMapKeyColumn("code").setMapValueColumn("name")
                .collectInto(new GenericType<Map<String, String>>() { }));
        for (int i = 1; i <= count; i++) {
            assertEquals(i % 7 == 0 ? "Renamed " + i + "x".repeat(i % 50) : "Product " + i, names.get(canonical(i)));
        }
    }

    /**
     * database.pool_size accepts 2, but a sync holds the lock's, the writer's and the look-ups'
     * connections and needs one more for heartbeats and cancel checks: it used to wait 10 s for it
     * and fail (exit 69). The pool opens what a sync needs whatever the setting.
     */
    @Test
    void aSmallPoolSizeStillLetsAFullReSyncSkipUnchangedLines() {
        Path file = export().write(dir.resolve("export.csv"));
        database.close();
        database = testDatabase.open(2);
        sync(file);
        forge(5);

        SyncResult resync = sync(file);

        assertEquals(ExitCode.OK, resync.exitCode(), resync.toString());
        assertEquals("forged", name(5), "the unchanged line was skipped");
        assertEquals(new JobCounts(PRODUCTS + 3, 0, 0, PRODUCTS + 1, 0, 2), resync.counts());
    }

    @Test
    void jobCountsAreThoseOfARunWithoutTheShortcut() throws IOException {
        OffCsvFixture changed = export();
        changed.add(product(3, "Changed"));
        changed.add(product(PRODUCTS + 2, "New"));
        changed.add(product(7, "Product 7"));
        changed.add(product(7, "Product 7"));
        Path original = export().write(dir.resolve("export.csv"));
        Path next = changed.write(dir.resolve("next.csv"));
        sync(original);
        TestDatabase other = TestDatabase.create();
        try (Database otherDatabase = other.open(4)) {
            SyncEngine engine = new SyncEngine(otherDatabase, Duration.ofMinutes(5));
            SyncRequest load = new SyncRequest(List.of(FileSources.forFile(original, null, "export")), Strategy.FULL,
                    Scope.ALL, false, 0, 7, false, FailureTolerance.parse("50%"), Map.of());
            engine.run(load, new CancellationToken(), ProgressListener.NONE);
            // A limit no run reaches turns the shortcut off and changes nothing else.
            SyncRequest parsed = new SyncRequest(List.of(FileSources.forFile(next, null, "export")), Strategy.FULL,
                    Scope.ALL, false, 1_000_000, 7, false, FailureTolerance.parse("50%"), Map.of());
            JobCounts withoutShortcut = engine.run(parsed, new CancellationToken(), ProgressListener.NONE).counts();

            JobCounts withShortcut = sync(next).counts();

            assertEquals(withoutShortcut, withShortcut);
            assertEquals(1, withShortcut.updated(), "the changed product");
            assertEquals(1, withShortcut.added(), "the new product");
        }
    }

    @Test
    void theLastRecordForACodeWinsWhenOnlyItMatchesTheStoredRow() {
        Path original = export().write(dir.resolve("export.csv"));
        sync(original);
        OffCsvFixture repeated = export();
        // Early in the file the product differs from the stored row; its last line is the stored one.
        OffCsvFixture withEarlyChange = OffCsvFixture.create();
        withEarlyChange.add(product(2, "Changed early"));
        Path file = dir.resolve("repeated.csv");
        writeConcatenated(file, withEarlyChange, repeated);

        for (int batchSize : new int[] {1, 1000}) {
            SyncResult result = sync(file, 0, false, batchSize, null, null, new CancellationToken(),
                    ProgressListener.NONE);
            assertEquals(ExitCode.OK, result.exitCode(), result.message());
            assertEquals("Product 2", name(2), "batch size " + batchSize + ": the later line's content");
        }
    }

    @Test
    void theLastRecordWinsAcrossChunksAskedBeforeTheEarlierOnesAreWritten() {
        OffCsvFixture many = OffCsvFixture.create();
        for (int i = 1; i <= 2_500; i++) {
            many.add(product(i, "Product " + i));
        }
        sync(many.write(dir.resolve("many.csv")));
        OffCsvFixture withEarlyChange = OffCsvFixture.create();
        withEarlyChange.add(product(1_500, "Changed early"));
        Path file = dir.resolve("repeated.csv");
        // The stored line of product 1500 comes a chunk (1,000 lines) later than its change.
        writeConcatenated(file, withEarlyChange, many);

        // As parsing every line counts: in small batches the product is updated twice; in one batch
        // the later record replaces the earlier one (skipped) and turns out unchanged.
        Map<Integer, JobCounts> expected = Map.of(10, new JobCounts(2_501, 0, 2, 2_499, 0, 0),
                5_000, new JobCounts(2_501, 0, 0, 2_500, 1, 0));
        for (int batchSize : new int[] {10, 5_000}) {
            SyncResult result = sync(file, 0, false, batchSize, null, null, new CancellationToken(),
                    ProgressListener.NONE);
            assertEquals(ExitCode.OK, result.exitCode(), result.message());
            assertEquals("Product 1500", name(1_500), "batch size " + batchSize + ": the later line's content");
            assertEquals(expected.get(batchSize), result.counts(), "batch size " + batchSize);
        }
    }

    private static void writeConcatenated(Path file, OffCsvFixture first, OffCsvFixture second) {
        String head = new String(first.bytes(), StandardCharsets.UTF_8);
        String tail = new String(second.bytes(), StandardCharsets.UTF_8);
        try {
            Files.writeString(file, head + tail.substring(tail.indexOf('\n') + 1));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void handEditedRowsAreRepairedAndNothingElseIsWritten() {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        testDatabase.jdbi().useHandle(handle -> handle.execute(
                "UPDATE products SET name = 'edited by hand' WHERE code IN (" + "'" + canonical(3) + "', '"
                        + canonical(30) + "')"));
        assertEquals(2, testDatabase.count("SELECT count(*) FROM products WHERE raw_hash IS NULL"),
                "the edit trigger clears the raw hash of an edited row");

        SyncResult resync = sync(file);

        assertEquals(2, resync.counts().updated());
        assertEquals("Product 3", name(3));
        assertEquals("Product 30", name(30));
        assertEquals(0, testDatabase.count("SELECT count(*) FROM products WHERE raw_hash IS NULL"));
    }

    @Test
    void aProductWrittenFromAnotherSourceHasNoRawHash() throws IOException {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        Path jsonl = dir.resolve("other.jsonl");
        Files.writeString(jsonl, "{\"code\":\"" + code(5) + "\",\"product_name\":\"From JSONL\"}\n");
        SyncRequest other = new SyncRequest(List.of(FileSources.forFile(jsonl, null, "export")), Strategy.FULL,
                Scope.ALL, false, 0, 7, false, FailureTolerance.DEFAULT, Map.of());
        new SyncEngine(database, Duration.ofMinutes(5)).run(other, new CancellationToken(), ProgressListener.NONE);

        assertEquals("From JSONL", name(5));
        assertEquals(1, testDatabase.count("SELECT count(*) FROM products WHERE raw_hash IS NULL"));

        sync(file);
        assertEquals("Product 5", name(5), "the export's line is parsed again and wins");
    }

    @Test
    void narrowedAndDryRunsAndOtherLanguagesParseEveryLine() {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        forge(5);

        SyncResult dryRun = sync(file, 0, true, 7, null, null, new CancellationToken(), ProgressListener.NONE);
        assertEquals(1, dryRun.counts().updated(), "a dry run parses the forged row's line and finds it changed");
        assertEquals("forged", name(5));

        sync(file, 1_000, false, 7, null, null, new CancellationToken(), ProgressListener.NONE);
        assertEquals("Product 5", name(5), "a run with --limit parses every line");

        forge(5);
        sync(file, 0, false, 7, List.of("fr", "en"), null, new CancellationToken(), ProgressListener.NONE);
        assertEquals("Product 5", name(5), "other sync.languages seed other raw hashes");

        forge(5);
        sync(file);
        assertEquals("Product 5", name(5), "raw hashes seeded with other languages do not match");
    }

    @Test
    void aChangedHeaderParsesEveryLine() throws IOException {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        forge(5);
        String text = Files.readString(file);
        // An unmapped column renamed: every line's bytes are the same, the header is not.
        Files.writeString(file, text.replaceFirst("\tcreator\t", "\tcreated_by\t"));
        assertNotEquals(text, Files.readString(file));

        sync(file);

        assertEquals("Product 5", name(5));
    }

    @Test
    void rowsWithoutARawHashAreParsedAndGetOne() {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        // As after the upgrade to V9: rows written before raw hashes existed.
        testDatabase.jdbi().useHandle(handle -> handle.execute("UPDATE products SET raw_hash = NULL"));
        String changedAt = testDatabase.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT string_agg(last_changed_at::text, ',' ORDER BY code) FROM products").mapTo(String.class).one());

        SyncResult resync = sync(file);

        assertEquals(new JobCounts(PRODUCTS + 3, 0, 0, PRODUCTS + 1, 0, 2), resync.counts());
        assertEquals(0, testDatabase.count("SELECT count(*) FROM products WHERE raw_hash IS NULL"),
                "an unchanged row gets the raw hash of its line");
        assertEquals(changedAt, testDatabase.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT string_agg(last_changed_at::text, ',' ORDER BY code) FROM products").mapTo(String.class).one()),
                "filling in the raw hash is no change of the product");
        forge(5);
        sync(file);
        assertEquals("forged", name(5), "the next re-sync skips the line");
    }

    @Test
    void skippedLinesArePresentForMarkMissingDeleted() {
        OffCsvFixture fixture = export();
        Path file = fixture.write(dir.resolve("export.csv"));
        OffCsvFixture shorter = OffCsvFixture.create();
        for (int i = 1; i <= PRODUCTS; i++) {
            if (i != 12) {
                shorter.add(product(i, "Product " + i));
            }
        }
        shorter.add(product(PRODUCTS + 1, "Odd nutriscore").nutriscore("z"));
        sync(file);

        SyncResult resync = sync(shorter.write(dir.resolve("shorter.csv")), 0, false, 7, null,
                FailureTolerance.parse("10%"), new CancellationToken(), ProgressListener.NONE);

        assertEquals(ExitCode.OK, resync.exitCode(), resync.message());
        assertEquals(1, resync.counts().updated(), "only the absent product is marked deleted");
        assertEquals(1, testDatabase.count("SELECT count(*) FROM products WHERE deleted_at IS NOT NULL AND code = '"
                + canonical(12) + "'"));
        assertEquals(PRODUCTS, resync.counts().unchanged());
    }

    @Test
    void aResumedReSyncCountsAsOneRunWouldAndKeepsTheHorizon() {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        String horizon = testDatabase.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT state ->> 'cursor' FROM source_state WHERE source = 'export'").mapTo(String.class).one());
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

        SyncResult stopped = sync(file, 0, false, 7, null, null, stopAfterOneBatch, stopper);
        SyncResult resumed = sync(file);

        assertEquals("cancelled", stopped.status());
        assertEquals(stopped.jobId(), resumed.resumedFrom());
        JobCounts total = stopped.counts().plus(resumed.counts());
        assertEquals(new JobCounts(PRODUCTS + 3, 0, 0, PRODUCTS + 1, 0, 2), total);
        assertEquals(horizon, testDatabase.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT state ->> 'cursor' FROM source_state WHERE source = 'export'").mapTo(String.class).one()),
                "the export horizon is what parsing every line gives");
        assertTrue(horizon.contains(Long.toString(1_700_000_000L + PRODUCTS + 1)), horizon);
    }

    @Test
    void upgradeToV9KeepsRowsAndEditsClearTheRawHash() {
        TestDatabase old = TestDatabase.create();
        Flyway.configure().dataSource(old.url() + "&currentSchema=sync_products", null, null)
                .schemas("sync_products").defaultSchema("sync_products").target("8")
                .locations("classpath:db/migration").load().migrate();
        old.jdbi().useHandle(handle -> handle.execute("""
                INSERT INTO products (code, display_code, check_digit_valid, source, name, content_hash)
                VALUES ('00000000000017', '17', true, 'src', 'Old', 42)"""));
        try (Database upgraded = Database.open(new DatabaseSettings(old.url(), null, null, null, 2))) {
            upgraded.migrate();
        }
        assertEquals("Old 42 null", row(old));

        update(old, "raw_hash = 7");
        assertEquals("Old 42 7", row(old), "filling in a raw hash is no edit");
        update(old, "name = 'Edited'");
        assertEquals("Edited -43 null", row(old), "a person's edit clears the raw hash (and marks the content hash)");
        update(old, "raw_hash = 9");
        update(old, "name = 'Again', content_hash = 5");
        assertEquals("Again 5 null", row(old), "an edit that sets its own content hash clears the raw hash too");
        update(old, "name = 'Written', content_hash = 6, raw_hash = 10");
        assertEquals("Written 6 10", row(old), "a sync writes content with the raw hash of its line");
    }

    private static void update(TestDatabase target, String assignments) {
        target.jdbi().useHandle(handle -> handle.execute("UPDATE products SET " + assignments));
    }

    private static String row(TestDatabase target) {
        return target.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name || ' ' || content_hash || ' ' || coalesce(raw_hash::text, 'null') FROM products")
                .mapTo(String.class).one());
    }

    /**
     * Lines read ahead have their encoding checked only when they are parsed: a bad line fails as
     * in the first run, and a good non-ASCII one is still skipped.
     */
    @Test
    void badlyEncodedLinesReadAheadFailAsInTheFirstRun() {
        OffCsvFixture fixture = export();
        fixture.add(product(PRODUCTS + 2, "Crème brûlée"));
        fixture.productWithBytes(product(PRODUCTS + 3, "BAD-UTF8"), "BAD-UTF8", new byte[] {'x', (byte) 0xC3, '('});
        fixture.productWithBytes(product(PRODUCTS + 4, "NUL-BYTE"), "NUL-BYTE", new byte[] {'y', 0, 'z'});
        Path file = fixture.write(dir.resolve("export.csv"));
        sync(file);
        String firstErrors = errorTypes();
        forge(PRODUCTS + 2);

        SyncResult resync = sync(file);

        assertEquals("forged", name(PRODUCTS + 2), "the good non-ASCII line was skipped unparsed");
        assertEquals(4, resync.counts().failed());
        assertEquals(firstErrors, errorTypes(), "the same errors, on the same lines, in both runs");
    }

    /** Each job's error types with their line numbers, job by job. */
    private String errorTypes() {
        return testDatabase.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT string_agg(error_type || '@' || line_number, ' ' ORDER BY line_number)
                        FROM errors GROUP BY job_id ORDER BY job_id DESC LIMIT 1""")
                .mapTo(String.class).one());
    }

    /**
     * Through a real stream, over many chunks, the stored lines in memory skip and parse exactly
     * the lines the database does: changed, forged, repeated and badly encoded lines.
     */
    @Test
    void theStreamSkipsTheSameLinesWhetherMemoryOrTheDatabaseAnswers() throws IOException {
        int count = 2_600;
        OffCsvFixture original = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            original.add(product(i, "Product " + i));
        }
        sync(original.write(dir.resolve("original.csv")));
        forge(7);
        OffCsvFixture changed = OffCsvFixture.create();
        for (int i = 1; i <= count; i++) {
            changed.add(product(i, i % 97 == 0 ? "Changed " + i : "Product " + i));
            if (i % 500 == 0) {
                changed.add(product(i - 250, "Product " + (i - 250)));
            }
        }
        for (int i = 97; i <= 3 * 97; i += 97) {
            changed.add(product(i, "Product " + i));
        }
        changed.productWithBytes(product(count + 1, "BAD-UTF8"), "BAD-UTF8", new byte[] {'x', (byte) 0xC3, '('});
        Path file = changed.write(dir.resolve("changed.csv"));
        List<String> languages = new SyncRequest(List.of(FileSources.forFile(file, null, "export")), Strategy.FULL,
                Scope.ALL, false, 0, 7, false, FailureTolerance.DEFAULT, Map.of()).languages();

        Map<RawLineShortcut.Answers, List<String>> decided = new EnumMap<>(RawLineShortcut.Answers.class);
        for (RawLineShortcut.Answers answers : List.of(RawLineShortcut.Answers.DATABASE, RawLineShortcut.Answers.MEMORY)) {
            List<String> records = new ArrayList<>();
            try (RawLineShortcut shortcut = new RawLineShortcut(testDatabase.jdbi(), "export", languages, true, answers);
                 RecordStream stream = FileSources.forFile(file, null, "export").open(0, null)) {
                assertTrue(stream.skipUnchanged(shortcut));
                for (SourceRecord record; (record = stream.next()) != null; ) {
                    records.add(record.getClass().getSimpleName() + "@" + record.position());
                }
            }
            decided.put(answers, records);
        }

        List<String> fromMemory = decided.get(RawLineShortcut.Answers.MEMORY);
        assertEquals(decided.get(RawLineShortcut.Answers.DATABASE), fromMemory);
        assertEquals("Unchanged@8", fromMemory.get(6), "the forged row's line is skipped: its raw hash matches");
        List<String> parsed = fromMemory.stream().filter(r -> !r.startsWith("Unchanged")).toList();
        assertEquals(count / 97 + 3 + 1, parsed.size(), "parsed: the changed lines, the unchanged lines of codes "
                + "a changed line sent to be written (the last record wins), the bad line; repeats of unchanged "
                + "lines are skipped: " + parsed);
        int last = count + count / 500 + 3 + 2;
        assertEquals(List.of("Item@" + (last - 3), "Item@" + (last - 2), "Item@" + (last - 1), "Failure@" + last),
                parsed.subList(parsed.size() - 4, parsed.size()));
    }

    /**
     * The stored lines read into memory answer exactly as the database does chunk by chunk:
     * deleted products, rows without a raw hash, changed lines and unknown codes are not skipped.
     */
    @Test
    void theStoredLinesInMemoryAnswerAsTheDatabaseDoes() throws IOException {
        Path file = export().write(dir.resolve("export.csv"));
        sync(file);
        testDatabase.jdbi().useHandle(handle -> {
            handle.createUpdate("UPDATE products SET deleted_at = now() WHERE code = :code").bind("code", canonical(3))
                    .execute();
            handle.createUpdate("UPDATE products SET raw_hash = NULL WHERE code = :code").bind("code", canonical(4))
                    .execute();
        });
        List<String> lines = Files.readAllLines(file);
        List<String> languages = new SyncRequest(List.of(FileSources.forFile(file, null, "export")), Strategy.FULL,
                Scope.ALL, false, 0, 7, false, FailureTolerance.DEFAULT, Map.of()).languages();
        int asked = lines.size();
        Map<RawLineShortcut.Answers, BitSet> answers = new EnumMap<>(RawLineShortcut.Answers.class);
        BitSet expected = new BitSet();
        for (RawLineShortcut.Answers source : RawLineShortcut.Answers.values()) {
            try (RawLineShortcut shortcut = new RawLineShortcut(testDatabase.jdbi(), "export", languages, true, source)) {
                UnchangedLines.Check check = shortcut.forInput(lines.get(0));
                assertTrue(check.skips());
                String[] codes = new String[asked];
                long[] hashes = new long[asked];
                for (int i = 1; i < lines.size(); i++) {
                    byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
                    codes[i - 1] = Barcode.parse(lines.get(i).split("\t", -1)[0]).map(Barcode::canonical).orElse(null);
                    hashes[i - 1] = check.hash(line, 0, line.length);
                    boolean live = codes[i - 1] != null && !codes[i - 1].equals(canonical(3))
                            && !codes[i - 1].equals(canonical(4)) && !codes[i - 1].equals(canonical(6));
                    expected.set(i - 1, live);
                    if (codes[i - 1] != null && codes[i - 1].equals(canonical(6))) {
                        hashes[i - 1] ^= 1;
                    }
                }
                codes[asked - 1] = canonical(999);
                hashes[asked - 1] = 42;
                answers.put(source, check.ask(codes, hashes, asked).unchanged());
            }
        }

        assertEquals(PRODUCTS + 1 - 3, expected.cardinality());
        answers.forEach((source, unchanged) -> assertEquals(expected, unchanged, source.name()));
    }

    @Test
    void rawHashesDependOnTheLineTheFormatTheSourceAndTheLanguages() {
        byte[] line = "0123\tname".getBytes(StandardCharsets.UTF_8);
        long hash = new RawLineShortcut(testDatabase.jdbi(), "a", List.of("en"), false).forInput("code\tname")
                .hash(line, 0, line.length);
        List<UnchangedLines.Check> others = List.of(
                new RawLineShortcut(testDatabase.jdbi(), "b", List.of("en"), false).forInput("code\tname"),
                new RawLineShortcut(testDatabase.jdbi(), "a", List.of("fr"), false).forInput("code\tname"),
                new RawLineShortcut(testDatabase.jdbi(), "a", List.of("en"), false).forInput("code\tname2"));
        for (UnchangedLines.Check other : others) {
            assertNotEquals(hash, other.hash(line, 0, line.length));
        }
        assertEquals(hash, new RawLineShortcut(testDatabase.jdbi(), "a", List.of("en"), false).forInput("code\tname")
                .hash(line, 0, line.length));
        byte[] changed = "0123\tnamf".getBytes(StandardCharsets.UTF_8);
        assertNotEquals(hash, new RawLineShortcut(testDatabase.jdbi(), "a", List.of("en"), false)
                .forInput("code\tname").hash(changed, 0, changed.length));
    }
}
