package dev.vigil.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A cron expression of five fields, as crontab(5) reads them: minute (0-59), hour (0-23), day of
 * month (1-31), month (1-12 or JAN-DEC), day of week (0-7 or SUN-SAT; 0 and 7 are Sunday). Each
 * field is {@code *}, a number or name, a range {@code a-b}, a step {@code *}{@code /n}, {@code
 * a-b/n} or {@code a/n}, or a comma-separated list of those. The macros {@code @hourly}, {@code
 * @daily} ({@code @midnight}), {@code @weekly}, {@code @monthly} and {@code @yearly} ({@code
 * @annually}) stand for their usual expressions. As in cron, when both day of month and day of week
 * are restricted, a day matching either runs.
 *
 * <pre>{@code
 * CronExpression c = CronExpression.parse("0 8 * * MON-FRI");
 * ZonedDateTime next = c.next(ZonedDateTime.now(ZoneOffset.UTC));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CronExpression {
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  /** Five years without a match means none will come (e.g. "0 0 30 2 *"). */
  private static final int SEARCH_DAYS = 5 * 366 + 1;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;

  private CronExpression(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], "minute", 0, 59, null);
    this.hours = field(f[1], "hour", 0, 23, null);
    this.daysOfMonth = field(f[2], "day of month", 1, 31, null);
    this.months = field(f[3], "month", 1, 12, MONTHS);
    BitSet dow = field(f[4], "day of week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    this.daysOfWeek = dow;
    this.domStar = f[2].startsWith("*");
    this.dowStar = f[4].startsWith("*");
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the field and the problem
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty cron expression");
    }
    String t = text.trim();
    String expanded =
        switch (t.toLowerCase(Locale.ROOT)) {
          case "@hourly" -> "0 * * * *";
          case "@daily", "@midnight" -> "0 0 * * *";
          case "@weekly" -> "0 0 * * 0";
          case "@monthly" -> "0 0 1 * *";
          case "@yearly", "@annually" -> "0 0 1 1 *";
          default -> t;
        };
    String[] f = expanded.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "cron expression \""
              + text
              + "\" has "
              + f.length
              + " fields; expected 5: minute hour day-of-month month day-of-week");
    }
    return new CronExpression(t, f);
  }

  /** The first minute strictly after {@code after} that matches, in {@code after}'s zone. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZoneId zone = after.getZone();
    LocalDateTime start = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate day = start.toLocalDate();
    for (int d = 0; d < SEARCH_DAYS; d++, day = day.plusDays(1)) {
      if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
        continue;
      }
      LocalTime from = d == 0 ? start.toLocalTime() : LocalTime.MIDNIGHT;
      for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
        int m0 = h == from.getHour() ? from.getMinute() : 0;
        int m = minutes.nextSetBit(m0);
        if (m >= 0) {
          ZonedDateTime z = ZonedDateTime.of(day, LocalTime.of(h, m), zone);
          // A local time skipped by a daylight-saving jump runs at the shifted instant.
          if (z.isAfter(after)) {
            return z;
          }
        }
      }
    }
    throw new IllegalStateException("cron expression \"" + text + "\" never matches");
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    DayOfWeek w = day.getDayOfWeek();
    boolean dow = daysOfWeek.get(w.getValue() % 7);
    if (domStar || dowStar) {
      return dom && dow;
    }
    return dom || dow;
  }

  @Override
  public String toString() {
    return text;
  }

  private static BitSet field(String s, String name, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : s.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(name + ": empty list item in \"" + s + "\"");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), name, 1, max - min + 1, null);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        if (dash >= 0) {
          lo = number(range.substring(0, dash), name, min, max, names);
          hi = number(range.substring(dash + 1), name, min, max, names);
          if (hi < lo) {
            throw new IllegalArgumentException(
                name + ": range \"" + range + "\" ends before it starts");
          }
        } else {
          lo = number(range, name, min, max, names);
          hi = slash >= 0 ? max : lo;
        }
      }
      for (int i = lo; i <= hi; i += step) {
        bits.set(i);
      }
    }
    return bits;
  }

  private static int number(String s, String name, int min, int max, List<String> names) {
    if (names != null) {
      int i = names.indexOf(s.toUpperCase(Locale.ROOT));
      if (i >= 0) {
        return i + (names.size() == 12 ? 1 : 0);
      }
    }
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + ": \""
              + s
              + "\" is not a number"
              + (names != null ? " or a name (" + String.join(", ", names) + ")" : ""));
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + ": " + v + " is out of range " + min + "-" + max);
    }
    return v;
  }
}
