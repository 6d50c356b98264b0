package dev.vigil.notify.builtin;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * A minimal evaluator of Alertmanager's {@code time_intervals} ({@code times}, {@code weekdays},
 * {@code days_of_month}, {@code months}, {@code years}, {@code location}) until wt/silences'
 * TimeIntervals replaces it. An interval is active when any of its entries matches; an entry when
 * every field it sets matches (an unset field matches always).
 */
final class TimeIntervalsMin {
  private static final List<String> DAYS =
      List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday");
  private static final List<String> MONTHS =
      List.of(
          "january",
          "february",
          "march",
          "april",
          "may",
          "june",
          "july",
          "august",
          "september",
          "october",
          "november",
          "december");

  private TimeIntervalsMin() {}

  record Range(int from, int to) {}

  record Entry(
      List<Range> minutes,
      List<Range> weekdays,
      List<Range> days,
      List<Range> months,
      List<Range> years,
      ZoneId zone) {
    boolean matches(Instant t) {
      ZonedDateTime z = t.atZone(zone);
      int minute = z.getHour() * 60 + z.getMinute();
      int wd = z.getDayOfWeek().getValue() % 7;
      int len = z.toLocalDate().lengthOfMonth();
      return any(minutes, minute, true)
          && any(weekdays, wd, false)
          && anyDay(days, z.getDayOfMonth(), len)
          && any(months, z.getMonthValue(), false)
          && any(years, z.getYear(), false);
    }

    private static boolean any(List<Range> rs, int v, boolean halfOpen) {
      if (rs.isEmpty()) {
        return true;
      }
      for (Range r : rs) {
        if (v >= r.from && (halfOpen ? v < r.to : v <= r.to)) {
          return true;
        }
      }
      return false;
    }

    private static boolean anyDay(List<Range> rs, int d, int len) {
      if (rs.isEmpty()) {
        return true;
      }
      for (Range r : rs) {
        int from = r.from < 0 ? len + r.from + 1 : r.from;
        int to = r.to < 0 ? len + r.to + 1 : r.to;
        if (d >= from && d <= to) {
          return true;
        }
      }
      return false;
    }
  }

  static BiPredicate<String, Instant> evaluator(Map<String, YNode> intervals) {
    Map<String, List<Entry>> parsed = new HashMap<>();
    intervals.forEach((name, node) -> parsed.put(name, parse(name, node)));
    return (name, t) -> {
      for (Entry e : parsed.getOrDefault(name, List.of())) {
        if (e.matches(t)) {
          return true;
        }
      }
      return false;
    };
  }

  private static List<Entry> parse(String name, YNode node) {
    Obj o = Obj.of(node, "time_intervals[" + name + "]");
    o.get("name");
    List<Entry> out = new ArrayList<>();
    for (Obj e : o.objs("time_intervals")) {
      List<Range> minutes = new ArrayList<>();
      for (Obj t : e.objs("times")) {
        int from = hhmm(t, "start_time");
        int to = hhmm(t, "end_time");
        if (to <= from) {
          throw Obj.fail(t.node, t.key("end_time"), "end time must be after the start time");
        }
        minutes.add(new Range(from, to));
        t.finish();
      }
      List<Range> weekdays = ranges(e, "weekdays", DAYS, 0);
      List<Range> days = ranges(e, "days_of_month", null, 0);
      List<Range> months = ranges(e, "months", MONTHS, 1);
      List<Range> years = ranges(e, "years", null, 0);
      ZoneId zone = ZoneOffset.UTC;
      String loc = e.string("location", null);
      if (loc != null && !loc.equals("UTC")) {
        try {
          zone = loc.equals("Local") ? ZoneId.systemDefault() : ZoneId.of(loc);
        } catch (DateTimeException ex) {
          throw Obj.fail(
              e.get("location"), e.key("location"), "unknown time zone " + GoQuote.quote(loc));
        }
      }
      e.finish();
      out.add(new Entry(minutes, weekdays, days, months, years, zone));
    }
    o.finish();
    return out;
  }

  private static int hhmm(Obj t, String k) {
    String s = t.string(k, "");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d\\d?):(\\d\\d)").matcher(s);
    if (!m.matches() || Integer.parseInt(m.group(1)) > 24 || Integer.parseInt(m.group(2)) > 59) {
      throw Obj.fail(
          t.get(k) == null ? t.node : t.get(k),
          t.key(k),
          "not a time of day (HH:MM): " + GoQuote.quote(s));
    }
    int v = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
    if (v > 24 * 60) {
      throw Obj.fail(t.get(k), t.key(k), "not a time of day (HH:MM): " + GoQuote.quote(s));
    }
    return v;
  }

  private static List<Range> ranges(Obj e, String k, List<String> names, int base) {
    List<Range> out = new ArrayList<>();
    for (String s : e.strings(k)) {
      String[] parts = s.split(":", 2);
      try {
        int from = value(parts[0], names, base);
        int to = parts.length > 1 ? value(parts[1], names, base) : from;
        out.add(new Range(from, to));
      } catch (IllegalArgumentException ex) {
        throw Obj.fail(e.get(k), e.key(k), "invalid range " + GoQuote.quote(s));
      }
    }
    return out;
  }

  private static int value(String s, List<String> names, int base) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (names != null) {
      int i = names.indexOf(t);
      if (i >= 0) {
        return i + base;
      }
    }
    return Integer.parseInt(t);
  }
}
