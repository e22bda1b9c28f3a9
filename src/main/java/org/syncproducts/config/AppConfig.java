package org.syncproducts.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.syncproducts.source.ProductSource;
import org.syncproducts.source.lookup.LookupSource;

/**
 * The whole configuration of one run, after file, environment and flags have been merged
 * (flags > environment > file > defaults).
 *
 * @param file     the config file read, or null
 * @param database where the database is
 * @param sync     how sync jobs run
 * @param sources  configured sources by name, in file order
 * @param monitor  how health checks judge the database
 * @param lookupSources configured lookup sources (APIs asked by barcode) by name, in file order,
 *                 then those set up by the environment alone
 * @param schedules named schedules for {@code sync --if-due NAME}, in file order
 * @param notifications where notifications go (the {@code notify:} section)
 * @param auto     how {@code sync --auto} chooses (the {@code auto:} section)
 */
public record AppConfig(Path file, DatabaseSettings database, SyncSettings sync, Map<String, ProductSource> sources,
                        MonitorSettings monitor, Map<String, LookupSource> lookupSources,
                        Map<String, ScheduleSettings> schedules, NotifySettings notifications, AutoSettings auto) {
    public AppConfig {
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        lookupSources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lookupSources));
        schedules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
    }

    /** A configuration without schedules or notifications. */
    public AppConfig(Path file, DatabaseSettings database, SyncSettings sync, Map<String, ProductSource> sources,
                     MonitorSettings monitor, Map<String, LookupSource> lookupSources) {
        this(file, database, sync, sources, monitor, lookupSources, Map.of(), NotifySettings.none(),
                AutoSettings.DEFAULTS);
    }

    /** A configuration without lookup sources. */
    public AppConfig(Path file, DatabaseSettings database, SyncSettings sync, Map<String, ProductSource> sources,
                     MonitorSettings monitor) {
        this(file, database, sync, sources, monitor, Map.of());
    }

    /** Every configured source name, read sources and lookup sources. */
    public java.util.Set<String> sourceNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(sources.keySet());
        names.addAll(lookupSources.keySet());
        return names;
    }
}
