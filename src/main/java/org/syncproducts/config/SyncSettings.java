package org.syncproducts.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.syncproducts.model.ProductParser;

/**
 * How sync jobs run, from the {@code sync:} section of the config (flags override per run).
 *
 * @param sources          source names in priority order; empty means every configured source in file order
 * @param batchSize        products written per transaction (and per checkpoint)
 * @param failureTolerance item failures allowed before the job counts as failed
 * @param progressInterval how often a log line reports progress when not on a terminal
 * @param staleAfter       a running job whose heartbeat is older than this is considered dead
 * @param recheckNotFoundAfter a code no lookup source has is not asked again before this has passed
 * @param maxDuration      time budget of a run: no new lookup starts once it is spent; null for none
 * @param images           where {@code --images} stores product images
 * @param languages        name languages tried, in order, when a product has no plain name and none in its own
 *                         language ({@code sync.languages}, default {@code [en]})
 * @param cacheDir         where exports fetched by URL are kept ({@code sync.cache_dir})
 * @param concurrency      lookup requests in flight at once across the lookup sources ({@code sync.concurrency};
 *                         0 for the default)
 */
public record SyncSettings(List<String> sources, int batchSize, FailureTolerance failureTolerance,
                           Duration progressInterval, Duration staleAfter, Duration recheckNotFoundAfter,
                           Duration maxDuration, ImageSettings images, List<String> languages,
                           boolean markMissingDeleted, FailureTolerance markMissingLimit, Path cacheDir,
                           int concurrency) {

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final int DEFAULT_CONCURRENCY = 4;
    /** More would only queue at the sources' rate limiters. */
    public static final int MAX_CONCURRENCY = 64;
    public static final Duration DEFAULT_RECHECK_NOT_FOUND_AFTER = Duration.ofDays(7);
    public static final FailureTolerance DEFAULT_MARK_MISSING_LIMIT = FailureTolerance.parse("5%");

    public SyncSettings {
        sources = List.copyOf(sources);
        languages = languages == null || languages.isEmpty() ? ProductParser.DEFAULT_LANGUAGES : List.copyOf(languages);
        markMissingLimit = markMissingLimit == null ? DEFAULT_MARK_MISSING_LIMIT : markMissingLimit;
        cacheDir = cacheDir == null ? defaultCacheDir() : cacheDir;
        concurrency = concurrency == 0 ? DEFAULT_CONCURRENCY : concurrency;
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be from 1 to " + MAX_CONCURRENCY);
        }
    }

    public SyncSettings(List<String> sources, int batchSize, FailureTolerance failureTolerance,
                        Duration progressInterval, Duration staleAfter, Duration recheckNotFoundAfter,
                        Duration maxDuration, ImageSettings images, List<String> languages) {
        this(sources, batchSize, failureTolerance, progressInterval, staleAfter, recheckNotFoundAfter, maxDuration,
                images, languages, false, null, null, DEFAULT_CONCURRENCY);
    }

    public SyncSettings(List<String> sources, int batchSize, FailureTolerance failureTolerance,
                        Duration progressInterval, Duration staleAfter, Duration recheckNotFoundAfter,
                        Duration maxDuration, ImageSettings images) {
        this(sources, batchSize, failureTolerance, progressInterval, staleAfter, recheckNotFoundAfter, maxDuration,
                images, null);
    }

    public SyncSettings(List<String> sources, int batchSize, FailureTolerance failureTolerance,
                        Duration progressInterval, Duration staleAfter) {
        this(sources, batchSize, failureTolerance, progressInterval, staleAfter, DEFAULT_RECHECK_NOT_FOUND_AFTER, null,
                defaultImages());
    }

    public static SyncSettings defaults() {
        return new SyncSettings(List.of(), DEFAULT_BATCH_SIZE, FailureTolerance.DEFAULT, Duration.ofSeconds(10),
                Duration.ofMinutes(2), DEFAULT_RECHECK_NOT_FOUND_AFTER, null, defaultImages());
    }

    /** {@code ~/.cache/sync-products/exports} (the config loader follows XDG_CACHE_HOME and HOME). */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "sync-products", "exports");
    }

    /** {@code ~/.local/share/sync-products/images}, no public URL. */
    public static ImageSettings defaultImages() {
        return ImageSettings.inDirectory(java.nio.file.Path.of(System.getProperty("user.home"), ".local", "share",
                "sync-products", "images"));
    }
}
