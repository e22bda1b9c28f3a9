package org.syncproducts.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The pure parts of the rest source: dotted paths, Link headers, watermark values. */
class FeedValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dottedPathsReachNestedValuesAndArrayElements() throws Exception {
        JsonNode record = JSON.readTree("""
                {"gtin": 3017620422003, "maker": {"name": "Ferrero"}, "images": [{"url": "a.jpg"}, {"url": "b.jpg"}],
                 "tags": ["en:spreads", null, "en:sweet"]}""");
        assertEquals("3017620422003", JsonPath.parse("gtin").text(record));
        assertEquals("Ferrero", JsonPath.parse("maker.name").text(record));
        assertEquals("b.jpg", JsonPath.parse("images[1].url").text(record));
        assertEquals("en:spreads,en:sweet", JsonPath.parse("tags").text(record));
        assertNull(JsonPath.parse("maker.country").text(record));
        assertNull(JsonPath.parse("images[5].url").text(record));
        assertEquals(record, JsonPath.parse("").select(record));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("images[x].url"));
        assertThrows(IllegalArgumentException.class, () -> JsonPath.parse("maker..name"));
    }

    @Test
    void theNextLinkIsFoundAmongOthersAndResolved() {
        HttpUrl base = HttpUrl.get("https://api.example.com/v1/products?page=1");
        Headers headers = Headers.of("Link", "<https://api.example.com/v1/products?page=1>; rel=\"prev first\", "
                + "</v1/products?page=2>; rel=\"next\"");
        assertEquals("https://api.example.com/v1/products?page=2", LinkHeader.next(headers, base).toString());
        assertEquals("https://api.example.com/v1/products?page=3",
                LinkHeader.next(Headers.of("Link", "<?page=3>; title=\"x\"; rel=next"), base).toString());
        assertNull(LinkHeader.next(Headers.of("Link", "</v1/products?page=9>; rel=\"last\""), base));
        assertNull(LinkHeader.next(Headers.of(), base));
    }

    @Test
    void watermarksKeepTheFeedsOwnFormWhenMovedBack() {
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), Watermarks.instant("2026-12-01T09:00:00+01:00"));
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), Watermarks.instant("2026-12-01 08:00:00"));
        assertEquals(Instant.ofEpochSecond(1_764_576_000), Watermarks.instant("1764576000"));
        assertEquals(Instant.ofEpochMilli(1_764_576_000_123L), Watermarks.instant("1764576000123"));
        assertNull(Watermarks.instant("yesterday"));
        assertEquals("1764575400", Watermarks.minus("1764576000", Duration.ofMinutes(10)));
        assertEquals("2026-12-01T07:50:00Z", Watermarks.minus("2026-12-01T09:00:00+01:00", Duration.ofMinutes(10)));
        assertEquals("2026-12-01T09:00:00+01:00", Watermarks.minus("2026-12-01T09:00:00+01:00", Duration.ZERO));
    }
}
