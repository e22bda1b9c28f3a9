package org.syncproducts.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparklineTest {
    @Test
    void valuesAreScaledBetweenMinAndMaxWithGapsForMissingOnes() {
        assertEquals("▁▂▄▅▇█", Sparkline.render(List.of(0.0, 20.0, 40.0, 60.0, 85.0, 100.0), 0, 100));
        assertEquals("▁ █", Sparkline.render(Arrays.asList(-5.0, null, 120.0), 0, 100), "clamped, null is a gap");
        assertEquals("", Sparkline.render(List.of(), 0, 100));
        assertEquals("██", Sparkline.render(List.of(3.0, 3.0), 3, 3), "a flat scale draws full bars");
    }
}
