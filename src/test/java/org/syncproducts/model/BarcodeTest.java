package org.syncproducts.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BarcodeTest {

    private static Barcode parsed(String raw) {
        return Barcode.parse(raw).orElseThrow(() -> new AssertionError("refused: '" + raw + "': " + Barcode.whyInvalid(raw)));
    }

    @Test
    void upcAEan13AndGtin14OfOneItemShareTheCanonicalKey() {
        // 036000291452 is the UPC-A of one item; the EAN-13 and GTIN-14 forms only add leading zeros.
        List<Barcode> forms = List.of(parsed("036000291452"), parsed("0036000291452"), parsed("00036000291452"));

        for (Barcode form : forms) {
            assertEquals("00036000291452", form.canonical(), form.display());
            assertTrue(form.checkDigitValid(), form.display());
        }
    }

    @Test
    void ean8AndItsLongerFormsShareTheCanonicalKey() {
        List<Barcode> forms = List.of(parsed("96385074"), parsed("000096385074"), parsed("0000096385074"),
                parsed("00000096385074"));

        for (Barcode form : forms) {
            assertEquals("00000096385074", form.canonical(), form.display());
            assertTrue(form.checkDigitValid(), form.display());
        }
    }

    @Test
    void displayKeepsTheDigitsAsGivenWithLeadingZeros() {
        assertEquals("0036000291452", parsed("0036000291452").display());
        assertEquals("036000291452", parsed("036000291452").display());
    }

    @Test
    void canonicalKeyIsAlwaysFourteenDigits() {
        assertEquals(Barcode.MAX_LENGTH, parsed("96385074").canonical().length());
        assertEquals("12345678901231", parsed("12345678901231").canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381333931", "5901234123457", "3029330003533", "96385074", "036000291452",
            "10036000291459"})
    void validCheckDigitIsRecordedAsValid(String code) {
        assertTrue(parsed(code).checkDigitValid(), code);
        assertTrue(Barcode.hasValidCheckDigit(code), code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381333932", "5901234123450", "96385075", "036000291453", "10036000291458"})
    void wrongCheckDigitIsStillAKeyButRecordedAsInvalid(String code) {
        Barcode barcode = parsed(code);

        assertFalse(barcode.checkDigitValid(), code);
        assertEquals(code, barcode.display());
        assertEquals("0".repeat(14 - code.length()) + code, barcode.canonical());
    }

    @Test
    void checkDigitValidityDoesNotDependOnLeadingZeros() {
        assertEquals(parsed("4006381333931").checkDigitValid(), parsed("04006381333931").checkDigitValid());
        assertEquals(parsed("4006381333932").checkDigitValid(), parsed("04006381333932").checkDigitValid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"036000 291452", "0-36000-29145-2", " 036000291452 ", "0 36000-29145 2"})
    void spacesAndHyphensAreIgnored(String raw) {
        Barcode barcode = parsed(raw);

        assertEquals("00036000291452", barcode.canonical());
        assertEquals("036000291452", barcode.display());
        assertTrue(barcode.checkDigitValid());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "4006381A33931   | barcode has characters other than digits",
            "ABCDEFGH        | barcode has characters other than digits",
            "4006381.333931  | barcode has characters other than digits",
            "0036000291452/1 | barcode has characters other than digits",
            "00000000        | barcode is all zeros",
            "00000000000000  | barcode is all zeros",
    })
    void malformedCodesAreRefusedWithAReason(String raw, String reason) {
        assertEquals(Optional.empty(), Barcode.parse(raw), raw);
        assertEquals(reason, Barcode.whyInvalid(raw));
    }

    @ParameterizedTest
    @CsvSource({
            // short internal and PLU codes
            "1234567,                 1234567",
            "12 34,                   1234",
            "4011,                    4011",
            "0001234,                 0001234",
            // long store and producer codes seen in the Open Food Facts export
            "123456789012345,         123456789012345",
            "2000000012345678901234,  2000000012345678901234",
            "000000000001234,         000000000001234",
    })
    void productCodesThatAreNotGtinsAreKeptUnderTheirOwnDigits(String raw, String canonical) {
        Barcode barcode = parsed(raw);

        assertFalse(barcode.gtin(), raw);
        assertEquals(canonical, barcode.canonical());
        assertEquals(canonical, barcode.display());
        assertNotEquals(Barcode.MAX_LENGTH, barcode.canonical().length(), "never collides with a GTIN key");
    }

    @Test
    void zerosBeforeAGtinInALongerCodeAreDropped() {
        Barcode barcode = parsed("0000003017620422003");

        assertTrue(barcode.gtin());
        assertEquals("03017620422003", barcode.canonical());
        assertEquals(parsed("3017620422003").canonical(), barcode.canonical());
    }

    @Test
    void gtinsAreFlaggedAsGtins() {
        assertTrue(parsed("3017620422003").gtin());
        assertTrue(parsed("96385074").gtin());
        assertTrue(parsed("036000291452").gtin());
    }

    @Test
    void codesLongerThanAnyProductCodeAreRefused() {
        String tooLong = "1".repeat(Barcode.MAX_DIGITS + 1);
        assertEquals(Optional.empty(), Barcode.parse(tooLong));
        assertEquals("barcode has 65 digits; at most 64 are accepted", Barcode.whyInvalid(tooLong));
    }

    @Test
    void nonAsciiDigitsAreRefused() {
        String arabicIndicDigits = "\u0664\u0660\u0660\u0666\u0663\u0668\u0661\u0663\u0663\u0669\u0663\u0661";
        assertEquals(Optional.empty(), Barcode.parse(arabicIndicDigits));
        assertEquals("barcode has characters other than digits", Barcode.whyInvalid(arabicIndicDigits));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " - "})
    void blankCodesAreRefused(String raw) {
        assertEquals(Optional.empty(), Barcode.parse(raw));
    }

    @Test
    void emptyAndNullCodesAreRefusedAsEmpty() {
        assertEquals(Optional.empty(), Barcode.parse(null));
        assertEquals("barcode is empty", Barcode.whyInvalid(null));
        assertEquals("barcode is empty", Barcode.whyInvalid(""));
        assertEquals("barcode is empty", Barcode.whyInvalid("   "));
    }

    @Test
    void recordCannotBeBuiltWithAMalformedCanonicalKey() {
        assertThrows(IllegalArgumentException.class, () -> new Barcode("36000291452", "36000291452", true));
        assertThrows(IllegalArgumentException.class, () -> new Barcode("00036000291452", "36000291452", true, false));
        assertThrows(IllegalArgumentException.class, () -> new Barcode("0003600029145X", "3600029145X", true));
        assertThrows(IllegalArgumentException.class, () -> new Barcode(null, "1", true));
        assertThrows(IllegalArgumentException.class, () -> new Barcode("00036000291452", "", true));
    }

    @ParameterizedTest
    @CsvSource({
            // EAN-13 stays as it is
            "3029330003533,   3029330003533",
            // UPC-A (12 digits) is padded to 13
            "036000291452,    0036000291452",
            "00036000291452,  0036000291452",
            // 9 to 12 significant digits are padded to 13
            "000123456789,    0000123456789",
            // EAN-8 stays 8 digits, also when given padded
            "96385074,        96385074",
            "0000096385074,   96385074",
            // up to 7 significant digits are padded to 8
            "00001234,        00001234",
            "0000000001234,   00001234",
            // an 8-digit EAN-8 with a leading zero keeps its 8 digits
            "04083637,        04083637",
            // GTIN-14 with a packaging indicator stays 14 digits
            "10036000291459,  10036000291459",
    })
    void openFoodFactsCodeFollowsOpenFoodFactsNormalization(String raw, String expected) {
        assertEquals(expected, parsed(raw).openFoodFactsCode());
    }

    @Test
    void allFormsOfOneItemGiveTheSameOpenFoodFactsCode() {
        assertEquals(parsed("036000291452").openFoodFactsCode(), parsed("00036000291452").openFoodFactsCode());
        assertEquals(parsed("96385074").openFoodFactsCode(), parsed("00000096385074").openFoodFactsCode());
    }
}
