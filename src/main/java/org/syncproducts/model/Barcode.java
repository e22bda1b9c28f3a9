package org.syncproducts.model;

import java.util.Optional;

/**
 * A product barcode normalized to one canonical key.
 *
 * <p>UPC-A (12 digits), EAN-8, EAN-13 and GTIN-14 of the same item map to the same
 * {@link #canonical()} key: the digits left-padded with zeros to 14 (the GTIN-14 form). The
 * GS1 mod-10 check digit is validated and the result kept in {@link #checkDigitValid()}: a code
 * with a wrong check digit is still a well-formed key (sources do carry such codes), and
 * {@code verify} reports them.
 *
 * @param canonical       14 digits, the key products and targets are stored under
 * @param display         the digits as the source gave them (leading zeros kept)
 * @param checkDigitValid whether the last digit is the GS1 check digit of the others
 */
public record Barcode(String canonical, String display, boolean checkDigitValid) {

    /** Shortest code accepted (EAN-8). */
    public static final int MIN_LENGTH = 8;
    /** Longest code accepted (GTIN-14). */
    public static final int MAX_LENGTH = 14;

    public Barcode {
        if (canonical == null || canonical.length() != MAX_LENGTH || !allDigits(canonical)) {
            throw new IllegalArgumentException("canonical barcode must be 14 digits: " + canonical);
        }
        if (display == null || display.isEmpty()) {
            throw new IllegalArgumentException("display code is empty");
        }
    }

    /**
     * Parses a raw code. Spaces and hyphens are ignored; anything else that is not a digit, or
     * a length outside 8..14 digits, makes the code invalid.
     *
     * @return the barcode, or empty when the text is not a well-formed barcode
     */
    public static Optional<Barcode> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = stripSeparators(raw.trim());
        if (digits.length() < MIN_LENGTH || digits.length() > MAX_LENGTH || !allDigits(digits)) {
            return Optional.empty();
        }
        String canonical = "0".repeat(MAX_LENGTH - digits.length()) + digits;
        if (canonical.equals("00000000000000")) {
            return Optional.empty();
        }
        return Optional.of(new Barcode(canonical, digits, hasValidCheckDigit(digits)));
    }

    /** Explains why {@link #parse} refused a code, for error rows. */
    public static String whyInvalid(String raw) {
        if (raw == null || raw.isBlank()) {
            return "barcode is empty";
        }
        String digits = stripSeparators(raw.trim());
        if (!allDigits(digits)) {
            return "barcode has characters other than digits";
        }
        if (digits.length() < MIN_LENGTH || digits.length() > MAX_LENGTH) {
            return "barcode has " + digits.length() + " digits; expected 8 to 14";
        }
        return "barcode is all zeros";
    }

    /** True when the last digit is the GS1 mod-10 check digit of the digits before it. */
    public static boolean hasValidCheckDigit(String digits) {
        int sum = 0;
        int last = digits.length() - 1;
        for (int i = last - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (digits.charAt(i) - '0') * weight;
        }
        int expected = (10 - sum % 10) % 10;
        return digits.charAt(last) - '0' == expected;
    }

    /**
     * The code in Open Food Facts' own normalization, used when talking to Open Food Facts:
     * leading zeros stripped, then codes of 9 to 12 digits padded to 13 and codes of up to 7
     * digits padded to 8.
     */
    public String openFoodFactsCode() {
        String stripped = canonical.replaceFirst("^0+", "");
        if (stripped.length() <= 7) {
            return "0".repeat(8 - stripped.length()) + stripped;
        }
        if (stripped.length() >= 9 && stripped.length() <= 12) {
            return "0".repeat(13 - stripped.length()) + stripped;
        }
        return stripped;
    }

    private static String stripSeparators(String text) {
        if (text.indexOf(' ') < 0 && text.indexOf('-') < 0) {
            return text;
        }
        return text.replace(" ", "").replace("-", "");
    }

    private static boolean allDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
