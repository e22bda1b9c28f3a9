package org.syncproducts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.config.NotifySettings;
import org.syncproducts.health.Alert;
import org.syncproducts.health.HealthCheck;
import org.syncproducts.health.HealthRepository;

/**
 * Tells people and dead-man switches what happened: a webhook (JSON POST with a Slack-compatible
 * {@code text}) for failed syncs and new critical alerts, and healthchecks-style pings when a sync
 * starts, succeeds or fails.
 *
 * <p>Best effort by contract: a notification that cannot be delivered is logged as a warning (the
 * URL masked, as it may hold a token) and never changes the command's result or exit code.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    private final NotifySettings settings;
    private final Supplier<OkHttpClient> baseClient;
    private final String host;
    private OkHttpClient client;

    /**
     * @param baseClient the process's HTTP client, asked for only when something is to be sent
     * @param host       names this machine in messages
     */
    public Notifier(NotifySettings settings, Supplier<OkHttpClient> baseClient, String host) {
        this.settings = settings;
        this.baseClient = baseClient;
        this.host = host;
    }

    /** A sync job is about to start. */
    public void syncStarted() {
        ping(settings.pingStartUrl(), "start");
    }

    /**
     * A sync job ended. Success pings the success URL; any other end except exit 75 (another sync
     * holds the lock: nothing ran) pings the failure URL; a failed job also goes to the webhook.
     *
     * @param jobId   the job, or null when the run failed before recording one
     * @param status  the job's status, or null when it failed before recording one
     * @param message one line saying what happened
     */
    public void syncEnded(Long jobId, String status, int exitCode, String message) {
        if (exitCode == ExitCode.OK) {
            ping(settings.pingSuccessUrl(), "success");
            return;
        }
        if (exitCode == ExitCode.TEMPORARY) {
            return;
        }
        ping(settings.pingFailureUrl(), "failure");
        if (status == null || status.equals("failed")) {
            String job = jobId == null ? "a sync" : "sync job #" + jobId;
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("text", ":x: sync-products on " + host + ": " + job + " failed (exit " + exitCode + "): "
                    + message + (jobId == null ? "" : " - see: sync-products jobs show " + jobId));
            payload.put("event", "sync_failed");
            payload.put("host", host);
            payload.put("job_id", jobId);
            payload.put("exit_code", exitCode);
            payload.put("message", message);
            webhook(payload);
        }
    }

    /**
     * {@code monitor} could not reach the database: the failure URL is pinged and the webhook told,
     * so an outage is announced even though no check could run.
     */
    public void monitorFailed(int exitCode, String message) {
        ping(settings.pingFailureUrl(), "failure");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", ":x: sync-products on " + host + ": monitor could not run (exit " + exitCode + "): "
                + message);
        payload.put("event", "monitor_failed");
        payload.put("host", host);
        payload.put("exit_code", exitCode);
        payload.put("message", message);
        webhook(payload);
    }

    /**
     * A health check raised critical alerts. Only those not already critical in the previous check
     * are sent, so a watch every few minutes does not repeat the same news.
     *
     * @param alreadyKnown codes of the critical alerts of the previous check
     */
    public void healthChecked(HealthCheck check, java.util.Set<String> alreadyKnown) {
        List<Alert> fresh = check.report().alerts().stream()
                .filter(alert -> alert.severity() == Alert.Severity.CRITICAL)
                .filter(alert -> !alreadyKnown.contains(alert.code()))
                .toList();
        if (fresh.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(":rotating_light: sync-products on " + host + ": health "
                + check.report().score() + "/100 (" + check.report().rating().label() + ")");
        for (Alert alert : fresh) {
            text.append("\n- CRITICAL: ").append(alert.message()).append(" -> ").append(alert.action());
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", text.toString());
        payload.put("event", "critical_alerts");
        payload.put("host", host);
        payload.put("check_id", check.id());
        payload.put("score", check.report().score());
        payload.put("alerts", fresh.stream().map(HealthRepository::alertDocument).toList());
        webhook(payload);
    }

    private void webhook(Map<String, Object> payload) {
        String url = settings.webhookUrl();
        if (url == null) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload must be serializable", e);
        }
        send(new Request.Builder().url(url).post(RequestBody.create(body, JSON_TYPE)).build(), "webhook");
    }

    private void ping(String url, String what) {
        if (url != null) {
            send(new Request.Builder().url(url).get().build(), what + " ping");
        }
    }

    /** Sends one request; any failure is logged, masked, and swallowed by design (see the class doc). */
    private void send(Request request, String what) {
        String masked = NotifySettings.mask(request.url().toString());
        try (Response response = client().newCall(request).execute()) {
            if (!response.isSuccessful()) {
                LOG.warn("could not deliver the {} to {}: HTTP {}; the run's result is unchanged", what, masked,
                        response.code());
            } else {
                LOG.debug("{} delivered to {}", what, masked);
            }
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replace(request.url().toString(), masked);
            LOG.warn("could not deliver the {} to {}: {}; the run's result is unchanged", what, masked, reason);
        }
    }

    private synchronized OkHttpClient client() {
        if (client == null) {
            client = baseClient.get().newBuilder().callTimeout(settings.timeout()).build();
        }
        return client;
    }
}
