package org.syncproducts.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a source read into a validated {@link Product}, the same way for every source.
 *
 * <p>A record is refused (an {@link ItemError}) when its barcode is not well formed or a field is
 * longer than {@link ProductField#maxLength()}. A value that cannot be parsed (a nutrient that is
 * not a number, a NOVA group of 7) does not cost the product: the field is left empty and the
 * original text is kept in the product's extra JSON under {@code unparsed.<field>}, so nothing the
 * source said is lost.
 *
 * <p>A product is stored as a person would read it: with no {@code product_name}, the name in the
 * product's own language, else in the first configured language that has one, else in any; with
 * energy only in kJ, kcal = kJ / 4.184.
 */
public final class ProductParser {
    /**
     * The version of what an export line becomes: bump it with any change to parsing or
     * normalizing (this class), to a file source's column mapping or splitting (OffCsvSource), or
     * to the row encoding (ProductRow). It seeds the raw hashes stored with rows written from lines
     * (sync.RawLineShortcut), so after a bump a re-sync parses every line again instead of trusting
     * rows the old code wrote. ParserVersionTest pins what a sample export becomes to this number.
     */
    public static final int VERSION = 1;
    private static final BigDecimal MAX_NUTRIENT = new BigDecimal("100000");
    /**
     * Most decimal places a nutrient may have. A short text like {@code 1e-999999999} is a valid
     * number whose plain form has a billion digits; writing it out would exhaust memory.
     */
    private static final int MAX_NUTRIENT_SCALE = 30;
    /** Kilojoules per kilocalorie (the thermochemical calorie food labels use). */
    private static final BigDecimal KJ_PER_KCAL = new BigDecimal("4.184");
    /** {@link ProductField#values()} without a new array per call. */
    private static final ProductField[] FIELDS = ProductField.values();
    /** Slots of each thread's tag cache ({@link #tag}), a power of two. */
    private static final int TAG_SLOTS = 4096;
    private static final ThreadLocal<String[]> TAGS = ThreadLocal.withInitial(() -> new String[TAG_SLOTS]);
    /** Name languages tried when the caller names none. */
    public static final List<String> DEFAULT_LANGUAGES = List.of("en");

    /** The outcome for one record: a product or the reason there is none. */
    public sealed interface Result permits Parsed, Refused {
    }

    public record Parsed(Product product) implements Result {
    }

    public record Refused(ItemError error) implements Result {
    }

    private ProductParser() {
    }

    /**
     * A record's extra fields: the source's own, and the text of each value that could not be
     * parsed ({@code unparsed.<field>}). The map is copied only when a value is added, which most
     * records never need.
     */
    private static final class Extra {
        private final Map<String, String> given;
        private Map<String, String> added;

        Extra(Map<String, String> given) {
            this.given = given;
        }

        void put(String key, String value) {
            if (added == null) {
                added = new LinkedHashMap<>(given);
            }
            added.put(key, value);
        }

        Map<String, String> all() {
            return added == null ? given : added;
        }
    }

    public static Result parse(RawProduct raw, String source, long position) {
        return parse(raw, source, position, DEFAULT_LANGUAGES);
    }

    /**
     * @param languages name languages to try, in order, after the product's own (sync.languages)
     */
    public static Result parse(RawProduct raw, String source, long position, List<String> languages) {
        String rawCode = raw.get(ProductField.CODE);
        // Fields in declaration order, as the EnumMap holds them: the first too long one is named.
        for (ProductField field : FIELDS) {
            String value = raw.get(field);
            if (value != null && value.length() > field.maxLength()) {
                return new Refused(new ItemError(ErrorType.FIELD_TOO_LONG, position, shorten(rawCode),
                        field.configName() + " has " + value.length() + " characters; at most "
                                + field.maxLength() + " are accepted"));
            }
        }
        Barcode code = Barcode.parse(rawCode).orElse(null);
        if (code == null) {
            return new Refused(new ItemError(ErrorType.INVALID_BARCODE, position, shorten(rawCode),
                    Barcode.whyInvalid(rawCode) + (rawCode == null ? "" : ": '" + shorten(rawCode) + "'")));
        }
        Extra extra = new Extra(raw.extra());
        BigDecimal[] nutrients = new BigDecimal[ProductField.NUTRIENTS.size()];
        for (int i = 0; i < nutrients.length; i++) {
            nutrients[i] = nutrient(raw, ProductField.NUTRIENTS.get(i), extra);
        }
        int energy = ProductField.NUTRIENTS.indexOf(ProductField.ENERGY_KCAL_100G);
        if (nutrients[energy] == null) {
            BigDecimal kilojoules = nutrient(raw, ProductField.ENERGY_KJ_100G, extra);
            if (kilojoules != null) {
                nutrients[energy] = normalized(kilojoules.divide(KJ_PER_KCAL, 1, RoundingMode.HALF_UP));
            }
        }
        Product product = new Product(
                code,
                name(raw, languages),
                text(raw, ProductField.BRANDS),
                categories(raw.get(ProductField.CATEGORIES)),
                text(raw, ProductField.QUANTITY),
                text(raw, ProductField.IMAGE_URL),
                Nutrition.of(nutrients),
                text(raw, ProductField.INGREDIENTS),
                text(raw, ProductField.ALLERGENS),
                categories(raw.get(ProductField.ALLERGENS_TAGS)),
                text(raw, ProductField.TRACES),
                categories(raw.get(ProductField.TRACES_TAGS)),
                nutriscoreGrade(raw, extra),
                novaGroup(raw, extra),
                source,
                modifiedAt(raw, extra),
                extra.all());
        return new Parsed(product);
    }

    private static String text(RawProduct raw, ProductField field) {
        String value = raw.get(field);
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** The product name, else its name in its own language, a configured one, or any (see the class comment). */
    private static String name(RawProduct raw, List<String> languages) {
        String name = text(raw, ProductField.NAME);
        if (name != null || raw.localizedNames().isEmpty()) {
            return name;
        }
        Map<String, String> names = raw.localizedNames();
        List<String> order = new ArrayList<>();
        if (raw.language() != null) {
            order.add(raw.language());
        }
        order.addAll(languages);
        for (String language : order) {
            String localized = names.get(language);
            if (localized != null && !localized.isBlank()) {
                return localized.strip();
            }
        }
        return names.values().stream().filter(value -> !value.isBlank()).map(String::strip).findFirst().orElse(null);
    }

    /** Splits a comma-separated category list; blanks are dropped, order and case are kept. */
    static List<String> categories(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            // Trimmed as String.strip does: whitespace is never a surrogate, so char by char is the same.
            int from = start;
            while (from < end && Character.isWhitespace(value.charAt(from))) {
                from++;
            }
            int to = end;
            while (to > from && Character.isWhitespace(value.charAt(to - 1))) {
                to--;
            }
            if (to > from) {
                tags.add(tag(value, from, to));
            }
            start = end + 1;
        }
        return tags;
    }

    /**
     * {@code value.substring(from, to)}, or an equal string this thread cut before: exports repeat
     * the same few thousand tags on millions of lines, and a new string for each was a sixth of
     * what a bulk load allocated. Direct-mapped (a colliding tag replaces the one in its slot), so
     * the cache stays {@link #TAG_SLOTS} strings on any input.
     */
    private static String tag(String value, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + value.charAt(i);
        }
        String[] slots = TAGS.get();
        int slot = (hash ^ (hash >>> 16)) & (TAG_SLOTS - 1);
        String cached = slots[slot];
        int length = to - from;
        if (cached != null && cached.length() == length && cached.regionMatches(0, value, from, length)) {
            return cached;
        }
        String tag = value.substring(from, to);
        slots[slot] = tag;
        return tag;
    }

    private static BigDecimal nutrient(RawProduct raw, ProductField field, Extra extra) {
        String value = text(raw, field);
        if (value == null) {
            return null;
        }
        BigDecimal plain = plainDecimal(value);
        if (plain != null) {
            return plain;
        }
        BigDecimal number = parseDecimal(value);
        if (number == null || number.signum() < 0 || number.compareTo(MAX_NUTRIENT) > 0
                || number.scale() > MAX_NUTRIENT_SCALE) {
            extra.put("unparsed." + field.configName(), value);
            return null;
        }
        return normalized(number);
    }

    /**
     * The {@linkplain #normalized normalized} value of a plain nutrient like "12.50" or "100" (digits,
     * at most one point between digits, at most 18 digits, no more than {@link #MAX_NUTRIENT}), built
     * without parsing it twice; null for any other text, which takes the general path. Equal in
     * value and scale to what the general path gives, so the stored text and content hash are too.
     */
    static BigDecimal plainDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 19) {
            return null;
        }
        long unscaled = 0;
        int digits = 0;
        int point = -1;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
            } else if (c == '.' && point < 0 && i > 0 && i < length - 1) {
                point = i;
            } else {
                return null;
            }
        }
        if (digits > 18) {
            return null;
        }
        int scale = point < 0 ? 0 : length - 1 - point;
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        BigDecimal number = BigDecimal.valueOf(unscaled, scale);
        return number.compareTo(MAX_NUTRIENT) > 0 ? null : number;
    }

    /** One form per value ("50.0" and "50" are the same fact), so a re-sync sees no change. */
    private static BigDecimal normalized(BigDecimal number) {
        BigDecimal normalized = number.stripTrailingZeros();
        return normalized.scale() < 0 ? normalized.setScale(0) : normalized;
    }

    /** Parses "12.5", "12,5" and "1e2"; null when the text is not a finite number. */
    static BigDecimal parseDecimal(String value) {
        String text = value.strip();
        if (text.indexOf(',') >= 0 && text.indexOf('.') < 0) {
            text = text.replace(',', '.');
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String nutriscoreGrade(RawProduct raw, Extra extra) {
        String value = text(raw, ProductField.NUTRISCORE_GRADE);
        if (value == null) {
            return null;
        }
        String grade = value.toLowerCase(Locale.ROOT);
        if (grade.length() == 1 && grade.charAt(0) >= 'a' && grade.charAt(0) <= 'e') {
            return grade;
        }
        if (!grade.equals("unknown") && !grade.equals("not-applicable")) {
            extra.put("unparsed." + ProductField.NUTRISCORE_GRADE.configName(), value);
        }
        return null;
    }

    private static Integer novaGroup(RawProduct raw, Extra extra) {
        String value = text(raw, ProductField.NOVA_GROUP);
        if (value == null) {
            return null;
        }
        BigDecimal number = parseDecimal(value);
        // Range first: intValue() keeps only the low 32 bits, so 4294967300 would become 4.
        if (number != null && number.compareTo(BigDecimal.ONE) >= 0 && number.compareTo(BigDecimal.valueOf(4)) <= 0
                && number.stripTrailingZeros().scale() <= 0) {
            return number.intValue();
        }
        extra.put("unparsed." + ProductField.NOVA_GROUP.configName(), value);
        return null;
    }

    /** Accepts Unix seconds (Open Food Facts' last_modified_t), ISO-8601 instants and dates. */
    private static Instant modifiedAt(RawProduct raw, Extra extra) {
        String value = text(raw, ProductField.SOURCE_MODIFIED_AT);
        if (value == null) {
            return null;
        }
        try {
            if (allDigits(value)) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            extra.put("unparsed." + ProductField.SOURCE_MODIFIED_AT.configName(), value);
            return null;
        }
    }

    /** Whether every char is a digit (in any script, as {@link Long#parseLong} reads them). */
    private static boolean allDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
