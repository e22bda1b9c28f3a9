package org.syncproducts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a named schedule is due: a table of cases around the interval and the preferred hour. */
class ScheduleSettingsTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private static ZonedDateTime at(String localTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localTime), ZONE);
    }

    @ParameterizedTest(name = "every {0}, last run {1}, now {2} -> due {3}")
    @CsvSource(delimiter = '|', value = {
            "PT1H  | never               | 2026-11-23T10:00:00 | true",
            "PT1H  | 2026-11-23T09:00:05 | 2026-11-23T10:00:00 | true",   // a tick a little early still counts
            "PT1H  | 2026-11-23T09:04:00 | 2026-11-23T10:00:00 | false",  // more than 3 min early
            "PT15M | 2026-11-23T09:45:00 | 2026-11-23T10:00:00 | true",
            "PT15M | 2026-11-23T09:50:00 | 2026-11-23T10:00:00 | false",
            "P1D   | 2026-11-22T10:00:00 | 2026-11-23T09:56:00 | true",
            "P1D   | 2026-11-22T10:00:00 | 2026-11-23T09:54:00 | false"})
    void withoutAPreferredHourTheIntervalDecides(String interval, String last, String now, boolean due) {
        ScheduleSettings schedule = new ScheduleSettings("s", Duration.parse(interval), null);

        assertEquals(due, schedule.isDue(last.equals("never") ? null : at(last).toInstant(), at(now)));
    }

    @ParameterizedTest(name = "every {0} at {1}:00, last run {2}, now {3} -> due {4}")
    @CsvSource(delimiter = '|', value = {
            "P1D | 2 | never               | 2026-11-23T01:00:00 | true",
            "P1D | 2 | 2026-11-22T02:05:00 | 2026-11-23T01:45:00 | false",  // before today's slot
            "P1D | 2 | 2026-11-22T02:05:00 | 2026-11-23T02:00:00 | true",   // the slot has come
            "P1D | 2 | 2026-11-23T02:00:10 | 2026-11-23T02:15:00 | false",  // already ran in this slot
            "P1D | 2 | 2026-11-22T09:00:00 | 2026-11-23T02:00:00 | true",   // a late run moves back to 02:00
            "P7D | 3 | 2026-11-15T03:00:00 | 2026-11-22T03:00:00 | true",
            "P7D | 3 | 2026-11-15T03:00:00 | 2026-11-21T03:00:00 | false",  // only 6 days: not a day early
            "P1D | 2 | 2026-11-23T01:30:00 | 2026-11-23T02:00:00 | false",  // a catch-up run just before the slot
            "P7D | 3 | 2026-11-15T09:00:00 | 2026-11-22T03:00:00 | true"})   // 6 days 18 hours: back on schedule
    void withAPreferredHourItRunsOnceThatHourHasCome(String interval, int hour, String last, String now, boolean due) {
        ScheduleSettings schedule = new ScheduleSettings("s", Duration.parse(interval), hour);

        assertEquals(due, schedule.isDue(last.equals("never") ? null : at(last).toInstant(), at(now)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "'interval: 24h\npreferred_hour: 2' | ",
            "'preferred_hour: 2' | config schedules.nightly: needs an interval",
            "'interval: 6h\npreferred_hour: 2' | config schedules.nightly.preferred_hour: only applies",
            "'interval: 24h\npreferred_hour: 24' | config schedules.nightly.preferred_hour: must be a whole number",
            "'interval: 24h\nwhen: 2' | config schedules.nightly.when: unknown key"})
    void configIsChecked(String yaml, String error) throws Exception {
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree("nightly:\n  "
                + yaml.replace("\n", "\n  "));
        ConfigNode node = new ConfigNode(tree, "schedules");
        if (error == null) {
            assertEquals(new ScheduleSettings("nightly", Duration.ofHours(24), 2), ScheduleSettings.read(node).get("nightly"));
        } else {
            String message = org.junit.jupiter.api.Assertions.assertThrows(org.syncproducts.SyncProductsException.class,
                    () -> ScheduleSettings.read(node)).getMessage();
            org.junit.jupiter.api.Assertions.assertTrue(message.startsWith(error), message);
        }
    }
}
