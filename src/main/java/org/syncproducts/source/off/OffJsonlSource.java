package org.syncproducts.source.off;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.syncproducts.SyncProductsException;
import org.syncproducts.model.ErrorType;
import org.syncproducts.model.ItemError;
import org.syncproducts.model.ProductField;
import org.syncproducts.model.RawProduct;
import org.syncproducts.source.InputProgress;
import org.syncproducts.source.RecordStream;
import org.syncproducts.source.SourceRecord;
import org.syncproducts.source.file.FileInput;
import org.syncproducts.source.file.FileSource;
import org.syncproducts.source.file.LineReader;
import org.syncproducts.source.file.LineRecordStream;

/**
 * The Open Food Facts JSONL dump ({@code openfoodfacts-products.jsonl[.gz]}): one product JSON
 * document per line, no header, so positions are line numbers starting at 1.
 *
 * <p>Each line is read with Jackson's streaming parser: only the mapped fields are decoded and
 * everything else is skipped, since a product document can be 100 KB. Values are passed on as
 * text (numbers with their exact decimal text) for {@link org.syncproducts.model.ProductParser}
 * to validate; U+0000, which JSON escapes can produce and PostgreSQL text cannot hold, is removed
 * from every value kept. Nutrition is read from the flat {@code nutriments} object
 * ({@code fat_100g}, ...) and from the 2026 shape
 * {@code nutrition.aggregated_set.nutrients.{id}.{value,unit}}, converted to grams (energy to
 * kcal); a flat value wins over an aggregated one for the same nutrient. When the document has
 * no {@code image_url} or {@code image_front_url}, the front image URL is built from its
 * {@code images} object (see {@link OffImageUrls}).
 *
 * <p>A line that is not a JSON object becomes a {@link ErrorType#MALFORMED_LINE} failure; a file
 * whose first non-blank line is not a JSON object is refused when opened (exit 65). The same
 * reading serves any stream in this format ({@link #records}, the daily delta files). The state
 * reported is the largest {@code last_modified_t} read (see {@link ExportHorizon}).
 */
public final class OffJsonlSource extends FileSource {
    public static final String TYPE = "off-jsonl";

    /** One factory for every parser: it is thread-safe and holds the shared symbol tables. */
    private static final JsonFactory JSON = new JsonFactory();

    private static final int MAX_MESSAGE_LENGTH = 300;
    private static final int MAX_ERROR_CODE_LENGTH = 64;
    /** {@code product_name_fr}: the name in one language (not {@code product_name_fr_imported} and the like). */
    private static final Pattern LOCALIZED_NAME = Pattern.compile("product_name_([a-z]{2,3})");
    /** Open Food Facts documents {@code energy_100g} in kJ; it is read when {@code energy-kj_100g} is absent. */
    private static final String ENERGY_IN_KJ = "energy_100g";

    /** Flat {@code nutriments} keys to product fields (energy in kJ is turned into kcal by the parser). */
    static final Map<String, ProductField> FLAT_NUTRIENTS = Map.of(
            "energy-kcal_100g", ProductField.ENERGY_KCAL_100G,
            "energy-kj_100g", ProductField.ENERGY_KJ_100G,
            "fat_100g", ProductField.FAT_100G,
            "saturated-fat_100g", ProductField.SATURATED_FAT_100G,
            "carbohydrates_100g", ProductField.CARBOHYDRATES_100G,
            "sugars_100g", ProductField.SUGARS_100G,
            "fiber_100g", ProductField.FIBER_100G,
            "proteins_100g", ProductField.PROTEINS_100G,
            "salt_100g", ProductField.SALT_100G,
            "sodium_100g", ProductField.SODIUM_100G);

    /** {@code nutrition.aggregated_set.nutrients} ids to product fields. */
    static final Map<String, ProductField> AGGREGATED_NUTRIENTS = Map.of(
            "energy-kcal", ProductField.ENERGY_KCAL_100G,
            "energy-kj", ProductField.ENERGY_KJ_100G,
            "fat", ProductField.FAT_100G,
            "saturated-fat", ProductField.SATURATED_FAT_100G,
            "carbohydrates", ProductField.CARBOHYDRATES_100G,
            "sugars", ProductField.SUGARS_100G,
            "fiber", ProductField.FIBER_100G,
            "proteins", ProductField.PROTEINS_100G,
            "salt", ProductField.SALT_100G,
            "sodium", ProductField.SODIUM_100G);


    public OffJsonlSource(String name, Path path) {
        super(name, path);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RecordStream open(long resumeAfter) throws IOException {
        return open(resumeAfter, null);
    }

    @Override
    public RecordStream open(long resumeAfter, JsonNode state) throws IOException {
        checkFormat();
        FileInput input = FileInput.open(path());
        LineReader reader = new LineReader(input.content(), LineRecordStream.MAX_LINE_BYTES);
        return new Stream(input.path().getFileName().toString(), input::progress, reader, resumeAfter,
                new ExportHorizon(state));
    }

    /**
     * Reads product documents in this format from any stream (decompressed already), with no format
     * check first: lines that are not product documents are item failures.
     *
     * @param inputName   names the input in messages
     * @param content     the lines; closed with the stream
     * @param progress    how much of the input was read
     * @param resumeAfter lines up to this number are skipped
     */
    public static RecordStream records(String inputName, InputStream content, Supplier<InputProgress> progress,
                                       long resumeAfter) {
        return new Stream(inputName, progress, new LineReader(content, LineRecordStream.MAX_LINE_BYTES), resumeAfter,
                new ExportHorizon(null));
    }

    /**
     * Reads up to the first non-blank line in a separate pass (so the stream still starts at
     * line 1) and refuses the file unless that line is one complete JSON object.
     */
    private void checkFormat() throws IOException {
        FileInput input = FileInput.open(path());
        try (LineReader reader = new LineReader(input.content(), LineRecordStream.MAX_LINE_BYTES)) {
            LineReader.Line line = LineRecordStream.firstLine(reader);
            while (line != null && line.text() != null && line.text().isBlank()) {
                line = LineRecordStream.firstLine(reader);
            }
            String refusal = path() + " is not an Open Food Facts JSONL dump";
            if (line == null) {
                throw SyncProductsException.badInput(refusal + ": it has no readable line");
            }
            if (line.text() == null) {
                String why = line.problem() == LineReader.Problem.TOO_LONG
                        ? "it is longer than " + (LineRecordStream.MAX_LINE_BYTES >> 20) + " MiB"
                        : "it is not valid UTF-8";
                throw SyncProductsException.badInput(refusal + ": line " + line.number() + " is not a JSON object ("
                        + why + ")");
            }
            if (!isOneJsonObject(stripByteOrderMark(line.text()))) {
                throw SyncProductsException.badInput(refusal + ": line " + line.number()
                        + " is not a JSON object (expected one product document per line)");
            }
        }
    }

    private static boolean isOneJsonObject(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            // Not parseable as JSON: the caller refuses the file and names the line.
            return false;
        }
    }

    private static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Removes U+0000, which a JSON escape can produce and PostgreSQL text cannot store. */
    static String stripNul(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
    }

    private static final class Stream extends LineRecordStream {
        private final ExportHorizon horizon;

        Stream(String inputName, Supplier<InputProgress> progress, LineReader reader, long resumeAfter,
               ExportHorizon horizon) {
            super(inputName, progress, reader, resumeAfter);
            this.horizon = horizon;
        }

        @Override
        public JsonNode state() {
            return horizon.state();
        }

        @Override
        protected SourceRecord parse(long lineNumber, String text) {
            String json = lineNumber == 1 ? stripByteOrderMark(text) : text;
            Document document = new Document();
            String problem;
            try (JsonParser parser = JSON.createParser(json)) {
                JsonToken first = parser.nextToken();
                if (first != JsonToken.START_OBJECT) {
                    problem = "line is not a JSON object (it holds " + describe(first) + ")";
                } else {
                    readProduct(parser, document);
                    if (parser.nextToken() != null) {
                        problem = "line has more after the JSON object; expected one product document per line";
                    } else {
                        RawProduct product = document.toRawProduct();
                        horizon.see(product);
                        return new SourceRecord.Item(lineNumber, product);
                    }
                }
            } catch (IOException e) {
                problem = "line is not valid JSON: " + describe(e);
            }
            String code = document.code();
            return new SourceRecord.Failure(lineNumber, new ItemError(ErrorType.MALFORMED_LINE, lineNumber,
                    code == null || code.length() > MAX_ERROR_CODE_LENGTH ? null : code, problem));
        }

        private static String describe(JsonToken token) {
            if (token == null) {
                return "no JSON value";
            }
            return switch (token) {
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> token.asString() == null ? token.name() : token.asString();
            };
        }

        private static String describe(IOException e) {
            if (e instanceof JsonEOFException) {
                return "the document ends before it is complete (a cut line?)";
            }
            String message = e instanceof JsonProcessingException processing
                    ? processing.getOriginalMessage() : e.getMessage();
            if (message == null) {
                message = e.getClass().getSimpleName();
            }
            int newline = message.indexOf('\n');
            if (newline >= 0) {
                message = message.substring(0, newline);
            }
            if (!(e instanceof StreamConstraintsException) && e instanceof JsonProcessingException processing) {
                JsonLocation location = processing.getLocation();
                if (location != null && location.getColumnNr() > 0) {
                    message += " (column " + location.getColumnNr() + ")";
                }
            }
            return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
        }
    }

    /**
     * Maps one Open Food Facts product document, whatever it came from (a dump line, an API
     * answer): the parser is on the document's START_OBJECT and ends on its END_OBJECT.
     */
    static RawProduct readProductDocument(JsonParser parser) throws IOException {
        Document document = new Document();
        readProduct(parser, document);
        return document.toRawProduct();
    }

    /** Reads the top-level product object; the parser is on its START_OBJECT and ends on its END_OBJECT. */
    private static void readProduct(JsonParser parser, Document document) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "code" -> document.code = scalar(parser);
                case "_id" -> document.id = scalar(parser);
                case "product_name" -> document.name = scalar(parser);
                case "brands" -> document.brands = scalar(parser);
                case "categories_tags" -> document.categories = joined(parser);
                case "quantity" -> document.quantity = scalar(parser);
                case "image_url" -> document.imageUrl = scalar(parser);
                case "image_front_url" -> document.imageFrontUrl = scalar(parser);
                case "ingredients_text" -> document.ingredients = scalar(parser);
                case "allergens" -> document.allergens = scalar(parser);
                case "allergens_tags" -> document.allergensTags = joined(parser);
                case "traces" -> document.traces = scalar(parser);
                case "traces_tags" -> document.tracesTags = joined(parser);
                case "nutriscore_grade" -> document.nutriscoreGrade = scalar(parser);
                case "nova_group" -> document.novaGroup = scalar(parser);
                case "last_modified_t" -> document.lastModified = scalar(parser);
                case "lang" -> document.mainLanguage = scalar(parser);
                case "lc" -> document.languageCode = scalar(parser);
                case "nutriments" -> readFlatNutrients(parser, document);
                case "nutrition" -> readNutrition(parser, document);
                case "images" -> readImages(parser, document);
                case "product_name_languages" -> readLocalizedNames(parser, document);
                default -> {
                    Matcher localized = LOCALIZED_NAME.matcher(field);
                    if (localized.matches()) {
                        document.localizedNames.putIfAbsent(localized.group(1), scalar(parser));
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
    }

    /**
     * The text of a scalar value (numbers keep their exact decimal text), without U+0000; null for
     * JSON null, an object or an array (which is skipped).
     */
    private static String scalar(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null || token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            parser.skipChildren();
            return null;
        }
        return stripNul(parser.getText());
    }

    /** An array of tags joined with commas (a plain string is taken as it is). */
    private static String joined(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            return scalar(parser);
        }
        List<String> tags = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String tag = scalar(parser);
            if (tag != null && !tag.isBlank()) {
                tags.add(tag);
            }
        }
        return String.join(",", tags);
    }

    /** {@code product_name_languages}, the API's object of names by language. */
    private static void readLocalizedNames(JsonParser parser, Document document) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String language = parser.currentName();
            parser.nextToken();
            document.localizedNames.putIfAbsent(language, scalar(parser));
        }
    }

    private static void readFlatNutrients(JsonParser parser, Document document) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            ProductField field = FLAT_NUTRIENTS.get(key);
            parser.nextToken();
            if (key.equals(ENERGY_IN_KJ)) {
                document.energyInKj = scalar(parser);
            } else if (field == null) {
                parser.skipChildren();
            } else {
                document.flatNutrients.put(field, scalar(parser));
            }
        }
    }

    /** {@code nutrition}: only {@code aggregated_set} is read. */
    private static void readNutrition(JsonParser parser, Document document) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("aggregated_set") && parser.currentToken() == JsonToken.START_OBJECT) {
                readAggregatedSet(parser, document);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readAggregatedSet(JsonParser parser, Document document) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("per")) {
                document.aggregatedPer = scalar(parser);
            } else if (field.equals("nutrients") && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    ProductField nutrient = AGGREGATED_NUTRIENTS.get(parser.currentName());
                    parser.nextToken();
                    if (nutrient == null || parser.currentToken() != JsonToken.START_OBJECT) {
                        parser.skipChildren();
                    } else {
                        document.aggregatedNutrients.put(nutrient, readAmount(parser));
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    private static Amount readAmount(JsonParser parser) throws IOException {
        String value = null;
        String unit = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "value" -> value = scalar(parser);
                case "unit" -> unit = scalar(parser);
                default -> parser.skipChildren();
            }
        }
        return new Amount(value, unit);
    }

    /** {@code images}: the {@code front_{lc}} entries and {@code selected.front.{lc}}, by their {@code rev}. */
    private static void readImages(JsonParser parser, Document document) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            if (key.startsWith("front_") && key.length() > "front_".length()) {
                String revision = readRevision(parser);
                if (revision != null) {
                    document.frontRevisions.putIfAbsent(key.substring("front_".length()), revision);
                }
            } else if (key.equals("selected") && parser.currentToken() == JsonToken.START_OBJECT) {
                readSelectedImages(parser, document);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void readSelectedImages(JsonParser parser, Document document) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String imageField = parser.currentName();
            parser.nextToken();
            if (imageField.equals("front") && parser.currentToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String language = parser.currentName();
                    parser.nextToken();
                    String revision = readRevision(parser);
                    if (revision != null) {
                        document.selectedFrontRevisions.putIfAbsent(language, revision);
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    /** The {@code rev} of one selected image object; null when it has none. */
    private static String readRevision(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String revision = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("rev")) {
                revision = scalar(parser);
            } else {
                parser.skipChildren();
            }
        }
        return revision;
    }

    /** A nutrient of {@code nutrition.aggregated_set}, as given. */
    private record Amount(String value, String unit) {
    }

    /** The fields of one product document picked up while parsing, in whatever order they came. */
    private static final class Document {
        private String code;
        private String id;
        private String name;
        private String brands;
        private String categories;
        private String quantity;
        private String imageUrl;
        private String imageFrontUrl;
        private String ingredients;
        private String allergens;
        private String allergensTags;
        private String traces;
        private String tracesTags;
        private String energyInKj;
        private final Map<String, String> localizedNames = new LinkedHashMap<>();
        private String nutriscoreGrade;
        private String novaGroup;
        private String lastModified;
        private String mainLanguage;
        private String languageCode;
        private String aggregatedPer;
        private final Map<ProductField, String> flatNutrients = new EnumMap<>(ProductField.class);
        private final Map<ProductField, Amount> aggregatedNutrients = new EnumMap<>(ProductField.class);
        private final Map<String, String> frontRevisions = new LinkedHashMap<>();
        private final Map<String, String> selectedFrontRevisions = new LinkedHashMap<>();

        /** {@code code}, else {@code _id}. */
        String code() {
            return isPresent(code) ? code : isPresent(id) ? id : null;
        }

        RawProduct toRawProduct() {
            RawProduct product = new RawProduct();
            String productCode = code();
            product.set(ProductField.CODE, productCode);
            product.set(ProductField.NAME, name);
            product.set(ProductField.BRANDS, brands);
            product.set(ProductField.CATEGORIES, categories);
            product.set(ProductField.QUANTITY, quantity);
            product.set(ProductField.IMAGE_URL, imageUrl(productCode));
            product.set(ProductField.INGREDIENTS, ingredients);
            product.set(ProductField.ALLERGENS, isPresent(allergens) ? allergens : allergensTags);
            product.set(ProductField.ALLERGENS_TAGS, allergensTags);
            product.set(ProductField.TRACES, traces);
            product.set(ProductField.TRACES_TAGS, tracesTags);
            product.language(mainLanguage).language(languageCode);
            localizedNames.forEach(product::putLocalizedName);
            product.set(ProductField.NUTRISCORE_GRADE, nutriscoreGrade);
            product.set(ProductField.NOVA_GROUP, novaGroup);
            product.set(ProductField.SOURCE_MODIFIED_AT, lastModified);
            boolean aggregatedPer100 = aggregatedPer == null || aggregatedPer.strip().equalsIgnoreCase("100g")
                    || aggregatedPer.strip().equalsIgnoreCase("100ml");
            List<ProductField> nutrients = new ArrayList<>(ProductField.NUTRIENTS);
            nutrients.add(ProductField.ENERGY_KJ_100G);
            flatNutrients.putIfAbsent(ProductField.ENERGY_KJ_100G, energyInKj);
            for (ProductField nutrient : nutrients) {
                String flat = flatNutrients.get(nutrient);
                if (isPresent(flat)) {
                    product.set(nutrient, flat);
                } else if (aggregatedPer100 && aggregatedNutrients.containsKey(nutrient)) {
                    setAggregated(product, nutrient, aggregatedNutrients.get(nutrient));
                }
            }
            return product;
        }

        private String imageUrl(String productCode) {
            if (isPresent(imageUrl)) {
                return imageUrl;
            }
            if (isPresent(imageFrontUrl)) {
                return imageFrontUrl;
            }
            Map<String, String> revisions = new LinkedHashMap<>(frontRevisions);
            selectedFrontRevisions.forEach(revisions::putIfAbsent);
            return revisions.isEmpty() ? null
                    : OffImageUrls.selectedFrontImageUrl(productCode, revisions, mainLanguage, languageCode);
        }

        private static boolean isPresent(String value) {
            return value != null && !value.isBlank();
        }
    }

    /**
     * Sets an aggregated nutrient in grams (energy in kcal, or in kJ for the parser to convert). A
     * value that is not a number or has a
     * unit that cannot be converted is kept as {@code unparsed.<field>}, the way
     * {@link org.syncproducts.model.ProductParser} keeps values it cannot parse.
     */
    private static void setAggregated(RawProduct product, ProductField nutrient, Amount amount) {
        String value = amount.value() == null ? null : amount.value().strip();
        if (value == null || value.isEmpty()) {
            return;
        }
        String unit = amount.unit() == null ? "" : amount.unit().strip().toLowerCase(Locale.ROOT);
        boolean energy = nutrient == ProductField.ENERGY_KCAL_100G || nutrient == ProductField.ENERGY_KJ_100G;
        String expectedUnit = nutrient == ProductField.ENERGY_KCAL_100G ? "kcal"
                : nutrient == ProductField.ENERGY_KJ_100G ? "kj" : "g";
        if (unit.isEmpty() || unit.equals(expectedUnit)) {
            product.set(nutrient, value);
            return;
        }
        if (energy && unit.equals("kj")) {
            product.set(ProductField.ENERGY_KJ_100G, value);
            return;
        }
        BigDecimal number = decimal(value);
        String converted = null;
        if (number != null) {
            if (!energy && unit.equals("mg")) {
                converted = number.movePointLeft(3).stripTrailingZeros().toPlainString();
            } else if (!energy && (unit.equals("µg") || unit.equals("μg") || unit.equals("mcg") || unit.equals("ug"))) {
                converted = number.movePointLeft(6).stripTrailingZeros().toPlainString();
            }
        }
        if (converted != null) {
            product.set(nutrient, converted);
        } else {
            product.putExtra("unparsed." + nutrient.configName(), value + " " + amount.unit().strip());
        }
    }

    /** Parses "12.5" and "12,5"; null when the text is not a number. */
    private static BigDecimal decimal(String value) {
        String text = value.indexOf(',') >= 0 && value.indexOf('.') < 0 ? value.replace(',', '.') : value;
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            // Not a number: the caller keeps the text as unparsed.
            return null;
        }
    }
}
