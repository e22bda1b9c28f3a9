import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Generates a synthetic Open Food Facts CSV export in the exact format of
 * {@code en.openfoodfacts.org.products.csv}: the real 210-column header, tab-separated, no quoting,
 * one product per line, values never containing tabs or newlines, and every column the generator
 * does not fill left empty, as in the real export.
 *
 * <pre>
 * java scripts/bench/GenerateOffCsv.java --rows N --out FILE [--seed S] [--gzip] [--sparse]
 * </pre>
 *
 * <p>Barcodes are unique within a file and carry a correct GS1 check digit: about 80 % EAN-13
 * (GS1 prefixes of France, Germany, the UK, Belgium, Switzerland, Italy, Spain and the Netherlands),
 * 14 % UPC-A written as 13 digits with a leading 0, and 6 % EAN-8. Rows come in random code order.
 * The output depends only on {@code --rows} and {@code --seed}: the same pair gives the same bytes,
 * and the first K rows of a larger file are the rows of a K-row file.
 *
 * <p>{@code --sparse} leaves out what many real rows lack or only repeat (the datetime and
 * {@code _en} copies, ingredients, states, nutrient levels, the small image, most nutrients), for
 * rows of about 540 bytes instead of 2.2 KB; the products and their codes are the same.
 *
 * <p>{@code --out -} writes to standard output. {@code --gzip} (or an output name ending in
 * {@code .gz}) compresses with gzip at the fastest level. A summary line goes to standard error.
 */
public final class GenerateOffCsv {

    /** The export's header, copied in order from the real en.openfoodfacts.org.products.csv. */
    static final String[] COLUMNS = {
            "code", "url", "creator", "created_t", "created_datetime", "last_modified_t",
            "last_modified_datetime", "last_modified_by", "last_updated_t", "last_updated_datetime",
            "product_name", "abbreviated_product_name", "generic_name", "quantity", "packaging",
            "packaging_tags", "packaging_en", "packaging_text", "brands", "brands_tags", "brands_en",
            "categories", "categories_tags", "categories_en", "origins", "origins_tags", "origins_en",
            "manufacturing_places", "manufacturing_places_tags", "labels", "labels_tags", "labels_en",
            "emb_codes", "emb_codes_tags", "first_packaging_code_geo", "cities", "cities_tags",
            "purchase_places", "stores", "countries", "countries_tags", "countries_en", "ingredients_text",
            "ingredients_tags", "ingredients_analysis_tags", "allergens", "allergens_en", "traces",
            "traces_tags", "traces_en", "serving_size", "serving_quantity", "no_nutrition_data", "additives_n",
            "additives", "additives_tags", "additives_en", "nutriscore_score", "nutriscore_grade", "nova_group",
            "pnns_groups_1", "pnns_groups_2", "food_groups", "food_groups_tags", "food_groups_en", "states",
            "states_tags", "states_en", "brand_owner", "environmental_score_score", "environmental_score_grade",
            "nutrient_levels_tags", "product_quantity", "owner", "data_quality_errors_tags", "unique_scans_n",
            "popularity_tags", "completeness", "last_image_t", "last_image_datetime", "main_category",
            "main_category_en", "image_url", "image_small_url", "image_ingredients_url",
            "image_ingredients_small_url", "image_nutrition_url", "image_nutrition_small_url", "energy-kj_100g",
            "energy-kcal_100g", "energy_100g", "energy-from-fat_100g", "fat_100g", "saturated-fat_100g",
            "butyric-acid_100g", "caproic-acid_100g", "caprylic-acid_100g", "capric-acid_100g",
            "lauric-acid_100g", "myristic-acid_100g", "palmitic-acid_100g", "stearic-acid_100g",
            "arachidic-acid_100g", "behenic-acid_100g", "lignoceric-acid_100g", "cerotic-acid_100g",
            "montanic-acid_100g", "melissic-acid_100g", "unsaturated-fat_100g", "monounsaturated-fat_100g",
            "omega-9-fat_100g", "polyunsaturated-fat_100g", "omega-3-fat_100g", "omega-6-fat_100g",
            "alpha-linolenic-acid_100g", "eicosapentaenoic-acid_100g", "docosahexaenoic-acid_100g",
            "linoleic-acid_100g", "arachidonic-acid_100g", "gamma-linolenic-acid_100g",
            "dihomo-gamma-linolenic-acid_100g", "oleic-acid_100g", "elaidic-acid_100g", "gondoic-acid_100g",
            "mead-acid_100g", "erucic-acid_100g", "nervonic-acid_100g", "trans-fat_100g", "cholesterol_100g",
            "carbohydrates_100g", "sugars_100g", "added-sugars_100g", "sucrose_100g", "glucose_100g",
            "fructose_100g", "galactose_100g", "lactose_100g", "maltose_100g", "maltodextrins_100g",
            "psicose_100g", "starch_100g", "polyols_100g", "erythritol_100g", "isomalt_100g", "maltitol_100g",
            "sorbitol_100g", "fiber_100g", "soluble-fiber_100g", "polydextrose_100g", "insoluble-fiber_100g",
            "proteins_100g", "casein_100g", "serum-proteins_100g", "nucleotides_100g", "salt_100g",
            "added-salt_100g", "sodium_100g", "alcohol_100g", "vitamin-a_100g", "beta-carotene_100g",
            "vitamin-d_100g", "vitamin-e_100g", "vitamin-k_100g", "vitamin-c_100g", "vitamin-b1_100g",
            "vitamin-b2_100g", "vitamin-pp_100g", "vitamin-b6_100g", "vitamin-b9_100g", "folates_100g",
            "vitamin-b12_100g", "biotin_100g", "pantothenic-acid_100g", "silica_100g", "bicarbonate_100g",
            "potassium_100g", "chloride_100g", "calcium_100g", "phosphorus_100g", "iron_100g", "magnesium_100g",
            "zinc_100g", "copper_100g", "manganese_100g", "fluoride_100g", "selenium_100g", "chromium_100g",
            "molybdenum_100g", "iodine_100g", "caffeine_100g", "taurine_100g", "methylsulfonylmethane_100g",
            "ph_100g", "fruits-vegetables-legumes_100g", "collagen-meat-protein-ratio_100g", "cocoa_100g",
            "chlorophyl_100g", "carbon-footprint_100g", "glycemic-index_100g", "water-hardness_100g",
            "choline_100g", "phylloquinone_100g", "beta-glucan_100g", "inositol_100g", "carnitine_100g",
            "sulphate_100g", "nitrate_100g", "acidity_100g", "carbohydrates-total_100g", "water_100g"
    };

    static final long MAX_ROWS = 100_000_000L;
    static final String URL_BASE = "https://world.openfoodfacts.org/product/";
    static final String IMAGE_BASE = "https://images.openfoodfacts.org/images/products/";
    /** created_t is drawn from [CREATED_FROM, CREATED_TO); modifications land before MODIFIED_TO. */
    static final long CREATED_FROM = 1_333_238_400L;  // 2012-04-01T00:00:00Z
    static final long CREATED_TO = 1_772_323_200L;    // 2026-03-01T00:00:00Z
    static final long MODIFIED_TO = 1_780_272_000L;   // 2026-06-01T00:00:00Z

    // ------------------------------------------------------------------ countries and barcodes

    record Country(String name, String tag, String lang) {
    }

    static final Country FRANCE = new Country("France", "en:france", "fr");
    static final Country GERMANY = new Country("Germany", "en:germany", "de");
    static final Country UK = new Country("United Kingdom", "en:united-kingdom", "en");
    static final Country BELGIUM = new Country("Belgium", "en:belgium", "fr");
    static final Country SWITZERLAND = new Country("Switzerland", "en:switzerland", "fr");
    static final Country ITALY = new Country("Italy", "en:italy", "it");
    static final Country SPAIN = new Country("Spain", "en:spain", "es");
    static final Country NETHERLANDS = new Country("Netherlands", "en:netherlands", "nl");
    static final Country USA = new Country("United States", "en:united-states", "en");
    static final Country CANADA = new Country("Canada", "en:canada", "en");
    static final Country[] SECOND_COUNTRIES = {FRANCE, USA, GERMANY, BELGIUM, SWITZERLAND, SPAIN, UK, CANADA};

    /** EAN-13 GS1 prefixes (3 digits) by country, with the country's share of EAN-13 rows in %. */
    static final Object[][] EAN13_PREFIXES = {
        {FRANCE, 45, new String[] {"300", "301", "302", "303", "304", "305", "306", "307", "308", "309",
            "310", "320", "325", "327", "330", "340", "350", "356", "360", "370", "376"}},
        {GERMANY, 15, new String[] {"400", "401", "402", "403", "404", "405", "406", "407", "408", "409",
            "410", "420", "425", "426", "428", "440"}},
        {UK, 8, new String[] {"500", "501", "502", "503", "505", "506", "507", "509"}},
        {BELGIUM, 5, new String[] {"540", "541", "542", "543", "544", "545", "546", "547", "548", "549"}},
        {SWITZERLAND, 4, new String[] {"760", "761", "762", "764", "766", "768"}},
        {ITALY, 10, new String[] {"800", "801", "802", "803", "804", "805", "806", "807", "808", "809",
            "810", "820", "830"}},
        {SPAIN, 8, new String[] {"840", "841", "842", "843", "844", "845", "846", "847", "848", "849"}},
        {NETHERLANDS, 5, new String[] {"870", "871", "872", "873", "874", "875", "876", "877", "878", "879"}},
    };

    /** EAN-8 prefixes (2 digits): ten of them, so prefix index + 5 digits cover 0..999,999. */
    static final String[] EAN8_PREFIXES = {"40", "41", "42", "30", "34", "50", "54", "76", "80", "87"};
    static final Country[] EAN8_COUNTRIES = {GERMANY, GERMANY, GERMANY, FRANCE, FRANCE, UK, BELGIUM,
        SWITZERLAND, ITALY, NETHERLANDS};
    static final long EAN8_SPACE = 1_000_000L;
    static final long CODE_SPACE = 1_000_000_000L;

    /** UPC-A number-system digits, weighted as seen on US shelves. */
    static final String UPC_NUMBER_SYSTEMS = "0000000667788";

    // ------------------------------------------------------------------ product templates

    /**
     * One kind of product. {@code categories} holds variants of {tags, French display text};
     * {@code nutrition} is {fat, saturated share of fat, carbohydrates, sugar share of
     * carbohydrates, fiber, proteins, salt}, grams per 100 g. {@code grades} and {@code novas} are
     * strings of characters drawn from at random ('n' = not-applicable).
     */
    record Template(int weight, String[] namesEn, String[] namesFr, String[] brands, String[][] categories,
                    String[] quantities, String[] ingredientsEn, String[] ingredientsFr, String[] allergens,
                    double[] nutrition, String grades, String novas, String pnns1, String pnns2,
                    String[] servings) {
    }

    static String[] a(String... values) {
        return values;
    }

    static final String[] STORE_BRANDS = {"Carrefour", "Auchan", "Casino", "Leader Price", "U", "Lidl", "Aldi",
        "Intermarché", "Monoprix", "Tesco", "Sainsbury's", "Great Value", "Kirkland Signature", "Kroger",
        "365 Whole Foods Market", "Trader Joe's", "Market Pantry", "Coop", "Migros", "Mercadona", "Hacendado",
        "Esselunga", "Albert Heijn", "Edeka", "Rewe", "Delhaize", "Colruyt"};

    static final Template[] TEMPLATES = {
        new Template(12,
            a("Whole Milk", "2% Reduced Fat Milk", "1% Low Fat Milk", "Fat Free Milk", "Organic Whole Milk",
                "Lactose Free Whole Milk", "Evaporated Milk", "Ultra-Pasteurized Whole Milk", "Vitamin D Milk"),
            a("Lait entier", "Lait demi-écrémé", "Lait écrémé", "Lait concentré non sucré entier",
                "Lait demi-écrémé bio", "Lait entier pasteurisé", "Lait de montagne demi-écrémé",
                "Lait sans lactose", "Lait frais entier"),
            a("Lactel", "Candia", "Régilait", "Bridel", "Horizon Organic", "Fairlife", "Organic Valley", "Dean's",
                "Parmalat", "Weihenstephan", "Arla", "Lait de nos Régions"),
            new String[][] {
                {"en:dairies,en:milks,en:whole-milks", "Produits laitiers, Laits, Laits entiers"},
                {"en:dairies,en:milks,en:semi-skimmed-milks", "Produits laitiers, Laits, Laits demi-écrémés"},
                {"en:dairies,en:milks,en:skimmed-milks", "Produits laitiers, Laits, Laits écrémés"},
                {"en:dairies,en:evaporated-milks,en:evaporated-milks-without-sugar",
                    "Produits laitiers, Laits concentrés, Laits concentrés non sucrés"}},
            a("1 L|1000", "1 l|1000", "500 ml|500", "410 g|410", "1 gal (3.78 L)|3780", "0.5 gal (1.89 L)|1890",
                "6 x 1 L|6000"),
            a("Grade A milk, vitamin D3.", "Organic grade A whole milk, vitamin D3.",
                "Reduced fat milk, vitamin A palmitate, vitamin D3.",
                "Whole milk (origin: EU), stabilisers: sodium phosphates, carrageenan."),
            a("Lait entier (origine UE), stabilisants : phosphates de sodium, carraghénanes",
                "Lait demi-écrémé UHT.", "Lait entier pasteurisé, vitamine D.",
                "Lait écrémé, lactase. Conserver au frais après ouverture."),
            a("en:milk"),
            new double[] {3.0, 0.65, 4.8, 1.0, 0, 3.3, 0.1}, "abbbbcc", "1111134",
            "Milk and dairy products", "Milk and yogurt", a("250 ml", "1 cup (240 ml)", "200 ml")),
        new Template(10,
            a("Sharp Cheddar Cheese", "Mozzarella", "Shredded Mexican Style Blend", "Swiss Cheese Slices",
                "Mild Cheddar", "Colby Jack", "Parmesan", "String Cheese", "American Cheese Singles"),
            a("Camembert de Normandie", "Comté AOP", "Emmental râpé", "Brie de Meaux", "Roquefort",
                "Fromage à raclette", "Saint-Nectaire", "Tomme de Savoie", "Chèvre frais"),
            a("Président", "Tillamook", "Kraft", "Cabot", "Sargento", "Entremont", "Société", "Galbani",
                "Babybel", "Boursin", "Leerdammer", "Cracker Barrel"),
            new String[][] {
                {"en:dairies,en:fermented-foods,en:fermented-milk-products,en:cheeses,en:cow-cheeses",
                    "Produits laitiers, Produits fermentés, Fromages, Fromages de vache"},
                {"en:dairies,en:fermented-foods,en:fermented-milk-products,en:cheeses,en:cheddar-cheese",
                    "Produits laitiers, Produits fermentés, Fromages, Cheddar"},
                {"en:dairies,en:fermented-foods,en:fermented-milk-products,en:cheeses,en:french-cheeses,en:camemberts",
                    "Produits laitiers, Produits fermentés, Fromages, Fromages de France, Camemberts"}},
            a("200 g|200", "250 g|250", "8 oz (226 g)|226", "16 oz (454 g)|454", "150 g|150", "1 kg|1000"),
            a("Pasteurized milk, cheese culture, salt, enzymes, annatto (color).",
                "Pasteurized part-skim milk, cheese cultures, salt, enzymes.",
                "Cheddar cheese (pasteurized milk, cheese culture, salt, enzymes), potato starch, powdered cellulose."),
            a("Lait de vache pasteurisé, sel, ferments lactiques, présure.",
                "Lait cru de vache, sel, présure, ferments. Fromage au lait cru.",
                "Lait pasteurisé (origine France), sel, ferments lactiques et d'affinage, coagulant microbien."),
            a("en:milk"),
            new double[] {27, 0.65, 1.0, 0.5, 0, 24, 1.6}, "ddddee", "3333334",
            "Milk and dairy products", "Cheese", a("30 g", "1 oz (28 g)", "1 slice (21 g)")),
        new Template(8,
            a("Plain Greek Yogurt", "Vanilla Lowfat Yogurt", "Strawberry Yogurt", "Whole Milk Plain Yogurt",
                "Nonfat Greek Yogurt", "Blueberry Yogurt"),
            a("Yaourt nature", "Yaourt à la grecque", "Yaourt aux fruits rouges", "Yaourt brassé vanille",
                "Fromage blanc 3,2 %", "Yaourt au lait entier"),
            a("Danone", "Chobani", "Yoplait", "Fage", "Stonyfield", "Activia", "Siggi's", "La Laitière",
                "Les 2 Vaches", "Oikos"),
            new String[][] {
                {"en:dairies,en:fermented-foods,en:fermented-milk-products,en:desserts,en:dairy-desserts,en:yogurts",
                    "Produits laitiers, Produits fermentés, Desserts, Desserts lactés, Yaourts"},
                {"en:dairies,en:fermented-foods,en:fermented-milk-products,en:desserts,en:dairy-desserts,en:yogurts,en:greek-style-yogurts",
                    "Produits laitiers, Produits fermentés, Desserts, Yaourts, Yaourts à la grecque"}},
            a("4 x 125 g|500", "500 g|500", "32 oz (907 g)|907", "5.3 oz (150 g)|150", "8 x 125 g|1000"),
            a("Cultured grade A nonfat milk, live and active cultures.",
                "Cultured pasteurized lowfat milk, sugar, strawberries, pectin, natural flavor, live cultures."),
            a("Lait entier, ferments lactiques.", "Lait écrémé, sucre 8 %, fraises 6 %, arômes naturels, ferments lactiques.",
                "Lait, crème, sucre, extrait de vanille de Madagascar, ferments lactiques."),
            a("en:milk"),
            new double[] {3.0, 0.65, 8, 0.8, 0, 4.5, 0.12}, "aabbbcc", "1133344",
            "Milk and dairy products", "Dairy desserts", a("125 g", "1 container (150 g)", "3/4 cup (170 g)")),
        new Template(10,
            a("Corn Flakes", "Honey Nut Cheerios", "Raisin Bran", "Frosted Flakes", "Rice Krispies",
                "Original Cheerios", "Special K Original", "Shredded Wheat", "Crunchy Granola", "Toasted Oats"),
            a("Pétales de maïs", "Muesli aux fruits", "Flocons d'avoine complets", "Céréales fourrées chocolat",
                "Muesli croustillant chocolat noir", "Pétales de blé complet", "Riz soufflé", "Granola aux noisettes"),
            a("Kellogg's", "General Mills", "Post", "Quaker", "Nestlé", "Jordans", "Weetabix", "Bjorg",
                "Nature's Path", "Cheerios", "Bear Naked"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:breakfasts,en:cereals-and-potatoes,en:cereals-and-their-products,en:breakfast-cereals",
                    "Aliments et boissons à base de végétaux, Aliments d'origine végétale, Petit-déjeuners, Céréales pour petit-déjeuner"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:breakfasts,en:cereals-and-potatoes,en:cereals-and-their-products,en:breakfast-cereals,en:extruded-cereals,en:corn-flakes",
                    "Petit-déjeuners, Céréales pour petit-déjeuner, Céréales extrudées, Pétales de maïs"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:breakfasts,en:cereals-and-potatoes,en:cereals-and-their-products,en:breakfast-cereals,en:mueslis",
                    "Petit-déjeuners, Céréales pour petit-déjeuner, Mueslis"}},
            a("375 g|375", "500 g|500", "12 oz (340 g)|340", "18 oz (510 g)|510", "750 g|750", "1 kg|1000"),
            a("Milled corn, sugar, malt flavor, contains 2% or less of salt, iron, vitamin C, niacinamide.",
                "Whole grain oats, sugar, oat bran, corn starch, honey, brown sugar syrup, salt, tripotassium phosphate.",
                "Whole grain wheat, raisins, wheat bran, sugar, brown sugar syrup, salt, malt flavor."),
            a("Maïs 92 %, sucre, sel, extrait de malt d'orge, vitamines et fer.",
                "Flocons d'avoine complets 58 %, raisins secs, noisettes 5 %, sucre de canne, huile de tournesol.",
                "Blé complet 70 %, sucre, chocolat en poudre 8 %, huile de colza, sel, émulsifiant : lécithine de tournesol."),
            a("en:gluten", "en:gluten", "en:gluten,en:nuts", ""),
            new double[] {3, 0.3, 78, 0.25, 6, 8, 0.9}, "aabbccd", "3444444",
            "Cereals and potatoes", "Breakfast cereals", a("30 g", "1 cup (28 g)", "40 g", "3/4 cup (30 g)")),
        new Template(9,
            a("100% Orange Juice", "Apple Juice", "Orange Juice No Pulp", "Grape Juice", "Cranberry Juice Cocktail",
                "Ruby Red Grapefruit Juice", "Pineapple Juice"),
            a("Pur jus d'orange", "Pur jus de pomme", "Jus d'orange sans pulpe", "Pur jus multifruits",
                "Jus de raisin", "Nectar d'abricot", "Pur jus de pamplemousse rose"),
            a("Tropicana", "Minute Maid", "Simply", "Joker", "Innocent", "Florida's Natural", "Ocean Spray",
                "Welch's", "Pago", "Granini", "Réa"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:beverages,en:plant-based-beverages,en:fruit-based-beverages,en:juices-and-nectars,en:fruit-juices,en:orange-juices",
                    "Aliments et boissons à base de végétaux, Boissons, Jus et nectars, Jus de fruits, Jus d'orange"},
                {"en:plant-based-foods-and-beverages,en:beverages,en:plant-based-beverages,en:fruit-based-beverages,en:juices-and-nectars,en:fruit-juices,en:apple-juices",
                    "Boissons, Jus et nectars, Jus de fruits, Jus de pomme"},
                {"en:plant-based-foods-and-beverages,en:beverages,en:plant-based-beverages,en:fruit-based-beverages,en:juices-and-nectars,en:fruit-juices,en:multifruit-juices",
                    "Boissons, Jus et nectars, Jus de fruits, Jus multifruits"}},
            a("1 L|1000", "1.5 L|1500", "2 L|2000", "64 fl oz (1.89 L)|1890", "52 fl oz (1.53 L)|1530", "6 x 20 cl|1200"),
            a("100% pure squeezed pasteurized orange juice.", "Filtered water, apple juice concentrate, ascorbic acid (vitamin C).",
                "Pure pressed grape juice, ascorbic acid. Not from concentrate."),
            a("Pur jus d'orange pressé. Peut contenir des pulpes.", "Jus de pomme à base de concentré.",
                "Jus de raisin, jus de pomme, jus d'orange, jus de mangue, purée de banane."),
            a(""),
            new double[] {0.1, 0.2, 10, 0.9, 0.3, 0.6, 0.01}, "bcccdde", "1111344",
            "Beverages", "Fruit juices", a("250 ml", "8 fl oz (240 ml)", "200 ml")),
        new Template(6,
            a("Infant Formula with Iron", "Gentle Infant Formula Powder", "Sensitive Infant Formula",
                "Organic Infant Formula", "Follow-On Formula Stage 2", "Toddler Drink Stage 3"),
            a("Lait infantile 1er âge", "Lait de suite 2e âge", "Lait de croissance 3e âge", "Lait infantile bio 1er âge",
                "Lait infantile confort"),
            a("Similac", "Enfamil", "Gerber Good Start", "Guigoz", "Gallia", "Blédina", "Nidal", "Earth's Best",
                "Aptamil", "Modilac"),
            new String[][] {
                {"en:baby-foods,en:baby-milks,en:infant-formulas", "Aliments pour bébé, Laits pour bébé, Laits infantiles"},
                {"en:baby-foods,en:baby-milks,en:follow-on-milks", "Aliments pour bébé, Laits pour bébé, Laits de suite"},
                {"en:baby-foods,en:baby-milks,en:growing-up-milks", "Aliments pour bébé, Laits pour bébé, Laits de croissance"}},
            a("800 g|800", "12.4 oz (351 g)|351", "20.6 oz (584 g)|584", "900 g|900", "1 kg|1000", "12.9 oz (365 g)|365"),
            a("Nonfat milk, lactose, high oleic safflower oil, soy oil, coconut oil, galactooligosaccharides, whey protein concentrate.",
                "Corn syrup solids, vegetable oil (palm olein, coconut, soy, high oleic sunflower), partially hydrolyzed whey protein concentrate."),
            a("Lactose, huiles végétales (palme, colza, coprah, tournesol), lait écrémé, protéines de lactosérum, vitamines et minéraux.",
                "Lait écrémé, lactose, huiles végétales, maltodextrines, galacto-oligosaccharides, huile de poisson."),
            a("en:milk", "en:milk,en:soybeans", "en:fish,en:milk"),
            new double[] {27, 0.4, 56, 0.95, 0, 10, 0.3}, "n", "4",
            "unknown", "unknown", a("100 ml", "1 scoop (8.7 g)", "5 fl oz (150 ml)")),
        new Template(8,
            a("100% Whole Wheat Bread", "White Sandwich Bread", "Multigrain Bread", "Honey Wheat Bread",
                "Flour Tortillas", "Whole Wheat Tortillas", "English Muffins", "Sourdough Bread"),
            a("Pain de mie complet", "Pain de mie nature", "Pain aux céréales", "Baguette tradition",
                "Pain complet tranché", "Tortillas de blé", "Pain de campagne"),
            a("Harry's", "Jacquet", "Nature's Own", "Dave's Killer Bread", "Sara Lee", "Pepperidge Farm", "Mission",
                "Old El Paso", "Wonder", "Arnold", "Thomas'", "Pasquier"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:cereals-and-potatoes,en:breads,en:sliced-breads",
                    "Aliments d'origine végétale, Céréales et pommes de terre, Pains, Pains de mie"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:cereals-and-potatoes,en:breads,en:wholemeal-breads",
                    "Aliments d'origine végétale, Céréales et pommes de terre, Pains, Pains complets"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:cereals-and-potatoes,en:breads,en:flatbreads,en:tortillas",
                    "Aliments d'origine végétale, Céréales et pommes de terre, Pains, Pains plats, Tortillas"}},
            a("500 g|500", "24 oz (680 g)|680", "20 oz (567 g)|567", "8 tortillas (320 g)|320", "250 g|250", "750 g|750"),
            a("Whole wheat flour, water, sugar, wheat gluten, yeast, soybean oil, salt, cultured wheat flour.",
                "Enriched wheat flour, water, high fructose corn syrup, yeast, soybean oil, salt, calcium propionate.",
                "Whole wheat flour, water, vegetable shortening, baking soda, salt, sugar."),
            a("Farine de blé complète 55 %, eau, levure, gluten de blé, sucre, huile de colza, sel.",
                "Farine de blé, eau, sucre, huile de colza, levure, sel, farine de fève, émulsifiant : mono- et diglycérides d'acides gras."),
            a("en:gluten", "en:gluten,en:soybeans", "en:gluten,en:sesame-seeds"),
            new double[] {3.5, 0.2, 47, 0.1, 6, 9, 1.1}, "aabbcc", "3444",
            "Cereals and potatoes", "Bread", a("1 slice (28 g)", "50 g", "2 slices (57 g)", "1 tortilla (45 g)")),
        new Template(3,
            a("Creamy Peanut Butter", "Crunchy Peanut Butter", "Natural Creamy Peanut Butter", "Organic Peanut Butter"),
            a("Beurre de cacahuète crémeux", "Beurre de cacahuète croustillant", "Purée de cacahuètes bio"),
            a("Jif", "Skippy", "Peter Pan", "Smucker's", "Calvé", "Menguy's", "Whole Earth"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:legumes-and-their-products,en:spreads,en:plant-based-spreads,en:oilseed-purees,en:nut-butters,en:peanut-butters",
                    "Aliments d'origine végétale, Légumineuses, Pâtes à tartiner végétales, Beurres de cacahuètes"}},
            a("16 oz (454 g)|454", "28 oz (793 g)|793", "350 g|350", "500 g|500", "40 oz (1.13 kg)|1130"),
            a("Roasted peanuts, sugar, contains 2% or less of: molasses, fully hydrogenated vegetable oils, salt.",
                "Peanuts, salt."),
            a("Cacahuètes grillées 92 %, huile de palme, sucre, sel.", "Cacahuètes 100 %."),
            a("en:peanuts"),
            new double[] {50, 0.2, 20, 0.45, 6, 25, 0.9}, "cccd", "34",
            "Fat and sauces", "Fats", a("2 tbsp (32 g)", "15 g")),
        new Template(4,
            a("Black Beans", "Pinto Beans", "Dark Red Kidney Beans", "Garbanzo Beans", "Refried Beans", "Great Northern Beans"),
            a("Haricots rouges", "Pois chiches", "Lentilles vertes", "Haricots blancs à la tomate", "Flageolets verts"),
            a("Bush's Best", "Goya", "Heinz", "Bonduelle", "Cassegrain", "S&W", "Ducros"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:legumes-and-their-products,en:legumes,en:pulses,en:beans,en:canned-beans",
                    "Aliments d'origine végétale, Légumineuses, Légumes secs, Haricots, Haricots en conserve"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:legumes-and-their-products,en:legumes,en:pulses,en:chickpeas",
                    "Aliments d'origine végétale, Légumineuses, Légumes secs, Pois chiches"}},
            a("15.5 oz (439 g)|439", "400 g|400", "16 oz (454 g)|454", "1 lb (454 g)|454", "500 g|500", "265 g|265"),
            a("Prepared black beans, water, salt, calcium chloride.", "Pinto beans, water, salt, disodium EDTA (to promote color retention)."),
            a("Haricots rouges, eau, sel.", "Pois chiches, eau, sel, antioxydant : acide ascorbique."),
            a(""),
            new double[] {0.5, 0.2, 14, 0.1, 6, 6, 0.7}, "aaab", "1113",
            "Cereals and potatoes", "Legumes", a("1/2 cup (130 g)", "100 g")),
        new Template(3,
            a("Large Grade A White Eggs", "Cage Free Large Brown Eggs", "Organic Free Range Eggs"),
            a("Œufs frais de poules élevées en plein air", "Œufs bio calibre moyen", "Gros œufs frais"),
            a("Eggland's Best", "Vital Farms", "Loué", "Cocorette", "Pete and Gerry's", "Matines"),
            new String[][] {
                {"en:farming-products,en:eggs,en:chicken-eggs", "Produits de la ferme, Œufs, Œufs de poule"},
                {"en:farming-products,en:eggs,en:chicken-eggs,en:free-range-chicken-eggs",
                    "Produits de la ferme, Œufs, Œufs de poule, Œufs de poules élevées en plein air"}},
            a("12 eggs|600", "6 œufs|318", "18 eggs|900", "10 œufs|530", "1 dozen|600"),
            a("Eggs.", "Fresh free range eggs."),
            a("Œufs frais.", "Œufs de poules élevées en plein air."),
            a("en:eggs"),
            new double[] {10, 0.3, 0.7, 0.5, 0, 12.5, 0.35}, "a", "1",
            "Fish Meat Eggs", "Eggs", a("1 egg (50 g)", "50 g")),
        new Template(5,
            a("Whole Wheat Spaghetti", "Brown Rice", "Penne Rigate", "Whole Grain Rotini", "Quick Oats", "Long Grain Brown Rice"),
            a("Spaghetti complets", "Riz complet", "Penne rigate", "Coquillettes", "Fusilli au blé complet", "Riz basmati complet"),
            a("Barilla", "Panzani", "Lustucru", "De Cecco", "Uncle Ben's", "Taureau Ailé", "Mahatma", "Ronzoni", "Rummo"),
            new String[][] {
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:cereals-and-potatoes,en:cereals-and-their-products,en:pastas,en:dry-pastas",
                    "Aliments d'origine végétale, Céréales et dérivés, Pâtes alimentaires, Pâtes sèches"},
                {"en:plant-based-foods-and-beverages,en:plant-based-foods,en:cereals-and-potatoes,en:cereals-and-their-products,en:cereal-grains,en:rices,en:brown-rices",
                    "Aliments d'origine végétale, Céréales en grains, Riz, Riz complets"}},
            a("500 g|500", "1 kg|1000", "16 oz (454 g)|454", "2 lb (907 g)|907", "250 g|250"),
            a("Whole durum wheat flour.", "Whole grain brown rice.", "Semolina (wheat), durum wheat flour, niacin, iron, thiamine mononitrate."),
            a("Semoule complète de blé dur.", "Riz complet.", "Semoule de blé dur de qualité supérieure, eau."),
            a("en:gluten", ""),
            new double[] {1.8, 0.2, 72, 0.05, 3, 12.5, 0.01}, "aaaab", "1111",
            "Cereals and potatoes", "Cereals", a("2 oz (56 g)", "75 g", "1/4 cup (45 g)")),
        new Template(2,
            a("Chunk Light Tuna in Water", "Solid White Albacore Tuna", "Sardines in Olive Oil", "Pink Salmon"),
            a("Thon entier au naturel", "Sardines à l'huile d'olive", "Miettes de thon à la tomate", "Maquereaux au vin blanc"),
            a("StarKist", "Bumble Bee", "Chicken of the Sea", "Petit Navire", "Saupiquet", "Connétable", "Rio Mare"),
            new String[][] {
                {"en:seafood,en:fishes,en:canned-foods,en:canned-fishes,en:canned-tunas",
                    "Produits de la mer, Poissons, Conserves, Poissons en conserve, Thons en conserve"},
                {"en:seafood,en:fishes,en:canned-foods,en:canned-fishes,en:canned-sardines",
                    "Produits de la mer, Poissons, Conserves, Poissons en conserve, Sardines en conserve"}},
            a("5 oz (142 g)|142", "140 g|140", "115 g|115", "160 g|160", "14.75 oz (418 g)|418"),
            a("Light tuna, water, vegetable broth, salt, pyrophosphate.", "Sardines, olive oil, salt."),
            a("Thon albacore, eau, sel.", "Sardines, huile d'olive vierge extra 25 %, sel."),
            a("en:fish"),
            new double[] {5, 0.25, 0, 0, 0, 25, 1.0}, "abbc", "34",
            "Fish Meat Eggs", "Fish and seafood", a("2 oz (56 g)", "1/4 cup (56 g)")),
        new Template(6,
            a("Cola", "Diet Cola", "Lemon-Lime Soda", "Orange Soda", "Ginger Ale", "Simply Lemonade", "Root Beer"),
            a("Boisson gazeuse au cola", "Limonade", "Soda saveur orange", "Cola zéro sucres", "Thé glacé pêche"),
            a("Coca-Cola", "Pepsi", "Sprite", "Fanta", "Schweppes", "Orangina", "7 Up", "Lipton", "Canada Dry"),
            new String[][] {
                {"en:beverages,en:carbonated-drinks,en:sodas,en:colas", "Boissons, Boissons gazeuses, Sodas, Colas"},
                {"en:beverages-and-beverages-preparations,en:beverages,en:carbonated-drinks,en:sodas,en:lemonade,en:sweetened-beverages",
                    "Boissons, Boissons gazeuses, Sodas, Limonades, Boissons sucrées"}},
            a("33 cl|330", "1.5 L|1500", "2 L|2000", "12 fl oz (355 ml)|355", "6 x 33 cl|1980", "20 fl oz (591 ml)|591"),
            a("Carbonated water, high fructose corn syrup, caramel color, phosphoric acid, natural flavors, caffeine.",
                "Contains pure filtered water, lemon juice, cane sugar, natural flavors."),
            a("Eau gazéifiée, sucre, colorant : caramel E150d, acidifiant : acide phosphorique, arômes naturels, caféine.",
                "Eau, sucre, jus de citron à base de concentré 3 %, dioxyde de carbone, arômes naturels."),
            a(""),
            new double[] {0, 0, 10.6, 1.0, 0, 0, 0.02}, "deeee", "4",
            "Beverages", "Sweetened beverages", a("330 ml", "12 fl oz (355 ml)", "250 ml")),
        new Template(5,
            a("Chocolate Sandwich Cookies", "Chocolate Chip Cookies", "Butter Biscuits", "Graham Crackers", "Oatmeal Cookies"),
            a("Biscuits au chocolat au lait", "Petit beurre", "Cookies aux pépites de chocolat", "Sablés au beurre",
                "Gaufrettes à la vanille", "Biscuits fourrés chocolat"),
            a("Oreo", "LU", "Chips Ahoy!", "Pepperidge Farm", "Bonne Maman", "St Michel", "Prince", "Bahlsen",
                "McVitie's", "Nabisco"),
            new String[][] {
                {"en:snacks,en:sweet-snacks,en:biscuits-and-cakes,en:biscuits,en:chocolate-biscuits",
                    "Snacks, Snacks sucrés, Biscuits et gâteaux, Biscuits, Biscuits au chocolat"},
                {"en:snacks,en:sweet-snacks,en:biscuits-and-cakes,en:biscuits,en:shortbread-cookies",
                    "Snacks, Snacks sucrés, Biscuits et gâteaux, Biscuits, Sablés"}},
            a("300 g|300", "200 g|200", "14.3 oz (405 g)|405", "13 oz (368 g)|368", "150 g|150"),
            a("Unbleached enriched flour, sugar, palm oil, cocoa, high fructose corn syrup, leavening, salt, soy lecithin.",
                "Enriched flour, butter, sugar, eggs, salt, natural flavor."),
            a("Farine de blé 52 %, sucre, beurre 13,6 %, lait écrémé en poudre, poudres à lever, sel, œufs.",
                "Farine de blé, chocolat au lait 28 %, sucre, huile de palme, sirop de glucose, émulsifiant : lécithine de soja."),
            a("en:gluten,en:milk", "en:gluten,en:milk,en:soybeans", "en:eggs,en:gluten,en:milk"),
            new double[] {22, 0.5, 66, 0.5, 3, 6, 0.6}, "ddeee", "44",
            "Sugary snacks", "Biscuits and cakes", a("3 cookies (34 g)", "2 biscuits (25 g)", "25 g")),
        new Template(3,
            a("Dark Chocolate 70% Cocoa", "Milk Chocolate Bar", "Extra Dark Chocolate 85%"),
            a("Chocolat noir 70 % cacao", "Chocolat au lait", "Chocolat noir aux amandes", "Chocolat pâtissier"),
            a("Lindt", "Côte d'Or", "Milka", "Hershey's", "Ghirardelli", "Nestlé Dessert", "Poulain", "Cadbury"),
            new String[][] {
                {"en:snacks,en:sweet-snacks,en:cocoa-and-its-products,en:chocolates,en:dark-chocolates",
                    "Snacks, Snacks sucrés, Cacao et dérivés, Chocolats, Chocolats noirs"},
                {"en:snacks,en:sweet-snacks,en:cocoa-and-its-products,en:chocolates,en:milk-chocolates",
                    "Snacks, Snacks sucrés, Cacao et dérivés, Chocolats, Chocolats au lait"}},
            a("100 g|100", "200 g|200", "3.5 oz (100 g)|100", "1.55 oz (43 g)|43"),
            a("Chocolate, sugar, cocoa butter, milk fat, soy lecithin, vanilla.", "Cocoa mass, sugar, cocoa butter, vanilla beans."),
            a("Pâte de cacao, sucre, beurre de cacao, émulsifiant : lécithine de soja, arôme naturel de vanille.",
                "Sucre, beurre de cacao, lait entier en poudre, pâte de cacao, lactosérum, noisettes."),
            a("en:milk,en:soybeans", "en:milk,en:nuts,en:soybeans"),
            new double[] {35, 0.6, 45, 0.7, 8, 7, 0.05}, "de", "344",
            "Sugary snacks", "Chocolate products", a("4 squares (20 g)", "1 bar (43 g)")),
        new Template(2,
            a("Tomato Ketchup", "Real Mayonnaise", "Marinara Sauce", "Yellow Mustard"),
            a("Sauce tomate cuisinée", "Mayonnaise de Dijon", "Moutarde de Dijon", "Sauce bolognaise"),
            a("Heinz", "Hellmann's", "Amora", "Barilla", "Maille", "Prego", "Ragú", "Bénédicta"),
            new String[][] {
                {"en:condiments,en:sauces,en:tomato-sauces", "Condiments, Sauces, Sauces tomate"},
                {"en:condiments,en:sauces,en:mayonnaises", "Condiments, Sauces, Mayonnaises"}},
            a("400 g|400", "24 oz (680 g)|680", "235 g|235", "30 oz (887 ml)|887"),
            a("Tomato concentrate, distilled vinegar, high fructose corn syrup, salt, spice, onion powder, natural flavoring.",
                "Soybean oil, water, whole eggs, vinegar, egg yolks, salt, sugar, lemon juice."),
            a("Tomates 85 %, oignons, huile d'olive, sucre, sel, basilic, ail.",
                "Huile de colza, eau, moutarde de Dijon 6 %, jaune d'œuf, vinaigre, sel."),
            a("", "en:eggs,en:mustard"),
            new double[] {3, 0.3, 9, 0.6, 1.5, 1.7, 1.2}, "bcdde", "34",
            "Fat and sauces", "Dressings and sauces", a("1 tbsp (17 g)", "1/2 cup (125 g)")),
        new Template(2,
            a("Natural Spring Water", "Sparkling Mineral Water", "Purified Drinking Water"),
            a("Eau minérale naturelle", "Eau de source", "Eau minérale gazeuse"),
            a("Evian", "Cristaline", "Volvic", "Vittel", "Perrier", "San Pellegrino", "Poland Spring", "Dasani"),
            new String[][] {
                {"en:beverages,en:waters,en:spring-waters,en:mineral-waters", "Boissons, Eaux, Eaux de sources, Eaux minérales"},
                {"en:beverages,en:waters,en:carbonated-waters", "Boissons, Eaux, Eaux gazeuses"}},
            a("1.5 L|1500", "50 cl|500", "6 x 1.5 L|9000", "16.9 fl oz (500 ml)|500", "1 L|1000"),
            a("Natural spring water.", "Purified water, magnesium sulfate, potassium chloride."),
            a("Eau minérale naturelle.", "Eau minérale naturelle gazeuse, gaz carbonique ajouté."),
            a(""),
            new double[] {0, 0, 0, 0, 0, 0, 0.02}, "a", "1",
            "Beverages", "Waters and flavored waters", a("250 ml", "500 ml")),
        new Template(2,
            a("Classic Potato Chips", "Sea Salt Kettle Chips", "Tortilla Chips"),
            a("Chips nature", "Chips à l'ancienne au sel de mer", "Tortilla chips goût nature"),
            a("Lay's", "Pringles", "Kettle Brand", "Vico", "Tostitos", "Bret's", "Doritos", "Walkers"),
            new String[][] {
                {"en:snacks,en:salty-snacks,en:appetizers,en:chips-and-fries,en:crisps,en:potato-crisps",
                    "Snacks, Snacks salés, Apéritif, Chips et frites, Chips, Chips de pommes de terre"}},
            a("150 g|150", "8 oz (226 g)|226", "125 g|125", "45 g|45"),
            a("Potatoes, vegetable oil (sunflower, corn, and/or canola oil), salt.", "Whole corn, vegetable oil, salt."),
            a("Pommes de terre 64 %, huile de tournesol, sel 1,2 %.", "Maïs, huile de tournesol, sel."),
            a(""),
            new double[] {33, 0.1, 52, 0.02, 4.5, 6, 1.3}, "cdde", "34",
            "Salty snacks", "Appetizers", a("1 oz (28 g)", "30 g")),
    };

    static final String[] CREATORS = {"kiliweb", "openfoodfacts-contributors", "org-database-usda", "foodrepo",
        "smoothie-app", "inf", "teolemon", "stephane", "prepperapp", "usda-ndb-import", "elcoco", "foodvisor",
        "yuka.VjQwdU5hZ2pnL0F2aXJlLys1aHB6Wmd0LTM1N2FTeDlIWWRxRmc9PQ", "date-limite-app", "scanbot"};
    static final String[] EDITORS = {"kiliweb", "roboto-app", "openfoodfacts-contributors", "packbot", "teolemon",
        "org-database-usda", "foodrepo", "smoothie-app", "charlesnepote", "musarana", "ecoscore-impact-estimator",
        "yuka.sY2b0xO6T85zoF3NwEKvlkV4Lfmc6k2MGhN7g2wKYV4", "quentinbrd", "beniben"};
    static final String[] ENV_GRADES = {"unknown", "unknown", "unknown", "unknown", "a", "b", "c", "c", "d", "e",
        "not-applicable"};
    static final String[] COMPLETENESS = {"0.2", "0.3", "0.4", "0.5", "0.5", "0.6", "0.7", "0.8", "0.9", "0.8875",
        "0.5875", "0.6875", "1"};

    static final String[] STATE_TAGS_YES = {"nutrition-facts-completed", "ingredients-completed",
        "categories-completed", "brands-completed", "quantity-completed", "product-name-completed",
        "photos-uploaded"};
    static final String[] STATE_TAGS_NO = {"nutrition-facts-to-be-completed", "ingredients-to-be-completed",
        "categories-to-be-completed", "brands-to-be-completed", "quantity-to-be-completed",
        "product-name-to-be-completed", "photos-to-be-uploaded"};
    /** Index in the 13-step state list where each of the 7 variable steps goes. */
    static final String[] STATE_ORDER = {"to-be-completed", "#0", "#1", "expiration-date-to-be-completed",
        "packaging-code-to-be-completed", "characteristics-to-be-completed", "origins-to-be-completed", "#2", "#3",
        "packaging-to-be-completed", "#4", "#5", "#6"};

    static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L};

    // ------------------------------------------------------------------ state of one run

    private final SplittableRandom random;
    private final long codeMultiplier;
    private final long codeOffset;
    private final long ean8Multiplier;
    private final long ean8Offset;
    private long ean8Count;
    private final int[] templatePick;
    private final int[] ean13CountryPick;
    /** {states, states_tags, states_en} for each of the 128 combinations of the 7 variable steps. */
    private final String[][] states = new String[128][];
    private final Map<String, String> slugs = new HashMap<>();
    private final String[][] categoryEn;      // per template, per variant: categories_en
    private final String[][] categoryEnText;  // per template, per variant: English display text
    private final String[][] mainCategory;    // per template, per variant: last tag
    private final String[][] mainCategoryEn;  // per template, per variant: its English name

    // column indices
    private final int cCode = column("code");
    private final int cUrl = column("url");
    private final int cCreator = column("creator");
    private final int cCreatedT = column("created_t");
    private final int cCreatedDt = column("created_datetime");
    private final int cModifiedT = column("last_modified_t");
    private final int cModifiedDt = column("last_modified_datetime");
    private final int cModifiedBy = column("last_modified_by");
    private final int cUpdatedT = column("last_updated_t");
    private final int cUpdatedDt = column("last_updated_datetime");
    private final int cName = column("product_name");
    private final int cQuantity = column("quantity");
    private final int cBrands = column("brands");
    private final int cBrandsTags = column("brands_tags");
    private final int cBrandsEn = column("brands_en");
    private final int cCategories = column("categories");
    private final int cCategoriesTags = column("categories_tags");
    private final int cCategoriesEn = column("categories_en");
    private final int cCountries = column("countries");
    private final int cCountriesTags = column("countries_tags");
    private final int cCountriesEn = column("countries_en");
    private final int cIngredients = column("ingredients_text");
    private final int cAllergens = column("allergens");
    private final int cServingSize = column("serving_size");
    private final int cNutriscoreScore = column("nutriscore_score");
    private final int cNutriscoreGrade = column("nutriscore_grade");
    private final int cNova = column("nova_group");
    private final int cPnns1 = column("pnns_groups_1");
    private final int cPnns2 = column("pnns_groups_2");
    private final int cStates = column("states");
    private final int cStatesTags = column("states_tags");
    private final int cStatesEn = column("states_en");
    private final int cEnvGrade = column("environmental_score_grade");
    private final int cNutrientLevels = column("nutrient_levels_tags");
    private final int cProductQuantity = column("product_quantity");
    private final int cCompleteness = column("completeness");
    private final int cLastImageT = column("last_image_t");
    private final int cLastImageDt = column("last_image_datetime");
    private final int cMainCategory = column("main_category");
    private final int cMainCategoryEn = column("main_category_en");
    private final int cImageUrl = column("image_url");
    private final int cImageSmallUrl = column("image_small_url");
    private final int cEnergyKj = column("energy-kj_100g");
    private final int cEnergyKcal = column("energy-kcal_100g");
    private final int cEnergy = column("energy_100g");
    private final int cFat = column("fat_100g");
    private final int cSaturatedFat = column("saturated-fat_100g");
    private final int cCarbohydrates = column("carbohydrates_100g");
    private final int cSugars = column("sugars_100g");
    private final int cFiber = column("fiber_100g");
    private final int cProteins = column("proteins_100g");
    private final int cSalt = column("salt_100g");
    private final int cSodium = column("sodium_100g");

    private final String[] values = new String[COLUMNS.length];
    /** The country the last code's GS1 prefix belongs to. */
    private Country rowCountry;
    private final StringBuilder scratch = new StringBuilder(256);

    GenerateOffCsv(long seed) {
        this.random = new SplittableRandom(seed);
        SplittableRandom setup = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.codeMultiplier = coprimeWith10(setup.nextLong(CODE_SPACE / 10, CODE_SPACE));
        this.codeOffset = setup.nextLong(CODE_SPACE);
        this.ean8Multiplier = coprimeWith10(setup.nextLong(EAN8_SPACE / 10, EAN8_SPACE));
        this.ean8Offset = setup.nextLong(EAN8_SPACE);

        int totalWeight = 0;
        for (Template template : TEMPLATES) {
            totalWeight += template.weight();
        }
        templatePick = new int[totalWeight];
        for (int t = 0, k = 0; t < TEMPLATES.length; t++) {
            for (int w = 0; w < TEMPLATES[t].weight(); w++) {
                templatePick[k++] = t;
            }
        }
        ean13CountryPick = new int[100];
        for (int c = 0, k = 0; c < EAN13_PREFIXES.length; c++) {
            for (int w = 0; w < (Integer) EAN13_PREFIXES[c][1]; w++) {
                ean13CountryPick[k++] = c;
            }
        }

        categoryEn = new String[TEMPLATES.length][];
        categoryEnText = new String[TEMPLATES.length][];
        mainCategory = new String[TEMPLATES.length][];
        mainCategoryEn = new String[TEMPLATES.length][];
        for (int t = 0; t < TEMPLATES.length; t++) {
            String[][] variants = TEMPLATES[t].categories();
            categoryEn[t] = new String[variants.length];
            categoryEnText[t] = new String[variants.length];
            mainCategory[t] = new String[variants.length];
            mainCategoryEn[t] = new String[variants.length];
            for (int v = 0; v < variants.length; v++) {
                String[] tags = variants[v][0].split(",");
                StringBuilder en = new StringBuilder();
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < tags.length; i++) {
                    String name = tagToName(tags[i]);
                    en.append(i == 0 ? "" : ",").append(name);
                    text.append(i == 0 ? "" : ", ").append(name);
                }
                categoryEn[t][v] = en.toString();
                categoryEnText[t][v] = text.toString();
                mainCategory[t][v] = tags[tags.length - 1];
                mainCategoryEn[t][v] = tagToName(tags[tags.length - 1]);
            }
        }
        for (int bits = 0; bits < 128; bits++) {
            StringBuilder display = new StringBuilder();
            StringBuilder tags = new StringBuilder();
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < STATE_ORDER.length; i++) {
                String step = STATE_ORDER[i];
                if (step.charAt(0) == '#') {
                    int flag = step.charAt(1) - '0';
                    step = (bits & (1 << flag)) != 0 ? STATE_TAGS_YES[flag] : STATE_TAGS_NO[flag];
                }
                display.append(i == 0 ? "" : ", ").append("en:").append(step);
                tags.append(i == 0 ? "" : ",").append("en:").append(step);
                names.append(i == 0 ? "" : ",").append(tagToName("en:" + step));
            }
            states[bits] = new String[] {display.toString(), tags.toString(), names.toString()};
        }
    }

    private static int column(String name) {
        for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + name + " in the export header");
    }

    /** The nearest number at or above {@code value} with no factor 2 or 5, so it permutes mod 10^k. */
    private static long coprimeWith10(long value) {
        long candidate = value | 1L;
        while (candidate % 5 == 0) {
            candidate += 2;
        }
        return candidate;
    }

    /** "en:evaporated-milks" becomes "Evaporated milks"; tags in other languages keep their prefix. */
    static String tagToName(String tag) {
        String body = tag.startsWith("en:") ? tag.substring(3) : tag;
        String spaced = body.replace('-', ' ');
        if (tag.startsWith("en:")) {
            return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
        }
        return spaced;
    }

    /** The URL slug Open Food Facts makes of a name: lower case, accents removed, words joined by '-'. */
    String slug(String text) {
        String cached = slugs.get(text);
        if (cached != null) {
            return cached;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean dash = false;
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            String mapped = switch (c) {
                case 'à', 'á', 'â', 'ä', 'ã' -> "a";
                case 'é', 'è', 'ê', 'ë' -> "e";
                case 'î', 'ï', 'í' -> "i";
                case 'ô', 'ö', 'ó' -> "o";
                case 'ù', 'û', 'ü', 'ú' -> "u";
                case 'ç' -> "c";
                case 'ñ' -> "n";
                case 'œ' -> "oe";
                case 'ß' -> "ss";
                default -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? String.valueOf(c) : null;
            };
            if (mapped == null) {
                dash = out.length() > 0;
            } else {
                if (dash) {
                    out.append('-');
                    dash = false;
                }
                out.append(mapped);
            }
        }
        String result = out.toString();
        slugs.put(text, result);
        return result;
    }

    // ------------------------------------------------------------------ barcodes

    static char checkDigit(CharSequence data) {
        int sum = 0;
        for (int i = data.length() - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (data.charAt(i) - '0') * weight;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static void appendPadded(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }

    /**
     * A unique code for row {@code row}: EAN-13 and UPC-A rows take 9 digits from a permutation of
     * 0..10^9-1 applied to the row index, EAN-8 rows 6 digits from a permutation of the EAN-8
     * counter; the three kinds cannot meet once padded to 14 digits (EAN-13 codes start with 3-8,
     * UPC-A codes with 00 then a non-zero digit within the first four, EAN-8 codes with six zeros
     * then 3-8). Sets {@link #rowCountry}.
     */
    private String nextCode(long row) {
        StringBuilder code = scratch;
        code.setLength(0);
        int kind = random.nextInt(100);
        if (kind >= 94 && ean8Count < EAN8_SPACE) {
            long k = Math.floorMod(ean8Multiplier * ean8Count + ean8Offset, EAN8_SPACE);
            ean8Count++;
            int prefix = (int) (k / 100_000);
            code.append(EAN8_PREFIXES[prefix]);
            appendPadded(code, k % 100_000, 5);
            rowCountry = EAN8_COUNTRIES[prefix];
        } else {
            long unique = Math.floorMod(codeMultiplier * row + codeOffset, CODE_SPACE);
            if (kind >= 80 && kind < 94) {
                code.append('0').append(UPC_NUMBER_SYSTEMS.charAt(random.nextInt(UPC_NUMBER_SYSTEMS.length())))
                        .append((char) ('1' + random.nextInt(9)));
                appendPadded(code, unique, 9);
                rowCountry = random.nextInt(10) == 0 ? CANADA : USA;
            } else {
                Object[] country = EAN13_PREFIXES[ean13CountryPick[random.nextInt(100)]];
                String[] prefixes = (String[]) country[2];
                code.append(prefixes[random.nextInt(prefixes.length)]);
                appendPadded(code, unique, 9);
                rowCountry = (Country) country[0];
            }
        }
        code.append(checkDigit(code));
        return code.toString();
    }

    // ------------------------------------------------------------------ values

    static String iso(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long year = yearOfEra + era * 400;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (month <= 2) {
            year++;
        }
        int hour = secondOfDay / 3600;
        int minute = secondOfDay / 60 % 60;
        int second = secondOfDay % 60;
        char[] c = new char[20];
        int y = (int) year;
        c[0] = (char) ('0' + y / 1000);
        c[1] = (char) ('0' + y / 100 % 10);
        c[2] = (char) ('0' + y / 10 % 10);
        c[3] = (char) ('0' + y % 10);
        c[4] = '-';
        c[5] = (char) ('0' + month / 10);
        c[6] = (char) ('0' + month % 10);
        c[7] = '-';
        c[8] = (char) ('0' + day / 10);
        c[9] = (char) ('0' + day % 10);
        c[10] = 'T';
        c[11] = (char) ('0' + hour / 10);
        c[12] = (char) ('0' + hour % 10);
        c[13] = ':';
        c[14] = (char) ('0' + minute / 10);
        c[15] = (char) ('0' + minute % 10);
        c[16] = ':';
        c[17] = (char) ('0' + second / 10);
        c[18] = (char) ('0' + second % 10);
        c[19] = 'Z';
        return new String(c);
    }

    /** {@code value / 10^scale} as plain decimal text without trailing zeros ("12.5", "0.00636", "0"). */
    static String decimal(long value, int scale) {
        long pow = POW10[scale];
        long integer = value / pow;
        long fraction = value % pow;
        if (fraction == 0) {
            return Long.toString(integer);
        }
        int digits = scale;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        StringBuilder out = new StringBuilder(24);
        out.append(integer).append('.');
        String text = Long.toString(fraction);
        for (int i = text.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(text).toString();
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    /** A grams-per-100 g value around {@code base}, in hundredths, rounded to 1 or 2 decimals. */
    private long grams(double base) {
        if (base <= 0) {
            return 0;
        }
        long hundredths = Math.round(base * 100 * (0.7 + 0.6 * random.nextDouble()));
        if (random.nextBoolean()) {
            hundredths = (hundredths + 5) / 10 * 10;
        }
        return Math.min(hundredths, 10_000);
    }

    private static String level(String nutrient, long hundredths, long low, long high) {
        String amount = hundredths < low ? "low" : hundredths > high ? "high" : "moderate";
        return "en:" + nutrient + "-in-" + amount + "-quantity";
    }

    /** Fills {@link #values} with product number {@code row}. */
    void fillRow(long row) {
        String[] v = values;
        Arrays.fill(v, null);
        String code = nextCode(row);
        Country country = rowCountry;
        int templateIndex = templatePick[random.nextInt(templatePick.length)];
        Template template = TEMPLATES[templateIndex];
        boolean french = country.lang().equals("fr") || (!country.lang().equals("en") && random.nextInt(3) == 0);
        String lang = country == SWITZERLAND && random.nextBoolean() ? "de" : country.lang();

        v[cCode] = code;
        long created = CREATED_FROM + random.nextLong(CREATED_TO - CREATED_FROM);
        long modified = created + random.nextLong(MODIFIED_TO - created);
        if (random.nextInt(5) == 0) {
            modified = created + random.nextInt(600);
        }
        long updated = Math.min(MODIFIED_TO, modified + random.nextInt(40 * 86_400));
        String creator = pick(CREATORS);
        v[cCreator] = creator;
        v[cCreatedT] = Long.toString(created);
        v[cCreatedDt] = iso(created);
        v[cModifiedT] = Long.toString(modified);
        v[cModifiedDt] = iso(modified);
        v[cModifiedBy] = modified - created < 600 ? creator : random.nextInt(10) == 0 ? null : pick(EDITORS);
        v[cUpdatedT] = Long.toString(updated);
        v[cUpdatedDt] = iso(updated);

        boolean hasName = random.nextInt(100) >= 4;
        boolean hasBrand = random.nextInt(100) >= 5;
        boolean hasCategories = random.nextInt(100) >= 3;
        boolean hasQuantity = random.nextInt(100) >= 10;
        boolean hasIngredients = random.nextInt(100) >= 12;
        boolean hasNutrition = random.nextInt(100) < 80;
        boolean hasImage = random.nextInt(100) < 70;

        String name = hasName ? pick(french ? template.namesFr() : template.namesEn()) : null;
        String brand = null;
        if (hasBrand) {
            brand = random.nextInt(10) < 7 ? pick(template.brands()) : pick(STORE_BRANDS);
            String brandSlug = slug(brand);
            if (random.nextInt(20) == 0) {
                String second = pick(template.brands());
                if (!second.equals(brand)) {
                    v[cBrands] = brand + ", " + second;
                    v[cBrandsTags] = "xx:" + brandSlug + ",xx:" + slug(second);
                    v[cBrandsEn] = brandSlug + "," + slug(second);
                }
            }
            if (v[cBrands] == null) {
                v[cBrands] = brand;
                v[cBrandsTags] = "xx:" + brandSlug;
                v[cBrandsEn] = brandSlug;
            }
        }
        v[cName] = name;
        StringBuilder url = scratch;
        url.setLength(0);
        url.append(URL_BASE).append(code);
        if (name != null) {
            url.append('/').append(slug(name));
            if (brand != null) {
                url.append('-').append(slug(brand));
            }
        }
        v[cUrl] = url.toString();

        if (hasQuantity) {
            String quantity = pick(template.quantities());
            int bar = quantity.indexOf('|');
            v[cQuantity] = quantity.substring(0, bar);
            v[cProductQuantity] = quantity.substring(bar + 1);
        }
        if (hasCategories) {
            int variant = random.nextInt(template.categories().length);
            String[] categories = template.categories()[variant];
            v[cCategories] = french ? categories[1] : categoryEnText[templateIndex][variant];
            v[cCategoriesTags] = categories[0];
            v[cCategoriesEn] = categoryEn[templateIndex][variant];
            v[cMainCategory] = mainCategory[templateIndex][variant];
            v[cMainCategoryEn] = mainCategoryEn[templateIndex][variant];
            v[cPnns1] = template.pnns1();
            v[cPnns2] = template.pnns2();
        } else {
            v[cPnns1] = "unknown";
            v[cPnns2] = "unknown";
        }

        if (random.nextInt(10) == 0) {
            Country second = SECOND_COUNTRIES[random.nextInt(SECOND_COUNTRIES.length)];
            if (second != country) {
                v[cCountries] = country.name() + ", " + second.name();
                v[cCountriesTags] = country.tag() + "," + second.tag();
                v[cCountriesEn] = country.name() + "," + second.name();
            }
        }
        if (v[cCountries] == null) {
            v[cCountries] = country.name();
            v[cCountriesTags] = country.tag();
            v[cCountriesEn] = country.name();
        }

        if (hasIngredients) {
            String text = pick(french ? template.ingredientsFr() : template.ingredientsEn());
            if (random.nextInt(4) == 0) {
                text = text + (french ? " Peut contenir des traces de fruits à coque." : " May contain traces of tree nuts.");
            }
            v[cIngredients] = text;
            String allergens = pick(template.allergens());
            v[cAllergens] = allergens.isEmpty() ? null : allergens;
        }
        if (random.nextInt(10) < 4) {
            v[cServingSize] = pick(template.servings());
        }

        char grade = template.grades().charAt(random.nextInt(template.grades().length()));
        if (grade == 'n') {
            v[cNutriscoreGrade] = "not-applicable";
        } else if (!hasNutrition || random.nextInt(100) < 12) {
            v[cNutriscoreGrade] = "unknown";
        } else {
            v[cNutriscoreGrade] = String.valueOf(grade);
            int score = switch (grade) {
                case 'a' -> -8 + random.nextInt(8);
                case 'b' -> random.nextInt(3);
                case 'c' -> 3 + random.nextInt(8);
                case 'd' -> 11 + random.nextInt(8);
                default -> 19 + random.nextInt(12);
            };
            v[cNutriscoreScore] = Integer.toString(score);
        }
        if (random.nextInt(100) >= 15) {
            v[cNova] = String.valueOf(template.novas().charAt(random.nextInt(template.novas().length())));
        }
        v[cEnvGrade] = pick(ENV_GRADES);
        v[cCompleteness] = pick(COMPLETENESS);

        int stateBits = (hasNutrition ? 1 : 0) | (hasIngredients ? 2 : 0) | (hasCategories ? 4 : 0)
                | (hasBrand ? 8 : 0) | (hasQuantity ? 16 : 0) | (hasName ? 32 : 0) | (hasImage ? 64 : 0);
        String[] state = states[stateBits];
        v[cStates] = state[0];
        v[cStatesTags] = state[1];
        v[cStatesEn] = state[2];

        if (hasImage) {
            long imageTime = created + random.nextLong(Math.max(1, modified - created + 1));
            v[cLastImageT] = Long.toString(imageTime);
            v[cLastImageDt] = iso(imageTime);
            StringBuilder image = scratch;
            image.setLength(0);
            image.append(IMAGE_BASE);
            if (code.length() > 8) {
                image.append(code, 0, 3).append('/').append(code, 3, 6).append('/').append(code, 6, 9).append('/')
                        .append(code, 9, code.length());
            } else {
                image.append(code);
            }
            image.append("/front_").append(lang).append('.').append(1 + random.nextInt(200));
            int size = image.length();
            v[cImageUrl] = image.append(".400.jpg").toString();
            image.setLength(size);
            v[cImageSmallUrl] = image.append(".200.jpg").toString();
        }

        if (hasNutrition) {
            double[] n = template.nutrition();
            long fat = grams(n[0]);
            long saturated = Math.min(fat, Math.round(fat * n[1] * (0.8 + 0.4 * random.nextDouble())));
            long carbohydrates = grams(n[2]);
            long sugars = Math.min(carbohydrates, Math.round(carbohydrates * n[3] * (0.8 + 0.4 * random.nextDouble())));
            long fiber = grams(n[4]);
            long proteins = grams(n[5]);
            long excess = fat + carbohydrates + proteins + fiber - 9_900;
            if (excess > 0) {
                carbohydrates = Math.max(0, carbohydrates - excess);
                sugars = Math.min(sugars, carbohydrates);
            }
            long salt = n[6] <= 0 ? 0 : Math.round(n[6] * 10_000 * (0.6 + 0.8 * random.nextDouble()));
            salt = salt >= 1_000 ? (salt + 50) / 100 * 100 : (salt + 5) / 10 * 10;
            long kcalHundredths = 9 * fat + 4 * carbohydrates + 4 * proteins + 2 * fiber;
            long kjHundredths = 37 * fat + 17 * carbohydrates + 17 * proteins + 8 * fiber;
            String kj = decimal((kjHundredths + 5) / 10, 1);
            v[cEnergyKj] = kj;
            v[cEnergy] = kj;
            v[cEnergyKcal] = Long.toString((kcalHundredths + 50) / 100);
            v[cFat] = decimal(fat, 2);
            v[cSaturatedFat] = decimal(saturated, 2);
            v[cCarbohydrates] = decimal(carbohydrates, 2);
            v[cSugars] = decimal(sugars, 2);
            if (random.nextInt(10) < 7) {
                v[cFiber] = decimal(fiber, 2);
            }
            v[cProteins] = decimal(proteins, 2);
            v[cSalt] = decimal(salt, 4);
            v[cSodium] = decimal(salt * 4, 5);
            v[cNutrientLevels] = level("fat", fat, 300, 1_750) + "," + level("saturated-fat", saturated, 150, 500)
                    + "," + level("sugars", sugars, 500, 2_250) + "," + level("salt", salt / 100, 30, 150);
        }
    }

    /** The columns {@code --sparse} leaves empty. */
    private final int[] sparseOmits = {cCreatedDt, cModifiedDt, cUpdatedT, cUpdatedDt, cModifiedBy, cBrandsEn,
            cCategories, cCategoriesEn, cCountriesEn, cIngredients, cAllergens, cServingSize, cStates, cStatesTags,
            cStatesEn, cNutrientLevels, cLastImageT, cLastImageDt, cCountries, cProductQuantity, cNutriscoreGrade, cMainCategoryEn, cImageSmallUrl, cEnvGrade,
            cCompleteness, cPnns1, cPnns2, cSaturatedFat, cSugars, cFiber, cSodium, cEnergy, cNova, cNutriscoreScore};

    /** Empties the columns a sparse row lacks (after {@link #fillRow}, so the products stay the same). */
    void thinRow() {
        for (int column : sparseOmits) {
            values[column] = null;
        }
    }

    /** Appends the current {@link #values} as one export line. */
    void appendRow(StringBuilder out) {
        String[] v = values;
        int last = v.length - 1;
        for (int c = 0; c < last; c++) {
            if (v[c] != null) {
                out.append(v[c]);
            }
            out.append('\t');
        }
        if (v[last] != null) {
            out.append(v[last]);
        }
        out.append('\n');
    }

    // ------------------------------------------------------------------ main

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("GenerateOffCsv: " + problem);
        }
        System.err.println("usage: java scripts/bench/GenerateOffCsv.java --rows N --out FILE|- [--seed S] [--gzip] [--sparse]");
        System.exit(problem == null ? 0 : 64);
    }

    public static void main(String[] args) throws IOException {
        long rows = -1;
        String out = null;
        long seed = 42;
        boolean gzip = false;
        boolean sparse = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            try {
                switch (arg) {
                    case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                    case "--out" -> out = args[++i];
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--gzip" -> gzip = true;
                    case "--sparse" -> sparse = true;
                    case "-h", "--help" -> usage(null);
                    default -> usage("unknown argument " + arg);
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                usage(arg + " needs a value");
            } catch (NumberFormatException e) {
                usage(arg + " needs a whole number, not '" + args[i] + "'");
            }
        }
        if (rows < 0 || out == null) {
            usage("--rows and --out are required");
        }
        if (rows > MAX_ROWS) {
            usage("--rows is at most " + MAX_ROWS);
        }
        gzip |= out.endsWith(".gz");

        long start = System.nanoTime();
        boolean toStdout = out.equals("-");
        if (!toStdout) {
            Path parent = Path.of(out).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        OutputStream raw = toStdout ? System.out : new FileOutputStream(out);
        CountingStream counted = new CountingStream(raw);
        OutputStream stream = gzip
                ? new GZIPOutputStream(counted, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                }
                : new BufferedOutputStream(counted, 1 << 20);
        GenerateOffCsv generator = new GenerateOffCsv(seed);
        try (Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8)) {
            StringBuilder buffer = new StringBuilder(1 << 17);
            char[] chars = new char[1 << 18];
            buffer.append(String.join("\t", COLUMNS)).append('\n');
            for (long row = 0; row < rows; row++) {
                generator.fillRow(row);
                if (sparse) {
                    generator.thinRow();
                }
                generator.appendRow(buffer);
                if (buffer.length() >= 1 << 16) {
                    chars = flush(buffer, chars, writer);
                }
            }
            flush(buffer, chars, writer);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("GenerateOffCsv: wrote %,d rows (%,.1f MB%s) to %s in %.1f s%n", rows,
                counted.count / 1e6, gzip ? " gzipped" : "", toStdout ? "stdout" : out, seconds);
    }

    private static char[] flush(StringBuilder buffer, char[] chars, Writer writer) throws IOException {
        int length = buffer.length();
        char[] target = chars.length >= length ? chars : new char[length];
        buffer.getChars(0, length, target, 0);
        writer.write(target, 0, length);
        buffer.setLength(0);
        return target;
    }

    /** Counts the bytes that reach the file. */
    static final class CountingStream extends OutputStream {
        private final OutputStream target;
        long count;

        CountingStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }
}
