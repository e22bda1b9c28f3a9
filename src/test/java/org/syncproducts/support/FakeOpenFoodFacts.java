package org.syncproducts.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A small Open Food Facts for a MockWebServer: answers {@code /api/v2/search?code=...} with the
 * products it knows among the codes asked, and {@code /api/v2/product/CODE.json} with the product
 * or a 404 {@code status: 0}, in the real API's shapes. Queued responses are served first, to
 * script failures. Codes are stored in Open Food Facts' form (as asked).
 */
public final class FakeOpenFoodFacts extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> products = new ConcurrentHashMap<>();
    private final Deque<MockResponse> scripted = new ArrayDeque<>();
    private final AtomicInteger searches = new AtomicInteger();
    private final AtomicInteger productReads = new AtomicInteger();
    private volatile MockResponse always;

    /** Adds a product with a name and a fat value. */
    public FakeOpenFoodFacts product(String offCode, String name) {
        ObjectNode product = JSON.createObjectNode();
        product.put("code", offCode);
        product.put("product_name", name);
        product.put("brands", "Brand of " + name);
        product.putArray("categories_tags").add("en:snacks");
        product.putObject("nutriments").put("fat_100g", 12.5).put("energy-kcal_100g", "420");
        products.put(offCode, product);
        return this;
    }

    /** Serves these responses, in order, before answering normally again. */
    public synchronized FakeOpenFoodFacts thenRespond(MockResponse... responses) {
        scripted.addAll(List.of(responses));
        return this;
    }

    /** Answers every request with this response (null: answer normally). */
    public FakeOpenFoodFacts always(MockResponse response) {
        always = response;
        return this;
    }

    public int searches() {
        return searches.get();
    }

    public int productReads() {
        return productReads.get();
    }

    public int requests() {
        return searches() + productReads();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        String path = url.encodedPath();
        if (path.equals("/api/v2/search")) {
            searches.incrementAndGet();
        } else if (path.startsWith("/api/v2/product/")) {
            productReads.incrementAndGet();
        }
        MockResponse override = nextScripted();
        if (override != null) {
            return override;
        }
        if (always != null) {
            return always;
        }
        if (path.equals("/api/v2/search")) {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode found = answer.putArray("products");
            for (String code : url.queryParameter("code").split(",")) {
                ObjectNode product = products.get(code);
                if (product != null) {
                    found.add(product);
                }
            }
            answer.put("count", found.size());
            answer.put("page", 1);
            answer.put("page_size", 100);
            return json(200, answer.toString());
        }
        if (path.startsWith("/api/v2/product/") && path.endsWith(".json")) {
            String code = path.substring("/api/v2/product/".length(), path.length() - ".json".length());
            ObjectNode product = products.get(code);
            if (product == null) {
                return json(404, "{\"code\":\"" + code + "\",\"status\":0,\"status_verbose\":\"product not found\"}");
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("code", code);
            answer.put("status", 1);
            answer.set("product", product);
            return json(200, answer.toString());
        }
        return json(404, "{\"error\":\"no such endpoint\"}");
    }

    private synchronized MockResponse nextScripted() {
        return scripted.poll();
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }
}
