package dev.vigil.notify.timeinterval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeIntervalsTest {
  static TimeIntervals ti(String yaml) {
    return TimeIntervals.of(TimeIntervals.parseYaml(yaml));
  }

  static String one(String body) {
    return "- name: w\n  time_intervals:\n    - " + body.replace("\n", "\n      ") + "\n";
  }

  static boolean in(String body, String instant) {
    return ti(one(body)).contains("w", Instant.parse(instant));
  }

  @Test
  void times_startInclusive_endExclusive_24isTheEndOfTheDay() {
    String b = "times: [{start_time: '09:00', end_time: '17:00'}]";
    assertThat(in(b, "2026-12-07T08:59:59Z")).isFalse();
    assertThat(in(b, "2026-12-07T09:00:00Z")).isTrue();
    assertThat(in(b, "2026-12-07T16:59:59Z")).isTrue();
    assertThat(in(b, "2026-12-07T17:00:00Z")).isFalse();
    assertThat(in("times: [{start_time: '23:00', end_time: '24:00'}]", "2026-12-07T23:59:59Z"))
        .isTrue();
  }

  @Test
  void times_crossingMidnight_refusedAsAlertmanager_twoRangesInstead() {
    assertThatThrownBy(() -> ti(one("times: [{start_time: '22:00', end_time: '02:00'}]")))
        .hasMessage(
            "time_intervals[0] (w).time_intervals[0]: times: start time cannot be equal or greater than end time");
    String two =
        "times: [{start_time: '22:00', end_time: '24:00'}, {start_time: '00:00', end_time: '02:00'}]";
    assertThat(in(two, "2026-12-07T23:00:00Z")).isTrue();
    assertThat(in(two, "2026-12-07T01:59:00Z")).isTrue();
    assertThat(in(two, "2026-12-07T02:00:00Z")).isFalse();
    assertThatThrownBy(() -> ti(one("times: [{start_time: '24:00', end_time: '24:00'}]")))
        .hasMessageEndingWith("start time cannot be equal or greater than end time");
    assertThatThrownBy(() -> ti(one("times: [{start_time: '9:00', end_time: '10:00'}]")))
        .hasMessageEndingWith("couldn't parse timestamp 9:00, invalid format");
  }

  @Test
  void location_readsTheFieldsInThatZone_dstIncluded() {
    String b = "times: [{start_time: '09:00', end_time: '17:00'}]\nlocation: Europe/Berlin";
    // winter: UTC+1
    assertThat(in(b, "2026-12-07T08:00:00Z")).isTrue();
    assertThat(in(b, "2026-12-07T16:00:00Z")).isFalse();
    // summer: UTC+2
    assertThat(in(b, "2026-07-07T07:00:00Z")).isTrue();
    assertThat(in(b, "2026-07-07T15:00:00Z")).isFalse();
    assertThatThrownBy(() -> ti(one("location: Mars/Olympus")))
        .hasMessageEndingWith("location: unknown time zone Mars/Olympus");
  }

  @Test
  void weekdays_rangesAndNames_sundayIsZero_dayTakenInTheLocation() {
    String b = "weekdays: ['monday:friday']";
    assertThat(in(b, "2026-12-07T12:00:00Z")).isTrue(); // Monday
    assertThat(in(b, "2026-12-06T12:00:00Z")).isFalse(); // Sunday
    assertThat(in("weekdays: [Sunday]", "2026-12-06T00:00:00Z")).isTrue();
    // Saturday 23:30 UTC is already Sunday in Tokyo
    assertThat(in("weekdays: [sunday]\nlocation: Asia/Tokyo", "2026-12-05T23:30:00Z")).isTrue();
    assertThatThrownBy(() -> ti(one("weekdays: ['friday:monday']")))
        .hasMessageEndingWith("weekdays: start day cannot be before end day");
    assertThatThrownBy(() -> ti(one("weekdays: [funday]")))
        .hasMessageEndingWith("weekdays: funday is not a valid weekday");
  }

  @Test
  void daysOfMonth_negativeFromTheEnd_clampedToTheMonth() {
    String last3 = "days_of_month: ['-3:-1']";
    assertThat(in(last3, "2026-02-26T00:00:00Z")).isTrue(); // Feb 2026 has 28 days
    assertThat(in(last3, "2026-02-25T23:59:59Z")).isFalse();
    assertThat(in(last3, "2026-12-29T00:00:00Z")).isTrue();
    assertThat(in(last3, "2026-12-28T00:00:00Z")).isFalse();
    // 31 does not exist in November: skipped; 25:31 clamps to the 30th
    assertThat(in("days_of_month: ['31']", "2026-11-30T00:00:00Z")).isFalse();
    assertThat(in("days_of_month: ['25:31']", "2026-11-30T00:00:00Z")).isTrue();
    assertThatThrownBy(() -> ti(one("days_of_month: ['-3:5']")))
        .hasMessageEndingWith("end day must be negative if start day is negative");
    assertThatThrownBy(() -> ti(one("days_of_month: ['0']")))
        .hasMessageEndingWith("0 is not a valid day of the month: out of range");
    assertThatThrownBy(() -> ti(one("days_of_month: ['10:-25']")))
        .hasMessageEndingWith("end day -25 is always before start day 10");
  }

  @Test
  void monthsAndYears_inclusive_namesOrNumbers() {
    assertThat(in("months: ['november:december']", "2026-12-31T23:59:59Z")).isTrue();
    assertThat(in("months: ['1:3']", "2026-04-01T00:00:00Z")).isFalse();
    assertThat(in("years: ['2025:2026']", "2026-12-31T23:59:59Z")).isTrue();
    assertThat(in("years: ['2025:2026']", "2027-01-01T00:00:00Z")).isFalse();
    assertThatThrownBy(() -> ti(one("months: ['march:january']")))
        .hasMessageEndingWith("end month january is before start month march");
    assertThatThrownBy(() -> ti(one("years: ['2027:2026']")))
        .hasMessageEndingWith("end year 2026 is before start year 2027");
  }

  @Test
  void allFieldsMustHold_anyIntervalOfTheNameSuffices() {
    TimeIntervals t =
        ti(
            """
            - name: maintenance
              time_intervals:
                - weekdays: [saturday]
                  times: [{start_time: '02:00', end_time: '04:00'}]
                - days_of_month: ['1']
                  months: [january]
            """);
    assertThat(t.contains("maintenance", Instant.parse("2026-12-05T03:00:00Z"))).isTrue();
    assertThat(t.contains("maintenance", Instant.parse("2026-12-05T05:00:00Z"))).isFalse();
    assertThat(t.contains("maintenance", Instant.parse("2027-01-01T12:00:00Z"))).isTrue();
    assertThat(t.contains("maintenance", Instant.parse("2027-02-01T12:00:00Z"))).isFalse();
    assertThatThrownBy(() -> t.contains("nope", Instant.EPOCH))
        .hasMessage("time interval \"nope\" does not exist");
    // an entry with no fields contains every instant
    assertThat(ti("- name: always\n  time_intervals: [{}]\n").contains("always", Instant.EPOCH))
        .isTrue();
  }
}
