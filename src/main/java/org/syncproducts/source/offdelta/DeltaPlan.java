package org.syncproducts.source.offdelta;

import java.util.List;

/**
 * Which of the offered delta files a run applies, and whether there is a gap between what was
 * applied before and the oldest file offered. A pure function of the index, the source's state
 * and the date of the last full export load.
 *
 * @param files       the files to apply, in name order
 * @param gap         why the deltas do not continue what was applied before, or null
 * @param baseMissing whether neither a delta nor a full export was applied before
 */
record DeltaPlan(List<DeltaFile> files, String gap, boolean baseMissing) {

    /**
     * @param offered    the files the index lists, in name order
     * @param state      the state of the last run (or of the checkpoint resumed); {@link DeltaState#NONE} when none
     * @param exportUpTo the largest {@code last_modified_t} of the last complete full export load, or null
     * @param full       a {@code --full} run: every offered file, whatever was applied before
     */
    static DeltaPlan of(List<DeltaFile> offered, DeltaState state, Long exportUpTo, boolean full) {
        boolean baseMissing = state.lastChange() == null && exportUpTo == null;
        if (full || baseMissing) {
            return new DeltaPlan(offered, null, baseMissing);
        }
        String gap = null;
        boolean continues = state.lastFile() != null && offered.stream().anyMatch(f -> f.name().equals(state.lastFile()));
        if (state.file() != null && offered.stream().noneMatch(f -> f.name().equals(state.file()))) {
            gap = "the delta file being applied when the last run stopped, " + state.file()
                    + ", is no longer offered";
        } else if (!continues && !offered.isEmpty()) {
            long applied = Math.max(state.lastChange() == null ? Long.MIN_VALUE : state.lastChange(),
                    exportUpTo == null ? Long.MIN_VALUE : exportUpTo);
            DeltaFile oldest = offered.get(0);
            if (applied < oldest.first()) {
                gap = "the last applied change (" + DeltaFile.describe(applied) + ", "
                        + (state.lastChange() != null && state.lastChange() == applied ? "delta " + state.lastFile()
                        : "full export load") + ") is older than the first change of the oldest delta offered ("
                        + DeltaFile.describe(oldest.first()) + ", " + oldest.name() + ")";
            }
        }
        List<DeltaFile> files = offered.stream()
                .filter(f -> state.file() != null ? f.name().compareTo(state.file()) >= 0
                        : state.lastFile() == null || f.name().compareTo(state.lastFile()) > 0)
                // A file whose every change is older than the export loaded holds nothing new.
                .filter(f -> exportUpTo == null || f.last() > exportUpTo || f.name().equals(state.file()))
                .toList();
        return new DeltaPlan(files, gap, false);
    }
}
