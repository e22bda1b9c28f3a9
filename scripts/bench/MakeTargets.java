import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a target list (APL) CSV for an Open Food Facts CSV export made by GenerateOffCsv.
 *
 * <pre>
 * java scripts/bench/MakeTargets.java --products FILE --out FILE [--seed S] [--present N] [--missing M]
 *      [--list NAME]
 * </pre>
 *
 * <p>The CSV has the header {@code code,category,list}. {@code --present} (default 220) codes are
 * products of the export whose categories_tags name a WIC food category (Milk, Cheese, Yogurt,
 * Cereal, Juice, Infant formula, Bread, ...), written as the export writes them; {@code --missing}
 * (default 30) codes have a valid GS1 check digit and are not in the export (as 12-digit UPC-A or
 * 13-digit EAN-13). The list name defaults to {@code wic-2026}. Rows are sorted by category, then
 * code; the output depends only on the export and the seed.
 */
public final class MakeTargets {

    /** categories_tags entry to APL category, most specific first. */
    static final String[][] CATEGORY_BY_TAG = {
        {"en:infant-formulas", "Infant formula"},
        {"en:follow-on-milks", "Infant formula"},
        {"en:growing-up-milks", "Infant formula"},
        {"en:cheeses", "Cheese"},
        {"en:yogurts", "Yogurt"},
        {"en:milks", "Milk"},
        {"en:evaporated-milks", "Milk"},
        {"en:breakfast-cereals", "Cereal"},
        {"en:fruit-juices", "Juice"},
        {"en:breads", "Bread"},
        {"en:peanut-butters", "Peanut butter"},
        {"en:beans", "Beans"},
        {"en:chickpeas", "Beans"},
        {"en:eggs", "Eggs"},
        {"en:pastas", "Whole grains"},
        {"en:rices", "Whole grains"},
        {"en:canned-fishes", "Canned fish"},
    };
    static final String[] MISSING_CATEGORIES = {"Milk", "Cereal", "Juice", "Infant formula", "Cheese", "Bread",
        "Yogurt", "Eggs"};

    record Target(String code, String category) {
    }

    private MakeTargets() {
    }

    public static void main(String[] args) throws IOException {
        Path products = null;
        Path out = null;
        long seed = 2026;
        int present = 220;
        int missing = 30;
        String list = "wic-2026";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && !arg.equals("-h") && !arg.equals("--help")) {
                usage(arg.startsWith("--") ? arg + " needs a value" : "unknown argument " + arg);
            }
            try {
                switch (arg) {
                    case "--products" -> products = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--present" -> present = Integer.parseInt(args[++i]);
                    case "--missing" -> missing = Integer.parseInt(args[++i]);
                    case "--list" -> list = args[++i];
                    case "-h", "--help" -> usage(null);
                    default -> usage("unknown argument " + arg);
                }
            } catch (NumberFormatException e) {
                usage(arg + " needs a whole number, not '" + args[i] + "'");
            }
        }
        if (products == null || out == null) {
            usage("--products FILE and --out FILE are required");
        }
        if (list.contains(",") || list.contains("\"")) {
            usage("--list must not contain commas or quotes");
        }

        List<Target> eligible = new ArrayList<>();
        Set<String> canonicalCodes = new HashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(products, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                usage(products + " is empty");
            }
            List<String> names = List.of(header.split("\t", -1));
            int codeColumn = names.indexOf("code");
            int tagsColumn = names.indexOf("categories_tags");
            if (codeColumn < 0 || tagsColumn < 0) {
                usage(products + " is not an Open Food Facts CSV export: no code or categories_tags column");
            }
            Map<String, String> categoryByTag = new HashMap<>();
            for (String[] entry : CATEGORY_BY_TAG) {
                categoryByTag.put(entry[0], entry[1]);
            }
            String line;
            while ((line = reader.readLine()) != null) {
                String[] values = line.split("\t", -1);
                String code = values[codeColumn].strip();
                canonicalCodes.add(canonical(code));
                String category = category(values.length > tagsColumn ? values[tagsColumn] : "");
                if (category != null) {
                    eligible.add(new Target(code, category));
                }
            }
        }

        SplittableRandom random = new SplittableRandom(seed);
        for (int i = eligible.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Target swap = eligible.get(i);
            eligible.set(i, eligible.get(j));
            eligible.set(j, swap);
        }
        List<Target> targets = new ArrayList<>(eligible.subList(0, Math.min(present, eligible.size())));
        if (targets.size() < present) {
            System.err.printf("MakeTargets: only %d products of %s are in a target category; using all of them%n",
                    targets.size(), products);
        }
        Set<String> used = new HashSet<>(canonicalCodes);
        for (int n = 0; n < missing; n++) {
            String code;
            do {
                StringBuilder data = new StringBuilder();
                if (n % 3 == 2) {
                    data.append("3").append(random.nextInt(10)).append(random.nextInt(10));
                    for (int d = 0; d < 9; d++) {
                        data.append(random.nextInt(10));
                    }
                } else {
                    data.append("0").append(1 + random.nextInt(9));
                    for (int d = 0; d < 9; d++) {
                        data.append(random.nextInt(10));
                    }
                }
                code = data.append(checkDigit(data)).toString();
            } while (!used.add(canonical(code)));
            targets.add(new Target(code, MISSING_CATEGORIES[random.nextInt(MISSING_CATEGORIES.length)]));
        }
        targets.sort(Comparator.comparing(Target::category).thenComparing(target -> canonical(target.code())));

        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            writer.write("code,category,list\n");
            for (Target target : targets) {
                writer.write(target.code() + "," + target.category() + "," + list + "\n");
            }
        }
        System.err.printf("MakeTargets: wrote %d targets to %s (%d in %s, %d not in it)%n", targets.size(), out,
                targets.size() - missing, products, missing);
    }

    static String category(String tags) {
        if (tags.isEmpty()) {
            return null;
        }
        Set<String> present = new HashSet<>(Arrays.asList(tags.split(",")));
        for (String[] entry : CATEGORY_BY_TAG) {
            if (present.contains(entry[0])) {
                return entry[1];
            }
        }
        return null;
    }

    static String canonical(String code) {
        return code.length() >= 14 ? code : "0".repeat(14 - code.length()) + code;
    }

    static char checkDigit(CharSequence data) {
        int sum = 0;
        for (int i = data.length() - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
            sum += (data.charAt(i) - '0') * weight;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("MakeTargets: " + problem);
        }
        System.err.println("usage: java scripts/bench/MakeTargets.java --products FILE --out FILE [--seed S] "
                + "[--present N] [--missing M] [--list NAME]");
        System.exit(problem == null ? 0 : 64);
    }
}
