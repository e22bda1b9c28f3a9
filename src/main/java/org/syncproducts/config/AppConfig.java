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

    /** Every source in priority order: those {@code sync.sources} lists first, then any other configured one. */
    public java.util.List<String> sourcesByPriority() {
        java.util.List<String> names = new java.util.ArrayList<>(sync.sources());
        sourceNames().stream().filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    /**
     * A source's place in {@code sync.sources} (1 first); with that list empty every source takes
     * part in file order. Null for a source the list leaves out.
     */
    public Integer priority(String name) {
        java.util.List<String> order = sync.sources().isEmpty() ? sourcesByPriority() : sync.sources();
        return order.contains(name) ? order.indexOf(name) + 1 : null;
    }
}
