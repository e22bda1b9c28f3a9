package org.syncproducts.source.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** The UPCitemdb and upcdatabase.org sources against a local server speaking their formats. */
class UpcSourcesTest {
    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(4), 1 << 20, 2, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1));
    private static final Barcode IPHONE = Barcode.parse("0885909950805").orElseThrow();
    private static final Barcode TEST_CODE = Barcode.parse("0111222333446").orElseThrow();

    private MockWebServer server;
    private final LookupContext context = new LookupContext(Map.of(), new SharedHttpClient(), Clock.systemUTC(),
            "sync-products/1.2.3");

    @BeforeEach
    void startServer() throws IOException {
        server = TestHttpServer.create();
        server.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    private static String fixture(String name) {
        try (InputStream in = UpcSourcesTest.class.getResourceAsStream("/upc/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    private UpcItemDbSource upcItemDb(String key) {
        return new UpcItemDbSource("upcitemdb", new UpcApiSettings(server.url("/"), key, 600_000, FAST,
                BreakerSettings.defaults()), context);
    }

    private UpcDatabaseSource upcDatabase(String key) {
        return new UpcDatabaseSource("upc_database", new UpcApiSettings(server.url("/"), key, 600_000,
                FAST, BreakerSettings.defaults()), context);
    }

    private static RawProduct found(Map<String, LookupResult> results, Barcode code) {
        return assertInstanceOf(LookupResult.Found.class, results.get(code.canonical())).product();
    }

    @Test
    void upcItemDbTrialLookupMapsTheFirstItem() throws Exception {
        server.enqueue(json(200, fixture("upcitemdb-found.json")));
        RawProduct phone = found(upcItemDb(null).lookUp(List.of(IPHONE)), IPHONE);
        RecordedRequest request = server.takeRequest();
        assertEquals("/prod/trial/lookup", request.getRequestUrl().encodedPath());
        assertEquals("0885909950805", request.getRequestUrl().queryParameter("upc"));
        assertNull(request.getHeader("user_key"));
        assertEquals("0885909950805", phone.get(ProductField.CODE));
        assertEquals("Apple iPhone 6", phone.get(ProductField.NAME), "U+0000 stripped");
        assertEquals("Apple", phone.get(ProductField.BRANDS));
        assertEquals("Mobile Phones", phone.get(ProductField.CATEGORIES));
        assertEquals("16 GB", phone.get(ProductField.QUANTITY));
        assertEquals("https://example.org/iphone.jpg", phone.get(ProductField.IMAGE_URL));
        assertEquals("Electronics > Communications, Phones > Mobile Phones", phone.extra().get("upc.category"));
    }

    @Test
    void upcItemDbWithAKeyUsesThePaidEndpoint() throws Exception {
        server.enqueue(json(200, fixture("upcitemdb-none.json")));
        assertTrue(upcItemDb("secret-key").lookUp(List.of(IPHONE)).isEmpty(), "total 0 is not found");
        RecordedRequest request = server.takeRequest();
        assertEquals("/prod/v1/lookup", request.getRequestUrl().encodedPath());
        assertEquals("secret-key", request.getHeader("user_key"));
        assertEquals("3scale", request.getHeader("key_type"));
    }

    @Test
    void upcItemDbNotFoundAndInvalidCodes() {
        server.enqueue(json(404, "{\"code\":\"NOT_FOUND\",\"message\":\"No match\"}"));
        server.enqueue(json(400, "{\"code\":\"INVALID_UPC\",\"message\":\"Not a valid UPC code.\"}"));
        UpcItemDbSource source = upcItemDb(null);
        assertTrue(source.lookUp(List.of(IPHONE)).isEmpty());
        LookupResult.Failed invalid = assertInstanceOf(LookupResult.Failed.class,
                source.lookUp(List.of(IPHONE)).get(IPHONE.canonical()));
        assertEquals(ErrorType.VALIDATION, invalid.type());
    }

    @Test
    void upcItemDbStopsAskingWhenItsQuotaIsSpentUntilAFarReset() {
        long tomorrow = Instant.now().plus(Duration.ofDays(1)).getEpochSecond();
        server.enqueue(json(200, fixture("upcitemdb-none.json")).setHeader("X-RateLimit-Limit", "100")
                .setHeader("X-RateLimit-Remaining", "0").setHeader("X-RateLimit-Reset", Long.toString(tomorrow)));
        UpcItemDbSource source = upcItemDb(null);
        assertTrue(source.lookUp(List.of(IPHONE)).isEmpty());
        LookupResult.Failed spent = assertInstanceOf(LookupResult.Failed.class,
                source.lookUp(List.of(TEST_CODE)).get(TEST_CODE.canonical()));
        assertEquals(ErrorType.RATE_LIMIT, spent.type());
        assertEquals(1, server.getRequestCount(), "the second code is not asked");
    }

    @Test
    void upcItemDbQuotaResetInThePastDoesNotHoldRequestsBack() {
        long past = Instant.now().minusSeconds(5).getEpochSecond();
        server.enqueue(json(200, fixture("upcitemdb-none.json")).setHeader("X-RateLimit-Remaining", "0")
                .setHeader("X-RateLimit-Reset", Long.toString(past)));
        server.enqueue(json(200, fixture("upcitemdb-found.json")));
        UpcItemDbSource source = upcItemDb(null);
        source.lookUp(List.of(TEST_CODE));
        found(source.lookUp(List.of(IPHONE)), IPHONE);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void upcDatabaseSendsTheKeyAndMapsTheAnswer() throws Exception {
        server.enqueue(json(200, fixture("upcdatabase-found.json")));
        RawProduct product = found(upcDatabase("k3y").lookUp(List.of(TEST_CODE)), TEST_CODE);
        RecordedRequest request = server.takeRequest();
        assertEquals("/product/0111222333446", request.getRequestUrl().encodedPath());
        assertEquals("Bearer k3y", request.getHeader("Authorization"));
        assertEquals("UPC Database Testing Code", product.get(ProductField.NAME));
        assertEquals("Test Maker", product.get(ProductField.BRANDS), "the manufacturer when the brand is empty");
        assertEquals("Snacks", product.get(ProductField.CATEGORIES));
        assertEquals("123.45", product.extra().get("upc.msrp"));
    }

    @Test
    void upcDatabaseNotFoundInBothShapes() {
        server.enqueue(json(404, fixture("upcdatabase-not-found.json")));
        server.enqueue(json(200, fixture("upcdatabase-not-found.json")));
        UpcDatabaseSource source = upcDatabase("k3y");
        assertTrue(source.lookUp(List.of(TEST_CODE)).isEmpty());
        assertTrue(source.lookUp(List.of(TEST_CODE)).isEmpty());
    }

    @Test
    void upcDatabaseRefusedKeyIsAnAuthError() {
        server.enqueue(json(401, "{\"success\":false,\"error\":{\"code\":401,\"message\":\"Invalid key\"}}"));
        LookupResult.Failed failed = assertInstanceOf(LookupResult.Failed.class,
                upcDatabase("wrong").lookUp(List.of(TEST_CODE)).get(TEST_CODE.canonical()));
        assertEquals(ErrorType.AUTH, failed.type());
        assertEquals(1, server.getRequestCount(), "not retried");
    }

    @Test
    void upcDatabaseWithoutAKeyRefusesToRun() {
        SyncProductsException refusal = assertThrows(SyncProductsException.class,
                () -> upcDatabase(null).checkConfigured());
        assertEquals(78, refusal.exitCode());
        assertTrue(refusal.getMessage().contains("UPC_DATABASE_API_KEY"), refusal.getMessage());
    }

    @Test
    void categoryPathsBecomeOneTag() {
        assertEquals("Mobile Phones", UpcCategories.lastLevel("Electronics > Phones > Mobile Phones"));
        assertEquals("Food Beverages & Tobacco", UpcCategories.lastLevel("Food, Beverages & Tobacco"));
        assertNull(UpcCategories.lastLevel("  "));
    }
}
