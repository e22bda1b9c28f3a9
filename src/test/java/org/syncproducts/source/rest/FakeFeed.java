package org.syncproducts.source.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.syncproducts.support.OffCsvFixture;

/**
 * An operator's product API for tests: records in id order (not time order), paged the way the
 * test says, filtered by {@code updated_since} (inclusive), behind the credentials it says.
 */
final class FakeFeed extends Dispatcher {
    enum Style { PAGE, OFFSET, CURSOR, NEXT_URL, LINK }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> records = new CopyOnWriteArrayList<>();
    private final List<HttpUrl> requests = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Map<Integer, MockResponse> overrides = new HashMap<>();
    private Style style = Style.PAGE;
    private int pageSize = 2;
    private String authHeader;
    private String authValue;
    private String authParam;
    private String authParamValue;
    private volatile java.util.concurrent.CountDownLatch gate;
    private volatile int gatedRequest = -1;

    static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("300000%06d", number));
    }

    static String canonical(int number) {
        String code = code(number);
        return "0".repeat(14 - code.length()) + code;
    }

    FakeFeed style(Style style, int pageSize) {
        this.style = style;
        this.pageSize = pageSize;
        return this;
    }

    /** Records 1..count, named "Product N", updated at {@code updatedAt}. */
    FakeFeed records(int count, Instant updatedAt) {
        for (int i = 1; i <= count; i++) {
            put(i, "Product " + i, updatedAt);
        }
        return this;
    }

    /** Adds or replaces record {@code number}. */
    synchronized FakeFeed put(int number, String name, Instant updatedAt) {
        ObjectNode record = JSON.createObjectNode();
        record.put("id", number);
        record.put("gtin", code(number));
        record.put("title", name);
        record.putObject("manufacturer").put("name", "Maker " + number);
        record.putArray("images").addObject().put("url", "https://img.example.com/" + number + ".jpg");
        record.putArray("tags").add("en:snacks").add("en:test");
        record.put("updated_at", updatedAt.toString());
        records.removeIf(existing -> existing.get("id").asInt() == number);
        records.add(record);
        records.sort((a, b) -> Integer.compare(a.get("id").asInt(), b.get("id").asInt()));
        return this;
    }

    FakeFeed requireHeader(String name, String value) {
        this.authHeader = name;
        this.authValue = value;
        return this;
    }

    FakeFeed requireParam(String name, String value) {
        this.authParam = name;
        this.authParamValue = value;
        return this;
    }

    /** Answers request number {@code number} (1 = the first) with {@code response} instead. */
    synchronized FakeFeed override(int number, MockResponse response) {
        overrides.put(number, response);
        return this;
    }

    /** Holds request number {@code number} until {@link #open()}. */
    FakeFeed holdRequest(int number) {
        gate = new java.util.concurrent.CountDownLatch(1);
        gatedRequest = number;
        return this;
    }

    void open() {
        if (gate != null) {
            gate.countDown();
        }
    }

    /** The request bodies, as text ("" for a GET). */
    List<String> bodies() {
        return new ArrayList<>(bodies);
    }

    List<HttpUrl> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        HttpUrl url = request.getRequestUrl();
        requests.add(url);
        bodies.add(request.getBody().readUtf8());
        int number = requests.size();
        if (number == gatedRequest && gate != null) {
            gate.await();
        }
        synchronized (this) {
            if (overrides.containsKey(number)) {
                return overrides.get(number);
            }
        }
        if (authHeader != null && !authValue.equals(request.getHeader(authHeader))
                || authParam != null && !authParamValue.equals(url.queryParameter(authParam))) {
            return new MockResponse().setResponseCode(401).setBody("{\"error\":\"unauthorized\"}");
        }
        String since = url.queryParameter("updated_since");
        List<ObjectNode> matching = records.stream()
                .filter(record -> since == null || !Instant.parse(record.get("updated_at").asText())
                        .isBefore(Instant.parse(since)))
                .toList();
        int start = switch (style) {
            case PAGE, LINK -> (Integer.parseInt(param(url, "page", "1")) - 1) * pageSize;
            case OFFSET -> Integer.parseInt(param(url, "offset", "0"));
            case CURSOR -> Integer.parseInt(param(url, "cursor", "0"));
            case NEXT_URL -> Integer.parseInt(param(url, "after", "0"));
        };
        int size = style == Style.OFFSET ? Integer.parseInt(param(url, "limit", "2")) : pageSize;
        int end = Math.min(matching.size(), start + size);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putObject("data").putArray("items");
        for (int i = start; i < end; i++) {
            items.add(matching.get(i));
        }
        MockResponse response = new MockResponse().setHeader("Content-Type", "application/json");
        boolean more = end < matching.size();
        switch (style) {
            case CURSOR -> body.putObject("meta").put("next_cursor", more ? Integer.toString(end) : null);
            case NEXT_URL -> {
                if (more) {
                    body.putObject("links").put("next", "/products?after=" + end
                            + (since == null ? "" : "&updated_since=" + since));
                }
            }
            case LINK -> {
                if (more) {
                    HttpUrl next = url.newBuilder().setQueryParameter("page",
                            Integer.toString(start / pageSize + 2)).build();
                    response.addHeader("Link", "<" + next + ">; rel=\"next\", <" + url + ">; rel=\"self\"");
                }
            }
            default -> {
                // Page and offset: a short page is the last.
            }
        }
        return response.setBody(body.toString());
    }

    private static String param(HttpUrl url, String name, String fallback) {
        String value = url.queryParameter(name);
        return value == null ? fallback : value;
    }
}
