package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncproducts.SyncProductsException;
import org.syncproducts.http.BreakerSettings;
import org.syncproducts.http.HttpSettings;
import org.syncproducts.http.SharedHttpClient;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.lookup.LookupContext;
import org.syncproducts.source.lookup.LookupResult;
import org.syncproducts.support.TestHttpServer;

/** The Open Food Facts API source against a local server speaking its formats. */
class OffApiSourceTest {
    private static final String NUTELLA = "3017620422003";
    private static final String PEANUT_BUTTER = "0012345678905";
    private static final String ABSENT = "4006381333931";
    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(4), 1 << 20, 2, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1));

    private MockWebServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = TestHttpServer.create();
        server.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    private OffApiSource source(String contact) {
        OffApiSource.Settings settings = new OffApiSource.Settings(server.url("/"), contact, 60_000, 60_000, FAST,
                BreakerSettings.defaults());
        return new OffApiSource("off", settings, new LookupContext(Map.of(), new SharedHttpClient(), Clock.systemUTC(),
                "sync-products/1.2.3"));
    }

    static String fixture(String name) {
        try (InputStream in = OffApiSourceTest.class.getResourceAsStream("/off-api/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    private static Barcode code(String text) {
        return Barcode.parse(text).orElseThrow();
    }

    private static RawProduct found(Map<String, LookupResult> results, String code) {
        return assertInstanceOf(LookupResult.Found.class, results.get(code(code).canonical())).product();
    }

    @Test
    void manyCodesGoInOneSearchWithOnlyMappedFields() throws Exception {
        server.enqueue(json(fixture("search-two-products.json")));
        Map<String, LookupResult> results = source("ops@example.org")
                .lookUp(List.of(code(NUTELLA), code(PEANUT_BUTTER), code(ABSENT)));
        RecordedRequest request = server.takeRequest();
        assertEquals("/api/v2/search", request.getRequestUrl().encodedPath());
        assertEquals(NUTELLA + "," + PEANUT_BUTTER + "," + ABSENT, request.getRequestUrl().queryParameter("code"));
        assertEquals("100", request.getRequestUrl().queryParameter("page_size"));
        assertEquals(OffApiSource.FIELDS, request.getRequestUrl().queryParameter("fields"));
        assertEquals("sync-products/1.2.3 (ops@example.org)", request.getHeader("User-Agent"));
        assertEquals(1, server.getRequestCount());

        RawProduct nutella = found(results, NUTELLA);
        assertEquals("Nutella", nutella.get(ProductField.NAME));
        assertEquals("en:spreads,en:sweet-spreads", nutella.get(ProductField.CATEGORIES));
        assertEquals("30.9", nutella.get(ProductField.FAT_100G));
        assertEquals("10.6", nutella.get(ProductField.SATURATED_FAT_100G), "a number given as a string");
        assertEquals("4", nutella.get(ProductField.NOVA_GROUP));
        assertTrue(nutella.get(ProductField.IMAGE_URL).endsWith("front_en.633.400.jpg"));
        RawProduct peanutButter = found(results, PEANUT_BUTTER);
        assertEquals("Peanut Butter", peanutButter.get(ProductField.NAME), "U+0000 is stripped");
        assertEquals("50.0", peanutButter.get(ProductField.FAT_100G));
        assertTrue(!results.containsKey(code(ABSENT).canonical()), "a code absent from the answer is not found");
    }

    @Test
    void codesAreSentInOpenFoodFactsNormalization() throws Exception {
        server.enqueue(json("{\"count\":0,\"products\":[]}"));
        source("ops@example.org").lookUp(List.of(code("012345678905"), code("00000096385074")));
        assertEquals("0012345678905,96385074",
                server.takeRequest().getRequestUrl().queryParameter("code"));
    }

    @Test
    void oneCodeIsAProductReadAndA404IsNotFound() throws Exception {
        server.enqueue(json(fixture("product-found.json")));
        server.enqueue(json(fixture("product-not-found.json")).setResponseCode(404));
        server.enqueue(json(fixture("product-not-found.json")));
        OffApiSource source = source("ops@example.org");
        RawProduct bread = found(source.lookUp(List.of(code("3029330003533"))), "3029330003533");
        assertEquals("Crousti Moelleux Complet", bread.get(ProductField.NAME));
        assertEquals("/api/v2/product/3029330003533.json", server.takeRequest().getRequestUrl().encodedPath());
        assertTrue(source.lookUp(List.of(code(ABSENT))).isEmpty(), "404 is not found");
        assertTrue(source.lookUp(List.of(code(ABSENT))).isEmpty(), "status 0 is not found");
    }

    @Test
    void aFailedRequestFailsEveryCodeItAskedFor() {
        server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html")
                .setBody("<html>Service temporarily unavailable</html>"));
        Map<String, LookupResult> results = source("ops@example.org").lookUp(List.of(code(NUTELLA), code(ABSENT)));
        assertEquals(2, results.size());
        results.values().forEach(result -> assertEquals(ErrorType.BAD_RESPONSE,
                assertInstanceOf(LookupResult.Failed.class, result).type()));
    }

    @Test
    void anAnswerWithoutAProductListIsABadResponse() {
        server.enqueue(json("{\"count\": 2}"));
        LookupResult result = source("ops@example.org").lookUp(List.of(code(NUTELLA), code(ABSENT)))
                .get(code(NUTELLA).canonical());
        LookupResult.Failed failed = assertInstanceOf(LookupResult.Failed.class, result);
        assertEquals(ErrorType.BAD_RESPONSE, failed.type());
        assertTrue(failed.message().contains("no products list"), failed.message());
    }

    @Test
    void refusesToRunWithoutAContact() {
        SyncProductsException refusal = assertThrows(SyncProductsException.class, () -> source(null).checkConfigured());
        assertEquals(78, refusal.exitCode());
        assertTrue(refusal.getMessage().contains("OFF_CONTACT"), refusal.getMessage());
        assertEquals(0, server.getRequestCount());
    }
}
