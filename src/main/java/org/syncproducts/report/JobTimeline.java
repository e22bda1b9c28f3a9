package org.syncproducts.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.syncproducts.config.Durations;
import org.syncproducts.store.JobRecord;

/**
 * The last jobs on a time axis, one lane each (the earliest start at the top): a bar from start to end in
 * the colour of its status, the job number on the left and duration and counts beside the bar.
 */
record JobTimeline(String id, String title, String summary, int width, int height, String plotLeft,
                   String plotRight, String plotBottom, String xLabelY, List<LineChart.Mark> xTicks, List<Lane> lanes) {

    /** One job's lane. */
    record Lane(String labelY, String label, String barX, String barY, String barWidth, String css, String text,
                String textX, String textAnchor, String tooltip) {
    }

    private static final int LANE = 18;
    private static final double MIN_BAR = 3;

    static JobTimeline build(String id, String title, int width, List<JobRecord> jobs, Instant now) {
        List<JobRecord> oldestFirst = new ArrayList<>(jobs);
        oldestFirst.sort(Comparator.comparing(JobRecord::startedAt).thenComparingLong(JobRecord::id));
        int height = 34 + LANE * Math.max(1, oldestFirst.size());
        double bottom = height - 22;
        Instant from = oldestFirst.isEmpty() ? now.minus(Duration.ofHours(1)) : oldestFirst.get(0).startedAt();
        Instant to = oldestFirst.stream().map(job -> job.endedAt() == null ? now : job.endedAt())
                .max(Comparator.naturalOrder()).orElse(now);
        if (!to.isAfter(from.plusSeconds(60))) {
            to = from.plusSeconds(60);
        }
        Duration span = Duration.between(from, to);
        TimeAxis axis = new TimeAxis(from.minus(span.dividedBy(50)), to.plus(span.dividedBy(50)), 64, width - 12);
        List<Lane> lanes = new ArrayList<>();
        double laneTop = 8;
        for (JobRecord job : oldestFirst) {
            double start = axis.x(job.startedAt());
            double barWidth = Math.max(MIN_BAR, axis.x(job.endedAt() == null ? now : job.endedAt()) - start);
            boolean textLeft = start + barWidth > axis.right() - 220;
            String text = job.status() + ", " + Durations.format(job.duration()) + ", "
                    + Svg.count(job.counts().read()) + " read, " + Svg.count(job.counts().failed()) + " failed";
            lanes.add(new Lane(Svg.num(laneTop + 12), "#" + job.id(), Svg.num(start), Svg.num(laneTop + 3),
                    Svg.num(barWidth), job.status(), text,
                    Svg.num(textLeft ? start - 4 : start + barWidth + 4), textLeft ? "end" : "start",
                    "#" + job.id() + " " + job.strategy() + (job.dryRun() ? " (dry run)" : "") + " "
                            + String.join(", ", job.sources()) + ": " + text));
            laneTop += LANE;
        }
        List<LineChart.Mark> ticks = axis.ticks(width / 110).stream()
                .map(tick -> new LineChart.Mark(Svg.num(tick.x()), Svg.num(bottom), tick.label(), "")).toList();
        return new JobTimeline(id, title, oldestFirst.size() + " jobs from the oldest at the top to the newest",
                width, height, Svg.num(axis.left()), Svg.num(axis.right()), Svg.num(bottom), Svg.num(bottom + 15),
                ticks, lanes);
    }
}
