package org.syncproducts.model;

/**
 * The counters of a sync job.
 *
 * @param read      records read from sources (products and failed items)
 * @param added     products inserted
 * @param updated   products whose content changed and were rewritten
 * @param unchanged products already present with the same content (not rewritten)
 * @param skipped   records left out: outside the scope, already present in an incremental run,
 *                  or repeated later in the same input
 * @param failed    items that could not be synced (each has an error row)
 */
public record JobCounts(long read, long added, long updated, long unchanged, long skipped, long failed) {
    public static final JobCounts ZERO = new JobCounts(0, 0, 0, 0, 0, 0);

    public JobCounts plus(JobCounts other) {
        return new JobCounts(read + other.read, added + other.added, updated + other.updated,
                unchanged + other.unchanged, skipped + other.skipped, failed + other.failed);
    }
}
