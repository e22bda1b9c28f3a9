package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;
import org.syncproducts.support.TestS3Server;
import org.syncproducts.support.ThrottlingProxy;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code sync --images} and {@code verify --images} with an S3 bucket on a real S3-compatible server. */
class S3ImageSyncTest {
    private static final String BUCKET = "product-images";
    private static final byte[] RED = image("red");
    private static final byte[] BLUE = image("blue");

    @TempDir
    Path dir;

    private TestDatabase database;
    private MockWebServer images;
    private TestS3Server s3;

    @BeforeEach
    void setUp() throws IOException {
        database = TestDatabase.create();
        s3 = TestS3Server.start();
        images = TestHttpServer.create();
        images.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return switch (request.getRequestUrl().encodedPath()) {
                    case "/red.png", "/red-again.png" -> png(RED);
                    case "/blue.png" -> png(BLUE);
                    default -> new MockResponse().setResponseCode(404);
                };
            }
        });
        images.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        images.shutdown();
        s3.close();
    }

    private static byte[] image(String name) {
        byte[] bytes = new byte[2_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (name.charAt(i % name.length()) + i);
        }
        return bytes;
    }

    private static MockResponse png(byte[] bytes) {
        return new MockResponse().setHeader("Content-Type", "image/png").setBody(new Buffer().write(bytes));
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("300000%06d", number));
    }

    private Path feed() throws IOException {
        return Files.writeString(dir.resolve("feed.csv"), String.join("\n",
                "code,name,image_url",
                code(1) + ",Red," + images.url("/red.png"),
                code(2) + ",Red again," + images.url("/red-again.png"),
                code(3) + ",Blue," + images.url("/blue.png"),
                code(4) + ",Gone," + images.url("/missing.png"),
                ""));
    }

    private Path config(String store) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                sync:
                  images_store: %s
                  images_per_minute: 600000
                  images_concurrency: 3
                  images_allow_private_hosts: true
                """.formatted(store));
    }

    private Cli cli() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("DATABASE_URL", database.url());
        env.put("CLOUDFRONT_DOMAIN", "d111.cloudfront.example");
        return new Cli(env);
    }

    private Cli.Result sync(Cli cli, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--config", config("s3://" + BUCKET + "/products").toString(),
                "sync", "--from", feed().toString(), "--images"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private static String key(byte[] bytes) {
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "products/" + sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha + ".png";
    }

    private Map<String, Instant> objects() {
        Map<String, Instant> objects = new HashMap<>();
        for (S3Object object : s3.client().listObjectsV2Paginator(request -> request.bucket(BUCKET)).contents()) {
            if (!object.key().endsWith("/")) { // the filesystem backend lists its directories too
                objects.put(object.key(), object.lastModified());
            }
        }
        return objects;
    }

    @Test
    void imagesAreUploadedOnceByContentWithTypeCacheControlAndCdnUrl() throws Exception {
        s3.createBucket(BUCKET);
        Cli cli = cli();
        Cli.Result first = sync(cli, "--json");
        assertEquals(ExitCode.OK, first.exitCode(), first::toString);
        JsonNode tally = new ObjectMapper().readTree(first.out()).get("images");
        assertEquals(2, tally.get("stored").asLong(), first.out());
        assertEquals(1, tally.get("already_stored").asLong(), "the same bytes from another URL are one object");
        assertEquals(1, tally.get("failed").asLong(), first.out());

        assertEquals(Map.of(key(RED), 1, key(BLUE), 1).keySet(), objects().keySet());
        HeadObjectResponse head = s3.client().headObject(request -> request.bucket(BUCKET).key(key(RED)));
        assertEquals("image/png", head.contentType());
        assertTrue(head.cacheControl().contains("max-age=31536000"), head.cacheControl());
        assertArrayEquals(RED, s3.client().getObjectAsBytes(request -> request.bucket(BUCKET).key(key(RED))).asByteArray());
        assertEquals("https://d111.cloudfront.example/" + key(RED), database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT public_url FROM product_images WHERE code = :code")
                .bind("code", "0" + code(1)).mapTo(String.class).one()));
        String jobImagesJson = database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT images::text FROM jobs ORDER BY id DESC LIMIT 1").mapTo(String.class).one());
        JsonNode jobImages = new ObjectMapper().readTree(jobImagesJson);
        assertEquals(2, jobImages.get("stored").asLong(), "the job row has the images counts");
        assertTrue(jobImages.has("duration_ms"), jobImages.toString());

        Map<String, Instant> uploaded = objects();
        int requests = images.getRequestCount();
        Cli.Result again = sync(cli);
        assertEquals(ExitCode.OK, again.exitCode(), again::toString);
        assertTrue(again.out().contains("images: 0 stored, 0 already in the store, 1 failed"), again.out());
        assertEquals(requests + 1, images.getRequestCount(), "only the failed image is fetched again");
        assertEquals(uploaded, objects(), "a rerun uploads nothing");

        database.jdbi().useHandle(handle -> handle.execute("DELETE FROM product_images"));
        Cli.Result forgotten = sync(cli);
        assertTrue(forgotten.out().contains("images: 0 stored, 3 already in the store"), forgotten.out());
        assertEquals(uploaded, objects(), "objects already in the bucket are found by key, not uploaded again");
    }

    @Test
    void aMissingBucketIsOneLineAndExit78BeforeAnyWork() throws IOException {
        Cli.Result result = sync(cli());
        assertEquals(ExitCode.CONFIG, result.exitCode(), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("s3://" + BUCKET + "/products/") && result.err().contains("does not exist"),
                result.err());
        assertEquals(0, database.count("SELECT count(*) FROM jobs"), "no job was started");
        assertEquals(0, images.getRequestCount());
    }

    @Test
    void wrongCredentialsAreOneLineAndExit78WithoutTheSecret() throws IOException {
        s3.createBucket(BUCKET);
        Cli cli = cli().withEnv("AWS_SECRET_ACCESS_KEY", "wrong-secret-value");
        Cli.Result result = sync(cli);
        assertEquals(ExitCode.CONFIG, result.exitCode(), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("refused the credentials"), result.err());
        assertFalse(result.toString().contains("wrong-secret-value"), "the secret is never printed");
        assertFalse(result.toString().contains(TestS3Server.SECRET_KEY));
    }

    @Test
    void verifyImagesFindsAnObjectGoneAndTheCommandItNamesFetchesItAgain() throws Exception {
        s3.createBucket(BUCKET);
        Cli cli = cli();
        assertEquals(ExitCode.OK, sync(cli).exitCode());
        String config = dir.resolve("config.yaml").toString();
        Cli.Result clean = cli.run("--config", config, "verify", "--images");
        assertTrue(clean.out().contains("all 3 sampled images are in s3://" + BUCKET + "/products/"), clean.out());

        s3.client().deleteObject(request -> request.bucket(BUCKET).key(key(BLUE)));
        Cli.Result dirty = cli.run("--config", config, "verify", "--images");
        assertEquals(ExitCode.FAILURE, dirty.exitCode(), dirty::toString);
        String fix = "sync-products sync --images --upcs 0" + code(3);
        assertTrue(dirty.out().contains("1 of 3 sampled images are missing") && dirty.out().contains(fix), dirty.out());

        Cli.Result refetch = cli.run("--config", config, "sync", "--from", feed().toString(), "--images", "--upcs",
                "0" + code(3));
        assertTrue(refetch.out().contains("images: 1 stored"), refetch.out());
        assertTrue(objects().containsKey(key(BLUE)));
        assertEquals(ExitCode.OK, cli.run("--config", config, "verify", "--images").exitCode());
    }

    @Test
    void anUploadCutShortByKillNineIsUploadedWholeByTheRerun() throws Exception {
        s3.createBucket(BUCKET);
        int count = 12;
        Map<String, byte[]> served = new HashMap<>();
        StringBuilder feed = new StringBuilder("code,name,image_url\n");
        for (int i = 1; i <= count; i++) {
            byte[] bytes = new byte[200_000];
            new Random(i).nextBytes(bytes);
            served.put("/big/" + i + ".png", bytes);
            feed.append(code(100 + i)).append(",Big ").append(i).append(',').append(images.url("/big/" + i + ".png"))
                    .append('\n');
        }
        images.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                byte[] bytes = served.get(request.getRequestUrl().encodedPath());
                return bytes == null ? new MockResponse().setResponseCode(404) : png(bytes);
            }
        });
        Path file = Files.writeString(dir.resolve("big.csv"), feed);
        Path config = config("s3://" + BUCKET + "/products");
        Path log = dir.resolve("child.log");
        try (ThrottlingProxy slow = ThrottlingProxy.start(
                s3.endpoint(), 100_000)) {
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(javaCommand, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--config", config.toString(), "--db-url", database.url(),
                    "--no-progress", "sync", "--from", file.toString(), "--images")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("AWS_") || key.equals("DATABASE_URL"));
            builder.environment().putAll(s3.env());
            builder.environment().put("AWS_ENDPOINT_URL", slow.uri().toString());
            Process child = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!uploadsInFlight(child) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the child ended before it was killed: " + Files.readString(log));
            Thread.sleep(500); // the next uploads are under way at 100 KB/s: 2 s for each image
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        long storedBeforeRerun = database.count("SELECT count(*) FROM product_images WHERE status = 'stored'");
        assertTrue(storedBeforeRerun < count, "the child finished before it was killed; nothing was tested");

        Cli.Result rerun = cli().run("--config", config.toString(), "sync", "--from", file.toString(), "--images");
        assertEquals(ExitCode.OK, rerun.exitCode(), rerun::toString);
        assertEquals(count, database.count("SELECT count(*) FROM product_images WHERE status = 'stored'"));
        Map<String, byte[]> expected = new HashMap<>();
        served.values().forEach(bytes -> expected.put(key(bytes), bytes));
        assertEquals(expected.keySet(), objects().keySet(), "one whole object per image, nothing else");
        for (Map.Entry<String, byte[]> object : expected.entrySet()) {
            assertArrayEquals(object.getValue(), s3.client().getObjectAsBytes(request -> request.bucket(BUCKET)
                    .key(object.getKey())).asByteArray(), object.getKey());
        }
    }

    /** Whether the child has stored its first image (so the next uploads are running). */
    private boolean uploadsInFlight(Process child) {
        if (!child.isAlive()) {
            return true;
        }
        boolean migrated = database.count("SELECT count(*) FROM pg_tables WHERE tablename = 'product_images'") > 0;
        return migrated && database.count("SELECT count(*) FROM product_images WHERE status = 'stored'") >= 1;
    }
}
