package org.syncproducts.report;

/**
 * The health score as a ring: a grey track and an arc whose length is the score (the page
 * colours it by rating), with the score in the middle.
 */
record ScoreGauge(String track, String arc, String score) {
    private static final double CX = 70;
    private static final double CY = 70;
    private static final double R = 58;

    static ScoreGauge of(double score) {
        return new ScoreGauge(arc(99.99), score <= 0 ? "" : arc(Math.min(score, 99.99)), Svg.num(score));
    }

    /** An SVG arc path from 12 o'clock clockwise over {@code percent} of the circle. */
    private static String arc(double percent) {
        double angle = percent / 100 * 2 * Math.PI;
        double endX = CX + R * Math.sin(angle);
        double endY = CY - R * Math.cos(angle);
        return "M" + Svg.num(CX) + "," + Svg.num(CY - R) + "A" + Svg.num(R) + "," + Svg.num(R) + " 0 "
                + (percent > 50 ? 1 : 0) + " 1 " + Svg.num(endX) + "," + Svg.num(endY);
    }
}
