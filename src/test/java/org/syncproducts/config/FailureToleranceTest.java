package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;

class FailureToleranceTest {

    @Test
    void countAllowsUpToThatManyFailures() {
        FailureTolerance tolerance = FailureTolerance.parse("100");

        assertFalse(tolerance.isExceeded(100, 1_000_000));
        assertTrue(tolerance.isExceeded(101, 1_000_000));
        assertFalse(tolerance.isExceeded(100, 100), "a count does not depend on how much was read");
    }

    @Test
    void zeroCountAllowsNoFailure() {
        FailureTolerance tolerance = FailureTolerance.parse("0");

        assertFalse(tolerance.isExceeded(0, 10));
        assertTrue(tolerance.isExceeded(1, 1_000_000));
    }

    @Test
    void percentageAllowsAShareOfTheRecordsRead() {
        FailureTolerance tolerance = FailureTolerance.parse("1%");

        assertFalse(tolerance.isExceeded(10, 1000));
        assertTrue(tolerance.isExceeded(11, 1000));
        assertTrue(tolerance.isExceeded(1, 99));
    }

    @Test
    void fractionalPercentageIsAccepted() {
        FailureTolerance tolerance = FailureTolerance.parse(" 0.5 % ");

        assertFalse(tolerance.isExceeded(5, 1000));
        assertTrue(tolerance.isExceeded(6, 1000));
    }

    @Test
    void percentageIsNotExceededWhenNothingWasRead() {
        assertFalse(FailureTolerance.parse("0%").isExceeded(0, 0));
    }

    @Test
    void defaultIsOnePercent() {
        assertEquals(FailureTolerance.parse("1%"), FailureTolerance.DEFAULT);
        assertEquals("1%", FailureTolerance.DEFAULT.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100", "0", "1%", "0.5%", "100%"})
    void toStringGivesBackTheParsedForm(String text) {
        assertEquals(text, FailureTolerance.parse(text).toString());
        assertEquals(FailureTolerance.parse(text), FailureTolerance.parse(FailureTolerance.parse(text).toString()));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "some", "-1", "101%", "-1%", "%", "NaN%", "1.5", "ten%"})
    void malformedToleranceIsAConfigurationError(String text) {
        SyncProductsException error = assertThrows(SyncProductsException.class, () -> FailureTolerance.parse(text));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertTrue(error.getMessage().contains("'" + text + "'"), error.getMessage());
    }
}
