package org.syncproducts.source.offdelta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which delta files a run applies, and when the deltas do not continue what was applied. */
class DeltaPlanTest {
    private static final DeltaFile A = file(1000, 2000);
    private static final DeltaFile B = file(2000, 3000);
    private static final DeltaFile C = file(3000, 4000);

    private static DeltaFile file(long from, long to) {
        return DeltaFile.parse("openfoodfacts_products_" + from + "_" + to + ".json.gz").orElseThrow();
    }

    private static DeltaState appliedUpTo(DeltaFile file) {
        return DeltaState.NONE.applied(file);
    }

    @Test
    void nothingAppliedBeforeMeansEveryFileAndAMissingBase() {
        DeltaPlan plan = DeltaPlan.of(List.of(A, B, C), DeltaState.NONE, null, false);
        assertEquals(List.of(A, B, C), plan.files());
        assertTrue(plan.baseMissing());
        assertNull(plan.gap());
    }

    @Test
    void theFilesAfterTheLastAppliedOneAreApplied() {
        DeltaPlan plan = DeltaPlan.of(List.of(A, B, C), appliedUpTo(A), null, false);
        assertEquals(List.of(B, C), plan.files());
        assertNull(plan.gap());
        assertFalse(plan.baseMissing());
    }

    @Test
    void aFileThatStartsWhereTheLastAppliedOneEndedContinuesIt() {
        // A has left the 14-day window; B covers the changes after A's last one.
        assertNull(DeltaPlan.of(List.of(B, C), appliedUpTo(A), null, false).gap());
        assertNotNull(DeltaPlan.of(List.of(C), appliedUpTo(A), null, false).gap());
    }

    @Test
    void anExportLoadIsABaseAndItsOlderFilesAreLeftOut() {
        DeltaPlan plan = DeltaPlan.of(List.of(A, B, C), DeltaState.NONE, 2500L, false);
        assertEquals(List.of(B, C), plan.files());
        assertNull(plan.gap());
        DeltaPlan tooOld = DeltaPlan.of(List.of(B, C), DeltaState.NONE, 1500L, false);
        assertTrue(tooOld.gap().contains("full export load"), tooOld.gap());
    }

    @Test
    void aNewerExportMendsAnOldDeltaGap() {
        assertNull(DeltaPlan.of(List.of(C), appliedUpTo(A), 3500L, false).gap());
    }

    @Test
    void aResumedRunStartsWithTheFileItWasReading() {
        DeltaState reading = appliedUpTo(A).reading(B, 120, 400);
        assertEquals(List.of(B, C), DeltaPlan.of(List.of(A, B, C), reading, null, false).files());
        assertTrue(DeltaPlan.of(List.of(C), reading, null, false).gap().contains("no longer offered"));
    }

    @Test
    void aFullRunAppliesEveryOfferedFileAndJudgesNoGap() {
        DeltaPlan plan = DeltaPlan.of(List.of(B, C), appliedUpTo(C), 100L, true);
        assertEquals(List.of(B, C), plan.files());
        assertNull(plan.gap());
    }
}
