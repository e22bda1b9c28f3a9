package org.syncproducts.http;

import okhttp3.OkHttpClient;

/**
 * The one OkHttp client of the process, built on first use so commands that make no HTTP request
 * (stats, targets) pay nothing for it. Sources derive their variants (timeouts) from it with
 * {@link OkHttpClient#newBuilder()}, which shares its connection pool and dispatcher.
 */
public final class SharedHttpClient {
    private OkHttpClient client;

    public synchronized OkHttpClient get() {
        if (client == null) {
            // Redirects are followed (an instance moved to https); retries are ours, not OkHttp's silent ones.
            client = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        }
        return client;
    }
}
