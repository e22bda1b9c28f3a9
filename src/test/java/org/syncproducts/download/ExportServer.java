package org.syncproducts.download;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * Serves one export as a static file server does: ETag and Last-Modified, conditional requests
 * (304), ranges with If-Range (206, 416), and a published {@code .sha256sum} next to it. Faults
 * are switched on per test: cut the next bodies half-way, ignore ranges, or declare more bytes
 * than it sends.
 */
final class ExportServer extends Dispatcher {
    static final String LAST_MODIFIED = "Tue, 01 Dec 2026 02:00:00 GMT";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    volatile byte[] body;
    volatile String etag = "\"v1\"";
    volatile String checksumFile;
    volatile boolean ignoresRanges;
    volatile boolean truncates;
    final AtomicInteger cutsLeft = new AtomicInteger();

    ExportServer(byte[] body) {
        this.body = body;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (request.getPath().endsWith(".sha256sum")) {
            return checksumFile == null ? new MockResponse().setResponseCode(404)
                    : new MockResponse().setBody(checksumFile);
        }
        if (etag.equals(request.getHeader("If-None-Match"))) {
            return new MockResponse().setResponseCode(304).setHeader("ETag", etag);
        }
        MockResponse response = new MockResponse().setHeader("ETag", etag).setHeader("Last-Modified", LAST_MODIFIED);
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range);
        if (matcher != null && matcher.matches() && !ignoresRanges && (ifRange == null || ifRange.equals(etag))) {
            int start = Integer.parseInt(matcher.group(1));
            if (start >= body.length) {
                return response.setResponseCode(416).setHeader("Content-Range", "bytes */" + body.length);
            }
            response.setResponseCode(206).setHeader("Content-Range",
                    "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            response.setBody(new Buffer().write(Arrays.copyOfRange(body, start, body.length)));
        } else {
            response.setBody(new Buffer().write(body));
        }
        if (truncates) {
            Buffer whole = response.getBody();
            long declared = whole.size();
            Buffer half = new Buffer();
            whole.read(half, declared / 2);
            response.setBody(half);
            response.setHeader("Content-Length", declared);
            response.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
        } else if (cutsLeft.getAndDecrement() > 0) {
            response.setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY);
        }
        return response;
    }
}
