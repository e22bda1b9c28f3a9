package org.syncproducts.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A percentage-over-time line chart, ready for the SVG template: coordinates computed, labels
 * left as text for the template engine to escape.
 *
 * @param id       unique in the page, for aria references
 * @param title    what the chart shows (the SVG's accessible name)
 * @param summary  the chart in one sentence (the SVG's description)
 * @param grid     horizontal grid lines with their percentage labels
 * @param xTicks   time labels
 * @param series   one line per series
 * @param thresholds dashed horizontal lines (e.g. coverage target, minimum, critical)
 */
record LineChart(String id, String title, String summary, int width, int height, String plotLeft, String plotRight,
                 String plotTop, String plotBottom, String xLabelY, List<Mark> grid, List<Mark> xTicks,
                 List<Series> series, List<Mark> thresholds) {

    /** A labelled position; {@code css} chooses the colour. */
    record Mark(String x, String y, String label, String css) {
    }

    /** A drawn line: its SVG path, the dot on its last point and that point's value. */
    record Series(String name, String css, String path, String lastX, String lastY, String lastLabel,
                  String lastLabelY) {
    }

    /** One value of a series; null leaves a gap. */
    record Point(Instant at, Double value) {
    }

    /** Builds a chart from series of points; the y scale is 0 to 100. */
    static final class Builder {
        private static final double MAX = 100;
        private final List<Series> series = new ArrayList<>();
        private final List<Mark> thresholds = new ArrayList<>();
        private final int width;
        private final int height;
        private final TimeAxis axis;
        private final double top = 10;
        private final double bottom;
        private final int maxTicks;

        /** A chart of {@code width} x {@code height} pixels over {@code from} to {@code to}. */
        Builder(Instant from, Instant to, int width, int height, boolean compact) {
            this.width = width;
            this.height = height;
            this.bottom = height - 22;
            this.axis = new TimeAxis(from, to, compact ? 30 : 38, width - (compact ? 44 : 96));
            this.maxTicks = compact ? 3 : width / 110;
        }

        Builder series(String name, String css, List<Point> points) {
            StringBuilder path = new StringBuilder();
            boolean penDown = false;
            Point last = null;
            for (Point point : points) {
                if (point.value() == null) {
                    penDown = false;
                    continue;
                }
                path.append(penDown ? 'L' : 'M').append(Svg.num(axis.x(point.at()))).append(',')
                        .append(Svg.num(y(point.value())));
                penDown = true;
                last = point;
            }
            if (last != null) {
                double lastY = y(last.value());
                series.add(new Series(name, css, path.toString(), Svg.num(axis.x(last.at())), Svg.num(lastY),
                        Svg.num(last.value()), Svg.num(lastY + 4)));
            }
            return this;
        }

        Builder threshold(String label, double value, String css) {
            thresholds.add(new Mark(Svg.num(axis.right()), Svg.num(y(value)), label, css));
            return this;
        }

        LineChart build(String id, String title, String summary) {
            List<Mark> grid = new ArrayList<>();
            for (int value = 0; value <= MAX; value += 25) {
                grid.add(new Mark(Svg.num(axis.left() - 4), Svg.num(y(value)), Integer.toString(value), ""));
            }
            List<Mark> ticks = axis.ticks(maxTicks).stream()
                    .map(tick -> new Mark(Svg.num(tick.x()), Svg.num(bottom), tick.label(), "")).toList();
            return new LineChart(id, title, summary, width, height, Svg.num(axis.left()), Svg.num(axis.right()),
                    Svg.num(top), Svg.num(bottom), Svg.num(bottom + 15), grid, ticks, spreadLabels(), thresholds);
        }

        /** Moves the end-of-line value labels apart so that lines ending close together stay readable. */
        private List<Series> spreadLabels() {
            List<Series> byHeight = new ArrayList<>(series);
            byHeight.sort(Comparator.comparingDouble(line -> Double.parseDouble(line.lastY())));
            Map<Series, String> labelY = new HashMap<>();
            double previous = Double.NEGATIVE_INFINITY;
            for (Series line : byHeight) {
                double y = Math.max(Double.parseDouble(line.lastY()) + 4, previous + 12);
                labelY.put(line, Svg.num(y));
                previous = y;
            }
            return series.stream().map(line -> new Series(line.name(), line.css(), line.path(), line.lastX(),
                    line.lastY(), line.lastLabel(), labelY.get(line))).toList();
        }

        private double y(double value) {
            return Svg.y(value, MAX, top, bottom);
        }
    }
}
