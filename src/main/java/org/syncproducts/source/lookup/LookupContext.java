package org.syncproducts.source.lookup;

import java.time.Clock;
import java.util.Map;
import org.syncproducts.http.SharedHttpClient;

/**
 * What lookup sources are built with besides their config section: the environment (for API
 * URLs, keys and the contact, which win over the file), the process's one HTTP client and the
 * product token of the User-Agent.
 *
 * @param env           environment variables
 * @param http          the one HTTP client of the process
 * @param clock         for Retry-After dates
 * @param productToken  {@code sync-products/VERSION}, the first part of every User-Agent
 */
public record LookupContext(Map<String, String> env, SharedHttpClient http, Clock clock, String productToken) {
    public LookupContext {
        env = Map.copyOf(env);
    }

    /** An environment value, or null when unset or blank. */
    public String envValue(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code sync-products/VERSION (contact)}, or without the parentheses when there is no contact. */
    public String userAgent(String contact) {
        return contact == null ? productToken : productToken + " (" + contact + ")";
    }
}
