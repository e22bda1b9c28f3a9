package org.syncproducts.source.offdelta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/**
 * {@code type: off-delta} and {@code sync --from-delta} against a MockWebServer that serves an
 * index and delta files in the real format (see {@link DeltaFiles}), and against a local directory.
 */
public class OffDeltaSourceTest {
    /** Where {@link FakeDeltas} serves index.txt and the files. */
    public static final String PATH = "/data/delta/";

    @TempDir
    Path dir;

    private MockWebServer server;
    private final FakeDeltas deltas = new FakeDeltas();
    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        server = TestHttpServer.create();
        server.setDispatcher(deltas);
        server.start();
        database = TestDatabase.create();
        cli = Cli.against(database).withEnv("OFF_CONTACT", "ops@example.org");
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private String baseUrl() {
        return server.url(PATH).toString();
    }

    private Cli.Result sync(String... extra) {
        List<String> args = new ArrayList<>(List.of("sync", "--from-delta", baseUrl()));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void appliesEveryFileInNameOrderAndRecordsTheLastApplied() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500),
                DeltaFiles.document(DeltaFiles.code(2), "Rolls v1", 1600));
        deltas.file(2000, 3000, DeltaFiles.document(DeltaFiles.code(1), "Bread v2", 2500));
        deltas.file(3000, 4000, DeltaFiles.document(DeltaFiles.code(3), "Toast v1", 3500));
        // Listed out of order: applied in name order all the same.
        deltas.index(DeltaFiles.name(3000, 4000), DeltaFiles.name(1000, 2000), DeltaFiles.name(2000, 3000));

        Cli.Result run = sync("--json");

        assertEquals(ExitCode.OK, run.exitCode(), run::toString);
        assertEquals(3, database.count("SELECT count(*) FROM products"));
        assertEquals("Bread v2", nameOf(DeltaFiles.code(1)), "the later file's change wins");
        assertEquals(List.of(PATH + "index.txt", PATH + DeltaFiles.name(1000, 2000), PATH + DeltaFiles.name(2000, 3000),
                PATH + DeltaFiles.name(3000, 4000)), deltas.paths());
        assertTrue(deltas.userAgents().stream().allMatch(agent -> agent.startsWith("sync-products/")
                && agent.contains("ops@example.org")), deltas.userAgents()::toString);
        assertEquals(DeltaFiles.name(3000, 4000), cursor("last_file"));
        assertEquals("4000", cursor("last_change_t"));
        assertNull(cursor("file"), "nothing is half-read after a complete run");
    }

    @Test
    void aSecondRunAppliesOnlyTheNewFiles() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.index(DeltaFiles.name(1000, 2000));
        assertEquals(ExitCode.OK, sync().exitCode());
        deltas.file(2000, 3000, DeltaFiles.document(DeltaFiles.code(1), "Bread v2", 2500),
                DeltaFiles.document(DeltaFiles.code(2), "Rolls v1", 2600));
        deltas.index(DeltaFiles.name(1000, 2000), DeltaFiles.name(2000, 3000));
        deltas.clearRequests();

        Cli.Result second = sync("-q");

        assertEquals(ExitCode.OK, second.exitCode(), second::toString);
        assertEquals("", second.out(), "a healthy run prints nothing under -q");
        assertEquals(List.of(PATH + "index.txt", PATH + DeltaFiles.name(2000, 3000)), deltas.paths());
        assertEquals("Bread v2", nameOf(DeltaFiles.code(1)));
        assertEquals(2, database.count("SELECT count(*) FROM products"));
        assertEquals(DeltaFiles.name(2000, 3000), cursor("last_file"));
    }

    @Test
    void anUnchangedIndexCostsOneConditionalRequestAndWritesNothing() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.index(DeltaFiles.name(1000, 2000));
        assertEquals(ExitCode.OK, sync().exitCode());
        String before = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT xmin::text || last_synced_at::text FROM products").mapTo(String.class).one());
        deltas.clearRequests();

        Cli.Result again = sync("--json");

        assertEquals(ExitCode.OK, again.exitCode(), again::toString);
        assertEquals(List.of(PATH + "index.txt"), deltas.paths(), "one request");
        assertEquals(List.of(304), deltas.statuses());
        assertEquals("\"v1\"", deltas.requests.get(0).getHeader("If-None-Match"));
        assertEquals(before, database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT xmin::text || last_synced_at::text FROM products").mapTo(String.class).one()),
                "the product row is not touched");
        assertEquals(0, database.count("SELECT read_count FROM jobs ORDER BY id DESC LIMIT 1"));
        assertEquals(DeltaFiles.name(1000, 2000), cursor("last_file"));
    }

    @Test
    void deltasThatDoNotContinueTheLastAppliedOneAreAGap() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.index(DeltaFiles.name(1000, 2000));
        assertEquals(ExitCode.OK, sync().exitCode());
        // Days later: the window moved on past what was applied.
        deltas.file(5000, 6000, DeltaFiles.document(DeltaFiles.code(1), "Bread v5", 5500));
        deltas.file(6000, 7000, DeltaFiles.document(DeltaFiles.code(2), "Rolls v6", 6500));
        deltas.index(DeltaFiles.name(5000, 6000), DeltaFiles.name(6000, 7000));

        Cli.Result gap = sync("-q");

        assertEquals(ExitCode.FAILURE, gap.exitCode(), gap::toString);
        assertEquals(1, gap.err().lines().count(), gap::toString);
        assertTrue(gap.err().contains("gap in the Open Food Facts deltas") && gap.err().contains(DeltaFiles.name(5000, 6000))
                && gap.err().contains("sync-products sync --full --from"), gap::toString);
        assertEquals("Bread v1", nameOf(DeltaFiles.code(1)), "nothing of the deltas is applied");
        assertEquals("failed", database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT status FROM jobs ORDER BY id DESC LIMIT 1").mapTo(String.class).one()));

        Cli.Result allowed = sync("--allow-gap", "-q");

        assertEquals(ExitCode.OK, allowed.exitCode(), allowed::toString);
        assertEquals("Bread v5", nameOf(DeltaFiles.code(1)));
        assertEquals(DeltaFiles.name(6000, 7000), cursor("last_file"));
    }

    @Test
    void aListedFileThatIsMissingIsAGap() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.file(3000, 4000, DeltaFiles.document(DeltaFiles.code(3), "Toast v1", 3500));
        deltas.index(DeltaFiles.name(1000, 2000), DeltaFiles.name(2000, 3000), DeltaFiles.name(3000, 4000));

        Cli.Result gap = sync();

        assertEquals(ExitCode.FAILURE, gap.exitCode(), gap::toString);
        assertTrue(gap.err().contains(DeltaFiles.name(2000, 3000) + " listed in index.txt is missing")
                && gap.err().contains("sync-products sync --full"), gap::toString);
        assertEquals(0, database.count("SELECT count(*) FROM products WHERE name = 'Toast v1'"),
                "nothing after the missing file is applied");

        Cli.Result allowed = sync("--allow-gap");

        assertEquals(ExitCode.OK, allowed.exitCode(), allowed::toString);
        assertEquals(2, database.count("SELECT count(*) FROM products"));
        assertEquals(DeltaFiles.name(3000, 4000), cursor("last_file"));
    }

    @Test
    void aFullExportLoadIsTheBaseTheDeltasAreJudgedAgainst() throws Exception {
        Path export = dir.resolve("openfoodfacts-products.jsonl");
        Files.writeString(export, DeltaFiles.document(DeltaFiles.code(1), "Bread export", 2500) + "\n"
                + DeltaFiles.document(DeltaFiles.code(2), "Rolls export", 2400) + "\n");
        assertEquals(ExitCode.OK, cli.run("sync", "--from", export.toString(), "--full").exitCode());
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.file(2000, 3000, DeltaFiles.document(DeltaFiles.code(1), "Bread v2", 2500),
                DeltaFiles.document(DeltaFiles.code(2), "Rolls v2", 2900));
        deltas.index(DeltaFiles.name(1000, 2000), DeltaFiles.name(2000, 3000));

        Cli.Result continues = sync();

        assertEquals(ExitCode.OK, continues.exitCode(), continues::toString);
        assertEquals(List.of(PATH + "index.txt", PATH + DeltaFiles.name(2000, 3000)), deltas.paths(),
                "a file older than the export holds nothing new and is not fetched");
        assertEquals("Rolls v2", nameOf(DeltaFiles.code(2)), "a newer record is applied");
        assertEquals("Bread export", nameOf(DeltaFiles.code(1)), "a record no newer than the stored one is not");

        TestDatabase other = TestDatabase.create();
        Cli otherCli = Cli.against(other);
        assertEquals(ExitCode.OK, otherCli.run("sync", "--from", export.toString(), "--full").exitCode());
        deltas.file(4000, 5000, DeltaFiles.document(DeltaFiles.code(3), "Toast v4", 4500));
        deltas.index(DeltaFiles.name(4000, 5000));
        Cli.Result gap = otherCli.run("sync", "--from-delta", baseUrl());
        assertEquals(ExitCode.FAILURE, gap.exitCode(), gap::toString);
        assertTrue(gap.err().contains("full export load") && gap.err().contains(DeltaFiles.name(4000, 5000)),
                gap::toString);
    }

    @Test
    void aFirstRunWithoutABaseLoadAppliesEveryFileAndSaysTheBaseIsMissing() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.index(DeltaFiles.name(1000, 2000));
        PrintStream original = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Cli.Result run;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            run = sync("-q");
        } finally {
            System.setErr(original);
        }
        assertEquals(ExitCode.OK, run.exitCode(), run::toString);
        assertEquals(1, database.count("SELECT count(*) FROM products"));
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.lines().filter(line -> line.contains("no full export was loaded")).count(), log);
        assertTrue(log.contains("sync-products sync --full --from openfoodfacts-products.jsonl.gz"), log);
    }

    @Test
    void aFileLargerThanTheBoundFailsTheSource() throws Exception {
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            documents.add(DeltaFiles.document(DeltaFiles.code(i), "Bread " + i, 1500));
        }
        deltas.file(1000, 2000, documents.toArray(String[]::new));
        deltas.index(DeltaFiles.name(1000, 2000));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sources:
                  deltas:
                    type: off-delta
                    url: %s
                    max_file_bytes: 100000
                """.formatted(baseUrl()));

        Cli.Result run = cli.run("--config", config.toString(), "sync");

        assertEquals(ExitCode.DATA_ERROR, run.exitCode(), run::toString);
        assertTrue(run.err().contains("larger than max_file_bytes (100000 bytes)"), run::toString);
        assertEquals(0, database.count("SELECT count(*) FROM products"));
        assertNull(cursor("deltas", "last_file"));
    }

    @Test
    void aTransient503IsRetried() {
        deltas.file(1000, 2000, DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500));
        deltas.index(DeltaFiles.name(1000, 2000));
        deltas.unavailableOnce(PATH + DeltaFiles.name(1000, 2000));

        Cli.Result run = sync();

        assertEquals(ExitCode.OK, run.exitCode(), run::toString);
        assertEquals(List.of(200, 503, 200), deltas.statuses());
        assertEquals("Bread v1", nameOf(DeltaFiles.code(1)));
    }

    @Test
    void aLocalDirectoryIsASourceToo() throws Exception {
        Path local = dir.resolve("delta");
        Files.createDirectories(local);
        Files.write(local.resolve(DeltaFiles.name(1000, 2000)), DeltaFiles.gzip(List.of(
                DeltaFiles.document(DeltaFiles.code(1), "Bread v1", 1500))));
        Files.write(local.resolve(DeltaFiles.name(2000, 3000)), DeltaFiles.gzip(List.of(
                DeltaFiles.document(DeltaFiles.code(1), "Bread v2", 2500))));
        Files.writeString(local.resolve("index.txt"), DeltaFiles.name(2000, 3000) + "\n" + DeltaFiles.name(1000, 2000) + "\n");

        Cli.Result run = cli.run("sync", "--from-delta", local.toString());

        assertEquals(ExitCode.OK, run.exitCode(), run::toString);
        assertEquals("Bread v2", nameOf(DeltaFiles.code(1)));
        assertEquals(DeltaFiles.name(2000, 3000), cursor("last_file"));

        Cli.Result again = cli.run("sync", "--from-delta", local.toString(), "--json");
        assertEquals(ExitCode.OK, again.exitCode(), again::toString);
        assertEquals(0, database.count("SELECT read_count FROM jobs ORDER BY id DESC LIMIT 1"),
                "an unchanged index reads nothing");
    }

    private String nameOf(String code) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name FROM products WHERE display_code = :code").bind("code", code).mapTo(String.class).one());
    }

    private String cursor(String key) {
        return cursor(OffDeltaSource.TYPE, key);
    }

    private String cursor(String source, String key) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT state -> 'cursor' ->> :key FROM source_state WHERE source = :source")
                .bind("key", key).bind("source", source).mapTo(String.class).findOne().orElse(null));
    }

    /** Serves index.txt (with an ETag, answering 304 to it) and the delta files; records every request. */
    public static final class FakeDeltas extends Dispatcher {
        private final Map<String, byte[]> files = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Set<String> unavailableOnce = Collections.synchronizedSet(new HashSet<>());
        private final AtomicInteger indexVersion = new AtomicInteger();
        private volatile String index = "";
        final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
        private final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());

        public void file(long from, long to, String... documents) {
            files.put(PATH + DeltaFiles.name(from, to), DeltaFiles.gzip(List.of(documents)));
        }

        public void index(String... names) {
            index = String.join("\n", names) + "\n";
            indexVersion.incrementAndGet();
        }

        void unavailableOnce(String path) {
            unavailableOnce.add(path);
        }

        public void clearRequests() {
            requests.clear();
            statuses.clear();
        }

        public List<String> paths() {
            return requests.stream().map(RecordedRequest::getPath).toList();
        }

        public List<Integer> statuses() {
            return List.copyOf(statuses);
        }

        List<String> userAgents() {
            return requests.stream().map(request -> request.getHeader("User-Agent")).toList();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            MockResponse response = answer(request);
            statuses.add(Integer.parseInt(response.getStatus().split(" ")[1]));
            return response;
        }

        private MockResponse answer(RecordedRequest request) {
            String path = request.getPath();
            if (unavailableOnce.remove(path)) {
                return new MockResponse().setResponseCode(503).setHeader("Retry-After", "0");
            }
            if (path.equals(PATH + "index.txt")) {
                String etag = "\"v" + indexVersion.get() + "\"";
                if (etag.equals(request.getHeader("If-None-Match"))) {
                    return new MockResponse().setResponseCode(304).setHeader("ETag", etag);
                }
                return new MockResponse().setHeader("ETag", etag).setHeader("Content-Type", "text/plain")
                        .setBody(index);
            }
            byte[] file = files.get(path);
            if (file == null) {
                return new MockResponse().setResponseCode(404).setBody("Not Found");
            }
            return new MockResponse().setHeader("Content-Type", "application/gzip").setBody(new Buffer().write(file));
        }
    }
}
