package dev.vigil.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;

/**
 * Names as {@code micrometer-registry-prometheus} gives them: dots and other characters a
 * Prometheus name cannot hold become underscores, counters, summaries and gauges end with their
 * base unit ({@code _bytes}), timers and long task timers with {@code _seconds}, and the suffixes
 * the exposition adds itself ({@code _total}, {@code _created}, {@code _bucket}, {@code _info}) are
 * removed from the family name (a counter {@code requests.total} is written {@code
 * requests_total}).
 */
final class VigilNamingConvention implements NamingConvention {
  private static final String[] RESERVED_SUFFIXES = {"_total", "_created", "_bucket", "_info"};

  @Override
  public String name(String name, Meter.Type type, String baseUnit) {
    String n = sanitize(name, true);
    if ((type == Meter.Type.COUNTER
            || type == Meter.Type.DISTRIBUTION_SUMMARY
            || type == Meter.Type.GAUGE)
        && baseUnit != null
        && !n.endsWith("_" + baseUnit)) {
      n += "_" + baseUnit;
    }
    if ((type == Meter.Type.TIMER || type == Meter.Type.LONG_TASK_TIMER)
        && !n.endsWith("_seconds")) {
      n += "_seconds";
    }
    return stripReservedSuffixes(sanitize(n, true));
  }

  @Override
  public String tagKey(String key) {
    String k = sanitize(key, false);
    while (k.startsWith("__")) {
      k = k.substring(1);
    }
    return k;
  }

  private static String sanitize(String s, boolean colonAllowed) {
    if (s.isEmpty()) {
      return "_";
    }
    StringBuilder b = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colonAllowed && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      // A leading digit is replaced, not prefixed, as client_java's sanitizer does ("9lives" ->
      // "_lives").
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  private static String stripReservedSuffixes(String name) {
    String n = name;
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (String suffix : RESERVED_SUFFIXES) {
        if (n.equals(suffix)) {
          return suffix.substring(1);
        }
        if (n.endsWith(suffix)) {
          n = n.substring(0, n.length() - suffix.length());
          stripped = true;
          break;
        }
      }
    }
    return n;
  }
}
