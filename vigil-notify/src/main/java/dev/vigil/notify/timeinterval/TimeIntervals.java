package dev.vigil.notify.timeinterval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Alertmanager 0.25's {@code time_intervals} (and the older {@code mute_time_intervals}): named
 * lists of {@link TimeInterval}s, read from the YAML of {@code alertmanager.yml} with its checks
 * and messages, used by routes' {@code mute_time_intervals} and {@code active_time_intervals}.
 *
 * <pre>{@code
 * TimeIntervals ti = TimeIntervals.of(TimeIntervals.parse(notifyNode.get("time_intervals")));
 * boolean muted = ti.contains("maintenance", Instant.now()); // any interval of the name
 * }</pre>
 *
 * <p>Accepted: {@code times} ({@code start_time}/{@code end_time} as {@code HH:MM}, end exclusive,
 * {@code 24:00} allowed as end; a range crossing midnight is refused as Alertmanager refuses it:
 * write two ranges), {@code weekdays} ({@code monday}, {@code monday:friday}), {@code
 * days_of_month} ({@code 1:5}, {@code -3:-1}), {@code months} ({@code january:march}, {@code 1:3}),
 * {@code years} ({@code 2026:2027}), {@code location} (an IANA zone, UTC when absent). Stricter
 * than Alertmanager in one point: a month outside 1..12 is refused (Alertmanager accepts it and
 * never matches it).
 */
public final class TimeIntervals {
  private static final Pattern TIME = Pattern.compile("^(([01][0-9]|2[0-3]):[0-5][0-9])$|^24:00$");
  private static final Map<String, Integer> WEEKDAYS =
      Map.of(
          "sunday",
          0,
          "monday",
          1,
          "tuesday",
          2,
          "wednesday",
          3,
          "thursday",
          4,
          "friday",
          5,
          "saturday",
          6);
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
  private static final Set<String> KEYS =
      Set.of("times", "weekdays", "days_of_month", "months", "years", "location");

  private final Map<String, List<TimeInterval>> byName;

  private TimeIntervals(Map<String, List<TimeInterval>> byName) {
    this.byName = byName;
  }

  /** The named lists, as {@link #parse} returns them. */
  public static TimeIntervals of(Map<String, List<TimeInterval>> byName) {
    Map<String, List<TimeInterval>> copy = new LinkedHashMap<>();
    byName.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new TimeIntervals(copy);
  }

  /** Whether a list of this name exists. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The names defined, in file order. */
  public Set<String> names() {
    return byName.keySet();
  }

  /**
   * Whether any interval of the named list contains {@code t}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public boolean contains(String name, Instant t) {
    List<TimeInterval> l = byName.get(name);
    if (l == null) {
      throw new IllegalArgumentException("time interval \"" + name + "\" does not exist");
    }
    for (TimeInterval ti : l) {
      if (ti.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /** Parses the YAML text of a {@code time_intervals} list (see {@link #parse}). */
  public static Map<String, List<TimeInterval>> parseYaml(String yaml) {
    try {
      return parse(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    } catch (IOException e) {
      throw new IllegalArgumentException("time_intervals: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a {@code time_intervals} list: {@code [{name: …, time_intervals: [{times: …, …}]}]}.
   *
   * @throws IllegalArgumentException naming the entry and key that is wrong, with Alertmanager's
   *     wording for the value
   */
  public static Map<String, List<TimeInterval>> parse(JsonNode list) {
    Map<String, List<TimeInterval>> out = new LinkedHashMap<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("time_intervals: must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode e = list.get(i);
      String at = "time_intervals[" + i + "]";
      JsonNode name = e.get("name");
      if (name == null || !name.isTextual() || name.asText().isEmpty()) {
        throw new IllegalArgumentException(at + ": missing name in time interval");
      }
      at += " (" + name.asText() + ")";
      if (out.containsKey(name.asText())) {
        throw new IllegalArgumentException(
            at + ": time interval \"" + name.asText() + "\" is not unique");
      }
      List<TimeInterval> tis = new ArrayList<>();
      JsonNode ins = e.get("time_intervals");
      if (ins != null && !ins.isNull()) {
        if (!ins.isArray()) {
          throw new IllegalArgumentException(at + ".time_intervals: must be a list");
        }
        for (int j = 0; j < ins.size(); j++) {
          String where = at + ".time_intervals[" + j + "]";
          try {
            tis.add(interval(ins.get(j)));
          } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
          }
        }
      }
      out.put(name.asText(), tis);
    }
    return out;
  }

  /** Parses one interval object. */
  public static TimeInterval interval(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("must be a mapping");
    }
    n.fieldNames()
        .forEachRemaining(
            k -> {
              if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key " + k);
              }
            });
    List<TimeInterval.Range> times = new ArrayList<>();
    for (JsonNode t : items(n, "times")) {
      JsonNode s = t.get("start_time");
      JsonNode e = t.get("end_time");
      if (s == null || e == null || s.asText().isEmpty() || e.asText().isEmpty()) {
        throw new IllegalArgumentException("times: both start and end times must be provided");
      }
      int start = minutes(s.asText());
      int end = minutes(e.asText());
      if (start >= end) {
        throw new IllegalArgumentException(
            "times: start time cannot be equal or greater than end time");
      }
      times.add(new TimeInterval.Range(start, end));
    }
    List<TimeInterval.Range> weekdays = new ArrayList<>();
    for (JsonNode w : items(n, "weekdays")) {
      TimeInterval.Range r = range("weekdays", w.asText(), TimeIntervals::weekday);
      if (r.begin() > r.end()) {
        throw new IllegalArgumentException("weekdays: start day cannot be before end day");
      }
      weekdays.add(r);
    }
    List<TimeInterval.Range> days = new ArrayList<>();
    for (JsonNode d : items(n, "days_of_month")) {
      days.add(dayRange(d.asText()));
    }
    List<TimeInterval.Range> months = new ArrayList<>();
    for (JsonNode m : items(n, "months")) {
      TimeInterval.Range r = range("months", m.asText(), TimeIntervals::month);
      if (r.begin() > r.end()) {
        throw new IllegalArgumentException(
            "months: end month "
                + MONTHS.get(r.end() - 1)
                + " is before start month "
                + MONTHS.get(r.begin() - 1));
      }
      months.add(r);
    }
    List<TimeInterval.Range> years = new ArrayList<>();
    for (JsonNode y : items(n, "years")) {
      TimeInterval.Range r = range("years", y.asText(), TimeIntervals::integer);
      if (r.begin() > r.end()) {
        throw new IllegalArgumentException(
            "years: end year " + r.end() + " is before start year " + r.begin());
      }
      years.add(r);
    }
    ZoneId zone = null;
    JsonNode loc = n.get("location");
    if (loc != null && !loc.isNull()) {
      try {
        zone = "Local".equals(loc.asText()) ? ZoneId.systemDefault() : ZoneId.of(loc.asText());
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("location: unknown time zone " + loc.asText(), e);
      }
    }
    return new TimeInterval(times, weekdays, days, months, years, zone);
  }

  private static List<JsonNode> items(JsonNode n, String key) {
    JsonNode v = n.get(key);
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(key + ": must be a list");
    }
    v.forEach(out::add);
    return out;
  }

  private static int minutes(String s) {
    if (!TIME.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "times: couldn't parse timestamp " + s + ", invalid format");
    }
    return Integer.parseInt(s.substring(0, 2)) * 60 + Integer.parseInt(s.substring(3));
  }

  private interface Member {
    int of(String s);
  }

  private static TimeInterval.Range range(String key, String in, Member member) {
    String s = in.toLowerCase(Locale.ROOT);
    try {
      int colon = s.indexOf(':');
      if (colon < 0) {
        int v = member.of(s);
        return new TimeInterval.Range(v, v);
      }
      if (s.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("couldn't parse range " + s + ", invalid format");
      }
      return new TimeInterval.Range(
          member.of(s.substring(0, colon)), member.of(s.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static int weekday(String s) {
    Integer d = WEEKDAYS.get(s);
    if (d == null) {
      throw new IllegalArgumentException(s + " is not a valid weekday");
    }
    return d;
  }

  private static int month(String s) {
    int i = MONTHS.indexOf(s);
    if (i >= 0) {
      return i + 1;
    }
    int m;
    try {
      m = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s + " is not a valid month", e);
    }
    if (m < 1 || m > 12) {
      throw new IllegalArgumentException(s + " is not a valid month: out of range");
    }
    return m;
  }

  private static int integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" is not a number", e);
    }
  }

  private static TimeInterval.Range dayRange(String s) {
    TimeInterval.Range r = range("days_of_month", s, TimeIntervals::integer);
    for (int v : new int[] {r.begin(), r.end()}) {
      if (v == 0 || v < -31 || v > 31) {
        throw new IllegalArgumentException(
            "days_of_month: " + v + " is not a valid day of the month: out of range");
      }
    }
    if (r.begin() < 0 && r.end() > 0) {
      throw new IllegalArgumentException(
          "days_of_month: end day must be negative if start day is negative");
    }
    int b = r.begin() < 0 ? 28 + r.begin() : r.begin();
    int e = r.end() < 0 ? 28 + r.end() : r.end();
    if (b > e) {
      throw new IllegalArgumentException(
          "days_of_month: end day " + r.end() + " is always before start day " + r.begin());
    }
    return r;
  }
}
