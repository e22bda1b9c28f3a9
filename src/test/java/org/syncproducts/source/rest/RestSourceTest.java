package org.syncproducts.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.Main;
import org.syncproducts.support.Cli;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code type: rest} against a local fake API, CLI to database. */
class RestSourceTest {
    private static final Instant MONDAY = Instant.parse("2026-11-30T08:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private TestDatabase database;
    private Cli cli;
    private MockWebServer server;
    private FakeFeed feed;

    @BeforeEach
    void setUp() throws IOException {
        database = TestDatabase.create();
        cli = Cli.against(database).withEnv("FEED_TOKEN", "s3cret-token").withEnv("FEED_PASSWORD", "pa55")
                .withEnv("FEED_KEY", "k3y");
        feed = new FakeFeed();
        server = TestHttpServer.create();
        server.setDispatcher(feed);
        server.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        feed.open();
        server.shutdown();
    }

    private Path config(String options) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  feed:
                    type: rest
                    url: %s
                    records_path: data.items
                    mapping:
                      code: gtin
                      name: title
                      brands: manufacturer.name
                      image_url: images[0].url
                      categories: tags
                    updated_at: updated_at
                    updated_since_param: updated_since
                    requests_per_minute: 600000
                    attempts: 2
                    backoff: 5ms
                    max_backoff: 10ms
                %s""".formatted(server.url("/products"), options.indent(4)));
    }

    private Cli.Result sync(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "sync"));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    private long count(String sql) {
        return database.count(sql);
    }

    private String text(String sql) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    @Test
    void pageNumbersWithABearerTokenMapDottedPaths() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(5, MONDAY).requireHeader("Authorization", "Bearer s3cret-token");
        Cli.Result result = sync(config("""
                auth: {type: bearer, token_env: FEED_TOKEN}
                pagination: {type: page, page_param: page, size_param: per_page, page_size: 2}"""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(5, count("SELECT count(*) FROM products WHERE source = 'feed'"));
        Map<String, Object> product = database.jdbi().withHandle(handle -> handle.createQuery(
                "SELECT name, brands, image_url, categories::text AS categories, source_modified_at::text AS modified"
                        + " FROM products WHERE code = :code").bind("code", FakeFeed.canonical(3)).mapToMap().one());
        assertEquals("Product 3", product.get("name"));
        assertEquals("Maker 3", product.get("brands"));
        assertEquals("https://img.example.com/3.jpg", product.get("image_url"));
        assertEquals("{en:snacks,en:test}", product.get("categories"));
        assertEquals(3, feed.requests().size(), "pages 1, 2 and the short page 3");
        assertEquals("2", feed.requests().get(1).queryParameter("page"));
        assertEquals("2", feed.requests().get(1).queryParameter("per_page"));
        assertSecretsNotStored("s3cret-token");
    }

    @Test
    void offsetAndLimitWithBasicAuth() throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString("shop:pa55".getBytes(StandardCharsets.UTF_8));
        feed.style(FakeFeed.Style.OFFSET, 3).records(7, MONDAY).requireHeader("Authorization", basic);
        Cli.Result result = sync(config("""
                auth: {type: basic, username: shop, password_env: FEED_PASSWORD}
                pagination: {type: offset, offset_param: offset, limit_param: limit, page_size: 3}"""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(7, count("SELECT count(*) FROM products"));
        assertEquals(List.of("0", "3", "6"), feed.requests().stream().map(url -> url.queryParameter("offset")).toList());
        assertSecretsNotStored("pa55");
    }

    @Test
    void cursorFromTheBodyWithAnApiKeyHeader() throws IOException {
        feed.style(FakeFeed.Style.CURSOR, 2).records(5, MONDAY).requireHeader("X-Api-Key", "k3y");
        Cli.Result result = sync(config("""
                auth: {type: api_key, key_env: FEED_KEY, header: X-Api-Key}
                pagination: {type: cursor, cursor_param: cursor, cursor_path: meta.next_cursor}"""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(5, count("SELECT count(*) FROM products"));
        assertEquals(3, feed.requests().size());
        assertEquals("4", feed.requests().get(2).queryParameter("cursor"));
        assertSecretsNotStored("k3y");
    }

    @Test
    void nextUrlFromTheBodyWithAnApiKeyQueryParameter() throws IOException {
        feed.style(FakeFeed.Style.NEXT_URL, 2).records(5, MONDAY).requireParam("api_key", "k3y");
        Cli.Result result = sync(config("""
                auth: {type: api_key, key_env: FEED_KEY, query_param: api_key}
                pagination: {type: next_url, next_url_path: links.next}"""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(5, count("SELECT count(*) FROM products"));
        assertEquals(3, feed.requests().size());
        assertEquals("k3y", feed.requests().get(2).queryParameter("api_key"), "the key goes with the feed's own links too");
        assertSecretsNotStored("k3y");
    }

    @Test
    void aLinkHeaderIsFollowedWithoutAnySetting() throws IOException {
        feed.style(FakeFeed.Style.LINK, 2).records(5, MONDAY);
        Cli.Result result = sync(config(""));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(5, count("SELECT count(*) FROM products"));
        assertEquals(3, feed.requests().size());
        assertEquals("3", feed.requests().get(2).queryParameter("page"));
    }

    @Test
    void postSendsTheParametersAsAJsonBody() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(2, MONDAY);
        Cli.Result result = sync(config("method: POST\nparams: {country: fr}"));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, count("SELECT count(*) FROM products"));
        assertEquals("{\"country\":\"fr\"}", feed.bodies().get(0));
        assertNull(feed.requests().get(0).queryParameter("country"));
    }

    @Test
    void refusedCredentialsAreAConfigurationErrorOnOneLine() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(3, MONDAY).requireHeader("Authorization", "Bearer other");
        Path config = config("""
                auth: {type: bearer, token_env: FEED_TOKEN}
                pagination: {type: page}""");
        Cli.Result unauthorized = sync(config);
        assertEquals(ExitCode.CONFIG, unauthorized.exitCode(), unauthorized.toString());
        assertEquals(1, unauthorized.err().strip().lines().count(), unauthorized.err());
        assertTrue(unauthorized.err().contains("HTTP 401") && unauthorized.err().contains("FEED_TOKEN"),
                unauthorized.err());
        assertFalse(unauthorized.err().contains("s3cret-token"));

        feed.override(2, new MockResponse().setResponseCode(403).setBody("{}"));
        Cli.Result forbidden = sync(config);
        assertEquals(ExitCode.CONFIG, forbidden.exitCode(), forbidden.toString());
        assertTrue(forbidden.err().contains("HTTP 403"), forbidden.err());
        assertEquals(0, count("SELECT count(*) FROM products"));
    }

    @Test
    void aMissingSecretVariableIsAConfigurationError() throws IOException {
        feed.records(1, MONDAY);
        Cli.Result result = sync(config("auth: {type: bearer, token_env: NOT_SET_ANYWHERE}"));
        assertEquals(ExitCode.CONFIG, result.exitCode(), result.toString());
        assertTrue(result.err().contains("NOT_SET_ANYWHERE"), result.err());
    }

    @Test
    void aSecretInTheFileIsRefused() throws IOException {
        Cli.Result result = sync(config("auth: {type: bearer, token: abc}"));
        assertEquals(ExitCode.CONFIG, result.exitCode(), result.toString());
        assertTrue(result.err().contains("environment only"), result.err());
    }

    @Test
    void unknownKeysAreRefused() throws IOException {
        Cli.Result result = sync(config("records_paht: data"));
        assertEquals(ExitCode.CONFIG, result.exitCode(), result.toString());
        assertTrue(result.err().contains("sources.feed.records_paht: unknown key"), result.err());
    }

    @Test
    void tooManyRequestsIsWaitedOutAsRetryAfterAsks() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(3, MONDAY)
                .override(2, new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
        Cli.Result result = sync(config("pagination: {type: page, page_size: 2}"));
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(3, count("SELECT count(*) FROM products"));
        assertEquals(3, feed.requests().size(), "page 1, page 2 refused with 429, page 2 again");
        assertEquals("2", feed.requests().get(2).queryParameter("page"));
    }

    @Test
    void aMalformedFirstPageWritesNothingAndALaterOneFailsTheJob() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(5, MONDAY)
                .override(1, new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>maintenance"));
        Path config = config("pagination: {type: page, page_size: 2}");
        Cli.Result first = sync(config);
        assertEquals(ExitCode.DATA_ERROR, first.exitCode(), first.toString());
        assertEquals(0, count("SELECT count(*) FROM products"));

        feed.override(3, new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"data\": {\"items\": 7}}"));
        Cli.Result later = sync(config, "--batch-size", "2");
        assertEquals(ExitCode.FAILURE, later.exitCode(), later.toString());
        assertTrue(later.err().contains("no array of records at records_path 'data.items'"), later.err());
        assertEquals(2, count("SELECT count(*) FROM products"), "the page before the bad one is kept");
        assertEquals("failed", text("SELECT status FROM jobs ORDER BY id DESC LIMIT 1"));
    }

    @Test
    void aRepeatedPageStopsTheReadInsteadOfLooping() throws IOException {
        feed.style(FakeFeed.Style.CURSOR, 2).records(6, MONDAY);
        Path config = config("pagination: {type: cursor, cursor_path: meta.next_cursor}");
        feed.override(2, cursorPage(FakeFeed.code(3), "2"));
        Cli.Result result = sync(config);
        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("pagination loop"), result.err());
        assertEquals(2, feed.requests().size(), "cursor 2 is asked once, not forever");
    }

    @Test
    void aPageNumberTheServerIgnoresIsCaughtByItsRepeatedRecords() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(4, MONDAY);
        String samePage = "{\"data\": {\"items\": [{\"gtin\": \"" + FakeFeed.code(1) + "\"}, {\"gtin\": \""
                + FakeFeed.code(2) + "\"}]}}";
        for (int i = 1; i <= 5; i++) {
            feed.override(i, new MockResponse().setHeader("Content-Type", "application/json").setBody(samePage));
        }
        Cli.Result result = sync(config("pagination: {type: page, page_size: 2}"));
        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        assertTrue(result.err().contains("previous page again"), result.err());
        assertEquals(2, feed.requests().size());
    }

    private static MockResponse cursorPage(String code, String nextCursor) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(
                "{\"data\": {\"items\": [{\"gtin\": \"" + code + "\"}]}, \"meta\": {\"next_cursor\": \"" + nextCursor + "\"}}");
    }

    @Test
    void incrementalRunsSendTheWatermarkInclusiveAndApplyChangedRecords() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(4, MONDAY);
        Path config = config("pagination: {type: page, page_size: 2}");
        assertEquals(0, sync(config).exitCode());
        assertNull(feed.requests().get(0).queryParameter("updated_since"), "a first run reads everything");
        assertTrue(text("SELECT state::text FROM source_state WHERE source = 'feed'").contains(MONDAY.toString()));

        feed.put(2, "Product 2, new recipe", TUESDAY).put(5, "Product 5", MONDAY);
        int before = feed.requests().size();
        Cli.Result second = sync(config, "--json");
        assertEquals(0, second.exitCode(), second.toString());
        HttpUrl asked = feed.requests().get(before);
        assertEquals(MONDAY.toString(), asked.queryParameter("updated_since"),
                "inclusive: records sharing the watermark's time are asked for again, not lost");
        assertEquals("Product 2, new recipe", text("SELECT name FROM products WHERE code = '" + FakeFeed.canonical(2) + "'"),
                "an incremental run applies a changed record, not only missing ones");
        assertEquals(5, count("SELECT count(*) FROM products"), "the record with the boundary time was not lost");
        assertEquals(1, count("SELECT updated_count FROM jobs ORDER BY id DESC LIMIT 1"));
        assertEquals(1, count("SELECT added_count FROM jobs ORDER BY id DESC LIMIT 1"));

        int third = feed.requests().size();
        assertEquals(0, sync(config).exitCode());
        assertEquals(TUESDAY.toString(), feed.requests().get(third).queryParameter("updated_since"));
        assertEquals(0, count("SELECT added_count + updated_count FROM jobs ORDER BY id DESC LIMIT 1"));
    }

    @Test
    void theLookbackStartsBeforeTheWatermark() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(2, TUESDAY);
        Path config = config("pagination: {type: page, page_size: 2}\nlookback: 10m");
        assertEquals(0, sync(config).exitCode());
        int before = feed.requests().size();
        assertEquals(0, sync(config).exitCode());
        assertEquals(TUESDAY.minusSeconds(600).toString(), feed.requests().get(before).queryParameter("updated_since"));
    }

    @Test
    void maxPagesEndsARunAndTheNextGoesOnFromThere() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(5, MONDAY);
        Path config = config("pagination: {type: page, page_size: 2}\nmax_pages: 2");
        assertEquals(0, sync(config).exitCode());
        assertEquals(4, count("SELECT count(*) FROM products"));
        assertEquals(2, feed.requests().size());
        assertFalse(text("SELECT state::text FROM source_state WHERE source = 'feed'").contains("\"watermark\""),
                "the watermark only moves once every page was read");

        assertEquals(0, sync(config).exitCode());
        assertEquals(5, count("SELECT count(*) FROM products"));
        assertEquals("3", feed.requests().get(2).queryParameter("page"), "the next run goes on with page 3");
        assertTrue(text("SELECT state::text FROM source_state WHERE source = 'feed'").contains(MONDAY.toString()));
    }

    @Test
    void aFullSyncReadsEverythingWhateverTheWatermark() throws IOException {
        feed.style(FakeFeed.Style.PAGE, 2).records(2, TUESDAY);
        Path config = config("pagination: {type: page, page_size: 2}");
        assertEquals(0, sync(config).exitCode());
        int before = feed.requests().size();
        assertEquals(0, sync(config, "--full").exitCode());
        assertNull(feed.requests().get(before).queryParameter("updated_since"));
    }

    @Test
    void aKilledRunResumesAtThePageItWasOn() throws Exception {
        feed.style(FakeFeed.Style.PAGE, 2).records(8, MONDAY).holdRequest(3);
        Path config = config("pagination: {type: page, page_size: 2}");
        Process child = startChildSync(config);
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!hasProducts(4)) {
                assertTrue(child.isAlive(), "the child sync ended early: " + Files.readString(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the child committed nothing in 120 s");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            feed.open();
        }
        int before = feed.requests().size();
        Cli.Result rerun = sync(config, "--batch-size", "2");
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertTrue(rerun.out().contains("resumed from the checkpoint of job #1"), rerun.out());
        assertEquals("2", feed.requests().get(before).queryParameter("page"),
                "the rerun asks again for the page of the last committed batch, not page 1");
        assertEquals(8, count("SELECT count(*) FROM products"));
        assertEquals(4, count("SELECT read_count FROM jobs WHERE id = 2"), "records 5 to 8, none twice");
    }

    private boolean hasProducts(long count) {
        return count("SELECT count(*) FROM pg_tables WHERE tablename = 'products'") > 0
                && count("SELECT count(*) FROM products") >= count;
    }

    /** The real entry point in a child JVM, so it can be killed outright. */
    private Process startChildSync(Path config) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db-url", database.url(), "--config", config.toString(), "--no-progress", "sync",
                "--batch-size", "2").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        builder.environment().keySet().removeIf(key -> key.equals("DATABASE_URL") || key.equals("DB_HOST"));
        return builder.start();
    }

    /** Neither the job rows nor the stored state may hold a secret. */
    private void assertSecretsNotStored(String secret) {
        String jobs = text("SELECT coalesce(string_agg(config::text || coalesce(checkpoint::text, '') || coalesce(message, ''), '|'), '') FROM jobs");
        String states = text("SELECT coalesce(string_agg(state::text, '|'), '') FROM source_state");
        assertFalse(jobs.contains(secret), jobs);
        assertFalse(states.contains(secret), states);
    }
}
