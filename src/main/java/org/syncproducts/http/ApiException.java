package org.syncproducts.http;

import java.time.Duration;
import org.syncproducts.model.ErrorType;

/**
 * A request to an HTTP source that gave no usable answer, typed for the errors table.
 *
 * @see SourceHttpClient
 */
public final class ApiException extends Exception {
    private final ErrorType type;
    private final Integer httpStatus;
    private final Duration retryAfter;
    private final int attempts;

    public ApiException(ErrorType type, String message, Integer httpStatus, Duration retryAfter, Throwable cause) {
        this(type, message, httpStatus, retryAfter, 1, cause);
    }

    private ApiException(ErrorType type, String message, Integer httpStatus, Duration retryAfter, int attempts,
                         Throwable cause) {
        super(message, cause, false, false);
        this.type = type;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    /** The same failure after {@code attempts} tries. */
    public ApiException afterAttempts(int attempts) {
        return new ApiException(type, getMessage(), httpStatus, retryAfter, attempts, getCause());
    }

    public ErrorType type() {
        return type;
    }

    /** The HTTP status of the answer, or null when there was none (network error, timeout). */
    public Integer httpStatus() {
        return httpStatus;
    }

    /** What the server's Retry-After asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Tries made before giving up. */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether asking again within this run may help: network errors, timeouts, 429 and 5xx. Other
     * failures (401, 404 of an endpoint, a malformed answer) would only fail the same way again.
     */
    public boolean worthRetryingNow() {
        return type == ErrorType.NETWORK || type == ErrorType.TIMEOUT || type == ErrorType.RATE_LIMIT
                || type == ErrorType.SERVER;
    }
}
