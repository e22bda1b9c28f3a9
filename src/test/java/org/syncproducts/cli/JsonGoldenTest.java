package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/**
 * Pins every --json document: keys, their order, value types and list shapes, against golden
 * files in src/test/resources/golden (times, durations, rates and build details are masked).
 * After an intended change, regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
class JsonGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d.*");
    /** Values that differ from run to run; their type is still pinned (number or text). */
    private static final Set<String> VARYING = Set.of("duration_ms", "records_per_second", "last_success_age_seconds",
            "average_duration_ms", "avg_duration_ms", "commit", "built_at", "java", "version", "pid", "host",
            "check_id", "checked_at", "seconds", "age_seconds", "input", "database");

    @TempDir
    Path dir;

    @Test
    void everyJsonDocumentKeepsItsShape() throws IOException {
        TestDatabase database = TestDatabase.create();
        // The default data, image and cache directories follow XDG_DATA_HOME and XDG_CACHE_HOME: config show prints <dir>.
        Cli cli = Cli.against(database).withEnv("XDG_DATA_HOME", dir.toString()).withEnv("XDG_CACHE_HOME", dir.toString());
        OffCsvFixture feed = OffCsvFixture.create();
        for (int i = 1; i <= 4; i++) {
            feed.add(OffCsvFixture.product(code(i)).name("Product " + i).categories("en:snacks")
                    .imageUrl(i <= 2 ? "https://img/" + i + ".jpg" : ""));
        }
        Path file = feed.write(dir.resolve("feed.csv"));
        Path targets = Files.writeString(dir.resolve("targets.csv"), "code,category\n" + code(1) + ",snacks\n"
                + code(2) + ",snacks\n" + code(9) + ",dairy\n", StandardCharsets.UTF_8);
        Path badCodes = Files.writeString(dir.resolve("bad.csv"), "code,name\n12AB5,Bad\n" + code(5) + ",Good\n",
                StandardCharsets.UTF_8);

        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("migrate", new String[] {"migrate"});
        commands.put("targets-import", new String[] {"targets", "import", targets.toString()});
        commands.put("sync", new String[] {"sync", "--from", file.toString()});
        commands.put("sync-failures", new String[] {"sync", "--from", badCodes.toString(), "--format", "csv",
                "--failure-tolerance", "100"});
        commands.put("sync-skipped", new String[] {"sync", "--from", file.toString(), "--if-coverage-below", "10"});
        commands.put("stats", new String[] {"stats"});
        commands.put("monitor", new String[] {"monitor"});
        commands.put("monitor-alerts", new String[] {"monitor", "--alerts"});
        commands.put("verify", new String[] {"verify"});
        commands.put("targets-list", new String[] {"targets", "list", "--limit", "2"});
        commands.put("targets-count", new String[] {"targets", "count"});
        commands.put("jobs-list", new String[] {"jobs", "list"});
        commands.put("jobs-show", new String[] {"jobs", "show", "1"});
        commands.put("errors-list", new String[] {"errors", "list"});
        commands.put("pause", new String[] {"pause", "--reason", "maintenance", "--by", "ops"});
        commands.put("sync-paused", new String[] {"sync", "--from", file.toString()});
        commands.put("resume", new String[] {"resume", "--by", "ops"});
        commands.put("cleanup", new String[] {"cleanup", "--older-than", "30d"});
        commands.put("schedule", new String[] {"schedule", "--every", "1d", "--at", "02:10", "--command", "sync"});
        commands.put("version", new String[] {"-V"});
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                database:
                  pool_size: 3
                sources:
                  shop:
                    type: rest
                    url: https://shop.example/api/products
                    auth: {type: bearer, token_env: SHOP_API_TOKEN}
                    mapping: {code: gtin}
                """, StandardCharsets.UTF_8);
        commands.put("config-show", new String[] {"--config", config.toString(), "--db-url",
                "postgresql://ops:s3cret@db.example:5432/products", "config", "show"});
        commands.put("usage-error", new String[] {"sync", "--limit", "many"});

        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String[]> command : commands.entrySet()) {
            List<String> args = new ArrayList<>(List.of("--json"));
            args.addAll(List.of(command.getValue()));
            Cli.Result result = cli.run(args.toArray(String[]::new));
            String text = result.out().replace(dir.toString(), "<dir>").replace(database.name(), "<db>");
            JsonNode document = JSON.readTree(text);
            assertEquals(result.exitCode(), document.get("exit_code").asInt(), command.getKey() + ": " + result);
            String actual = JSON.writeValueAsString(mask(document, null)) + "\n";
            Path golden = GOLDEN.resolve(command.getKey() + ".json");
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            } else if (!Files.exists(golden) || !Files.readString(golden).equals(actual)) {
                mismatches.add(command.getKey() + ":\n" + actual);
            }
        }
        assertEquals(List.of(), mismatches, "documents differ from " + GOLDEN + " (rerun with -Dgolden.update=true "
                + "to accept an intended change)");
    }

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("400000%06d", number));
    }

    /** The document with varying values replaced by a marker of their type. */
    private static JsonNode mask(JsonNode node, String key) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            ObjectNode copy = JSON.createObjectNode();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), mask(field.getValue(), field.getKey()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(item -> copy.add(mask(item, key)));
            return copy;
        }
        if (node.isNull()) {
            return node;
        }
        if (key != null && VARYING.contains(key)) {
            return new TextNode(node.isNumber() ? "<number>" : "<text>");
        }
        if (node.isTextual() && TIME.matcher(node.asText()).matches()) {
            return new TextNode("<time>");
        }
        return node;
    }
}
