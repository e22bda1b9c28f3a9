package org.syncproducts.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How one HTTP source talks to its server: timeouts, the largest answer accepted, and the retry
 * policy for answers that may succeed when asked again (network errors, timeouts, 429 and 5xx).
 *
 * @param connectTimeout  time to open a connection
 * @param readTimeout     longest silence while reading an answer
 * @param callTimeout     longest a whole request may take, body included (a slow trickle ends here)
 * @param maxResponseBytes larger answers are refused as {@code bad_response} without being held in memory
 * @param attempts        tries per request, the first included (1 = no retry)
 * @param initialBackoff  wait before the second try; doubled for each further try, with jitter
 * @param maxBackoff      the longest wait between tries computed by backoff
 * @param maxRetryAfter   the longest wait a server's Retry-After is honoured for (429, 503)
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout, long maxResponseBytes,
                           int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    /** Answers above 8 MiB are refused: a 100-product search with only mapped fields is far smaller. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L << 20;

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive");
        }
    }

    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                DEFAULT_MAX_RESPONSE_BYTES, 3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
    }
}
