package org.syncproducts.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.syncproducts.source.lookup.JsonValues;

/**
 * A dotted path into a JSON document, as mappings write it: {@code data.items},
 * {@code manufacturer.name}, {@code images[0].url}. Checked when the config is read, so a
 * malformed path is a configuration error naming its key.
 */
public final class JsonPath {
    private final String text;
    private final List<Object> steps;

    private JsonPath(String text, List<Object> steps) {
        this.text = text;
        this.steps = List.copyOf(steps);
    }

    /**
     * Parses a path; an empty one selects the document itself.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static JsonPath parse(String text) {
        List<Object> steps = new ArrayList<>();
        String path = text.strip();
        if (path.isEmpty()) {
            return new JsonPath("", steps);
        }
        for (String segment : path.split("\\.", -1)) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            if (name.isEmpty() && bracket != 0) {
                throw new IllegalArgumentException("'" + text + "' has an empty step");
            }
            if (!name.isEmpty()) {
                steps.add(name);
            }
            String rest = bracket < 0 ? "" : segment.substring(bracket);
            while (!rest.isEmpty()) {
                int close = rest.indexOf(']');
                if (!rest.startsWith("[") || close < 2 || !rest.substring(1, close).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("'" + text + "': an index is written [0], [1], ...");
                }
                steps.add(Integer.parseInt(rest.substring(1, close)));
                rest = rest.substring(close + 1);
            }
        }
        return new JsonPath(path, steps);
    }

    /** The node at this path, or a missing node. */
    public JsonNode select(JsonNode document) {
        JsonNode node = document == null ? MissingNode.getInstance() : document;
        for (Object step : steps) {
            node = step instanceof Integer index ? node.path(index) : node.path((String) step);
        }
        return node;
    }

    /**
     * The text at this path: a scalar as {@link JsonValues#text}, an array of scalars joined with
     * commas (a list of categories), null for anything else.
     */
    public String text(JsonNode document) {
        JsonNode node = select(document);
        if (!node.isArray()) {
            return JsonValues.text(node);
        }
        StringJoiner joined = new StringJoiner(",");
        for (JsonNode item : node) {
            String value = JsonValues.text(item);
            if (value != null) {
                joined.add(value);
            }
        }
        return joined.length() == 0 ? null : joined.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
