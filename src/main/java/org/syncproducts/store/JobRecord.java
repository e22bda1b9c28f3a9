package org.syncproducts.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.syncproducts.model.JobCounts;

/**
 * A row of the jobs table.
 *
 * @param checkpointPosition the last source position committed (0 when none)
 * @param checkpointSource   the source the checkpoint belongs to, or null
 */
public record JobRecord(long id, String status, String strategy, boolean dryRun, List<String> sources,
                        String host, Long pid, Instant startedAt, Instant endedAt, Instant heartbeatAt,
                        JobCounts counts, long progressDone, long progressTotal, String checkpointSource,
                        String checkpointFingerprint, long checkpointPosition, String message) {

    /** Run time so far (or in total, once ended). */
    public Duration duration() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt);
    }
}
