package dev.vigil.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of client_golang's promlint (as in Prometheus 2.42's {@code promtool check metrics}),
 * applied to one parsed family. Each problem is {@code {metric name, text}}, with promlint's texts.
 */
final class PromLint {
  private PromLint() {}

  /** Units promlint knows, each with its base unit. */
  private static final String[][] UNITS = {
    {"amperes", "amperes"}, {"bytes", "bytes"}, {"celsius", "celsius"}, {"grams", "grams"},
    {"joules", "joules"}, {"kelvin", "kelvin"}, {"meters", "meters"}, {"metres", "metres"},
    {"seconds", "seconds"}, {"volts", "volts"}, {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"}, {"weeks", "seconds"}, {"kelvins", "kelvin"}, {"fahrenheit", "celsius"},
    {"rankine", "celsius"}, {"inches", "meters"}, {"yards", "meters"}, {"miles", "meters"},
    {"bits", "bytes"}, {"calories", "joules"}, {"pounds", "grams"}, {"ounces", "grams"}
  };

  private static final String[] PREFIXES = {
    "", "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega",
    "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi"
  };

  private static final String[] ABBREVIATIONS = {
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"
  };

  private static final Pattern CAMEL = Pattern.compile("[a-z][A-Z]");

  static void lint(
      String name,
      TextFormatCheck.Type type,
      boolean hasHelp,
      List<List<String>> metricLabelNames,
      List<String[]> problems) {
    if (!hasHelp) {
      problems.add(new String[] {name, "no help text"});
    }
    units(name, problems);
    boolean counter = type == TextFormatCheck.Type.COUNTER;
    boolean untyped = type == TextFormatCheck.Type.UNTYPED;
    boolean total = name.endsWith("_total");
    if (counter && !total) {
      problems.add(new String[] {name, "counter metrics should have \"_total\" suffix"});
    } else if (!untyped && !counter && total) {
      problems.add(new String[] {name, "non-counter metrics should not have \"_total\" suffix"});
    }
    if (!untyped) {
      boolean histogram = type == TextFormatCheck.Type.HISTOGRAM;
      boolean summary = type == TextFormatCheck.Type.SUMMARY;
      if (!histogram && name.endsWith("_bucket")) {
        problems.add(
            new String[] {name, "non-histogram metrics should not have \"_bucket\" suffix"});
      }
      if (!histogram && !summary && name.endsWith("_count")) {
        problems.add(
            new String[] {
              name, "non-histogram and non-summary metrics should not have \"_count\" suffix"
            });
      }
      if (!histogram && !summary && name.endsWith("_sum")) {
        problems.add(
            new String[] {
              name, "non-histogram and non-summary metrics should not have \"_sum\" suffix"
            });
      }
      for (List<String> labels : metricLabelNames) {
        for (String l : labels) {
          if (!histogram && l.equals("le")) {
            problems.add(new String[] {name, "non-histogram metrics should not have \"le\" label"});
          }
          if (!summary && l.equals("quantile")) {
            problems.add(
                new String[] {name, "non-summary metrics should not have \"quantile\" label"});
          }
        }
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (TextFormatCheck.Type t : TextFormatCheck.Type.values()) {
      if (t == TextFormatCheck.Type.UNTYPED) {
        continue;
      }
      String typename = t.name().toLowerCase(Locale.ROOT);
      if (lower.contains("_" + typename + "_") || lower.endsWith("_" + typename)) {
        problems.add(new String[] {name, "metric name should not include type '" + typename + "'"});
      }
    }
    if (name.contains(":")) {
      problems.add(new String[] {name, "metric names should not contain ':'"});
    }
    if (CAMEL.matcher(name).find()) {
      problems.add(
          new String[] {name, "metric names should be written in 'snake_case' not 'camelCase'"});
    }
    for (List<String> labels : metricLabelNames) {
      for (String l : labels) {
        if (CAMEL.matcher(l).find()) {
          problems.add(
              new String[] {name, "label names should be written in 'snake_case' not 'camelCase'"});
        }
      }
    }
    for (String a : ABBREVIATIONS) {
      if (lower.contains("_" + a + "_") || lower.endsWith("_" + a)) {
        problems.add(new String[] {name, "metric names should not contain abbreviated units"});
      }
    }
  }

  // promlint looks for one known unit, with or without a prefix, among the name's '_'-separated
  // words, and reports it when it is not a base unit. (It takes the first it meets in a Go map's
  // random order; a name with two units is rare, and here the first non-base unit wins.)
  private static void units(String name, List<String[]> problems) {
    String[] words = name.split("_", -1);
    for (String[] u : UNITS) {
      if (u[0].equals(u[1])) {
        continue;
      }
      for (String p : PREFIXES) {
        for (String w : words) {
          if (w.equals(p + u[0])) {
            problems.add(
                new String[] {
                  name, "use base unit \"" + u[1] + "\" instead of \"" + p + u[0] + "\""
                });
            return;
          }
        }
      }
    }
    for (String[] u : UNITS) { // a prefixed base unit, e.g. milliseconds
      for (String p : PREFIXES) {
        for (String w : words) {
          if (!p.isEmpty() && w.equals(p + u[0])) {
            problems.add(
                new String[] {
                  name, "use base unit \"" + u[1] + "\" instead of \"" + p + u[0] + "\""
                });
            return;
          }
        }
      }
    }
  }
}
