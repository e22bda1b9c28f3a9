package org.syncproducts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncproducts.model.ErrorType;
import org.syncproducts.support.TestHttpServer;

/** {@link SourceHttpClient} against a real HTTP server (a fresh MockWebServer per test). */
class SourceHttpClientTest {
    /** Short timeouts and backoff so failure cases take milliseconds, three attempts as by default. */
    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofMillis(500),
            Duration.ofSeconds(3), 1_000, 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2));

    private MockWebServer server;
    private RequestPacer unlimited;

    @BeforeEach
    void startServer() throws IOException {
        server = TestHttpServer.create();
        server.start();
        unlimited = RequestPacer.perMinute("test", 6_000_000);
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    private SourceHttpClient client(HttpSettings settings) {
        return new SourceHttpClient("test_source", new OkHttpClient(), settings, "sync-products/9.9 (ops@example.org)",
                Clock.systemUTC());
    }

    private SourceHttpClient.JsonAnswer get(boolean notFoundIsAnswer) throws ApiException {
        return client(FAST).getJson(server.url("/api/thing"), Headers.of(), unlimited, notFoundIsAnswer);
    }

    private ApiException failure() {
        return assertThrows(ApiException.class, () -> get(false));
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body);
    }

    @Test
    void sendsTheUserAgentAndParsesJsonKeepingExactNumbers() throws Exception {
        server.enqueue(json(200, "{\"fat\": 12.50, \"name\": \"x\"}"));
        SourceHttpClient.JsonAnswer answer = get(false);
        assertEquals(200, answer.status());
        assertEquals("12.50", answer.body().get("fat").asText());
        RecordedRequest request = server.takeRequest();
        assertEquals("sync-products/9.9 (ops@example.org)", request.getHeader("User-Agent"));
    }

    @Test
    void serverErrorThenSuccessIsRetried() throws Exception {
        server.enqueue(json(500, "{}"));
        server.enqueue(json(200, "{\"ok\": true}"));
        assertTrue(get(false).body().get("ok").asBoolean());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void persistentServerErrorFailsAfterThreeAttempts() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(502, "{}"));
        }
        ApiException failure = failure();
        assertEquals(ErrorType.SERVER, failure.type());
        assertEquals(3, failure.attempts());
        assertEquals(502, failure.httpStatus());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void tooManyRequestsWaitsForRetryAfterThenSucceeds() throws Exception {
        server.enqueue(json(429, "{}").setHeader("Retry-After", "1"));
        server.enqueue(json(200, "{\"ok\": true}"));
        assertTrue(get(false).body().get("ok").asBoolean());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retryAfterIsHonouredButBounded() throws Exception {
        SourceHttpClient client = client(FAST);
        ApiException hourLong = new ApiException(ErrorType.RATE_LIMIT, "429", 429, Duration.ofHours(1), null);
        assertEquals(FAST.maxRetryAfter().toMillis(), client.waitBefore(2, hourLong));
        ApiException oneSecond = new ApiException(ErrorType.SERVER, "503", 503, Duration.ofSeconds(1), null);
        assertEquals(1_000, client.waitBefore(2, oneSecond));
    }

    @Test
    void backoffGrowsAndStaysWithinItsBounds() {
        SourceHttpClient client = client(FAST);
        ApiException network = new ApiException(ErrorType.NETWORK, "reset", null, null, null);
        for (int i = 0; i < 50; i++) {
            long first = client.waitBefore(2, network);
            long later = client.waitBefore(5, network);
            assertTrue(first >= 5 && first <= 15, "first retry waits about 10 ms with jitter: " + first);
            assertTrue(later <= 40, "capped at max backoff: " + later);
        }
    }

    @Test
    void unavailableWithRetryAfterIsRetried() throws Exception {
        server.enqueue(json(503, "{}").setHeader("Retry-After", "0"));
        server.enqueue(json(200, "{\"ok\": true}"));
        assertTrue(get(false).body().get("ok").asBoolean());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        server.enqueue(json(400, "{\"error\": \"bad code\"}"));
        server.enqueue(json(200, "{}"));
        ApiException failure = failure();
        assertEquals(ErrorType.VALIDATION, failure.type());
        assertEquals(1, failure.attempts());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void refusedCredentialsAreAnAuthErrorNotRetried() {
        server.enqueue(json(401, "{}"));
        ApiException failure = failure();
        assertEquals(ErrorType.AUTH, failure.type());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void notFoundIsAnAnswerWhenTheEndpointSaysSo() throws Exception {
        server.enqueue(json(404, "{\"status\": 0, \"status_verbose\": \"product not found\"}"));
        SourceHttpClient.JsonAnswer answer = get(true);
        assertEquals(404, answer.status());
        assertEquals(0, answer.body().get("status").asInt());
        server.enqueue(new MockResponse().setResponseCode(404).setHeader("Content-Type", "text/html")
                .setBody("<html>Not Found</html>"));
        assertNull(get(true).body());
    }

    @Test
    void timeoutIsRetriedThenReported() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        ApiException failure = failure();
        assertEquals(ErrorType.TIMEOUT, failure.type());
        assertEquals(3, failure.attempts());
    }

    @Test
    void connectionResetIsANetworkErrorAndRetried() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(json(200, "{\"ok\": true}"));
        assertTrue(get(false).body().get("ok").asBoolean());
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        }
        ApiException failure = failure();
        assertEquals(ErrorType.NETWORK, failure.type());
        assertEquals(3, failure.attempts());
    }

    @Test
    void malformedJsonIsABadResponseNotRetried() {
        server.enqueue(json(200, "{\"products\": [{\"code\": "));
        ApiException failure = failure();
        assertEquals(ErrorType.BAD_RESPONSE, failure.type());
        assertTrue(failure.getMessage().contains("malformed JSON"), failure.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void htmlPageWithStatus200IsABadResponse() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/html; charset=utf-8")
                .setBody("<!DOCTYPE html><html><body>Maintenance</body></html>"));
        assertEquals(ErrorType.BAD_RESPONSE, failure().type());
        server.enqueue(json(200, "  <html><body>We'll be back</body></html>"));
        ApiException mislabelled = failure();
        assertTrue(mislabelled.getMessage().contains("HTML page"), mislabelled.getMessage());
    }

    @Test
    void wrongContentTypeIsABadResponse() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "image/png").setBody("{}"));
        ApiException failure = failure();
        assertEquals(ErrorType.BAD_RESPONSE, failure.type());
        assertTrue(failure.getMessage().contains("image/png"), failure.getMessage());
    }

    @Test
    void bodyOverTheSizeLimitIsRefused() {
        server.enqueue(json(200, "{\"x\": \"" + "a".repeat(2_000) + "\"}"));
        ApiException declared = failure();
        assertEquals(ErrorType.BAD_RESPONSE, declared.type());
        server.enqueue(json(200, "{\"x\": \"" + "a".repeat(2_000) + "\"}").removeHeader("Content-Length")
                .setChunkedBody("{\"x\": \"" + "a".repeat(2_000) + "\"}", 100));
        ApiException chunked = failure();
        assertEquals(ErrorType.BAD_RESPONSE, chunked.type());
        assertTrue(chunked.getMessage().contains("1000 bytes"), chunked.getMessage());
    }

    @Test
    void slowBodyEndsAsATimeout() {
        HttpSettings patient = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(700),
                1_000_000, 1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1));
        server.enqueue(json(200, "{\"x\": \"" + "a".repeat(200) + "\"}").throttleBody(10, 100, TimeUnit.MILLISECONDS));
        ApiException failure = assertThrows(ApiException.class,
                () -> client(patient).getJson(server.url("/slow"), Headers.of(), unlimited, false));
        assertEquals(ErrorType.TIMEOUT, failure.type());
    }

    @Test
    void theRateHoldsUnderConcurrentLoad() throws Exception {
        server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return json(200, "{}");
            }
        });
        RequestPacer tenASecond = RequestPacer.perMinute("load", 600);
        SourceHttpClient client = client(FAST);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        client.getJson(server.url("/load"), Headers.of(), tenASecond, false);
                    }
                } catch (ApiException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertNull(failure.get());
        // Requests go at least 101 ms apart. A thread that checked the clock just before 2 s may
        // still wait behind the other three, so the last request starts before 2 s + 4 x 101 ms:
        // at most 24 requests (25 allows for timer rounding) however fast the machine; a slow,
        // loaded machine only makes fewer.
        assertTrue(server.getRequestCount() <= 25, "requests in 2 s at 10/s: " + server.getRequestCount());
        assertTrue(server.getRequestCount() >= 2, "requests did go: " + server.getRequestCount());
    }

    @Test
    void aRedirectIsFollowedAndCountsAsARequest() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "/api/moved"));
        server.enqueue(json(200, "{\"name\": \"x\"}"));

        SourceHttpClient.JsonAnswer answer = get(false);

        assertEquals("x", answer.body().get("name").asText());
        assertEquals("/api/thing", server.takeRequest().getPath());
        assertEquals("/api/moved", server.takeRequest().getPath());
    }

    @Test
    void everyRedirectWaitsForThePacerAndALoopEndsAsABadResponse() throws Exception {
        java.util.List<Long> sentAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                sentAt.add(System.nanoTime());
                return new MockResponse().setResponseCode(302).setHeader("Location", "/api/loop");
            }
        });
        RequestPacer twentyPerSecond = RequestPacer.perMinute("test", 1_200);

        ApiException error = assertThrows(ApiException.class,
                () -> client(FAST).getJson(server.url("/api/thing"), Headers.of(), twentyPerSecond, false));

        assertEquals(ErrorType.BAD_RESPONSE, error.type());
        assertTrue(error.getMessage().contains("redirected more than"), error.getMessage());
        assertEquals(6, sentAt.size(), "one request and five redirects; a loop is not tried again");
        long spanMillis = (sentAt.get(sentAt.size() - 1) - sentAt.get(0)) / 1_000_000;
        assertTrue(spanMillis >= 200, "six requests paced 50 ms apart took only " + spanMillis + " ms");
    }
}
