package org.syncproducts.config;

import java.util.Set;

/**
 * How {@code sync --auto} chooses its strategy, from the {@code auto:} section of the config.
 *
 * @param realtimeMax a run naming at most this many codes ({@code --upcs}) reads them from the
 *                    API; more are left to the exports and deltas (Open Food Facts asks that the
 *                    API serve real scans, not bulk reads)
 */
public record AutoSettings(int realtimeMax) {
    public static final AutoSettings DEFAULTS = new AutoSettings(10);

    static AutoSettings read(ConfigNode node) {
        node.allowOnly(Set.of("realtime_max"));
        return new AutoSettings(node.integer("realtime_max", DEFAULTS.realtimeMax(), 0, 1_000));
    }
}
