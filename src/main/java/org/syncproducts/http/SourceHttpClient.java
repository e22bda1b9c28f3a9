package org.syncproducts.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.model.ErrorType;

/**
 * GETs JSON (and files, such as product images) from one HTTP source, politely and defensively.
 *
 * <p>Every request carries the User-Agent, waits for its turn at the given {@link RequestPacer},
 * and is retried (resilience4j) when the failure may pass: network errors, timeouts and 5xx with
 * exponential backoff and jitter; 429 and 503 after the server's Retry-After, bounded by
 * {@link HttpSettings#maxRetryAfter()}. Other 4xx are not retried. An answer is accepted only
 * when it is at most {@link HttpSettings#maxResponseBytes()} long, declares a JSON content type
 * (or none) and parses; an HTML page with status 200 (a maintenance or login page) is a
 * {@link ErrorType#BAD_RESPONSE}. Numbers keep their exact decimal text.
 *
 * <p>Status 2xx is an answer; so is 404 when the caller says it means "no such product" for
 * this endpoint (its body, when JSON, comes along; when not, the body is null).
 */
public final class SourceHttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(SourceHttpClient.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;
    private static final int MAX_MESSAGE_LENGTH = 200;
    /** Redirects followed for one request, as browsers and OkHttp bound them (OkHttp allows 20). */
    private static final int MAX_REDIRECTS = 5;

    /**
     * One answer: its status, JSON body (null for a 404 whose body is not JSON), headers (for
     * rate-limit headers) and the tries it took.
     */
    public record JsonAnswer(int status, JsonNode body, Headers headers, int attempts) {
    }

    private final String sourceName;
    private final OkHttpClient http;
    /** For bodies streamed as they are read (large files): no limit on the whole call, the read timeout still holds. */
    private final OkHttpClient streaming;
    private final HttpSettings settings;
    private final String userAgent;
    private final Clock clock;
    private final IntervalFunction backoff;

    /**
     * @param sharedClient the process's one client; this source's timeouts are applied to a variant of it
     * @param userAgent    sent with every request, e.g. {@code sync-products/1.0 (ops@example.org)}
     */
    public SourceHttpClient(String sourceName, OkHttpClient sharedClient, HttpSettings settings, String userAgent,
                            Clock clock) {
        this.sourceName = sourceName;
        this.http = sharedClient.newBuilder()
                // Redirects are followed here, not by OkHttp, so each one waits for the pacer.
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.streaming = http.newBuilder().callTimeout(0, TimeUnit.MILLISECONDS).build();
        this.settings = settings;
        this.userAgent = userAgent;
        this.clock = clock;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff().toMillis(),
                BACKOFF_MULTIPLIER, JITTER, Math.max(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis()));
    }

    /**
     * GETs {@code url} and parses the answer.
     *
     * @param headers      extra headers (e.g. Authorization); never logged
     * @param pacer        the rate limit of this endpoint kind; every try waits for its turn
     * @param notFoundIsAnswer whether a 404 is returned as an answer rather than thrown
     * @throws ApiException when there is no usable answer after the retries
     */
    public JsonAnswer getJson(HttpUrl url, Headers headers, RequestPacer pacer, boolean notFoundIsAnswer)
            throws ApiException {
        return getJson(url, headers, pacer, RequestGate.UNBOUNDED, notFoundIsAnswer);
    }

    /**
     * As {@link #getJson(HttpUrl, Headers, RequestPacer, boolean)}, every try also entering
     * {@code gate} after its turn at the pacer (a lookup run's requests in flight and time budget).
     *
     * @throws RequestGate.BudgetSpentException when the gate's time budget is spent before a try
     */
    public JsonAnswer getJson(HttpUrl url, Headers headers, RequestPacer pacer, RequestGate gate,
                              boolean notFoundIsAnswer) throws ApiException {
        return request(url, headers, null, pacer, gate, notFoundIsAnswer);
    }

    /**
     * As {@link #getJson}, but POSTs {@code jsonBody} when it is not null (APIs that take their
     * query as a JSON body).
     */
    public JsonAnswer requestJson(HttpUrl url, Headers headers, String jsonBody, RequestPacer pacer,
                                  boolean notFoundIsAnswer) throws ApiException {
        return request(url, headers, jsonBody, pacer, RequestGate.UNBOUNDED, notFoundIsAnswer);
    }

    private JsonAnswer request(HttpUrl url, Headers headers, String jsonBody, RequestPacer pacer, RequestGate gate,
                               boolean notFoundIsAnswer) throws ApiException {
        Request.Builder builder = new Request.Builder().url(url).headers(headers).header("User-Agent", userAgent)
                .header("Accept", "application/json");
        Request request = jsonBody == null ? builder.get().build()
                : builder.post(RequestBody.create(jsonBody, MediaType.get("application/json"))).build();
        AtomicInteger attempts = new AtomicInteger();
        JsonAnswer answer = withRetries(attempts, () -> attempt(request, pacer, gate, notFoundIsAnswer));
        return new JsonAnswer(answer.status(), answer.body(), answer.headers(), attempts.get());
    }

    /** A file as downloaded: its bytes and declared content type. */
    public record FileAnswer(byte[] bytes, String contentType, int attempts) {
    }

    /**
     * GETs a file (a product image), with the same retries and limits as JSON, refusing a content
     * type that does not start with {@code expectedTypePrefix} (e.g. {@code image/}) and a body
     * larger than {@code maxBytes}, both as {@link ErrorType#BAD_RESPONSE}.
     */
    public FileAnswer getFile(HttpUrl url, RequestPacer pacer, String expectedTypePrefix, long maxBytes)
            throws ApiException {
        Request request = new Request.Builder().url(url).header("User-Agent", userAgent).get().build();
        AtomicInteger attempts = new AtomicInteger();
        FileAnswer answer = withRetries(attempts, () -> attemptFile(request, pacer, expectedTypePrefix, maxBytes));
        return new FileAnswer(answer.bytes(), answer.contentType(), attempts.get());
    }

    /**
     * One try of a streamed exchange ({@link #exchange}): the request headers of this try, which
     * may depend on what earlier tries left behind (a {@code Range} from the bytes already on
     * disk), and what to make of the answer.
     */
    public interface Exchange<T> {
        /** Headers of the next try; never logged. */
        Headers headers() throws IOException;

        /**
         * Reads an answer with a 2xx status or one of the statuses the caller listed. An
         * {@link IOException} while reading (the connection cut mid-body) is retried like a
         * network error.
         */
        T read(Response response) throws IOException, ApiException;
    }

    /**
     * GETs {@code url} and lets {@code exchange} stream the answer (a file too large to hold in
     * memory), with the same User-Agent, pacing, redirects and retries as JSON requests. The
     * size limit of {@link HttpSettings#maxResponseBytes()} is the reader's to apply.
     *
     * @param answers statuses other than 2xx handed to the reader (e.g. 304, 416) instead of failing
     */
    public <T> T exchange(HttpUrl url, Set<Integer> answers, RequestPacer pacer, Exchange<T> exchange)
            throws ApiException {
        AtomicInteger attempts = new AtomicInteger();
        return withRetries(attempts, () -> {
            try {
                Request request = new Request.Builder().url(url).headers(exchange.headers())
                        .header("User-Agent", userAgent).get().build();
                try (Sent sent = execute(streaming, request, pacer, RequestGate.UNBOUNDED)) {
                    Response response = sent.response();
                    if (!response.isSuccessful() && !answers.contains(response.code())) {
                        throw failureFor(response);
                    }
                    return exchange.read(response);
                }
            } catch (IOException e) {
                throw ioFailure(e);
            }
        });
    }

    /**
     * GETs {@code url} for its body to be streamed by the caller (a large file), with the same
     * User-Agent, pacing and retries as every request until an answer starts; reading the body
     * has no overall time limit (the read timeout still ends a stalled one). A 2xx is returned, and
     * a 304 (the answer to a conditional request: unchanged). The caller bounds what it reads and
     * closes the response.
     *
     * @param headers extra headers (If-None-Match, If-Modified-Since); never logged
     * @throws ApiException when there is no such answer after the retries (a 404 included)
     */
    public Response openStream(HttpUrl url, Headers headers, RequestPacer pacer) throws ApiException {
        Request request = new Request.Builder().url(url).headers(headers).header("User-Agent", userAgent).get().build();
        return withRetries(new AtomicInteger(), () -> attemptStream(request, pacer));
    }

    private Response attemptStream(Request request, RequestPacer pacer) throws ApiException {
        Response response;
        try {
            response = execute(streaming, request, pacer, RequestGate.UNBOUNDED).response();
        } catch (IOException e) {
            throw ioFailure(e);
        }
        if (response.isSuccessful() || response.code() == 304) {
            return response;
        }
        try (response) {
            throw failureFor(response);
        }
    }

    private <T> T withRetries(AtomicInteger attempts, CheckedSupplier<T> once) throws ApiException {
        Retry retry = Retry.of(sourceName, RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .retryOnException(failure -> failure instanceof ApiException api && api.worthRetryingNow())
                .intervalBiFunction((attempt, outcome) -> waitBefore(attempt + 1,
                        outcome.isLeft() ? outcome.getLeft() : null))
                .build());
        CheckedSupplier<T> counted = () -> {
            attempts.incrementAndGet();
            return once.get();
        };
        try {
            return Retry.decorateCheckedSupplier(retry, counted).get();
        } catch (ApiException e) {
            throw e.afterAttempts(attempts.get());
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected failure calling " + sourceName, e);
        }
    }

    private FileAnswer attemptFile(Request request, RequestPacer pacer, String expectedTypePrefix, long maxBytes)
            throws ApiException {
        try (Sent sent = execute(request, pacer, RequestGate.UNBOUNDED)) {
            Response response = sent.response();
            int status = response.code();
            if (!response.isSuccessful()) {
                throw failureFor(response);
            }
            String contentType = response.header("Content-Type", "");
            if (!contentType.toLowerCase(Locale.ROOT).startsWith(expectedTypePrefix)) {
                throw badResponse(status, "content type '" + shorten(contentType) + "', not " + expectedTypePrefix + "*");
            }
            return new FileAnswer(readLimited(response.body(), status, maxBytes), contentType, 1);
        } catch (IOException e) {
            throw ioFailure(e);
        }
    }

    /** Milliseconds to wait before try number {@code nextAttempt} (2 = the first retry). */
    long waitBefore(int nextAttempt, Throwable failure) {
        long computed = backoff.apply(nextAttempt - 1);
        if (failure instanceof ApiException api && api.retryAfter() != null) {
            long asked = api.retryAfter().toMillis();
            long bounded = Math.min(asked, settings.maxRetryAfter().toMillis());
            LOG.info("{} answered {} and asked to wait {}; waiting {} ms", sourceName, api.httpStatus(),
                    api.retryAfter(), bounded);
            return bounded;
        }
        if (failure instanceof ApiException api) {
            LOG.debug("{}: {}; try {} in {} ms", sourceName, api.getMessage(), nextAttempt, computed);
        }
        return computed;
    }

    /**
     * Sends the request, following up to {@link #MAX_REDIRECTS} redirects; every request, each
     * redirect included, waits for its turn at the pacer (then enters the gate), so a redirect loop
     * stays polite. As
     * OkHttp does, a redirect to another host drops the Authorization header.
     */
    private Sent execute(Request request, RequestPacer pacer, RequestGate gate) throws IOException, ApiException {
        return execute(http, request, pacer, gate);
    }

    private Sent execute(OkHttpClient client, Request request, RequestPacer pacer, RequestGate gate)
            throws IOException, ApiException {
        Request next = request;
        for (int redirects = 0; ; redirects++) {
            RequestGate.Slot slot = pacer.acquire(gate);
            Response response;
            try {
                response = client.newCall(next).execute();
            } catch (IOException | RuntimeException e) {
                slot.close();
                throw e;
            }
            String location = response.isRedirect() ? response.header("Location") : null;
            HttpUrl target = location == null ? null : next.url().resolve(location);
            if (target == null) {
                return new Sent(response, slot);
            }
            response.close();
            slot.close();
            if (redirects == MAX_REDIRECTS) {
                throw new ApiException(ErrorType.BAD_RESPONSE, sourceName + " redirected more than " + MAX_REDIRECTS
                        + " times (last to " + target.host() + ")", response.code(), null, null);
            }
            Request.Builder builder = next.newBuilder().url(target);
            if (!target.host().equals(next.url().host())) {
                builder.removeHeader("Authorization");
            }
            next = builder.build();
        }
    }

    /** A response and its place in the gate, both given back on close, once the body is read. */
    private record Sent(Response response, RequestGate.Slot slot) implements AutoCloseable {
        @Override
        public void close() {
            try {
                response.close();
            } finally {
                slot.close();
            }
        }
    }

    private JsonAnswer attempt(Request request, RequestPacer pacer, RequestGate gate, boolean notFoundIsAnswer)
            throws ApiException {
        try (Sent sent = execute(request, pacer, gate)) {
            Response response = sent.response();
            int status = response.code();
            if (response.isSuccessful()) {
                return new JsonAnswer(status, readJson(response, status), response.headers(), 1);
            }
            if (status == 404 && notFoundIsAnswer) {
                JsonNode body = null;
                try {
                    body = readJson(response, status);
                } catch (ApiException notJson) {
                    LOG.debug("{}: 404 with a body that is not JSON: {}", sourceName, notJson.getMessage());
                }
                return new JsonAnswer(status, body, response.headers(), 1);
            }
            throw failureFor(response);
        } catch (IOException e) {
            throw ioFailure(e);
        }
    }

    private ApiException ioFailure(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new ApiException(ErrorType.TIMEOUT, sourceName + " did not answer in time (" + describe(e) + ")",
                    null, null, e);
        }
        if (e instanceof InterruptedIOException) {
            // OkHttp's call timeout ends a call (a body trickling in) with "timeout" or "executor rejected".
            return new ApiException(ErrorType.TIMEOUT, sourceName + " took longer than "
                    + settings.callTimeout().toSeconds() + " s to answer", null, null, e);
        }
        return new ApiException(ErrorType.NETWORK, sourceName + " could not be reached: " + describe(e), null, null, e);
    }

    private ApiException failureFor(Response response) {
        int status = response.code();
        String what = sourceName + " answered HTTP " + status;
        if (status == 429) {
            return new ApiException(ErrorType.RATE_LIMIT, what + " (too many requests)", status, retryAfter(response), null);
        }
        if (status == 503) {
            return new ApiException(ErrorType.SERVER, what + " (unavailable)", status, retryAfter(response), null);
        }
        if (status >= 500) {
            return new ApiException(ErrorType.SERVER, what, status, null, null);
        }
        if (status == 401 || status == 403) {
            return new ApiException(ErrorType.AUTH, what + ": the credentials were refused; check the API key",
                    status, null, null);
        }
        if (status >= 400) {
            return new ApiException(ErrorType.VALIDATION, what + ": the request was refused", status, null, null);
        }
        return new ApiException(ErrorType.BAD_RESPONSE, what + ", which is not an answer", status, null, null);
    }

    private Duration retryAfter(Response response) {
        return RetryAfter.parse(response.header("Retry-After"), clock);
    }

    private JsonNode readJson(Response response, int status) throws ApiException, IOException {
        ResponseBody body = response.body();
        String contentType = response.header("Content-Type");
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("text/html") || type.startsWith("application/xhtml")) {
            throw badResponse(status, "an HTML page, not JSON (an error or maintenance page?)");
        }
        if (!type.isEmpty() && !type.contains("json")) {
            throw badResponse(status, "content type '" + shorten(contentType) + "', not JSON");
        }
        byte[] bytes = readLimited(body, status, settings.maxResponseBytes());
        int first = firstNonBlank(bytes);
        if (first < 0) {
            throw badResponse(status, "an empty body, not JSON");
        }
        if (bytes[first] == '<') {
            throw badResponse(status, "an HTML page, not JSON (an error or maintenance page?)");
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw badResponse(status, "malformed JSON: " + shorten(e.getOriginalMessage()));
        }
    }

    private byte[] readLimited(ResponseBody body, int status, long limit) throws ApiException, IOException {
        if (body == null) {
            return new byte[0];
        }
        if (body.contentLength() > limit) {
            throw badResponse(status, body.contentLength() + " bytes, more than the " + limit + " accepted");
        }
        BufferedSource source = body.source();
        if (source.request(limit + 1)) {
            throw badResponse(status, "more than the " + limit + " bytes accepted");
        }
        return source.readByteArray();
    }

    private ApiException badResponse(int status, String what) {
        return new ApiException(ErrorType.BAD_RESPONSE, sourceName + " answered HTTP " + status + " with " + what,
                status, null, null);
    }

    /** Index of the first byte that is not whitespace or a UTF-8 byte order mark; -1 when there is none. */
    private static int firstNonBlank(byte[] bytes) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : shorten(e.getMessage());
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() <= MAX_MESSAGE_LENGTH ? line : line.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}
