package dev.vigil.notify.timeinterval;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One entry of a named {@code time_intervals} list of Alertmanager 0.25: a set of instants given by
 * times of day, weekdays, days of the month, months and years, read in a location. Each field left
 * out (empty list) matches every instant; an instant is contained when every given field contains
 * it.
 *
 * <pre>{@code
 * TimeInterval nights = TimeIntervals.parseYaml("""
 *     - name: nights
 *       time_intervals:
 *         - times: [{start_time: "00:00", end_time: "06:00"}]
 *           location: Europe/Berlin
 *     """).get("nights").get(0);
 * nights.contains(Instant.parse("2026-12-07T04:30:00Z")); // true (05:30 in Berlin)
 * }</pre>
 *
 * @param times minute ranges {@code [start, end)} of the day (end exclusive, at most 1440)
 * @param weekdays inclusive ranges, 0 = Sunday
 * @param daysOfMonth inclusive ranges; negative days count from the month's end (-1 = last day)
 * @param months inclusive ranges, 1 = January
 * @param years inclusive ranges
 * @param location the time zone the fields are read in (UTC when not given)
 */
public record TimeInterval(
    List<Range> times,
    List<Range> weekdays,
    List<Range> daysOfMonth,
    List<Range> months,
    List<Range> years,
    ZoneId location) {

  /** An inclusive range {@code [begin, end]} (for {@code times}: minutes, end exclusive). */
  public record Range(int begin, int end) {}

  public TimeInterval {
    times = List.copyOf(times);
    weekdays = List.copyOf(weekdays);
    daysOfMonth = List.copyOf(daysOfMonth);
    months = List.copyOf(months);
    years = List.copyOf(years);
    location = location == null ? ZoneOffset.UTC : location;
  }

  /** Whether {@code t} lies in this interval, as Alertmanager's {@code ContainsTime}. */
  public boolean contains(Instant t) {
    ZonedDateTime z = t.atZone(location);
    if (!times.isEmpty()) {
      int minute = z.getHour() * 60 + z.getMinute();
      boolean in = false;
      for (Range r : times) {
        if (minute >= r.begin() && minute < r.end()) {
          in = true;
          break;
        }
      }
      if (!in) {
        return false;
      }
    }
    if (!daysOfMonth.isEmpty()) {
      int days = YearMonth.from(z).lengthOfMonth();
      int day = z.getDayOfMonth();
      boolean in = false;
      for (Range r : daysOfMonth) {
        int begin = r.begin() < 0 ? days + r.begin() + 1 : r.begin();
        int end = r.end() < 0 ? days + r.end() + 1 : r.end();
        if (begin > days) {
          continue; // e.g. day 31 in a 30-day month
        }
        begin = clamp(begin, -days, days);
        end = clamp(end, -days, days);
        if (day >= begin && day <= end) {
          in = true;
          break;
        }
      }
      if (!in) {
        return false;
      }
    }
    if (!in(months, z.getMonthValue())) {
      return false;
    }
    // java.time: Monday = 1 … Sunday = 7; Alertmanager: Sunday = 0.
    if (!in(weekdays, z.getDayOfWeek().getValue() % 7)) {
      return false;
    }
    return in(years, z.getYear());
  }

  private static boolean in(List<Range> ranges, int v) {
    if (ranges.isEmpty()) {
      return true;
    }
    for (Range r : ranges) {
      if (v >= r.begin() && v <= r.end()) {
        return true;
      }
    }
    return false;
  }

  private static int clamp(int n, int min, int max) {
    return Math.max(min, Math.min(max, n));
  }
}
