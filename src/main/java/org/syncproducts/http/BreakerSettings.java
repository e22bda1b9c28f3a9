package org.syncproducts.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * When a source's circuit breaker opens: after {@code minimumCalls} requests, if at least
 * {@code failureRatePercent} of the last {@code minimumCalls} failed. An open breaker stays open
 * for the rest of the run (a run is minutes; a source failing that often is not worth hammering).
 */
public record BreakerSettings(int minimumCalls, int failureRatePercent) {
    /** Longer than any run: once open, the breaker does not let requests through again. */
    private static final Duration REST_OF_RUN = Duration.ofDays(1);

    public BreakerSettings {
        if (minimumCalls < 1) {
            throw new IllegalArgumentException("minimumCalls must be at least 1");
        }
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be 1..100");
        }
    }

    public static BreakerSettings defaults() {
        return new BreakerSettings(5, 50);
    }

    public CircuitBreaker create(String name) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(minimumCalls)
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(failureRatePercent)
                .waitDurationInOpenState(REST_OF_RUN)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }
}
