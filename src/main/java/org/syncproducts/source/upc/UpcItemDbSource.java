package org.syncproducts.source.upc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.RequestGate;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.lookup.JsonValues;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupResult;

/**
 * UPCitemdb as a fallback lookup source, one code per request:
 * {@code GET /prod/trial/lookup?upc=CODE} without a key (the free trial, 100 a day), or
 * {@code /prod/v1/lookup} with the key from {@code UPCITEMDB_API_KEY} (sent as {@code user_key}).
 * An answer {@code {"code":"OK","total":0}}, a {@code NOT_FOUND} code or a 404 means not found.
 *
 * <p>Besides its own client-side limiter, the source follows UPCitemdb's
 * {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}: with no request left it waits for
 * the reset when that is within {@link HttpSettings#maxRetryAfter()}, and otherwise answers
 * {@code rate_limit} without asking (the daily quota is spent; the codes stay retryable).
 */
public final class UpcItemDbSource extends UpcApiSource {
    public static final String TYPE = "upcitemdb";
    public static final String DEFAULT_BASE_URL = "https://api.upcitemdb.com";
    /** The free trial allows a burst of 6 lookups a minute. */
    public static final double DEFAULT_REQUESTS_PER_MINUTE = 6;
    private static final Logger LOG = LoggerFactory.getLogger(UpcItemDbSource.class);

    private Instant quotaResetsAt;

    public UpcItemDbSource(String name, UpcApiSettings settings, LookupContext context) {
        super(name, settings, context, "lookup");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The key is optional: without it the free trial endpoint is used. */
    @Override
    public List<String> secretVariables() {
        return List.of("UPCITEMDB_API_KEY");
    }

    @Override
    public void checkConfigured() {
        // The trial endpoint needs no key: nothing can be missing.
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> description = super.describe();
        description.put("plan", settings.apiKey() == null ? "trial" : "key");
        return description;
    }

    @Override
    protected LookupResult lookUp(Barcode code, RequestGate gate) {
        LookupResult.Failed quotaSpent = waitForQuota();
        if (quotaSpent != null) {
            return quotaSpent;
        }
        HttpUrl url = settings.baseUrl().newBuilder()
                .addPathSegments(settings.apiKey() == null ? "prod/trial/lookup" : "prod/v1/lookup")
                .addQueryParameter("upc", code.openFoodFactsCode())
                .build();
        Headers headers = settings.apiKey() == null ? Headers.of()
                : new Headers.Builder().add("user_key", settings.apiKey()).add("key_type", "3scale").build();
        try {
            SourceHttpClient.JsonAnswer answer = client().getJson(url, headers, limiter, gate, true);
            noteQuota(answer.headers());
            JsonNode body = answer.body();
            if (answer.status() == 404 || body == null || "NOT_FOUND".equals(JsonValues.text(body.get("code")))) {
                return LookupResult.NotFound.INSTANCE;
            }
            JsonNode items = body.get("items");
            if (items == null || !items.isArray() || items.isEmpty()) {
                return LookupResult.NotFound.INSTANCE;
            }
            return new LookupResult.Found(toRawProduct(items.get(0)));
        } catch (ApiException e) {
            return new LookupResult.Failed(e.type(), e.getMessage(), e.httpStatus(), e.attempts());
        }
    }

    static RawProduct toRawProduct(JsonNode item) {
        RawProduct product = new RawProduct()
                .set(ProductField.CODE, JsonValues.text(item.get("ean")))
                .set(ProductField.NAME, JsonValues.text(item.get("title")))
                .set(ProductField.BRANDS, JsonValues.text(item.get("brand")))
                .set(ProductField.CATEGORIES, UpcCategories.lastLevel(JsonValues.text(item.get("category"))))
                .set(ProductField.QUANTITY, JsonValues.text(item.get("size")))
                .set(ProductField.IMAGE_URL, JsonValues.first(item.get("images")));
        product.putExtra("upc.category", JsonValues.text(item.get("category")));
        product.putExtra("upc.description", JsonValues.text(item.get("description")));
        return product;
    }

    /** Remembers when the quota resets once UPCitemdb says no request is left. */
    private synchronized void noteQuota(Headers headers) {
        String remaining = headers.get("X-RateLimit-Remaining");
        String reset = headers.get("X-RateLimit-Reset");
        if (remaining != null && reset != null && remaining.strip().equals("0") && reset.strip().matches("[0-9]{1,12}")) {
            quotaResetsAt = Instant.ofEpochSecond(Long.parseLong(reset.strip()));
        }
    }

    /** Waits for a spent quota to reset when that is soon; a Failed when it is not. */
    private LookupResult.Failed waitForQuota() {
        Instant resetsAt;
        synchronized (this) {
            resetsAt = quotaResetsAt;
        }
        if (resetsAt == null) {
            return null;
        }
        Duration wait = Duration.between(context.clock().instant(), resetsAt);
        if (wait.isNegative() || wait.isZero()) {
            synchronized (this) {
                quotaResetsAt = null;
            }
            return null;
        }
        if (wait.compareTo(settings.http().maxRetryAfter()) > 0) {
            return new LookupResult.Failed(ErrorType.RATE_LIMIT, name + ": no requests left until " + resetsAt
                    + " (X-RateLimit-Reset); not asked", 429, 1);
        }
        LOG.info("{}: no requests left; waiting {} s for the quota to reset", name, wait.toSeconds());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LookupResult.Failed(ErrorType.RATE_LIMIT, name + ": stopped while waiting for the quota", 429, 1);
        }
        return null;
    }
}
