package dev.vigil.notify.builtin;

import dev.vigil.rules.template.TemplateObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * A Go {@code time.Time} in a notification template ({@code .StartsAt}, {@code .EndsAt}), in UTC as
 * Alertmanager's: printed as Go prints it ({@code 2026-12-07 18:59:00.123 +0000 UTC}), with the
 * methods templates use: {@code Format} (Go's reference layout, {@code "2006-01-02 15:04:05"}),
 * {@code Unix}, {@code UnixMilli}, {@code UTC}, {@code Local} (UTC here), {@code IsZero}, {@code
 * Year}, {@code Day}, {@code Hour}, {@code Minute}, {@code Second}, {@code String}.
 *
 * @param instant the time; null is Go's zero time (a firing alert's {@code .EndsAt})
 */
record GoTime(Instant instant) implements TemplateObject {
  /** Go's zero time: January 1, year 1, 00:00:00 UTC. */
  private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private ZonedDateTime utc() {
    return (instant == null ? ZERO : instant).atZone(ZoneOffset.UTC);
  }

  @Override
  public Object field(String name, List<Object> args) {
    if (!name.equals("Format") && !args.isEmpty()) {
      throw new IllegalArgumentException("wrong number of args for " + name + ": want 0");
    }
    return switch (name) {
      case "Format" -> {
        if (args.size() != 1 || !(args.get(0) instanceof String layout)) {
          throw new IllegalArgumentException("wrong number of args for Format: want 1");
        }
        yield format(utc(), layout);
      }
      case "String" -> toString();
      case "Unix" -> utc().toEpochSecond();
      case "UnixMilli" -> utc().toInstant().toEpochMilli();
      case "UTC", "Local" -> this;
      case "IsZero" -> instant == null || instant.equals(ZERO);
      case "Year" -> (long) utc().getYear();
      case "Day" -> (long) utc().getDayOfMonth();
      case "Hour" -> (long) utc().getHour();
      case "Minute" -> (long) utc().getMinute();
      case "Second" -> (long) utc().getSecond();
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "time.Time";
  }

  /** time.Time's String(), as printing it shows. */
  @Override
  public String toString() {
    return TemplateData.goTime(instant);
  }

  /** Go's time.Format with its reference time Mon Jan 2 15:04:05 MST 2006 (-0700). */
  static String format(ZonedDateTime t, String layout) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < layout.length()) {
      String rest = layout.substring(i);
      int n = token(rest);
      if (n == 0) {
        b.append(layout.charAt(i));
        i++;
        continue;
      }
      String tok = rest.substring(0, n);
      b.append(value(t, tok));
      i += n;
    }
    return b.toString();
  }

  /** Go's layout elements, longest first where one is a prefix of another. */
  private static final String[] TOKENS = {
    "January",
    "Jan",
    "Monday",
    "Mon",
    "MST",
    "2006",
    "002",
    "06",
    "01",
    "02",
    "_2",
    "15",
    "03",
    "04",
    "05",
    "PM",
    "pm",
    "Z07:00:00",
    "-07:00:00",
    "Z0700",
    "Z07:00",
    "-0700",
    "-07:00",
    "Z07",
    "-07",
    "1",
    "2",
    "3",
    "4",
    "5"
  };

  /** The length of the layout element at the start of {@code s}, 0 if none. */
  private static int token(String s) {
    if ((s.startsWith(".0") || s.startsWith(".9") || s.startsWith(",0") || s.startsWith(",9"))) {
      char d = s.charAt(1);
      int j = 1;
      while (j < s.length() && s.charAt(j) == d) {
        j++;
      }
      // Go: a run of 0s or 9s after the separator, not followed by another digit.
      if (j == s.length() || !Character.isDigit(s.charAt(j))) {
        return j;
      }
    }
    for (String tok : TOKENS) {
      if (s.startsWith(tok)) {
        return tok.length();
      }
    }
    return 0;
  }

  private static String value(ZonedDateTime t, String tok) {
    if (tok.length() > 1 && (tok.charAt(0) == '.' || tok.charAt(0) == ',')) {
      int digits = tok.length() - 1;
      String frac = String.format("%09d", t.getNano()).substring(0, digits);
      if (tok.charAt(1) == '9') {
        frac = frac.replaceAll("0+$", "");
        return frac.isEmpty() ? "" : tok.charAt(0) + frac;
      }
      return tok.charAt(0) + frac;
    }
    int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
    return switch (tok) {
      case "January" -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case "Jan" -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
      case "Monday" -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case "Mon" -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
      case "MST" -> "UTC";
      case "2006" -> String.format("%04d", t.getYear());
      case "06" -> String.format("%02d", t.getYear() % 100);
      case "01" -> String.format("%02d", t.getMonthValue());
      case "1" -> Integer.toString(t.getMonthValue());
      case "02" -> String.format("%02d", t.getDayOfMonth());
      case "_2" -> String.format("%2d", t.getDayOfMonth());
      case "2" -> Integer.toString(t.getDayOfMonth());
      case "002" -> String.format("%03d", t.getDayOfYear());
      case "15" -> String.format("%02d", t.getHour());
      case "03" -> String.format("%02d", hour12);
      case "3" -> Integer.toString(hour12);
      case "04" -> String.format("%02d", t.getMinute());
      case "4" -> Integer.toString(t.getMinute());
      case "05" -> String.format("%02d", t.getSecond());
      case "5" -> Integer.toString(t.getSecond());
      case "PM" -> t.getHour() >= 12 ? "PM" : "AM";
      case "pm" -> t.getHour() >= 12 ? "pm" : "am";
      // UTC: the Z forms print Z, the numeric ones a zero offset.
      case "Z07:00:00", "Z0700", "Z07:00", "Z07" -> "Z";
      case "-07:00:00" -> "+00:00:00";
      case "-0700" -> "+0000";
      case "-07:00" -> "+00:00";
      case "-07" -> "+00";
      default -> tok;
    };
  }
}
