package org.syncproducts.source.off;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.RequestGate;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.http.RequestPacer;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupResult;
import org.syncproducts.source.lookup.LookupSource;

/**
 * The Open Food Facts API as a lookup source.
 *
 * <p>Many codes are asked in one request through the search endpoint
 * ({@code GET /api/v2/search?code=A,B,...&fields=...&page_size=100}), which is how Open Food Facts
 * asks clients to fetch many products; codes absent from its answer are not found there. A
 * single code is read through the product endpoint ({@code GET /api/v2/product/CODE.json}),
 * where 404 or {@code status: 0} means not found. Only the fields the tool maps are requested.
 * Codes are sent in Open Food Facts' own normalization ({@link Barcode#openFoodFactsCode()}).
 *
 * <p>Open Food Facts has no rate-limit headers: each endpoint kind has its own client-side
 * limiter, by default the published limits (15 product reads and 10 searches a minute). Every
 * request carries {@code User-Agent: sync-products/VERSION (contact)}; without a contact the
 * source refuses to run (exit 78), as Open Food Facts asks.
 */
public final class OffApiSource implements LookupSource {
    public static final String TYPE = "open_food_facts";
    public static final String DEFAULT_BASE_URL = "https://world.openfoodfacts.org";
    /** Open Food Facts' largest page for anonymous clients. */
    public static final int MAX_PAGE_SIZE = 100;
    public static final double DEFAULT_PRODUCT_READS_PER_MINUTE = 15;
    public static final double DEFAULT_SEARCHES_PER_MINUTE = 10;

    /**
     * The fields {@link OffJsonlSource#readProductDocument} maps, so a lookup stores the same product
     * a dump would (names in every language for the name fallback, both nutrition shapes, the
     * images for the front image URL); nothing else is asked for.
     */
    static final String FIELDS = String.join(",", List.of("code", "product_name", "product_name_languages", "lang",
            "lc", "brands", "categories_tags", "quantity", "image_url", "image_front_url", "images", "ingredients_text",
            "allergens", "allergens_tags", "traces", "traces_tags", "nutriscore_grade", "nova_group", "last_modified_t",
            "nutriments", "nutrition"));

    /**
     * How the source is set up.
     *
     * @param baseUrl               e.g. https://world.openfoodfacts.org, or a staging or local server
     * @param contact               the e-mail put in the User-Agent; null refuses to run
     * @param productReadsPerMinute client-side limit of product reads
     * @param searchesPerMinute     client-side limit of searches
     */
    public record Settings(HttpUrl baseUrl, String contact, double productReadsPerMinute, double searchesPerMinute,
                           HttpSettings http, BreakerSettings breaker) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(breaker, "breaker");
        }
    }

    private final String name;
    private final Settings settings;
    private final LookupContext context;
    private final RequestPacer productReads;
    private final RequestPacer searches;
    private final CircuitBreaker breaker;
    private SourceHttpClient client;

    public OffApiSource(String name, Settings settings, LookupContext context) {
        this.name = name;
        this.settings = settings;
        this.context = context;
        this.productReads = RequestPacer.perMinute(name + ".product", settings.productReadsPerMinute());
        this.searches = RequestPacer.perMinute(name + ".search", settings.searchesPerMinute());
        this.breaker = settings.breaker().create(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int maxCodesPerLookup() {
        return MAX_PAGE_SIZE;
    }

    @Override
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void checkConfigured() {
        if (settings.contact() == null || settings.contact().isBlank()) {
            throw SyncProductsException.config("source " + name + ": Open Food Facts asks every client for a contact "
                    + "e-mail in its User-Agent; set sources." + name + ".contact in the config or OFF_CONTACT in the "
                    + "environment; no request was made");
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("base_url", settings.baseUrl().toString());
        description.put("product_reads_per_minute", settings.productReadsPerMinute());
        description.put("searches_per_minute", settings.searchesPerMinute());
        description.put("attempts", settings.http().attempts());
        return description;
    }

    @Override
    public Map<String, LookupResult> lookUp(List<Barcode> codes, RequestGate gate) {
        if (codes.size() > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("at most " + MAX_PAGE_SIZE + " codes per lookup; got " + codes.size());
        }
        Map<String, LookupResult> results = new LinkedHashMap<>();
        if (codes.isEmpty()) {
            return results;
        }
        try {
            if (codes.size() == 1) {
                readProduct(codes.get(0), gate, results);
            } else {
                search(codes, gate, results);
            }
        } catch (ApiException e) {
            LookupResult.Failed failed = new LookupResult.Failed(e.type(), e.getMessage(), e.httpStatus(), e.attempts());
            results.clear();
            codes.forEach(code -> results.put(code.canonical(), failed));
        }
        return results;
    }

    private void readProduct(Barcode code, RequestGate gate, Map<String, LookupResult> results) throws ApiException {
        HttpUrl url = settings.baseUrl().newBuilder()
                .addPathSegments("api/v2/product")
                .addPathSegment(code.openFoodFactsCode() + ".json")
                .addQueryParameter("fields", FIELDS)
                .build();
        SourceHttpClient.JsonAnswer answer = client().getJson(url, Headers.of(), productReads, gate, true);
        JsonNode body = answer.body();
        if (answer.status() == 404 || body == null || body.path("status").asInt(1) == 0) {
            return;
        }
        JsonNode product = body.get("product");
        if (product == null || !product.isObject()) {
            throw malformed(answer, "has no product object");
        }
        RawProduct raw = toRawProduct(product, answer);
        if (raw.get(ProductField.CODE) == null) {
            raw.set(ProductField.CODE, code.display());
        }
        results.put(code.canonical(), new LookupResult.Found(raw));
    }

    private void search(List<Barcode> codes, RequestGate gate, Map<String, LookupResult> results) throws ApiException {
        Map<String, Barcode> asked = new LinkedHashMap<>();
        codes.forEach(code -> asked.put(code.canonical(), code));
        HttpUrl url = settings.baseUrl().newBuilder()
                .addPathSegments("api/v2/search")
                .addQueryParameter("code", String.join(",", codes.stream().map(Barcode::openFoodFactsCode).toList()))
                .addQueryParameter("fields", FIELDS)
                .addQueryParameter("page_size", Integer.toString(MAX_PAGE_SIZE))
                .build();
        SourceHttpClient.JsonAnswer answer = client().getJson(url, Headers.of(), searches, gate, false);
        JsonNode products = answer.body().get("products");
        if (products == null || !products.isArray()) {
            throw malformed(answer, "has no products list");
        }
        for (JsonNode product : products) {
            if (!product.isObject()) {
                throw malformed(answer, "lists something that is not a product object");
            }
            RawProduct raw = toRawProduct(product, answer);
            Barcode.parse(raw.get(ProductField.CODE))
                    .filter(code -> asked.containsKey(code.canonical()))
                    .ifPresent(code -> results.putIfAbsent(code.canonical(), new LookupResult.Found(raw)));
        }
    }

    private RawProduct toRawProduct(JsonNode product, SourceHttpClient.JsonAnswer answer) throws ApiException {
        try (JsonParser parser = product.traverse()) {
            parser.nextToken();
            return OffJsonlSource.readProductDocument(parser);
        } catch (IOException e) {
            throw malformed(answer, "has a product that cannot be read: " + e.getMessage());
        }
    }

    private ApiException malformed(SourceHttpClient.JsonAnswer answer, String what) {
        return new ApiException(ErrorType.BAD_RESPONSE, name + " answered HTTP " + answer.status() + " with JSON that "
                + what, answer.status(), null, null).afterAttempts(answer.attempts());
    }

    private synchronized SourceHttpClient client() {
        if (client == null) {
            client = new SourceHttpClient(name, context.http().get(), settings.http(),
                    context.userAgent(settings.contact()), context.clock());
        }
        return client;
    }
}
