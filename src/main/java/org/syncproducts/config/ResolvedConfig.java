package org.syncproducts.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The merged configuration as {@code config show} presents it: every value with where it came
 * from (flags &gt; environment &gt; file &gt; defaults). Secrets are never held: a secret's value is
 * {@code (set)} or {@code (not set)} and {@link Setting#variable()} names where it is kept.
 *
 * @param file     the config file read, or null
 * @param settings the resolved values, section by section
 * @param sources  the configured sources, in file order, then those the environment alone sets up
 */
public record ResolvedConfig(String file, List<Setting> settings, List<Source> sources) {
    /** What a secret's value reads as when it is set. */
    public static final String SET = "(set)";
    /** What a secret's value reads as when it is not set. */
    public static final String NOT_SET = "(not set)";

    public ResolvedConfig {
        settings = List.copyOf(settings);
        sources = List.copyOf(sources);
    }

    /**
     * One resolved value.
     *
     * @param key      the config key ({@code database.schema})
     * @param value    the value in effect (text, number or list); null when unset
     * @param origin   {@code flag --NAME}, {@code env NAME}, {@code file PATH:LINE} or {@code default}
     * @param variable for a secret, the environment variable that holds it; else null
     */
    public record Setting(String key, Object value, String origin, String variable) {
    }

    /**
     * One configured source.
     *
     * @param name     its name
     * @param type     its {@code type:}
     * @param lookup   whether it is a lookup source (an API asked by barcode) rather than a read source
     * @param priority its place in {@code sync.sources} (1 first), or in file order when that list is
     *                 empty; null when not listed
     * @param origin   {@code file PATH:LINE} of its section, or {@code env NAME} for one the environment sets up
     * @param keys     every config key its type declares (others are refused)
     * @param secrets  the environment variables holding its secrets, each with whether it is set
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Source(String name, String type, boolean lookup, Integer priority, String origin, List<String> keys,
                         Map<String, Boolean> secrets) {
    }
}
