package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code sync --from URL} and {@code url:} sources through the real command line, HTTP server and PostgreSQL. */
class ExportUrlSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPORT = "/data/openfoodfacts-products.jsonl.gz";

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;
    private MockWebServer server;
    private byte[] export;

    @BeforeEach
    void start() throws IOException {
        database = TestDatabase.create();
        cli = Cli.against(database);
        server = TestHttpServer.create();
        server.start();
        export = gzip(jsonl(3));
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("300000%06d", number));
    }

    private static String jsonl(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            lines.append("{\"code\": \"").append(code(i)).append("\", \"product_name\": \"Exported ").append(i)
                    .append("\", \"last_modified_t\": 1764547200}\n");
        }
        return lines.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private MockResponse exportResponse() {
        return new MockResponse().setHeader("ETag", "\"e1\"").setBody(new Buffer().write(export));
    }

    private String url() {
        return server.url(EXPORT).toString();
    }

    private long products() {
        return database.count("SELECT count(*) FROM products");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertNotNull(request, "a request was expected");
        return request;
    }

    @Test
    void fromUrlDownloadsThenSyncsAndAnUnchangedExportIsNotDownloadedAgain() throws Exception {
        server.enqueue(exportResponse());
        Path cache = dir.resolve("cache");

        Cli.Result first = cli.run("sync", "--from", url(), "--full", "--cache-dir", cache.toString(), "--json");

        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(3, products());
        assertEquals("openfoodfacts-products.jsonl", database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT DISTINCT source FROM products").mapTo(String.class).one()));
        String configJson = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT config::text FROM jobs ORDER BY id DESC LIMIT 1").mapTo(String.class).one());
        JsonNode config = JSON.readTree(configJson);
        assertEquals(url() + "|\"e1\"|" + export.length, config.at("/sources/0/input").asText());
        assertEquals("off-jsonl", config.at("/sources/0/type").asText());
        assertNull(take().getHeader("If-None-Match"));
        try (var files = Files.list(cache)) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().endsWith("-openfoodfacts-products.jsonl.gz")));
        }

        server.enqueue(new MockResponse().setResponseCode(304).setHeader("ETag", "\"e1\""));
        Cli.Result second = cli.run("sync", "--from", url(), "--full", "--cache-dir", cache.toString(), "--json");

        assertEquals(0, second.exitCode(), second.toString());
        assertEquals("\"e1\"", take().getHeader("If-None-Match"));
        assertEquals(2, server.getRequestCount(), "one conditional request, no download");
        assertEquals(3, JSON.readTree(second.out()).at("/counts/unchanged").asLong());

        server.enqueue(new MockResponse().setResponseCode(304).setHeader("ETag", "\"e1\""));
        Cli.Result quiet = cli.run("-q", "sync", "--from", url(), "--cache-dir", cache.toString());
        assertEquals(0, quiet.exitCode(), quiet.toString());
        assertEquals("", quiet.out() + quiet.err(), "a cron tick with nothing new prints nothing");
    }

    @Test
    void verifySourceReadsTheCachedCopyOfWhatTheSyncDownloaded() throws Exception {
        server.enqueue(exportResponse());
        Cli xdg = cli.withEnv("XDG_CACHE_HOME", dir.resolve("xdg").toString());
        Cli.Result synced = xdg.run("sync", "--from", url(), "--full");
        assertEquals(0, synced.exitCode(), synced.toString());

        Cli.Result verified = xdg.run("--json", "verify", "--source", "openfoodfacts-products.jsonl");

        assertEquals(0, verified.exitCode(), verified.toString());
        assertEquals(1, server.getRequestCount(), "verify reads the cache, it does not download");
        JsonNode checks = JSON.readTree(verified.out()).at("/checks");
        assertTrue(checks.toString().contains("openfoodfacts-products.jsonl"), verified.out());

        try (var files = Files.list(dir.resolve("xdg").resolve("sync-products").resolve("exports"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Cli.Result gone = xdg.run("verify", "--source", "openfoodfacts-products.jsonl");
        assertEquals(78, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("no longer holds that download"), gone.err());
    }

    @Test
    void interruptedDownloadFailsCleanlyAndTheNextRunResumesIt() throws Exception {
        server.enqueue(exportResponse().setHeader("Last-Modified", "Mon, 30 Nov 2026 02:00:00 GMT")
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sync:
                  cache_dir: %s
                sources:
                  off_export:
                    type: off-jsonl
                    url: %s
                    attempts: 1
                """.formatted(dir.resolve("cache"), url()));

        Cli.Result cut = cli.run("--config", config.toString(), "sync", "--full");

        assertEquals(69, cut.exitCode(), cut.toString());
        assertTrue(cut.err().contains("resumes"), cut.err());
        assertEquals(1, cut.err().strip().lines().filter(line -> line.startsWith("sync-products:")).count(), cut.err());
        assertEquals(0, products());
        int kept = export.length / 2;
        take();

        server.enqueue(new MockResponse().setResponseCode(206).setHeader("ETag", "\"e1\"")
                .setHeader("Content-Range", "bytes " + kept + "-" + (export.length - 1) + "/" + export.length)
                .setBody(new Buffer().write(export, kept, export.length - kept)));
        Cli.Result resumed = cli.run("--config", config.toString(), "sync", "--full");

        assertEquals(0, resumed.exitCode(), resumed.toString());
        RecordedRequest request = take();
        assertTrue(request.getHeader("Range").startsWith("bytes="), request.getHeaders().toString());
        assertEquals("\"e1\"", request.getHeader("If-Range"));
        assertEquals(3, products());
        assertEquals("Exported 2", database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT name FROM products ORDER BY code OFFSET 1 LIMIT 1").mapTo(String.class).one()));
    }

    @Test
    void checksumMismatchIsRefusedBeforeAnyWrite() throws Exception {
        server.enqueue(exportResponse());
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sources:
                  off_export:
                    type: off-jsonl
                    url: %s
                    sha256: %s
                """.formatted(url(), "ab".repeat(32)));

        Cli.Result refused = cli.withEnv("XDG_CACHE_HOME", dir.resolve("xdg").toString())
                .run("--config", config.toString(), "sync", "--full");

        assertEquals(65, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("SHA-256"), refused.err());
        assertEquals(0, products());
        assertEquals(0, database.count("SELECT count(*) FROM jobs"), "no job started");
        try (var files = Files.list(dir.resolve("xdg").resolve("sync-products").resolve("exports"))) {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().endsWith(".gz")));
        }

        server.enqueue(exportResponse());
        Files.writeString(config, Files.readString(config).replace("ab".repeat(32), sha256(export)));
        Cli.Result verified = cli.withEnv("XDG_CACHE_HOME", dir.resolve("xdg").toString())
                .run("--config", config.toString(), "sync", "--full");
        assertEquals(0, verified.exitCode(), verified.toString());
        assertEquals(3, products());
    }

    @Test
    void sourcesTestReadsTheExportThroughTheCache() throws Exception {
        server.enqueue(exportResponse());
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sync:
                  cache_dir: %s
                sources:
                  off_export:
                    type: off-jsonl
                    url: %s
                """.formatted(dir.resolve("cache"), url()));

        Cli.Result result = cli.run("--config", config.toString(), "sources", "test", "off_export");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("read 3 records, 3 mapped"), result.out());
    }

    @Test
    void urlAndPathTogetherAreAConfigError() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sources:
                  off_export:
                    type: off-csv
                    path: export.csv
                    url: https://static.openfoodfacts.org/data/en.openfoodfacts.org.products.csv.gz
                """);

        Cli.Result result = cli.run("--config", config.toString(), "sync");

        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("both path and url"), result.err());
    }

    @Test
    void downloadOptionsOnALocalPathAreAConfigError() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                sources:
                  off_dump:
                    type: off-jsonl
                    path: dump.jsonl.gz
                    sha256: %s
                """.formatted("ab".repeat(32)));

        Cli.Result result = cli.run("--config", config.toString(), "sync");

        assertEquals(78, result.exitCode(), result.toString());
        assertTrue(result.err().contains("sources.off_dump.sha256"), result.err());
    }

    @Test
    void fromUrlWithAnUnknownFormatAsksForFormat() {
        Cli.Result result = cli.run("sync", "--from", server.url("/download?id=3").toString());

        assertEquals(64, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--format"), result.err());
        assertEquals(0, server.getRequestCount());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
