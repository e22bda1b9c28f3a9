package org.syncproducts.sync;

import java.util.List;
import java.util.Map;
import org.syncproducts.config.FailureTolerance;
import org.syncproducts.model.ProductParser;
import org.syncproducts.source.ProductSource;

/**
 * One sync job to run.
 *
 * @param sources       in priority order
 * @param limit         the most product records to process, 0 for no limit
 * @param targetsOnly   only codes on the target list
 * @param configSummary what is recorded in the job row as its config (must hold no secrets)
 * @param resume        continue after the checkpoint of an earlier cancelled or interrupted job of
 *                      the same input (false: {@code --no-resume}, start fresh)
 * @param languages     name languages to fall back on, in order (sync.languages)
 * @param markMissing   at the end of a full, complete read of an export, mark its source's products that
 *                      were absent from it deleted, up to this many (a count or a share of the source's
 *                      live products); null: never (sync.mark_missing_deleted off). Only a run that
 *                      {@link #readsEverything() reads everything} marks.
 */
public record SyncRequest(List<ProductSource> sources, Strategy strategy, Scope scope, boolean targetsOnly,
                          long limit, int batchSize, boolean dryRun, FailureTolerance failureTolerance,
                          Map<String, Object> configSummary, boolean resume, List<String> languages,
                          FailureTolerance markMissing) {
    /** A request that resumes checkpoints (the default), with the default name languages. */
    public SyncRequest(List<ProductSource> sources, Strategy strategy, Scope scope, boolean targetsOnly, long limit,
                       int batchSize, boolean dryRun, FailureTolerance failureTolerance,
                       Map<String, Object> configSummary) {
        this(sources, strategy, scope, targetsOnly, limit, batchSize, dryRun, failureTolerance, configSummary, true,
                null, null);
    }

    /** A full run not narrowed by codes, categories, targets or a limit, that writes: it reads whole sources. */
    public boolean readsEverything() {
        return strategy == Strategy.FULL && scope.isAll() && !targetsOnly && limit <= 0 && !dryRun;
    }

    public SyncRequest {
        sources = List.copyOf(sources);
        languages = languages == null || languages.isEmpty() ? ProductParser.DEFAULT_LANGUAGES : List.copyOf(languages);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
    }
}
