package dev.vigil.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report as its YAML file defines it: a title, a time range (ending when the report runs), and
 * sections of text, stat tiles, tables and charts, each backed by PromQL. Immutable.
 *
 * <pre>{@code
 * name: cost_by_model            # default: the file name without .yml
 * title: Cost by provider and model
 * range: 7d                      # how far back from "now"; the request may override it
 * step: 1h                       # charts' resolution; default range / 120
 * sections:
 *   - title: Overview
 *     text: Spend and volume of every model.
 *   - title: Totals
 *     stats:
 *       - {title: Cost, query: "sum(increase({ns}model_cost_total[$range]))", unit: currency}
 *   - title: Spend per provider
 *     chart:
 *       query: sum by (provider) (rate({ns}model_cost_total[$step]))
 *       unit: currency
 *       legend: "{{provider}}"
 *       caption: Spend per second by provider
 *   - title: Models
 *     table:
 *       labels: [provider, model]
 *       columns:
 *         - {title: Cost, query: "sum by (provider, model) (increase(...[$range]))", unit: currency}
 * }</pre>
 *
 * <p>Queries may write {@code {ns}} (the recorders' namespace prefix), {@code $range} and {@code
 * $step} (the report's range and chart step as PromQL durations) and {@code $window} (the larger of
 * the step and 5m: a rate window that sees every sample between two chart points).
 */
public record ReportDefinition(
    String name, String title, Duration range, Duration step, List<Section> sections) {

  /** Names a report may have: they are looked up, never used as paths. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  static final int MAX_SECTIONS = 50;
  static final int MAX_ITEMS = 24;

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  public ReportDefinition {
    sections = List.copyOf(sections);
  }

  /** One section: a title, optional text, and at most one of stats, table or chart. */
  public record Section(String title, String text, List<Stat> stats, Table table, Chart chart) {
    public Section {
      stats = List.copyOf(stats);
    }
  }

  /** A stat tile: one instant value at the report's end. */
  public record Stat(String title, String query, Unit unit) {}

  /** A table: rows keyed by {@code labels}, one column per query (instant, at the report's end). */
  public record Table(List<String> labels, List<Stat> columns) {
    public Table {
      labels = List.copyOf(labels);
      columns = List.copyOf(columns);
    }
  }

  /** A chart over the report's range: one line (or bar) per series. */
  public record Chart(String query, Unit unit, String legend, String caption, Kind kind) {}

  /** How a chart draws its series. */
  public enum Kind {
    LINE,
    AREA,
    BAR
  }

  /** Parses one definition; {@code defaultName} names it when the file has no {@code name}. */
  public static ReportDefinition parse(String source, String text, String defaultName) {
    Yaml root = Yaml.parse(source, text);
    if (!root.isMap()) {
      throw new ReportException(source + ":" + root.line() + ": a report definition is a map");
    }
    root.only("", "name", "title", "description", "range", "step", "sections");
    String name = root.text("", "name", defaultName);
    if (name == null || !NAME.matcher(name).matches()) {
      throw (root.map().containsKey("name") ? root.map().get("name") : root)
          .error("name", "expected letters, digits, _ or - (at most 64), got \"" + name + "\"");
    }
    String title = root.text("", "title", name);
    Duration range = duration(root, "", "range", Duration.ofHours(24));
    Duration step = duration(root, "", "step", null);
    List<Yaml> items = root.items("", "sections");
    if (items.isEmpty()) {
      throw root.error("sections", "a report needs at least one section");
    }
    if (items.size() > MAX_SECTIONS) {
      throw root.error("sections", "at most " + MAX_SECTIONS + " sections");
    }
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      sections.add(section(items.get(i), "sections[" + i + "]."));
    }
    return new ReportDefinition(name, title, range, step, sections);
  }

  private static Section section(Yaml s, String path) {
    if (!s.isMap()) {
      throw s.error(path.substring(0, path.length() - 1), "a section is a map");
    }
    s.only(path, "title", "text", "stats", "table", "chart");
    String title = s.text(path, "title", null);
    if (title == null || title.isBlank()) {
      throw s.error(path + "title", "every section needs a title");
    }
    int kinds = 0;
    for (String k : List.of("stats", "table", "chart")) {
      kinds += s.map().containsKey(k) ? 1 : 0;
    }
    if (kinds > 1) {
      throw s.error(path + "chart", "a section has at most one of stats, table or chart");
    }
    String text = s.text(path, "text", null);
    List<Stat> stats = new ArrayList<>();
    List<Yaml> statItems = s.items(path, "stats");
    if (statItems.size() > MAX_ITEMS) {
      throw s.error(path + "stats", "at most " + MAX_ITEMS + " tiles");
    }
    for (int i = 0; i < statItems.size(); i++) {
      stats.add(stat(statItems.get(i), path + "stats[" + i + "]."));
    }
    Table table = null;
    Yaml t = s.map().get("table");
    if (t != null) {
      String tp = path + "table.";
      if (!t.isMap()) {
        throw t.error(path + "table", "expected a map with labels and columns");
      }
      t.only(tp, "labels", "columns");
      List<String> labels = new ArrayList<>();
      for (Yaml l : t.items(tp, "labels")) {
        if (l.scalar() == null) {
          throw l.error(tp + "labels", "expected label names");
        }
        labels.add(l.scalar());
      }
      List<Stat> cols = new ArrayList<>();
      List<Yaml> colItems = t.items(tp, "columns");
      if (colItems.isEmpty() || colItems.size() > MAX_ITEMS) {
        throw t.error(tp + "columns", "a table needs 1 to " + MAX_ITEMS + " columns");
      }
      for (int i = 0; i < colItems.size(); i++) {
        cols.add(stat(colItems.get(i), tp + "columns[" + i + "]."));
      }
      table = new Table(labels, cols);
    }
    Chart chart = null;
    Yaml c = s.map().get("chart");
    if (c != null) {
      String cp = path + "chart.";
      if (!c.isMap()) {
        throw c.error(path + "chart", "expected a map with query, unit, legend, caption, kind");
      }
      c.only(cp, "query", "unit", "legend", "caption", "kind");
      String query = query(c, cp);
      Unit unit = unit(c, cp);
      String kindText = c.text(cp, "kind", "line");
      Kind kind;
      try {
        kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw c.map()
            .get("kind")
            .error(cp + "kind", "one of line, area, bar; got \"" + kindText + "\"");
      }
      chart =
          new Chart(query, unit, c.text(cp, "legend", null), c.text(cp, "caption", title), kind);
    }
    if (text == null && stats.isEmpty() && table == null && chart == null) {
      throw s.error(path + "text", "a section needs text, stats, a table or a chart");
    }
    return new Section(title, text, stats, table, chart);
  }

  private static Stat stat(Yaml y, String path) {
    if (!y.isMap()) {
      throw y.error(path + "query", "expected a map with title, query and unit");
    }
    y.only(path, "title", "query", "unit");
    String title = y.text(path, "title", null);
    if (title == null) {
      throw y.error(path + "title", "needs a title");
    }
    return new Stat(title, query(y, path), unit(y, path));
  }

  private static String query(Yaml y, String path) {
    String q = y.text(path, "query", null);
    if (q == null || q.isBlank()) {
      throw y.error(path + "query", "needs a PromQL query");
    }
    try {
      dev.vigil.promql.parser.Parser.parse(expand(q, "", "1h", "1m", "5m"));
    } catch (RuntimeException e) {
      throw y.map().get("query").error(path + "query", "invalid PromQL: " + e.getMessage());
    }
    return q;
  }

  private static Unit unit(Yaml y, String path) {
    String u = y.text(path, "unit", "none");
    try {
      return Unit.parse(u);
    } catch (IllegalArgumentException e) {
      throw y.map().get("unit").error(path + "unit", e.getMessage());
    }
  }

  private static Duration duration(Yaml y, String path, String key, Duration dflt) {
    String s = y.text(path, key, null);
    if (s == null) {
      return dflt;
    }
    try {
      return parseDuration(s);
    } catch (IllegalArgumentException e) {
      throw y.map().get(key).error(path + key, e.getMessage());
    }
  }

  /**
   * Parses a Prometheus-style duration: {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}, {@code
   * 1w}.
   */
  public static Duration parseDuration(String s) {
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(
          "expected a positive duration like 30s, 5m, 24h, 7d or 1w, got \"" + s + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** A query with {@code {ns}}, {@code $range}, {@code $step} and {@code $window} replaced. */
  static String expand(String query, String ns, String range, String step, String window) {
    return query
        .replace("{ns}", ns)
        .replace("$range", range)
        .replace("$step", step)
        .replace("$window", window);
  }
}
