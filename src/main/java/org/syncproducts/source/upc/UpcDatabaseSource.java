package org.syncproducts.source.upc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.ApiException;
import org.syncproducts.http.RequestGate;
import org.syncproducts.http.SourceHttpClient;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.lookup.JsonValues;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupResult;

/**
 * upcdatabase.org as a fallback lookup source, one code per request:
 * {@code GET /product/CODE} with {@code Authorization: Bearer KEY}, the key from
 * {@code UPC_DATABASE_API_KEY} (never from the config file). A 404, or
 * {@code {"success":false,"error":{"code":404}}}, means not found.
 */
public final class UpcDatabaseSource extends UpcApiSource {
    public static final String TYPE = "upc_database";
    public static final String DEFAULT_BASE_URL = "https://api.upcdatabase.org";
    public static final String KEY_VARIABLE = "UPC_DATABASE_API_KEY";
    public static final double DEFAULT_REQUESTS_PER_MINUTE = 10;

    public UpcDatabaseSource(String name, UpcApiSettings settings, LookupContext context) {
        super(name, settings, context, "product");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> secretVariables() {
        return List.of(KEY_VARIABLE);
    }

    @Override
    public void checkConfigured() {
        if (settings.apiKey() == null) {
            throw SyncProductsException.config("source " + name + ": upcdatabase.org needs an API key; set "
                    + KEY_VARIABLE + " in the environment (keys are never read from the config file)");
        }
    }

    @Override
    protected LookupResult lookUp(Barcode code, RequestGate gate) {
        HttpUrl url = settings.baseUrl().newBuilder().addPathSegment("product")
                .addPathSegment(code.openFoodFactsCode()).build();
        Headers headers = new Headers.Builder().add("Authorization", "Bearer " + settings.apiKey()).build();
        try {
            SourceHttpClient.JsonAnswer answer = client().getJson(url, headers, limiter, gate, true);
            JsonNode body = answer.body();
            if (answer.status() == 404 || body == null) {
                return LookupResult.NotFound.INSTANCE;
            }
            if (body.path("success").isBoolean() && !body.path("success").asBoolean()) {
                JsonNode error = body.path("error");
                int errorCode = error.path("code").asInt(0);
                if (errorCode == 404) {
                    return LookupResult.NotFound.INSTANCE;
                }
                ErrorType type = errorCode == 401 || errorCode == 403 ? ErrorType.AUTH
                        : errorCode == 429 ? ErrorType.RATE_LIMIT : ErrorType.BAD_RESPONSE;
                return new LookupResult.Failed(type, name + " refused the lookup: "
                        + JsonValues.text(error.get("message")), errorCode == 0 ? answer.status() : errorCode,
                        answer.attempts());
            }
            return new LookupResult.Found(toRawProduct(body));
        } catch (ApiException e) {
            return new LookupResult.Failed(e.type(), e.getMessage(), e.httpStatus(), e.attempts());
        }
    }

    static RawProduct toRawProduct(JsonNode body) {
        String brand = JsonValues.text(body.get("brand"));
        String manufacturer = JsonValues.text(body.get("manufacturer"));
        RawProduct product = new RawProduct()
                .set(ProductField.CODE, JsonValues.text(body.get("barcode")))
                .set(ProductField.NAME, JsonValues.text(body.get("title")))
                .set(ProductField.BRANDS, brand != null && !brand.isBlank() ? brand : manufacturer)
                .set(ProductField.CATEGORIES, UpcCategories.lastLevel(JsonValues.text(body.get("category"))))
                .set(ProductField.IMAGE_URL, JsonValues.first(body.get("images")));
        product.putExtra("upc.category", JsonValues.text(body.get("category")));
        product.putExtra("upc.description", JsonValues.text(body.get("description")));
        product.putExtra("upc.msrp", JsonValues.text(body.get("msrp")));
        return product;
    }
}
