package org.syncproducts.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.support.TestHttpServer;

/** {@link ExportDownload} against a real HTTP server that cuts, ignores ranges and lies about lengths. */
class ExportDownloadTest {
    private static final String NAME = "openfoodfacts-products.jsonl.gz";
    private static final OkHttpClient SHARED = new OkHttpClient();

    @TempDir
    Path dir;

    private final byte[] export = randomBytes(300_000);
    private MockWebServer server;
    private ExportServer files;
    private HttpUrl url;
    private ExportCache cache;

    @BeforeEach
    void start() throws IOException {
        files = new ExportServer(export);
        server = TestHttpServer.create();
        server.setDispatcher(files);
        server.start();
        url = server.url("/data/" + NAME);
        cache = new ExportCache(dir.resolve("cache"));
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private ExportDownload download(int attempts) {
        HttpSettings settings = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO, 1 << 20,
                attempts, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(1));
        return new ExportDownload(cache, new SourceHttpClient("export", SHARED, settings, "sync-products/test",
                Clock.systemUTC()), DownloadListener.NONE, () -> false, Clock.systemUTC());
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertNotNull(request, "a request was expected");
        return request;
    }

    @Test
    void freshDownloadIsCachedWithItsValidatorsAndUserAgent() throws Exception {
        ExportDownload.Fetched fetched = download(1).fetch(url, Checksum.NONE);

        assertTrue(fetched.changed());
        assertArrayEquals(export, Files.readAllBytes(fetched.file()));
        assertEquals("\"v1\"", fetched.etag());
        assertEquals(export.length, fetched.size());
        assertTrue(fetched.file().getFileName().toString().endsWith("-" + NAME), fetched.file().toString());
        assertEquals(ExportDownload.display(url) + "|\"v1\"|" + export.length, fetched.fingerprint());
        ExportCache.Entry entry = cache.entry(fetched.file()).orElseThrow();
        assertEquals(ExportServer.LAST_MODIFIED, entry.lastModified());
        assertFalse(Files.exists(cache.part(url)));
        RecordedRequest request = take();
        assertEquals("sync-products/test", request.getHeader("User-Agent"));
        assertNull(request.getHeader("If-None-Match"));
    }

    @Test
    void unchangedExportCostsOneConditionalRequestAndKeepsItsFingerprint() throws Exception {
        ExportDownload.Fetched first = download(1).fetch(url, Checksum.NONE);
        take();

        ExportDownload.Fetched second = download(1).fetch(url, Checksum.NONE);

        assertFalse(second.changed());
        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(first.file(), second.file());
        RecordedRequest conditional = take();
        assertEquals("\"v1\"", conditional.getHeader("If-None-Match"));
        assertEquals(ExportServer.LAST_MODIFIED, conditional.getHeader("If-Modified-Since"));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void newVersionIsDownloadedAgainAndChangesTheFingerprint() throws Exception {
        ExportDownload.Fetched first = download(1).fetch(url, Checksum.NONE);
        byte[] newer = randomBytes(1_000);
        files.body = newer;
        files.etag = "\"v2\"";

        ExportDownload.Fetched second = download(1).fetch(url, Checksum.NONE);

        assertTrue(second.changed());
        assertArrayEquals(newer, Files.readAllBytes(second.file()));
        assertFalse(first.fingerprint().equals(second.fingerprint()));
    }

    @Test
    void killedDownloadResumesWithRangeOnTheNextRunByteForByte() throws Exception {
        files.cutsLeft.set(1);

        SyncProductsException failed = assertThrows(SyncProductsException.class,
                () -> download(1).fetch(url, Checksum.NONE));

        assertEquals(ExitCode.UNAVAILABLE, failed.exitCode());
        assertTrue(failed.getMessage().contains("the next run resumes"), failed.getMessage());
        long kept = Files.size(cache.part(url));
        assertTrue(kept > 0 && kept < export.length, "part of " + kept + " bytes");
        assertFalse(Files.exists(cache.file(url)), "a partial download is never in place");
        take();

        ExportDownload.Fetched fetched = download(1).fetch(url, Checksum.NONE);

        RecordedRequest resumed = take();
        assertEquals("bytes=" + kept + "-", resumed.getHeader("Range"));
        assertEquals("\"v1\"", resumed.getHeader("If-Range"));
        assertArrayEquals(export, Files.readAllBytes(fetched.file()));
        assertTrue(fetched.changed());
    }

    @Test
    void cutConnectionIsResumedWithinTheRunByItsRetries() throws Exception {
        files.cutsLeft.set(2);

        ExportDownload.Fetched fetched = download(3).fetch(url, Checksum.NONE);

        assertArrayEquals(export, Files.readAllBytes(fetched.file()));
        assertNull(take().getHeader("Range"));
        assertNotNull(take().getHeader("Range"));
        assertNotNull(take().getHeader("Range"));
    }

    @Test
    void serverIgnoringRangeRestartsFromTheStart() throws Exception {
        files.cutsLeft.set(1);
        assertThrows(SyncProductsException.class, () -> download(1).fetch(url, Checksum.NONE));
        files.ignoresRanges = true;

        ExportDownload.Fetched fetched = download(1).fetch(url, Checksum.NONE);

        assertArrayEquals(export, Files.readAllBytes(fetched.file()));
        take();
        assertNotNull(take().getHeader("Range"), "it asked for the rest and was sent the whole file");
    }

    @Test
    void partThatChangedOnTheServerIsDownloadedAnew() throws Exception {
        files.cutsLeft.set(1);
        assertThrows(SyncProductsException.class, () -> download(1).fetch(url, Checksum.NONE));
        byte[] newer = randomBytes(5_000);
        files.body = newer;
        files.etag = "\"v2\"";

        ExportDownload.Fetched fetched = download(1).fetch(url, Checksum.NONE);

        assertArrayEquals(newer, Files.readAllBytes(fetched.file()));
        assertEquals("\"v2\"", fetched.etag());
    }

    @Test
    void partAlreadyWholeIsCompletedOnA416() throws Exception {
        Files.createDirectories(cache.directory());
        Files.write(cache.part(url), export);
        cache.writeEntry(cache.part(url), new ExportCache.Entry(url.toString(), "\"v1\"", null, export.length, null,
                Instant.now()));

        ExportDownload.Fetched fetched = download(1).fetch(url, Checksum.NONE);

        assertEquals("bytes=" + export.length + "-", take().getHeader("Range"));
        assertArrayEquals(export, Files.readAllBytes(fetched.file()));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void truncatedBodyIsRefusedAndNeverUsed() {
        files.truncates = true;

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> download(2).fetch(url, Checksum.NONE));

        assertEquals(ExitCode.UNAVAILABLE, refused.exitCode());
        assertTrue(refused.getMessage().contains("cannot download"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        assertFalse(Files.exists(cache.file(url)));
    }

    @Test
    void configuredChecksumIsVerified() throws Exception {
        String sha256 = sha256(export);

        ExportDownload.Fetched fetched = download(1).fetch(url, new Checksum(sha256.toUpperCase(), null));

        assertEquals(sha256, fetched.sha256());
        assertEquals(sha256, cache.entry(fetched.file()).orElseThrow().sha256());
    }

    @Test
    void checksumMismatchIsRefusedAndTheDownloadDiscarded() {
        String wrong = "0".repeat(64);

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> download(1).fetch(url, new Checksum(wrong, null)));

        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
        assertTrue(refused.getMessage().contains(wrong), refused.getMessage());
        assertFalse(Files.exists(cache.file(url)));
        assertFalse(Files.exists(cache.part(url)));
    }

    @Test
    void publishedChecksumIsFetchedAndChecked() throws Exception {
        files.checksumFile = sha256(export) + "  " + NAME + "\n";
        HttpUrl checksumUrl = server.url("/data/" + NAME + ".sha256sum");

        ExportDownload.Fetched fetched = download(1).fetch(url, new Checksum(null, checksumUrl));

        assertEquals(sha256(export), fetched.sha256());
        files.checksumFile = "f".repeat(64) + "  " + NAME + "\n";
        files.etag = "\"v2\"";
        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> download(1).fetch(url, new Checksum(null, checksumUrl)));
        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
        assertArrayEquals(export, Files.readAllBytes(cache.file(url)), "the verified copy stays");
    }

    @Test
    void cachedCopyIsCheckedWhenTheConfiguredChecksumChanges() throws Exception {
        download(1).fetch(url, Checksum.NONE);

        SyncProductsException refused = assertThrows(SyncProductsException.class,
                () -> download(1).fetch(url, new Checksum("1".repeat(64), null)));

        assertEquals(ExitCode.DATA_ERROR, refused.exitCode());
        assertEquals(sha256(export), download(1).fetch(url, new Checksum(sha256(export), null)).sha256());
    }

    @Test
    void stopRequestKeepsThePartForTheNextRun() throws Exception {
        AtomicLong polls = new AtomicLong();
        HttpSettings settings = new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ZERO, 1 << 20,
                3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(1));
        ExportDownload stopping = new ExportDownload(cache, new SourceHttpClient("export", SHARED, settings,
                "sync-products/test", Clock.systemUTC()), DownloadListener.NONE, () -> polls.incrementAndGet() > 2,
                Clock.systemUTC());

        assertThrows(ExportDownload.Stopped.class, () -> stopping.fetch(url, Checksum.NONE));

        assertEquals(1, server.getRequestCount(), "a stop is not retried");
        assertTrue(Files.size(cache.part(url)) > 0);
        assertArrayEquals(export, Files.readAllBytes(download(1).fetch(url, Checksum.NONE).file()));
    }

    @Test
    void publishedChecksumFormats() {
        String digest = "a".repeat(64);
        assertEquals(digest, Checksum.published(digest + "  " + NAME + "\n", NAME));
        assertEquals(digest, Checksum.published(digest + " *" + NAME, NAME));
        assertEquals(digest, Checksum.published(digest.toUpperCase(), NAME));
        assertEquals(digest, Checksum.published("b".repeat(64) + "  other.csv.gz\n" + digest + "  ./data/" + NAME, NAME));
        assertNull(Checksum.published("b".repeat(64) + "  other.csv.gz\n" + "c".repeat(64) + "  third.gz", NAME));
        assertNull(Checksum.published("<html>not found</html>", NAME));
    }

    private static String sha256(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("export", ".bin");
        try {
            Files.write(file, bytes);
            return Checksum.sha256Of(file);
        } finally {
            Files.delete(file);
        }
    }
}
