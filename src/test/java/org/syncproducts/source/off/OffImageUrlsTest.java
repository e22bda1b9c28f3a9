package org.syncproducts.source.off;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffImageUrlsTest {

    @Test
    void thirteenDigitCodeIsSplitThreeThreeThreeRest() {
        assertEquals("302/933/000/3533", OffImageUrls.folder("3029330003533"));
    }

    @Test
    void codeOfNineToTwelveDigitsIsPaddedToThirteenBeforeSplitting() {
        assertEquals("004/119/691/0759", OffImageUrls.folder("041196910759"));
        assertEquals("000/012/345/6789", OffImageUrls.folder("123456789"));
    }

    @Test
    void shortCodesArePaddedToThirteenDigitsLikeTheServerDoes() {
        assertEquals("000/004/201/5086", OffImageUrls.folder("42015086"));
        assertEquals("000/000/000/1234", OffImageUrls.folder("1234"));
    }

    @Test
    void leadingZerosAreStrippedBeforePadding() {
        assertEquals("302/933/000/3533", OffImageUrls.folder("03029330003533"));
    }

    @Test
    void codeLongerThanThirteenDigitsKeepsTheRestInTheLastFolder() {
        assertEquals("123/456/789/01234", OffImageUrls.folder("12345678901234"));
    }

    @Test
    void codeWithAnythingButDigitsHasNoFolder() {
        assertNull(OffImageUrls.folder(null));
        assertNull(OffImageUrls.folder(""));
        assertNull(OffImageUrls.folder("30293300035a3"));
        assertNull(OffImageUrls.folder("../../etc"));
    }

    @Test
    void frontImageUrlMatchesTheOneOpenFoodFactsPublishes() {
        // image_url of the real product 3029330003533 (API v2 answer, 2025).
        assertEquals("https://images.openfoodfacts.org/images/products/302/933/000/3533/front_fr.116.400.jpg",
                OffImageUrls.frontImageUrl("3029330003533", "fr", "116"));
    }

    @Test
    void frontImageUrlNeedsADigitRevisionAndAPlainLanguageCode() {
        assertNull(OffImageUrls.frontImageUrl("3029330003533", "fr", null));
        assertNull(OffImageUrls.frontImageUrl("3029330003533", "fr", "11a"));
        assertNull(OffImageUrls.frontImageUrl("3029330003533", "fr/../x", "116"));
        assertNull(OffImageUrls.frontImageUrl("not-a-code", "fr", "116"));
    }

    @Test
    void selectionPrefersTheMainLanguageThenLcThenTheFirstInDocumentOrder() {
        Map<String, String> revisions = new LinkedHashMap<>();
        revisions.put("de", "5");
        revisions.put("en", "9");
        revisions.put("fr", "116");
        String base = "https://images.openfoodfacts.org/images/products/302/933/000/3533/";

        assertEquals(base + "front_fr.116.400.jpg",
                OffImageUrls.selectedFrontImageUrl("3029330003533", revisions, "fr", "en"));
        assertEquals(base + "front_en.9.400.jpg",
                OffImageUrls.selectedFrontImageUrl("3029330003533", revisions, "it", "en"));
        assertEquals(base + "front_de.5.400.jpg",
                OffImageUrls.selectedFrontImageUrl("3029330003533", revisions, null, "it"));
    }

    @Test
    void noUsableFrontImageGivesNoUrl() {
        assertNull(OffImageUrls.selectedFrontImageUrl("3029330003533", Map.of(), "fr", "fr"));
        assertNull(OffImageUrls.selectedFrontImageUrl("3029330003533", Map.of("fr", "x"), "fr", "fr"));
    }
}
