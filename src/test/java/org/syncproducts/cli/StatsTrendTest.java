package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** {@code stats}' trend of health score and coverage over the last health checks. */
class StatsTrendTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trendShowsScoreAndCoverageOfTheLastChecksOldestFirst() throws Exception {
        TestDatabase database = TestDatabase.create();
        Cli cli = Cli.against(database);
        String one = OffCsvFixture.withCheckDigit("900000000001");
        String two = OffCsvFixture.withCheckDigit("900000000002");
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(one).name("One").imageUrl("https://img/1.jpg").energyKcal("10"));
        assertEquals(0, cli.run("sync", "--from", fixture.write(dir.resolve("feed.csv")).toString()).exitCode());
        cli.run("monitor");
        Path targets = Files.writeString(dir.resolve("targets.csv"), "code\n" + one + "\n" + two + "\n",
                StandardCharsets.UTF_8);
        assertEquals(0, cli.run("targets", "import", targets.toString()).exitCode());
        cli.run("monitor");
        cli.run("monitor");

        JsonNode trend = JSON.readTree(cli.run("--json", "stats", "--trend", "2").out()).get("trend");

        assertEquals(2, trend.get("checks").asInt());
        assertEquals(List.of(50.0, 50.0), doubles(trend.get("coverage")));
        assertEquals(2, trend.get("score").size());
        assertEquals(2, trend.get("checked_at").size());
        JsonNode all = JSON.readTree(cli.run("--json", "stats").out()).get("trend");
        assertEquals(3, all.get("checks").asInt());
        assertTrue(all.get("coverage").get(0).isNull(), "no targets at the first check: " + all);

        String text = cli.run("stats", "--trend", "3").out();
        assertTrue(text.contains("Trend over the last 3 health checks"), text);
        String scoreLine = text.lines().filter(line -> line.strip().startsWith("score")).findFirst().orElseThrow();
        assertEquals(3 + 2, scoreLine.strip().split("\\s+").length - 1, "three numbers off a terminal: " + scoreLine);
        assertTrue(text.lines().anyMatch(line -> line.strip().startsWith("coverage  - 50.0 50.0  now 50.0%")), text);
    }

    @Test
    void withoutChecksTheTrendSaysHowToGetOne() throws Exception {
        Cli cli = Cli.against(TestDatabase.create());

        assertTrue(cli.run("stats").out().contains("Trend: no health checks yet (run 'sync-products monitor')"));
        assertTrue(!cli.run("stats", "--trend", "0").out().contains("Trend"), "--trend 0 shows none");
        assertEquals(0, JSON.readTree(cli.run("--json", "stats").out()).get("trend").get("score").size());
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asDouble()));
        return values;
    }
}
