package org.syncproducts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncproducts.SyncProductsException;

/**
 * A read-only view of one section of the YAML config that knows its own path, so every error
 * names the exact key ({@code sources.feed.delimiter: ...}) and unknown keys are refused rather
 * than silently ignored.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;

    public ConfigNode(JsonNode node, String path) {
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.path = path;
    }

    public String path() {
        return path;
    }

    public boolean isMissing() {
        return node.isMissingNode();
    }

    public ConfigNode child(String key) {
        if (!node.isMissingNode() && !node.isObject()) {
            throw error(path, "must be a mapping of keys to values");
        }
        return new ConfigNode(node.get(key), join(key));
    }

    /** Refuses keys other than the given ones. */
    public ConfigNode allowOnly(Set<String> keys) {
        for (String key : keys()) {
            if (!keys.contains(key)) {
                throw error(join(key), "unknown key; allowed here: " + String.join(", ", keys.stream().sorted().toList()));
            }
        }
        return this;
    }

    public List<String> keys() {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw error(path, "must be a mapping of keys to values");
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public String text(String key, String fallback) {
        JsonNode value = child(key).node;
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw error(join(key), "must be a single value");
        }
        return value.asText();
    }

    public int integer(String key, int fallback, int min, int max) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw error(join(key), "must be a whole number from " + min + " to " + max + "; got '" + text + "'");
    }

    public boolean bool(String key, boolean fallback) {
        String text = text(key, null);
        if (text == null) {
            return fallback;
        }
        return switch (text.strip().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(join(key), "must be true or false; got '" + text + "'");
        };
    }

    public List<String> list(String key) {
        JsonNode value = child(key).node;
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(join(key), "must be a list");
        }
        List<String> items = new ArrayList<>();
        value.forEach(item -> items.add(item.asText()));
        return items;
    }

    /** A mapping of plain string values, in file order. */
    public Map<String, String> stringMap(String key) {
        ConfigNode child = child(key);
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : child.keys()) {
            map.put(name, child.text(name, ""));
        }
        return map;
    }

    public Iterator<String> iterator() {
        return keys().iterator();
    }

    public SyncProductsException error(String message) {
        return error(path, message);
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static SyncProductsException error(String where, String message) {
        return SyncProductsException.config("config " + where + ": " + message);
    }
}
