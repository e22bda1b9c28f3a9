package org.syncproducts.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.ConfigNode;

class LookbackTest {
    private static Lookback read(String value) throws Exception {
        return Lookback.read(new ConfigNode(new ObjectMapper().readTree("{\"lookback\": \"" + value + "\"}"), "sources.s"),
                "lookback", Lookback.NONE);
    }

    @Test
    void aFixedLookbackOrAMultipleOfTheRunInterval() throws Exception {
        Instant lastRead = Instant.parse("2026-12-01T08:00:00Z");
        Instant now = Instant.parse("2026-12-01T09:00:00Z");
        assertEquals(Duration.ofMinutes(10), read("10m").at(lastRead, now));
        assertEquals(Duration.ofHours(3), read("3x").at(lastRead, now), "three times the hour since the last read");
        assertEquals(Duration.ZERO, read("3x").at(null, now), "no last read: nothing to multiply");
        SyncProductsException error = assertThrows(SyncProductsException.class, () -> read("3y"));
        assertEquals(78, error.exitCode());
        assertThrows(SyncProductsException.class, () -> read("-1x"));
    }
}
