package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code sync.mark_missing_deleted}: products absent from a whole export are marked deleted (issue 11 item 5). */
class MarkMissingDeletedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
        cli = Cli.against(database);
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    private static String canonical(int number) {
        return "0" + code(number);
    }

    /** The export file holding products with these numbers. */
    private Path export(List<Integer> numbers) {
        OffCsvFixture fixture = OffCsvFixture.create();
        numbers.forEach(i -> fixture.add(OffCsvFixture.product(code(i)).name("Product " + i).lastModified(1_700_000_000L)));
        return fixture.write(dir.resolve("export.csv"));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private Path config(boolean markMissing, String limit) throws IOException {
        Path config = dir.resolve("sync-products.yaml");
        Files.writeString(config, """
                sources:
                  off_export:
                    type: off-csv
                    path: export.csv
                sync:
                  mark_missing_deleted: %s
                  mark_missing_limit: "%s"
                """.formatted(markMissing, limit), StandardCharsets.UTF_8);
        return config;
    }

    private List<String> deleted() {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT code FROM products WHERE deleted_at IS NOT NULL ORDER BY code").mapTo(String.class).list());
    }

    private Cli.Result sync(Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString(), "sync"));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void fullSyncMarksTheSourcesProductsAbsentFromTheExportDeletedAndStatsCountLiveOnes() throws IOException {
        Path config = config(true, "50%");
        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        export(List.of(1, 2, 3, 4, 5, 6, 8, 9));

        Cli.Result result = sync(config, "--full", "--json");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(List.of(canonical(7), canonical(10)), deleted());
        assertEquals(2, JSON.readTree(result.out()).get("counts").get("updated").asLong(), result.out());
        Cli.Result stats = cli.run("--config", config.toString(), "stats", "--json");
        assertEquals(8, JSON.readTree(stats.out()).get("products").get("total").asLong(), stats.out());
        assertEquals(0, database.count("SELECT count(*) FROM export_seen_codes"), "the run's codes are dropped");

        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        assertEquals(List.of(), deleted(), "a product back in the export is live again");
    }

    @Test
    void aProductWhoseRecordFailsIsStillInTheExportAndStaysLive() throws IOException {
        Path config = config(true, "50%");
        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        OffCsvFixture fixture = OffCsvFixture.create();
        range(1, 9).forEach(i -> fixture.add(OffCsvFixture.product(code(i)).name("Product " + i)
                .lastModified(1_700_000_000L)));
        fixture.add(OffCsvFixture.product(code(10)).name("Broken").energyKcal("lots"));
        fixture.write(dir.resolve("export.csv"));

        Cli.Result result = sync(config, "--full", "--failure-tolerance", "5");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(List.of(), deleted());
    }

    @Test
    void withoutTheOptInNothingIsMarked() throws IOException {
        Path config = config(false, "50%");
        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        export(range(1, 8));

        assertEquals(0, sync(config, "--full").exitCode());

        assertEquals(List.of(), deleted());
    }

    @Test
    void incrementalScopedOrLimitedRunsDoNotMark() throws IOException {
        Path config = config(true, "50%");
        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        export(range(1, 8));

        assertEquals(0, sync(config).exitCode());
        assertEquals(0, sync(config, "--full", "--limit", "5").exitCode());
        assertEquals(0, sync(config, "--full", "--upcs", code(1)).exitCode());
        assertEquals(0, sync(config, "--full", "--dry-run").exitCode());

        assertEquals(List.of(), deleted());
    }

    @Test
    void moreAbsentProductsThanTheLimitMarksNoneAndWarnsEvenWhenQuiet() throws IOException {
        Path config = config(true, "10%");
        export(range(1, 10));
        assertEquals(0, sync(config, "--full").exitCode());
        export(range(1, 5));

        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        Cli.Result result;
        try {
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            result = cli.run("--config", config.toString(), "-q", "sync", "--full");
        } finally {
            System.setErr(originalErr);
        }

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(List.of(), deleted());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARN") && log.contains("5 of the 10 products of source off_export are absent "
                + "from this export, more than sync.mark_missing_limit (10%) allows: none was marked deleted"), log + result);
        assertEquals(0, database.count("SELECT count(*) FROM export_seen_codes"));
    }

    @Test
    void aTruncatedExportMarksNothing() throws IOException {
        Path config = config(true, "100%");
        export(range(1, 400));
        assertEquals(0, sync(config, "--full").exitCode());
        OffCsvFixture fixture = OffCsvFixture.create();
        range(1, 400).forEach(i -> fixture.add(OffCsvFixture.product(code(i))
                .name("Product number " + i + " " + Integer.toHexString(i * 7919)).lastModified(1_700_000_000L)));
        Path cut = fixture.writeTruncatedGzip(dir.resolve("export.csv.gz"), fixture.gzipSize() / 2);
        Files.writeString(config, Files.readString(config).replace("path: export.csv", "path: " + cut.getFileName()));

        Cli.Result result = sync(config, "--full", "--failure-tolerance", "1");

        assertEquals(1, result.exitCode(), result.toString());
        assertEquals(List.of(), deleted());
    }
}
