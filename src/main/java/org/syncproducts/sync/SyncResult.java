package org.syncproducts.sync;

import java.time.Duration;
import java.util.List;
import org.syncproducts.model.JobCounts;

/**
 * How a sync job ended.
 *
 * @param status      the job's final status (see {@link org.syncproducts.store.JobRepository})
 * @param exitCode    what the process should exit with
 * @param message     one line for the operator
 * @param resumedFrom the interrupted job whose checkpoint this run continued, or null
 * @param interrupted earlier jobs found abandoned and marked interrupted by this run
 */
public record SyncResult(long jobId, String status, JobCounts counts, Duration duration, int exitCode,
                         String message, Long resumedFrom, List<Long> interrupted, boolean dryRun) {

    /** This result with the process stopped after the job ended (by a signal): its exit code, and why. */
    public SyncResult stoppedAfterwards(int stopExitCode, String why) {
        return new SyncResult(jobId, status, counts, duration, stopExitCode, message + "; " + why, resumedFrom,
                interrupted, dryRun);
    }
}
