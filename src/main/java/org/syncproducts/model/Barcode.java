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
 * <p>Real data also holds product codes that are not GTINs: short internal or PLU codes (1 to 7
 * digits) and long ones (15 digits and more, store and producer codes in Open Food Facts). They
 * are kept under their own digits, unpadded, with {@link #gtin()} false; their canonical form is
 * never 14 digits long, so it cannot collide with a GTIN's. Only codes that are empty, all zeros,
 * longer than {@link #MAX_DIGITS} or not made of digits are refused.
 *
 * @param canonical       the key products and targets are stored under: 14 digits for a GTIN, the
 *                        code's own digits otherwise
 * @param display         the digits as the source gave them (leading zeros kept)
 * @param checkDigitValid whether the last digit is the GS1 check digit of the others
 * @param gtin            whether the code is a GTIN (8 to 14 digits) normalized to GTIN-14
 */
public record Barcode(String canonical, String display, boolean checkDigitValid, boolean gtin) {

    /** Shortest GTIN (EAN-8). */
    public static final int MIN_LENGTH = 8;
    /** Longest GTIN (GTIN-14), and the length of every GTIN's canonical key. */
    public static final int MAX_LENGTH = 14;
    /** Longest product code accepted at all. */
    public static final int MAX_DIGITS = 64;

    public Barcode {
        if (canonical == null || !allDigits(canonical) || canonical.length() > MAX_DIGITS
                || (gtin ? canonical.length() != MAX_LENGTH : canonical.length() == MAX_LENGTH)) {
            throw new IllegalArgumentException((gtin ? "canonical GTIN must be 14 digits: "
                    : "canonical non-GTIN code must be digits, not 14 of them: ") + canonical);
        }
        if (display == null || display.isEmpty()) {
            throw new IllegalArgumentException("display code is empty");
        }
    }

    /** A GTIN key, for callers that build one from a known-good canonical form. */
    public Barcode(String canonical, String display, boolean checkDigitValid) {
        this(canonical, display, checkDigitValid, true);
    }

    /**
     * Parses a raw code. Spaces and hyphens are ignored; anything else that is not a digit makes
     * the code invalid. 8 to 14 digits (or more with only zeros before the 8 to 14 that count) are
     * a GTIN; other lengths are kept as a non-GTIN code.
     *
     * @return the barcode, or empty when the text is not a usable product code
     */
    public static Optional<Barcode> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = stripSeparators(raw.trim());
        if (digits.length() > MAX_DIGITS || !allDigits(digits)) {
            return Optional.empty();
        }
        int firstSignificant = 0;
        while (firstSignificant < digits.length() && digits.charAt(firstSignificant) == '0') {
            firstSignificant++;
        }
        int significant = digits.length() - firstSignificant;
        if (significant == 0) {
            return Optional.empty();
        }
        boolean gtin = (digits.length() >= MIN_LENGTH && digits.length() <= MAX_LENGTH)
                || (digits.length() > MAX_LENGTH && significant >= MIN_LENGTH && significant <= MAX_LENGTH);
        if (!gtin) {
            return Optional.of(new Barcode(digits, digits, hasValidCheckDigit(digits), false));
        }
        String canonical = "0".repeat(MAX_LENGTH - significant) + digits.substring(firstSignificant);
        return Optional.of(new Barcode(canonical, digits, hasValidCheckDigit(digits), true));
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
        if (digits.length() > MAX_DIGITS) {
            return "barcode has " + digits.length() + " digits; at most " + MAX_DIGITS + " are accepted";
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
     * digits padded to 8 (non-GTIN codes included: Open Food Facts stores them that way too).
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
