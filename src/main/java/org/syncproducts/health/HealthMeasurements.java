package org.syncproducts.health;

import java.time.Instant;
import java.util.List;

/**
 * What a health check measured: the input of {@link HealthScorer}, free of any database type so
 * scoring can be tested as a pure function.
 *
 * @param measuredAt     when the figures were taken ("now" for ages)
 * @param targets        distinct target codes
 * @param targetsPresent target codes with a live product
 * @param products       live (not soft-deleted) products
 * @param lastSuccessAt  end of the last completed sync that was not a dry run, or null for never
 * @param recentJobs     the latest finished jobs that were not dry runs, newest first
 * @param runningJobs    jobs recorded as running
 */
public record HealthMeasurements(Instant measuredAt, long targets, long targetsPresent, long products,
                                 long withImage, long withNutrition, long verified, Instant lastSuccessAt,
                                 List<FinishedJob> recentJobs, List<RunningJob> runningJobs) {

    public HealthMeasurements {
        recentJobs = List.copyOf(recentJobs);
        runningJobs = List.copyOf(runningJobs);
    }

    /**
     * A job that ended, with its status and record counts.
     *
     * @param written products it added or updated (its batches committed even if it then failed)
     */
    public record FinishedJob(long id, String status, long read, long failed, long written) {
        public FinishedJob(long id, String status, long read, long failed) {
            this(id, status, read, failed, 0);
        }
    }

    /** A job recorded as running, with its last heartbeat. */
    public record RunningJob(long id, Instant heartbeatAt, Long pid, String host) {
    }
}
