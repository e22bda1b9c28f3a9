package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;

class DurationsTest {

    @Test
    void everyUnitIsRead() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms", "x"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s", "x"));
        assertEquals(Duration.ofMinutes(25), Durations.parse("25m", "x"));
        assertEquals(Duration.ofHours(2), Durations.parse("2h", "x"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d", "x"));
    }

    @Test
    void bareNumberIsSeconds() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30", "x"));
    }

    @Test
    void spacesAroundAndBeforeTheUnitAreAllowed() {
        assertEquals(Duration.ofHours(2), Durations.parse(" 2 h ", "x"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "soon", "2w", "-5s", "1.5h", "h", "5 minutes", "2H"})
    void malformedDurationIsAConfigurationErrorNamingTheSetting(String text) {
        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> Durations.parse(text, "sync.stale_after"));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertTrue(error.getMessage().contains("sync.stale_after"), error.getMessage());
        assertTrue(error.getMessage().contains("'" + text + "'"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d", "9223372036854775807h"})
    void durationTooLargeToHoldIsAConfigurationErrorNotACrash(String text) {
        SyncProductsException error = assertThrows(SyncProductsException.class,
                () -> Durations.parse(text, "sync.progress_interval"));

        assertEquals(ExitCode.CONFIG, error.exitCode());
        assertTrue(error.getMessage().contains("sync.progress_interval"), error.getMessage());
    }

    @Test
    void formatIsShortAndHuman() {
        assertEquals("850ms", Durations.format(Duration.ofMillis(850)));
        assertEquals("0ms", Durations.format(Duration.ZERO));
        assertEquals("4m05s", Durations.format(Duration.ofSeconds(245)));
        assertEquals("2h10m", Durations.format(Duration.ofMinutes(130)));
        assertEquals("50h00m", Durations.format(Duration.ofHours(50)));
    }

    @Test
    void formatShowsSecondsWithOneDecimal() {
        String formatted = Durations.format(Duration.ofMillis(12_345));

        // The decimal separator follows the default locale; the digits do not.
        assertTrue(formatted.equals("12.3s") || formatted.equals("12,3s"), formatted);
    }
}
