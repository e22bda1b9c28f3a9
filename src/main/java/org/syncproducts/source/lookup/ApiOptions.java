package org.syncproducts.source.lookup;

import java.time.Duration;
import java.util.Set;
import okhttp3.HttpUrl;
import org.syncproducts.config.ConfigNode;
import org.syncproducts.config.Durations;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;

/** The config options every HTTP lookup source shares: timeouts, retries, circuit breaker, base URL. */
public final class ApiOptions {
    /** Option names read here, for a source's {@link ConfigNode#allowOnly}. */
    public static final Set<String> NAMES = Set.of("type", "base_url", "timeout", "max_response_bytes", "attempts",
            "backoff", "max_backoff", "max_retry_after", "circuit_breaker_calls", "circuit_breaker_failure_rate");

    private ApiOptions() {
    }

    public static HttpSettings http(ConfigNode options) {
        HttpSettings defaults = HttpSettings.defaults();
        Duration timeout = duration(options, "timeout", defaults.readTimeout());
        return new HttpSettings(
                defaults.connectTimeout(),
                timeout,
                timeout.multipliedBy(2),
                options.integer("max_response_bytes", (int) defaults.maxResponseBytes(), 1_024, 1 << 30),
                options.integer("attempts", defaults.attempts(), 1, 20),
                duration(options, "backoff", defaults.initialBackoff()),
                duration(options, "max_backoff", defaults.maxBackoff()),
                duration(options, "max_retry_after", defaults.maxRetryAfter()));
    }

    public static BreakerSettings breaker(ConfigNode options) {
        BreakerSettings defaults = BreakerSettings.defaults();
        return new BreakerSettings(options.integer("circuit_breaker_calls", defaults.minimumCalls(), 1, 1_000),
                options.integer("circuit_breaker_failure_rate", defaults.failureRatePercent(), 1, 100));
    }

    /** The base URL: the environment variable wins over the file, which wins over the default. */
    public static HttpUrl baseUrl(ConfigNode options, String fromEnvironment, String environmentName,
                                  String defaultUrl) {
        String text = fromEnvironment != null ? fromEnvironment : options.text("base_url", defaultUrl);
        HttpUrl url = HttpUrl.parse(text.strip());
        if (url == null) {
            String where = fromEnvironment != null ? environmentName : options.path() + ".base_url";
            throw options.error("base URL " + where + " must be an http:// or https:// URL; got '" + text + "'");
        }
        return url;
    }

    /** A rate such as {@code 15} (requests a minute); above 0. */
    public static double perMinute(ConfigNode options, String key, double fallback) {
        String text = options.text(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (value > 0 && value <= 1_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the key.
        }
        throw options.child(key).error("must be a number of requests a minute above 0; got '" + text + "'");
    }

    private static Duration duration(ConfigNode options, String key, Duration fallback) {
        String text = options.text(key, null);
        return text == null ? fallback : Durations.parse(text, options.path() + "." + key);
    }
}
