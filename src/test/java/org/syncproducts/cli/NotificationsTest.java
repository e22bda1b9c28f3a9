package org.syncproducts.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.syncproducts.support.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncproducts.ExitCode;
import org.syncproducts.config.NotifySettings;
import org.syncproducts.support.Cli;
import org.syncproducts.support.OffCsvFixture;
import org.syncproducts.support.TestDatabase;

/** Webhooks, pings and the Prometheus file, against a real HTTP server (MockWebServer). */
class NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "T000-SECRET-TOKEN";

    @TempDir
    Path dir;

    private MockWebServer server;
    private TestDatabase database;
    private Cli cli;

    @BeforeEach
    void start() throws IOException {
        server = TestHttpServer.create();
        server.start();
        database = TestDatabase.create();
        cli = Cli.against(database).withEnv("HOSTNAME", "sync-host")
                .withEnv(NotifySettings.WEBHOOK_ENV, server.url("/hooks/" + TOKEN).toString())
                .withEnv(NotifySettings.PING_ENV, server.url("/ping/abc").toString());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    private static List<String> paths(List<RecordedRequest> requests) {
        return requests.stream().map(request -> request.getMethod() + " " + request.getPath()).toList();
    }

    private Path file(boolean withBadLine) {
        OffCsvFixture fixture = OffCsvFixture.create();
        fixture.add(OffCsvFixture.product(OffCsvFixture.withCheckDigit("800000000001")).name("Good"));
        if (withBadLine) {
            fixture.add(OffCsvFixture.product("not-a-code").name("Bad"));
        }
        return fixture.write(dir.resolve(withBadLine ? "bad.csv" : "good.csv"));
    }

    private void okResponses(int count) {
        for (int i = 0; i < count; i++) {
            server.enqueue(new MockResponse().setResponseCode(200));
        }
    }

    @Test
    void aSuccessfulSyncPingsStartAndSuccessAndPostsNothing() throws Exception {
        okResponses(2);

        assertEquals(0, cli.run("sync", "--from", file(false).toString()).exitCode());

        assertEquals(List.of("GET /ping/abc/start", "GET /ping/abc"), paths(requests()));
    }

    @Test
    void aFailedSyncPingsFailureAndPostsASlackCompatibleMessage() throws Exception {
        okResponses(3);

        Cli.Result result = cli.run("--json", "sync", "--from", file(true).toString(), "--failure-tolerance", "0");

        assertEquals(ExitCode.FAILURE, result.exitCode());
        long jobId = JSON.readTree(result.out()).get("job_id").asLong();
        List<RecordedRequest> requests = requests();
        assertEquals(List.of("GET /ping/abc/start", "GET /ping/abc/fail", "POST /hooks/" + TOKEN), paths(requests));
        RecordedRequest webhook = requests.get(2);
        assertTrue(webhook.getHeader("Content-Type").startsWith("application/json"));
        JsonNode payload = JSON.readTree(webhook.getBody().readUtf8());
        assertEquals("sync_failed", payload.get("event").asText());
        assertEquals(jobId, payload.get("job_id").asLong());
        String text = payload.get("text").asText();
        assertTrue(text.contains("sync-host") && text.contains("sync job #" + jobId + " failed")
                && text.contains("sync-products jobs show " + jobId), text);
    }

    @Test
    void aDryRunNotifiesNobody() throws Exception {
        assertEquals(0, cli.run("sync", "--from", file(false).toString(), "--dry-run").exitCode());

        assertEquals(List.of(), paths(requests()));
    }

    @Test
    void undeliverableNotificationsAreLoggedMaskedAndChangeNothing() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(500));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Cli.Result result;
        try {
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            result = cli.run("sync", "--from", file(true).toString(), "--failure-tolerance", "0");
        } finally {
            System.setErr(originalErr);
        }

        assertEquals(ExitCode.FAILURE, result.exitCode(), "the job's own result, not the webhook's");
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("could not deliver the webhook to http://" + server.getHostName() + ":"
                + server.getPort() + "/***: HTTP 500"), log);
        assertFalse(log.contains(TOKEN) || result.err().contains(TOKEN) || result.out().contains(TOKEN), log);

        Cli unreachable = Cli.against(database).withEnv(NotifySettings.WEBHOOK_ENV, "http://127.0.0.1:1/hooks/" + TOKEN)
                .withEnv(NotifySettings.PING_ENV, "http://127.0.0.1:1/ping/" + TOKEN);
        assertEquals(0, unreachable.run("sync", "--from", file(false).toString()).exitCode());
    }

    @Test
    void monitorPostsNewCriticalAlertsOnce() throws Exception {
        okResponses(1);

        assertEquals(ExitCode.FAILURE, cli.run("monitor").exitCode(), "never synced is critical");
        assertEquals(ExitCode.FAILURE, cli.run("monitor").exitCode());

        List<RecordedRequest> requests = requests();
        assertEquals(List.of("POST /hooks/" + TOKEN), paths(requests), "the same critical alert is not repeated");
        JsonNode payload = JSON.readTree(requests.get(0).getBody().readUtf8());
        assertEquals("critical_alerts", payload.get("event").asText());
        assertEquals("never_synced", payload.get("alerts").get(0).get("code").asText());
        assertTrue(payload.get("text").asText().contains("CRITICAL: no sync has ever completed -> run sync-products sync"),
                payload.get("text").asText());
    }

    /** A database URL where nothing listens: the connection is refused. */
    private static String refusedDatabase() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "jdbc:postgresql://127.0.0.1:" + socket.getLocalPort() + "/gone?user=postgres";
        }
    }

    @Test
    void syncWithTheDatabaseUnreachablePingsFailureAndPostsTheOutage() throws Exception {
        okResponses(2);

        Cli.Result result = cli.withEnv("DATABASE_URL", refusedDatabase()).run("sync", "--from", file(false).toString());

        assertEquals(ExitCode.UNAVAILABLE, result.exitCode(), result.toString());
        List<RecordedRequest> requests = requests();
        assertEquals(List.of("GET /ping/abc/fail", "POST /hooks/" + TOKEN), paths(requests));
        JsonNode payload = JSON.readTree(requests.get(1).getBody().readUtf8());
        assertEquals(ExitCode.UNAVAILABLE, payload.get("exit_code").asInt());
        assertTrue(payload.get("text").asText().contains("cannot connect to the database"), payload.toString());
    }

    @Test
    void monitorWithTheDatabaseUnreachablePingsFailureAndPostsTheOutage() throws Exception {
        okResponses(2);

        Cli.Result result = cli.withEnv("DATABASE_URL", refusedDatabase()).run("monitor");

        assertEquals(ExitCode.UNAVAILABLE, result.exitCode(), result.toString());
        List<RecordedRequest> requests = requests();
        assertEquals(List.of("GET /ping/abc/fail", "POST /hooks/" + TOKEN), paths(requests));
        JsonNode payload = JSON.readTree(requests.get(1).getBody().readUtf8());
        assertEquals("monitor_failed", payload.get("event").asText());
        assertTrue(payload.get("text").asText().contains("cannot connect to the database"), payload.toString());
    }

    @Test
    void notificationSettingsComeFromTheConfigFile() throws Exception {
        okResponses(3);
        Path config = Files.writeString(dir.resolve("config.yaml"), "notify:\n  webhook_url: "
                + server.url("/from-file") + "\n  ping_success_url: " + server.url("/ok") + "\n  timeout: 5s\n",
                StandardCharsets.UTF_8);
        Cli plain = Cli.against(database);

        assertEquals(0, plain.run("--config", config.toString(), "sync", "--from", file(false).toString()).exitCode());
        assertEquals(List.of("GET /ok"), paths(requests()));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "notify:\n  webhook_url: ftp://user:" + TOKEN
                + "@example.com/x\n", StandardCharsets.UTF_8);
        Cli.Result refused = plain.run("--config", bad.toString(), "monitor");
        assertEquals(ExitCode.CONFIG, refused.exitCode());
        assertFalse(refused.err().contains(TOKEN), refused.err());
    }

    @Test
    void prometheusFileHoldsScoreCoverageLastSuccessAndJobCounts() throws Exception {
        Cli quiet = Cli.against(database);
        assertEquals(0, quiet.run("sync", "--from", file(false).toString()).exitCode());
        Path metrics = dir.resolve("sync_products.prom");
        Files.writeString(metrics, "old content\n");

        assertEquals(0, quiet.run("monitor", "--prometheus-file", metrics.toString()).exitCode());

        String text = Files.readString(metrics);
        assertTrue(text.contains("# TYPE sync_products_health_score gauge\nsync_products_health_score "), text);
        assertTrue(text.contains("\nsync_products_healthy 1\n"), text);
        assertTrue(text.contains("\nsync_products_jobs{status=\"completed\"} 1\n"), text);
        assertTrue(text.contains("\nsync_products_last_success_timestamp_seconds "), text);
        assertTrue(text.contains("\nsync_products_alerts{severity=\"critical\"} 0\n"), text);
        assertFalse(text.contains("sync_products_target_coverage_percent"), "no targets, no coverage: " + text);
        assertFalse(text.contains("old content"));
        assertEquals(List.of("sync_products.prom"), Files.list(dir).map(path -> path.getFileName().toString())
                .filter(name -> name.contains("prom")).toList(), "no temporary file left behind");
    }

    @Test
    void maskingKeepsSchemeAndHostOnly() {
        assertEquals("https://hooks.slack.com/***", NotifySettings.mask("https://hooks.slack.com/services/T0/B0/XYZ"));
        assertEquals("https://hc-ping.com/***", NotifySettings.mask("https://user:pw@hc-ping.com/uuid?x=1"));
        assertEquals("http://example.com", NotifySettings.mask("http://example.com"));
        assertNull(NotifySettings.mask(null));
        assertNotNull(NotifySettings.none().toString());
    }
}
