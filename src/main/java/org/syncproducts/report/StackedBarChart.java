package org.syncproducts.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over time as stacked bars, one stack per time bucket and one colour per name, ready
 * for the SVG template.
 */
record StackedBarChart(String id, String title, String summary, int width, int height, String plotLeft,
                       String plotRight, String plotBottom, String xLabelY, List<LineChart.Mark> grid,
                       List<LineChart.Mark> xTicks, List<Bar> bars, List<LineChart.Mark> legend) {

    /** One segment of a stack; {@code tooltip} is shown on hover. */
    record Bar(String x, String y, String width, String height, String css, String tooltip) {
    }

    /** A count of {@code name} in the bucket starting at {@code bucket}. */
    record Count(Instant bucket, String name, long count) {
    }

    /**
     * Builds the chart. {@code names} gives the stacking order and colours ({@code css[i]} for
     * {@code names[i]}); counts of other names are not drawn.
     */
    static StackedBarChart build(String id, String title, String summary, int width, Instant from, Instant to,
                                 Duration bucket, List<String> names, List<String> css, List<Count> counts) {
        int height = 220;
        double top = 10;
        double bottom = height - 22;
        TimeAxis axis = new TimeAxis(from, to, 48, width - 16);
        Map<Instant, Map<String, Long>> stacks = new TreeMap<>();
        for (Count count : counts) {
            if (names.contains(count.name())) {
                stacks.computeIfAbsent(count.bucket(), key -> new LinkedHashMap<>()).merge(count.name(), count.count(), Long::sum);
            }
        }
        long highest = stacks.values().stream().mapToLong(stack -> stack.values().stream().mapToLong(Long::longValue).sum())
                .max().orElse(0);
        long max = Svg.niceCeiling(highest);
        double barWidth = Math.max(1.5, axis.width(bucket) - 1);
        List<Bar> bars = new ArrayList<>();
        stacks.forEach((start, stack) -> {
            double base = bottom;
            for (int i = 0; i < names.size(); i++) {
                Long count = stack.get(names.get(i));
                if (count == null || count == 0) {
                    continue;
                }
                double barHeight = bottom - Svg.y(count, max, top, bottom);
                base -= barHeight;
                bars.add(new Bar(Svg.num(Math.min(axis.x(start), axis.right() - barWidth)), Svg.num(base),
                        Svg.num(barWidth), Svg.num(barHeight), css.get(i), names.get(i) + ": " + count));
            }
        });
        List<LineChart.Mark> grid = new ArrayList<>();
        for (int step = 0; step <= 4; step++) {
            long value = max * step / 4;
            if (step == 0 || value * 4 == max * step) {
                grid.add(new LineChart.Mark(Svg.num(axis.left() - 4), Svg.num(Svg.y(value, max, top, bottom)),
                        Svg.count(value), ""));
            }
        }
        List<LineChart.Mark> ticks = axis.ticks(width / 90).stream()
                .map(tick -> new LineChart.Mark(Svg.num(tick.x()), Svg.num(bottom), tick.label(), "")).toList();
        List<LineChart.Mark> legend = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            legend.add(new LineChart.Mark("", "", names.get(i), css.get(i)));
        }
        return new StackedBarChart(id, title, summary, width, height, Svg.num(axis.left()), Svg.num(axis.right()),
                Svg.num(bottom), Svg.num(bottom + 15), grid, ticks, bars, legend);
    }
}
