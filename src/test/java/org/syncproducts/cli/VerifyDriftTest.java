package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.support.Cli;
import org.syncproducts.support.FakeOpenFoodFacts;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;
import org.syncproducts.support.TestHttpServer;

/** {@code verify --source API --sample N}: re-fetching a sample and reporting field drift. */
class VerifyDriftTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private MockWebServer server;
    private Cli cli;
    private Path config;

    private static String code(int number) {
        return OffCsvFixture.withCheckDigit(String.format("210000%06d", number));
    }

    @BeforeEach
    void syncThreeProductsFromTheApi() throws IOException {
        server = TestHttpServer.create();
        FakeOpenFoodFacts off = new FakeOpenFoodFacts();
        for (int i = 1; i <= 3; i++) {
            off.product(code(i), "Product " + i);
        }
        server.setDispatcher(off);
        server.start();
        cli = Cli.against(TestDatabase.create());
        config = Files.writeString(dir.resolve("config.yaml"), """
                sources:
                  open_food_facts:
                    type: open_food_facts
                    base_url: %s
                    contact: ops@example.org
                    attempts: 1
                """.formatted(server.url("/")), StandardCharsets.UTF_8);
        Path targets = Files.writeString(dir.resolve("targets.csv"), "code\n" + code(1) + "\n" + code(2) + "\n"
                + code(3) + "\n", StandardCharsets.UTF_8);
        assertEquals(0, cli.run("targets", "import", targets.toString()).exitCode());
        Cli.Result sync = cli.run("--config", config.toString(), "sync");
        assertEquals(0, sync.exitCode(), sync.toString());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private JsonNode driftCheck(Cli.Result result) throws IOException {
        for (JsonNode check : JSON.readTree(result.out()).get("checks")) {
            if (check.get("check").asText().equals("drift:open_food_facts")) {
                return check;
            }
        }
        throw new AssertionError("no drift check in " + result.out());
    }

    @Test
    void anUnchangedSourceShowsNoDrift() throws IOException {
        Cli.Result result = cli.run("--json", "--config", config.toString(), "verify", "--source", "open_food_facts",
                "--sample", "10");

        assertEquals(0, result.exitCode(), result.toString());
        JsonNode drift = driftCheck(result);
        assertTrue(drift.get("passed").asBoolean());
        assertEquals(3, drift.get("sampled").asInt());
        assertEquals(3, drift.get("in_sync").asInt());
    }

    @Test
    void changedAndVanishedProductsAreDriftWithTheFieldsNamed() throws IOException {
        FakeOpenFoodFacts changed = new FakeOpenFoodFacts();
        changed.product(code(1), "Product 1");
        changed.product(code(2), "Product 2, new recipe");
        server.setDispatcher(changed);

        Cli.Result result = cli.run("--json", "--config", config.toString(), "verify", "--source", "open_food_facts",
                "--sample", "10");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        JsonNode drift = driftCheck(result);
        assertFalse(drift.get("passed").asBoolean());
        assertEquals(1, drift.get("in_sync").asInt());
        assertEquals(1, drift.get("drifted").asInt());
        assertEquals(1, drift.get("not_found").asInt());
        assertEquals(1, drift.get("drift_by_field").get("name").asInt());
        assertEquals(1, drift.get("drift_by_field").get("brands").asInt());
        assertEquals(2, drift.get("drift_by_field").size(), drift.toString());
        String message = drift.get("message").asText();
        assertTrue(message.contains("'Product 2' -> 'Product 2, new recipe'"), message);
        assertTrue(message.contains("sync-products sync --full --upcs "), message);
    }

    @Test
    void aSampleOfOneComparesOneProduct() throws IOException {
        JsonNode drift = driftCheck(cli.run("--json", "--config", config.toString(), "verify", "--source",
                "open_food_facts", "--sample", "1"));

        assertEquals(1, drift.get("sampled").asInt());
    }

    @Test
    void anUnreachableSourceFailsTheCheckWithoutCallingItDrift() throws IOException {
        server.shutdown();

        Cli.Result result = cli.run("--json", "--config", config.toString(), "verify", "--source", "open_food_facts");

        assertEquals(ExitCode.FAILURE, result.exitCode(), result.toString());
        JsonNode drift = driftCheck(result);
        assertEquals(0, drift.get("drifted").asInt());
        assertEquals(3, drift.get("fetch_failed").asInt());
        assertTrue(drift.get("message").asText().contains("could not be reached"), drift.toString());
    }

    @Test
    void sampleNeedsAnApiSource() {
        assertEquals(ExitCode.USAGE, cli.run("--config", config.toString(), "verify", "--sample", "5").exitCode());
        assertEquals(ExitCode.USAGE, cli.run("--config", config.toString(), "verify", "--source", "open_food_facts",
                "--sample", "0").exitCode());
    }
}
