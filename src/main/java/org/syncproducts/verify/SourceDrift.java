package org.syncproducts.verify;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.syncproducts.model.Barcode;
import org.syncproducts.model.Nutrition;
import org.syncproducts.model.Product;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.lookup.LookupResult;
import org.syncproducts.source.lookup.LookupSource;

/**
 * Re-fetches a random sample of the products an API (lookup) source produced and compares the
 * answer, field by field, with what the database holds: drift means the database no longer
 * shows what the source says.
 */
public final class SourceDrift {
    /** The product fields compared (what a sync takes from a source; times and extras are not). */
    static final List<String> FIELDS = List.of("name", "brands", "categories", "quantity", "image_url",
            "energy_kcal_100g", "fat_100g", "saturated_fat_100g", "carbohydrates_100g", "sugars_100g", "fiber_100g",
            "proteins_100g", "salt_100g", "sodium_100g", "ingredients", "allergens", "nutriscore_grade", "nova_group");

    /**
     * What the comparison found.
     *
     * @param sampled        products taken from the database
     * @param inSync         whose re-fetched data matches
     * @param drifted        whose data differs in at least one field
     * @param notFound       the source no longer has
     * @param fetchFailed    that could not be fetched (network, HTTP errors): not compared
     * @param fieldCounts    drifted products by field
     * @param examples       a few differences, "code field: stored -> now"
     * @param driftedCodes   the canonical codes that drifted or are gone, for a targeted resync
     */
    public record Result(int sampled, int inSync, int drifted, int notFound, int fetchFailed,
                         Map<String, Integer> fieldCounts, List<String> examples, List<String> driftedCodes) {
        public boolean agrees() {
            return drifted == 0 && notFound == 0 && (sampled == 0 || fetchFailed < sampled);
        }
    }

    private final Jdbi jdbi;
    private final List<String> languages;

    /** @param languages the name languages syncs use (sync.languages), so names are compared as stored */
    public SourceDrift(Jdbi jdbi, List<String> languages) {
        this.jdbi = jdbi;
        this.languages = languages;
    }

    public Result compare(LookupSource source, int sampleSize) {
        List<Map<String, Object>> stored = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT code, display_code, name, brands, array_to_string(categories, ',') AS categories,
                               quantity, image_url, energy_kcal_100g, fat_100g, saturated_fat_100g,
                               carbohydrates_100g, sugars_100g, fiber_100g, proteins_100g, salt_100g, sodium_100g,
                               ingredients, allergens, nutriscore_grade, nova_group
                        FROM products WHERE source = :source AND deleted_at IS NULL
                        ORDER BY random() LIMIT :limit""")
                .bind("source", source.name()).bind("limit", sampleSize).mapToMap().list());
        int inSync = 0;
        int drifted = 0;
        int notFound = 0;
        int failed = 0;
        Map<String, Integer> fieldCounts = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        List<String> driftedCodes = new ArrayList<>();
        int chunkSize = Math.max(1, source.maxCodesPerLookup());
        for (int from = 0; from < stored.size(); from += chunkSize) {
            List<Map<String, Object>> chunk = stored.subList(from, Math.min(stored.size(), from + chunkSize));
            List<Barcode> codes = chunk.stream()
                    .map(row -> Barcode.parse((String) row.get("display_code"))
                            .or(() -> Barcode.parse((String) row.get("code")))
                            .orElseThrow(() -> new IllegalStateException("stored code is not a barcode: " + row.get("code"))))
                    .toList();
            Map<String, LookupResult> answers = source.lookUp(codes);
            for (Map<String, Object> row : chunk) {
                String code = (String) row.get("code");
                LookupResult answer = answers.get(code);
                if (answer == null || answer instanceof LookupResult.NotFound) {
                    notFound++;
                    driftedCodes.add(code);
                    addExample(examples, code + ": no longer at " + source.name());
                } else if (answer instanceof LookupResult.Failed) {
                    failed++;
                } else if (answer instanceof LookupResult.Found found
                        && ProductParser.parse(found.product(), source.name(), 0, languages) instanceof ProductParser.Parsed parsed) {
                    Map<String, String> now = fields(parsed.product());
                    List<String> differing = new ArrayList<>();
                    for (String field : FIELDS) {
                        if (!same(row.get(field), now.get(field))) {
                            differing.add(field);
                            fieldCounts.merge(field, 1, Integer::sum);
                            addExample(examples, code + " " + field + ": '" + text(row.get(field)) + "' -> '"
                                    + text(now.get(field)) + "'");
                        }
                    }
                    if (differing.isEmpty()) {
                        inSync++;
                    } else {
                        drifted++;
                        driftedCodes.add(code);
                    }
                } else {
                    // The source answered with a record the parser refuses (e.g. a code it rewrote): not comparable.
                    failed++;
                }
            }
        }
        return new Result(stored.size(), inSync, drifted, notFound, failed, fieldCounts, examples, driftedCodes);
    }

    private static void addExample(List<String> examples, String example) {
        if (examples.size() < IntegrityRepository.EXAMPLES) {
            examples.add(example);
        }
    }

    /** A product's compared fields as text, in the database's terms. */
    static Map<String, String> fields(Product product) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", product.name());
        fields.put("brands", product.brands());
        fields.put("categories", String.join(",", product.categories()));
        fields.put("quantity", product.quantity());
        fields.put("image_url", product.imageUrl());
        Nutrition nutrition = product.nutrition();
        List<BigDecimal> values = nutrition.values().toList();
        List<String> nutrients = FIELDS.subList(5, 14);
        for (int i = 0; i < nutrients.size(); i++) {
            fields.put(nutrients.get(i), values.get(i) == null ? null : values.get(i).toPlainString());
        }
        fields.put("ingredients", product.ingredients());
        fields.put("allergens", product.allergens());
        fields.put("nutriscore_grade", product.nutriscoreGrade());
        fields.put("nova_group", product.novaGroup() == null ? null : product.novaGroup().toString());
        return fields;
    }

    /** Equal as the database means it: numbers by value (12.50 = 12.5), text exactly, empty = null. */
    static boolean same(Object stored, String now) {
        String storedText = text(stored);
        String nowText = now == null || now.isEmpty() ? null : now;
        if (storedText == null || nowText == null) {
            return storedText == null && nowText == null;
        }
        if (stored instanceof BigDecimal number) {
            try {
                return number.compareTo(new BigDecimal(nowText)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Objects.equals(storedText, nowText);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
        return text.isEmpty() ? null : text;
    }
}
