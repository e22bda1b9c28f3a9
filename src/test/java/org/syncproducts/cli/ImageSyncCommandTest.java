package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import org.syncproducts.config.AppConfig;
import org.syncproducts.config.ConfigLoader;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.source.SourceTypes;
import org.syncproducts.store.Database;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;
import org.syncproducts.sync.CancellationToken;
import org.syncproducts.sync.ProgressListener;
import org.syncproducts.sync.SyncRun;

/** {@code sync --images} against a local image server and a real PostgreSQL. */
class ImageSyncCommandTest {
    /** The first bytes of a PNG file and some more: content, not validity, is what is stored. */
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;
    private MockWebServer server;
    /** Stopped (as by SIGTERM) when the image server is first asked for an image, if set. */
    private volatile CancellationToken stopOnImageRequest;

    @BeforeEach
    void setUp() throws IOException {
        database = TestDatabase.create();
        cli = Cli.against(database);
        server = TestHttpServer.create();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (stopOnImageRequest != null) {
                    stopOnImageRequest.cancel(ExitCode.SIGTERM, "SIGTERM");
                }
                return switch (request.getRequestUrl().encodedPath()) {
                    case "/img/front.png", "/img/same-bytes.png" -> new MockResponse()
                            .setHeader("Content-Type", "image/png").setBody(new Buffer().write(PNG));
                    case "/img/page" -> new MockResponse().setHeader("Content-Type", "text/html")
                            .setBody("<html>not an image</html>");
                    case "/img/huge.jpg" -> new MockResponse().setHeader("Content-Type", "image/jpeg")
                            .setBody(new Buffer().write(new byte[5_000]));
                    default -> new MockResponse().setResponseCode(404);
                };
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        server.shutdown();
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("200000%06d", number));
    }

    private static String canonical(int number) {
        return "0" + code(number);
    }

    private Path feed() throws IOException {
        return Files.writeString(dir.resolve("feed.csv"), String.join("\n",
                "code,name,image_url",
                code(1) + ",With image," + server.url("/img/front.png"),
                code(2) + ",Same picture," + server.url("/img/same-bytes.png"),
                code(3) + ",HTML instead," + server.url("/img/page"),
                code(4) + ",Too big," + server.url("/img/huge.jpg"),
                code(5) + ",No image,",
                ""));
    }

    private Path config() throws IOException {
        return config(true);
    }

    /** The test servers are on 127.0.0.1, so fetching from them needs images_allow_private_hosts. */
    private Path config(boolean allowPrivateHosts) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                sync:
                  images_dir: images
                  images_public_url: https://cdn.example.org/products
                  image_max_bytes: 2048
                  images_per_minute: 600000
                  images_concurrency: 5
                  images_allow_private_hosts: %s
                """.formatted(allowPrivateHosts));
    }

    private Map<String, Object> imageRow(String code) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT status, path, sha256, size_bytes, content_type, public_url, error FROM product_images "
                                + "WHERE code = :code")
                .bind("code", code).mapToMap().one());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void frontImagesAreStoredByContentOnceAndFailuresRecorded() throws Exception {
        Path config = config();
        Cli.Result result = cli.run("--config", config.toString(), "sync", "--from", feed().toString(), "--images");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("images: 1 stored, 1 already in the store, 2 failed"), result.out());

        String sha = sha256(PNG);
        String path = sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha + ".png";
        Map<String, Object> first = imageRow(canonical(1));
        assertEquals("stored", first.get("status"));
        assertEquals(path, first.get("path"));
        assertEquals(sha, first.get("sha256"));
        assertEquals((long) PNG.length, first.get("size_bytes"));
        assertEquals("https://cdn.example.org/products/" + path, first.get("public_url"));
        assertArrayEquals(PNG, Files.readAllBytes(dir.resolve("images").resolve(path)));
        assertEquals(path, imageRow(canonical(2)).get("path"), "the same bytes are one file");

        Map<String, Object> html = imageRow(canonical(3));
        assertEquals("failed", html.get("status"));
        assertTrue(((String) html.get("error")).contains("content type 'text/html'"), html.toString());
        Map<String, Object> huge = imageRow(canonical(4));
        assertEquals("failed", huge.get("status"));
        assertTrue(((String) huge.get("error")).contains("2048"), huge.toString());
        assertEquals(4, database.count("SELECT count(*) FROM product_images"));
        Cli.Result job = cli.run("jobs", "show", "1");
        assertTrue(job.out().contains("images: 1 stored, 1 already in the store, 2 failed"), "jobs show has the "
                + "images phase's counts and time\n" + job.out());
        JsonNode jobImages = new ObjectMapper().readTree(cli.run("--json", "jobs", "show", "1").out()).path("images");
        assertEquals(2, jobImages.path("failed").asInt(), jobImages.toString());
        assertTrue(jobImages.path("duration_ms").isNumber(), jobImages.toString());

        int requestsBefore = server.getRequestCount();
        Cli.Result again = cli.run("--config", config.toString(), "sync", "--from", feed().toString(), "--images");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(requestsBefore + 2, server.getRequestCount(), "stored images are not downloaded again; failed ones are");
        assertTrue(again.out().contains("images: 0 stored, 0 already in the store, 2 failed"), again.out());
    }

    @Test
    void aStopDuringTheImagesPhaseEndsTheRunAsStoppedWithTheJobCompleted() throws Exception {
        AppConfig config = new ConfigLoader(Map.of(), SourceTypes.builtIn())
                .load(new ConfigLoader.Overrides(config(), database.url(), null));
        CancellationToken stop = new CancellationToken();
        stopOnImageRequest = stop;
        SyncRun.Options options = new SyncRun.Options(false, feed(), null, null, List.of(), null, 0, null, List.of(),
                false, 0, null, null, false, null, null, false, null, true, true, false, null, null, null, null, false);
        SyncRun.Outcome outcome;
        try (Database opened = Database.open(config.database())) {
            opened.migrate();
            outcome = new SyncRun(config, options, new SharedHttpClient(), Map.of(), "test-host", "sync-products/test")
                    .run(opened, stop, ProgressListener.NONE);
        }
        assertTrue(stop.isCancelled(), "the image server asked for the stop");
        assertEquals(ExitCode.SIGTERM, outcome.exitCode(), "a stop in the images phase is not a clean exit 0");
        SyncRun.Ran ran = (SyncRun.Ran) outcome;
        assertEquals("completed", ran.result().status(), "the products were all written: the job completed");
        assertTrue(ran.result().message().contains("images stopped by SIGTERM"), ran.result().message());
    }

    @Test
    void imagesOnLoopbackOrPrivateAddressesAreRefusedUnlessAllowed() throws Exception {
        Cli.Result result = cli.run("--config", config(false).toString(), "sync", "--from", feed().toString(),
                "--images");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("images: 0 stored, 0 already in the store, 4 failed"), result.out());
        String error = (String) imageRow(canonical(1)).get("error");
        assertTrue(error.startsWith("refused: ") && error.contains("non-public address 127.0.0.1")
                && error.contains("sync.images_allow_private_hosts"), error);
        assertEquals(0, server.getRequestCount(), "nothing is fetched from a private address");
    }

    @Test
    void anUnreachableHostTripsItsBreakerAndItsOtherImagesAreSkipped() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StringBuilder feed = new StringBuilder("code,name,image_url\n");
        for (int i = 1; i <= 15; i++) {
            feed.append(code(100 + i)).append(",Unreachable ").append(i).append(",http://127.0.0.1:").append(closedPort)
                    .append("/img/").append(i).append(".png\n");
        }
        Path file = Files.writeString(dir.resolve("unreachable.csv"), feed);
        Cli.Result result = cli.run("--config", config().toString(), "sync", "--from", file.toString(), "--images",
                "--json");
        assertEquals(0, result.exitCode(), "an unreachable image host never fails the sync: " + result);
        JsonNode tally = new ObjectMapper().readTree(result.out()).get("images");
        long failed = tally.get("failed").asLong();
        long skipped = tally.get("skipped").asLong();
        assertTrue(failed >= 5 && failed < 15, "the breaker opens after 5 failures: " + tally);
        assertEquals(15, failed + skipped, tally.toString());
        assertEquals(failed, database.count("SELECT count(*) FROM product_images WHERE status = 'failed'"),
                "skipped images are left pending for the next run");
        assertEquals(skipped, database.count("SELECT (images->>'skipped')::bigint FROM jobs"),
                "the job row has the images counts");
    }

    @Test
    void limitBoundsTheImagesPhaseAndTheRestIsLeftForTheNextRun() throws Exception {
        Path config = config();
        assertEquals(0, cli.run("--config", config.toString(), "sync", "--from", feed().toString()).exitCode());
        Cli.Result result = cli.run("--config", config.toString(), "sync", "--from", feed().toString(), "--images",
                "--limit", "1");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("images: 1 stored, 0 already in the store, 0 failed"), result.out());
        assertTrue(result.out().contains("3 left for the next run"), result.out());
        assertEquals(1, database.count("SELECT count(*) FROM product_images"));
    }
}
