package org.syncproducts.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The chart builders' geometry, without a database. */
class ChartsTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aYearOfHourlyChecksIsDrawnAsAtMostTwoHundredPoints() {
        assertEquals(Duration.ofDays(2), ReportRepository.bucket(Duration.ofDays(365)));
        assertEquals(Duration.ofMinutes(10), ReportRepository.bucket(Duration.ofDays(1)));
        assertEquals(Duration.ofMinutes(5), ReportRepository.bucket(Duration.ofMinutes(30)));
        assertEquals(Duration.ofDays(30), ReportRepository.bucket(Duration.ofDays(365 * 50)));
    }

    @Test
    void aMissingValueBreaksTheLineAndTheLastValueIsLabelled() {
        Instant to = FROM.plus(Duration.ofHours(4));
        LineChart chart = new LineChart.Builder(FROM, to, 500, 200, false)
                .series("coverage", "coverage", List.of(new LineChart.Point(FROM, 50.0),
                        new LineChart.Point(FROM.plus(Duration.ofHours(1)), 60.0),
                        new LineChart.Point(FROM.plus(Duration.ofHours(2)), null),
                        new LineChart.Point(FROM.plus(Duration.ofHours(3)), 100.0)))
                .threshold("target", 95, "target")
                .build("c", "Coverage", "summary");

        LineChart.Series series = chart.series().get(0);
        assertEquals(2, series.path().chars().filter(c -> c == 'M').count(), series.path());
        assertEquals(1, series.path().chars().filter(c -> c == 'L').count(), series.path());
        assertEquals("100.0", series.lastLabel());
        assertEquals(chart.plotTop(), series.lastY(), "100 % is the top of the plot");
        assertEquals(List.of("0", "25", "50", "75", "100"), chart.grid().stream().map(LineChart.Mark::label).toList());
        assertTrue(Double.parseDouble(chart.thresholds().get(0).y()) > Double.parseDouble(chart.plotTop()));
        assertEquals(List.of("Jan 1 00:00", "Jan 1 01:00", "Jan 1 02:00", "Jan 1 03:00", "Jan 1 04:00"),
                chart.xTicks().stream().map(LineChart.Mark::label).toList());
    }

    @Test
    void stackedBarsAddUpAndTheScaleIsRoundedUp() {
        Duration bucket = Duration.ofDays(1);
        StackedBarChart chart = StackedBarChart.build("e", "Errors", "summary", 500, FROM, FROM.plus(Duration.ofDays(10)),
                bucket, List.of("timeout", "server"), List.of("c1", "c2"),
                List.of(new StackedBarChart.Count(FROM, "timeout", 30), new StackedBarChart.Count(FROM, "server", 10),
                        new StackedBarChart.Count(FROM, "ignored", 1000)));

        assertEquals(2, chart.bars().size());
        double total = chart.bars().stream().mapToDouble(bar -> Double.parseDouble(bar.height())).sum();
        double plot = Double.parseDouble(chart.plotBottom()) - 10;
        assertEquals(plot * 40 / 50, total, 0.2, "40 of a scale rounded up to 50");
        assertEquals("50", chart.grid().get(chart.grid().size() - 1).label());
        assertEquals("timeout: 30", chart.bars().get(0).tooltip());
    }

    @Test
    void numbersAreWrittenAsStringFormatWritesThem() {
        double[] values = {0, 0.05, 0.25, 1.45, 12.35, 93.5, 99.99, 100, 232.64999999999998, -3.25, -12.35, 1e11 + 0.05,
                2.5e12, 1e300, 1.0 / 3};
        for (double value : values) {
            assertEquals(String.format(Locale.ROOT, "%.1f", value), Svg.num(value), "num(" + value + ")");
        }
        for (int i = -20_000; i <= 20_000; i++) {
            double value = i * 0.005;
            String expected = String.format(Locale.ROOT, "%.1f", value);
            assertEquals(expected.equals("-0.0") ? "0.0" : expected, Svg.num(value), "num(" + value + ")");
        }
        assertEquals("NaN", Svg.num(Double.NaN));
        for (long value : new long[] {0, 7, 999, 1000, -1000, 123456, 1_000_000, -45_678_901, Long.MIN_VALUE}) {
            assertEquals(String.format(Locale.ROOT, "%,d", value), Svg.count(value), "count(" + value + ")");
        }
    }

    @Test
    void niceCeilingsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1, Svg.niceCeiling(0));
        assertEquals(5, Svg.niceCeiling(3));
        assertEquals(20, Svg.niceCeiling(11));
        assertEquals(1000, Svg.niceCeiling(1000));
        assertEquals(2000, Svg.niceCeiling(1001));
    }
}
