package org.syncproducts.source.upc;

import java.util.Objects;
import okhttp3.HttpUrl;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;

/**
 * Settings of a UPC database API source (UPCitemdb, upcdatabase.org).
 *
 * @param baseUrl           where the API is (a local test server in tests)
 * @param apiKey            from the environment only; null means none (UPCitemdb then uses its
 *                          free trial endpoint; upcdatabase.org refuses to run)
 * @param requestsPerMinute the client-side rate limit
 */
public record UpcApiSettings(HttpUrl baseUrl, String apiKey, double requestsPerMinute, HttpSettings http,
                             BreakerSettings breaker) {
    public UpcApiSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(breaker, "breaker");
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "UpcApiSettings[" + baseUrl + ", key " + (apiKey == null ? "none" : "set") + "]";
    }
}
