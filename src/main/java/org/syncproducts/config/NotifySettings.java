package org.syncproducts.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where notifications go, from the {@code notify:} section or the environment (which wins). The
 * URLs may hold tokens: they are never logged or printed except masked (see {@link #mask}).
 *
 * @param webhookUrl     JSON POST (Slack-compatible {@code text}) for critical alerts and failed syncs, or null
 * @param pingStartUrl   GET when a sync starts, or null
 * @param pingSuccessUrl GET when a sync completes, or null
 * @param pingFailureUrl GET when a sync fails, or null
 * @param timeout        per request; a notification never holds a run up longer
 */
public record NotifySettings(String webhookUrl, String pingStartUrl, String pingSuccessUrl, String pingFailureUrl,
                             Duration timeout) {
    public static final String WEBHOOK_ENV = "SYNC_PRODUCTS_WEBHOOK_URL";
    public static final String PING_ENV = "SYNC_PRODUCTS_PING_URL";

    public static NotifySettings none() {
        return new NotifySettings(null, null, null, null, Duration.ofSeconds(10));
    }

    /**
     * Reads the section. {@code ping_url} is a healthchecks.io-style base: start pings
     * {@code URL/start}, success {@code URL}, failure {@code URL/fail}; the explicit
     * {@code ping_*_url} keys override each.
     */
    static NotifySettings read(ConfigNode node, Map<String, String> env) {
        node.allowOnly(Set.of("webhook_url", "ping_url", "ping_start_url", "ping_success_url", "ping_failure_url",
                "timeout"));
        String webhook = nonBlank(env.get(WEBHOOK_ENV)) ? env.get(WEBHOOK_ENV) : node.text("webhook_url", null);
        String ping = nonBlank(env.get(PING_ENV)) ? env.get(PING_ENV) : node.text("ping_url", null);
        String base = ping == null ? null : ping.replaceAll("/+$", "");
        String start = node.text("ping_start_url", base == null ? null : base + "/start");
        String success = node.text("ping_success_url", base);
        String failure = node.text("ping_failure_url", base == null ? null : base + "/fail");
        for (String url : new String[] {webhook, start, success, failure}) {
            if (url != null && !url.matches("(?i)https?://\\S+")) {
                throw node.error("notification URLs must be http:// or https:// URLs; got " + mask(url));
            }
        }
        String timeout = node.text("timeout", null);
        return new NotifySettings(webhook, start, success, failure,
                timeout == null ? none().timeout() : Durations.parse(timeout, "config notify.timeout"));
    }

    /** A URL as it may be logged: scheme and host only, the path and query (where tokens live) masked. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?i)^(https?://)(?:[^@/]*@)?([^/?#]*)(.*)$")
                .matcher(url);
        if (!matcher.matches()) {
            return "***";
        }
        return matcher.group(1) + matcher.group(2) + (matcher.group(3).isEmpty() ? "" : "/***");
    }

    @Override
    public String toString() {
        return "NotifySettings[webhook=" + mask(webhookUrl) + ", start=" + mask(pingStartUrl) + ", success="
                + mask(pingSuccessUrl) + ", failure=" + mask(pingFailureUrl) + ", timeout=" + timeout + "]";
    }

    private static boolean nonBlank(String text) {
        return text != null && !text.isBlank();
    }
}
