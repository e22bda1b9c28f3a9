package org.syncproducts.source.offdelta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.http.SourceHttpClient;

/**
 * Delta files under a base URL (the official one by default). The index is asked for with the
 * validators of the last one read ({@code If-None-Match}, {@code If-Modified-Since}): when nothing
 * changed, one request answered 304 is all a run costs. Every request carries the User-Agent,
 * waits for the pacer and is retried with backoff by {@link SourceHttpClient}.
 */
final class HttpLocation implements DeltaLocation {
    private final HttpUrl base;
    private final SourceHttpClient http;
    private final RequestPacer pacer;
    private final long maxIndexBytes;

    /** @param base the directory URL; a missing final slash is added */
    HttpLocation(HttpUrl base, SourceHttpClient http, RequestPacer pacer, long maxIndexBytes) {
        this.base = base.encodedPath().endsWith("/") ? base
                : base.newBuilder().encodedPath(base.encodedPath() + "/").build();
        this.http = http;
        this.pacer = pacer;
        this.maxIndexBytes = maxIndexBytes;
    }

    @Override
    public Index index(DeltaState known) throws IOException {
        Headers.Builder headers = new Headers.Builder();
        if (known.hasIndexValidators()) {
            if (known.indexEtag() != null) {
                headers.add("If-None-Match", known.indexEtag());
            }
            if (known.indexLastModified() != null) {
                headers.add("If-Modified-Since", known.indexLastModified());
            }
        }
        HttpUrl url = base.resolve(INDEX);
        try (Response response = request(url, headers.build())) {
            if (response.code() == 304) {
                return Index.UNCHANGED;
            }
            ResponseBody body = response.body();
            BufferedSource source = body.source();
            if (source.request(maxIndexBytes + 1)) {
                throw SyncProductsException.badInput(url + " is larger than " + maxIndexBytes
                        + " bytes; it is not an index of delta files");
            }
            return new Index(source.readString(StandardCharsets.UTF_8), response.header("ETag"),
                    response.header("Last-Modified"));
        }
    }

    @Override
    public Download open(String fileName) throws IOException {
        HttpUrl url = base.resolve(fileName);
        Response response;
        try {
            response = http.openStream(url, Headers.of(), pacer);
        } catch (ApiException e) {
            if (e.httpStatus() != null && (e.httpStatus() == 404 || e.httpStatus() == 410)) {
                return null;
            }
            throw unavailable(url, e);
        }
        if (response.code() == 304) {
            response.close();
            throw SyncProductsException.unavailable(url + " answered 304 to a request that was not conditional", null);
        }
        ResponseBody body = response.body();
        // Closing the body stream closes the response.
        return new Download(body.byteStream(), body.contentLength());
    }

    private Response request(HttpUrl url, Headers headers) {
        try {
            return http.openStream(url, headers, pacer);
        } catch (ApiException e) {
            if (e.httpStatus() != null && e.httpStatus() == 404) {
                throw SyncProductsException.config(url + " answered 404: check the source's url (the directory that "
                        + "holds " + INDEX + ")");
            }
            throw unavailable(url, e);
        }
    }

    private static SyncProductsException unavailable(HttpUrl url, ApiException e) {
        return SyncProductsException.unavailable("cannot read " + url + ": " + e.getMessage()
                + (e.attempts() > 1 ? " (after " + e.attempts() + " tries)" : ""), e);
    }

    @Override
    public String describe() {
        return base.toString();
    }
}
