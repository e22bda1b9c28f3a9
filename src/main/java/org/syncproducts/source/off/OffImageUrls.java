package org.syncproducts.source.off;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the URL of a product's selected front image on the Open Food Facts image server, for
 * product documents (the JSONL dump) that carry an {@code images} object but no ready-made
 * {@code image_url}.
 *
 * <p>The rule is the one Open Food Facts documents in "How to download product images"
 * (https://openfoodfacts.github.io/openfoodfacts-server/api/how-to-download-images/): images live
 * under {@code https://images.openfoodfacts.org/images/products/{folder}/}, where the folder is
 * the barcode split by the regular expression {@code ^(...)(...)(...)(.*)$} (3/3/3/rest, so
 * 3029330003533 becomes 302/933/000/3533), after the code is normalized the way the server's
 * {@code split_code} does it: leading zeros stripped, then padded with zeros to 13 digits (so the
 * 8-digit 42015086 lives in 000/004/201/5086). A selected image is the file {@code {imagefield}_{lc}.{rev}.{size}.jpg}, here
 * {@code front_{lc}.{rev}.400.jpg}, with {@code rev} from {@code images.front_{lc}} or, in the
 * newer shape, {@code images.selected.front.{lc}}.
 */
final class OffImageUrls {
    static final String IMAGES_BASE_URL = "https://images.openfoodfacts.org/images/products/";

    private static final int PADDED_LENGTH = 13;
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern LANGUAGE_CODE = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private OffImageUrls() {
    }

    /**
     * The image folder of a barcode: leading zeros stripped, padded to 13 digits, split 3/3/3/rest.
     *
     * @return the folder, or null when the code is empty or has anything but digits
     */
    static String folder(String code) {
        if (code == null) {
            return null;
        }
        String digits = code.strip();
        if (!DIGITS.matcher(digits).matches()) {
            return null;
        }
        digits = digits.replaceFirst("^0+", "");
        if (digits.isEmpty()) {
            return null;
        }
        if (digits.length() < PADDED_LENGTH) {
            digits = "0".repeat(PADDED_LENGTH - digits.length()) + digits;
        }
        return digits.substring(0, 3) + "/" + digits.substring(3, 6) + "/" + digits.substring(6, 9) + "/"
                + digits.substring(9);
    }

    /**
     * The 400-pixel URL of the front image selected for one language.
     *
     * @param code         the product's barcode
     * @param languageCode the language of the selected image (the {@code fr} of {@code front_fr})
     * @param revision     the selected image's {@code rev}
     * @return the URL, or null when the code, language or revision cannot make a valid URL
     */
    static String frontImageUrl(String code, String languageCode, String revision) {
        String folder = folder(code);
        if (folder == null || languageCode == null || revision == null
                || !LANGUAGE_CODE.matcher(languageCode).matches() || !DIGITS.matcher(revision.strip()).matches()) {
            return null;
        }
        return IMAGES_BASE_URL + folder + "/front_" + languageCode + "." + revision.strip() + ".400.jpg";
    }

    /**
     * Picks the front image to show and returns its URL: the one selected for the product's main
     * language ({@code lang}), else for {@code lc}, else the first selected front image.
     *
     * @param code                 the product's barcode
     * @param revisionsByLanguage  the selected front images' {@code rev} by language, in document order
     * @param mainLanguage         the product's {@code lang}, may be null
     * @param languageCode         the product's {@code lc}, may be null
     * @return the URL, or null when there is no usable front image
     */
    static String selectedFrontImageUrl(String code, Map<String, String> revisionsByLanguage, String mainLanguage,
            String languageCode) {
        for (String language : new String[] {mainLanguage, languageCode}) {
            if (language != null && revisionsByLanguage.containsKey(language)) {
                String url = frontImageUrl(code, language, revisionsByLanguage.get(language));
                if (url != null) {
                    return url;
                }
            }
        }
        for (Map.Entry<String, String> front : revisionsByLanguage.entrySet()) {
            String url = frontImageUrl(code, front.getKey(), front.getValue());
            if (url != null) {
                return url;
            }
        }
        return null;
    }
}
