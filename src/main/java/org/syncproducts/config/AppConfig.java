package org.syncproducts.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.syncproducts.source.ProductSource;

/**
 * The whole configuration of one run, after file, environment and flags have been merged
 * (flags > environment > file > defaults).
 *
 * @param file     the config file read, or null
 * @param database where the database is
 * @param sync     how sync jobs run
 * @param sources  configured sources by name, in file order
 */
public record AppConfig(Path file, DatabaseSettings database, SyncSettings sync, Map<String, ProductSource> sources) {
    public AppConfig {
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }
}
