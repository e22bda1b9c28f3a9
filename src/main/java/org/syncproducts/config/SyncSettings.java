package org.syncproducts.config;

import java.time.Duration;
import java.util.List;

/**
 * How sync jobs run, from the {@code sync:} section of the config (flags override per run).
 *
 * @param sources          source names in priority order; empty means every configured source in file order
 * @param batchSize        products written per transaction (and per checkpoint)
 * @param failureTolerance item failures allowed before the job counts as failed
 * @param progressInterval how often a log line reports progress when not on a terminal
 * @param staleAfter       a running job whose heartbeat is older than this is considered dead
 */
public record SyncSettings(List<String> sources, int batchSize, FailureTolerance failureTolerance,
                           Duration progressInterval, Duration staleAfter) {

    public static final int DEFAULT_BATCH_SIZE = 5_000;

    public SyncSettings {
        sources = List.copyOf(sources);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(List.of(), DEFAULT_BATCH_SIZE, FailureTolerance.DEFAULT, Duration.ofSeconds(10),
                Duration.ofMinutes(2));
    }
}
