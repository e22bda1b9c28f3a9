package org.syncproducts.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.syncproducts.SyncProductsException;

/**
 * Where the values of one load came from. The loader records the values a flag or the
 * environment decided; any other value came from the file when the file has its key (named with
 * its line), else from the defaults.
 */
final class ConfigOrigins {
    private static final String FILE = "file:";

    private final Path file;
    /** Key to {@code flag --NAME}, {@code env NAME} or {@code file:OTHER_KEY} (a value read with another key). */
    private final Map<String, String> decided = new HashMap<>();
    private Map<String, Integer> lines;

    ConfigOrigins(Path file) {
        this.file = file;
    }

    void flag(String key, String flag) {
        decided.put(key, "flag " + flag);
    }

    void env(String key, String variable) {
        decided.put(key, "env " + variable);
    }

    /** When {@code applies}, {@code key}'s value came with {@code other}'s (a user name inside a URL). */
    void sameAs(String key, boolean applies, String other) {
        if (applies) {
            decided.put(key, decided.getOrDefault(other, FILE + other));
        }
    }

    /** {@code flag --NAME}, {@code env NAME}, {@code file PATH:LINE} or {@code default}. */
    String of(String key) {
        String origin = decided.getOrDefault(key, FILE + key);
        if (!origin.startsWith(FILE)) {
            return origin;
        }
        Integer line = lines().get(origin.substring(FILE.length()));
        return line == null ? "default" : "file " + file + ":" + line;
    }

    /** The line of every key in the file, as dotted paths ({@code database.url}); the file parsed already. */
    private Map<String, Integer> lines() {
        if (lines == null) {
            lines = new HashMap<>();
            if (file != null) {
                try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
                    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                        if (token == JsonToken.FIELD_NAME) {
                            String pointer = parser.getParsingContext().pathAsPointer().toString();
                            lines.putIfAbsent(pointer.substring(1).replace('/', '.'),
                                    parser.currentTokenLocation().getLineNr());
                        }
                    }
                } catch (IOException e) {
                    throw SyncProductsException.config("cannot read config file " + file + ": " + e.getMessage());
                }
            }
        }
        return lines;
    }
}
