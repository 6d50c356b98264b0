package dev.vigil.report;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.PromqlException;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link ReportDefinition}'s queries and returns the {@link Report} to render.
 *
 * <p>Cost is bounded twice. Before any query runs: the range is at most {@link #MAX_RANGE}, a chart
 * has at most {@link #MAX_POINTS} steps (a coarser step is chosen when the definition's would
 * exceed it, as the dashboard does), so the steps of the whole report are known in advance. After
 * the queries and before rendering: at most {@link #MAX_SERIES_PER_CHART} series are drawn per
 * chart (the highest by average; the rest are counted as dropped) and at most {@link #MAX_ROWS}
 * table rows are kept, so a renderer never sees more than a few MB. The engine's own limits
 * (samples, steps, timeout) apply to each query.
 *
 * <p>Thread-safe.
 */
public final class ReportRunner {
  /** Longest range a report may cover. */
  public static final Duration MAX_RANGE = Duration.ofDays(400);

  /** Most steps of one chart (as the seeds' history API). */
  public static final int MAX_POINTS = 11_000;

  /** Default number of steps of a chart when the definition sets no step. */
  static final int DEFAULT_POINTS = 240;

  static final int MAX_SERIES_PER_CHART = 12;
  static final int MAX_ROWS = 200;

  private static final Pattern LEGEND = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private final Supplier<Engine> engine;
  private final String namespace;

  /**
   * @param namespace the recorders' namespace prefix that {@code {ns}} stands for (e.g. {@code
   *     app_})
   */
  public ReportRunner(Supplier<Engine> engine, String namespace) {
    this.engine = engine;
    this.namespace = namespace;
  }

  /**
   * Runs {@code def} over {@code range} (null: the definition's) ending at {@code end}.
   *
   * @throws ReportException when the range is out of bounds or a query fails
   */
  public Report run(ReportDefinition def, Duration range, Instant end) {
    Duration r = range != null ? range : def.range();
    if (r.isNegative() || r.isZero() || r.compareTo(MAX_RANGE) > 0) {
      throw new ReportException(
          "report range must be positive and at most " + MAX_RANGE.toDays() + "d, got " + r);
    }
    long endMs = end.toEpochMilli();
    long startMs = endMs - r.toMillis();
    long step = step(def, r);
    String rangeText = r.toMillis() / 1000 + "s";
    String stepText = step / 1000 + "s";
    String windowText = Math.max(step, 300_000) / 1000 + "s";
    List<Report.Part> parts = new ArrayList<>();
    int figure = 0;
    for (ReportDefinition.Section s : def.sections()) {
      List<Report.Tile> tiles = new ArrayList<>();
      for (ReportDefinition.Stat st : s.stats()) {
        String q = ReportDefinition.expand(st.query(), namespace, rangeText, stepText, windowText);
        tiles.add(new Report.Tile(st.title(), scalar(instant(q, endMs, s.title())), st.unit()));
      }
      Report.TableData table =
          s.table() == null ? null : table(s, endMs, rangeText, stepText, windowText);
      Report.ChartData chart = null;
      if (s.chart() != null) {
        ReportDefinition.Chart c = s.chart();
        String q = ReportDefinition.expand(c.query(), namespace, rangeText, stepText, windowText);
        QueryResult res;
        try {
          res = engine.get().rangeQuery(q, startMs, endMs, step);
        } catch (PromqlException | IllegalArgumentException e) {
          throw new ReportException(
              "section \"" + s.title() + "\": query failed: " + e.getMessage(), e);
        }
        List<Report.Line> lines = new ArrayList<>();
        for (QueryResult.Series ser : res.matrix()) {
          lines.add(line(ser, c.legend(), startMs, step, endMs));
        }
        lines.sort(Comparator.comparingDouble((Report.Line l) -> -orZero(l.stats()[2])));
        int dropped = Math.max(0, lines.size() - MAX_SERIES_PER_CHART);
        List<Report.Line> kept = new ArrayList<>(lines.subList(0, lines.size() - dropped));
        kept.sort(Comparator.comparing(Report.Line::name));
        chart = new Report.ChartData(++figure, c.caption(), c.unit(), c.kind(), kept, dropped);
      }
      parts.add(new Report.Part(s.title(), s.text(), tiles, table, chart));
    }
    return new Report(def.name(), def.title(), Instant.ofEpochMilli(startMs), end, step, parts);
  }

  /** The chart step: the definition's, coarsened to stay within {@link #MAX_POINTS}. */
  static long step(ReportDefinition def, Duration range) {
    long ms = range.toMillis();
    long step = def.step() != null ? def.step().toMillis() : Math.max(1000, ms / DEFAULT_POINTS);
    long min = (ms + MAX_POINTS - 2) / (MAX_POINTS - 1);
    step = Math.max(step, min);
    return Math.max(1000, (step + 999) / 1000 * 1000);
  }

  private Report.TableData table(
      ReportDefinition.Section s,
      long endMs,
      String rangeText,
      String stepText,
      String windowText) {
    ReportDefinition.Table t = s.table();
    Map<List<String>, Double[]> rows = new LinkedHashMap<>();
    int n = t.columns().size();
    for (int i = 0; i < n; i++) {
      ReportDefinition.Stat col = t.columns().get(i);
      QueryResult res =
          instant(
              ReportDefinition.expand(col.query(), namespace, rangeText, stepText, windowText),
              endMs,
              s.title());
      List<Sample> samples =
          res.type() == QueryResult.Type.SCALAR
              ? List.of(new Sample(Labels.EMPTY, res.timestamp(), res.scalar()))
              : res.vector();
      for (Sample sm : samples) {
        List<String> key = new ArrayList<>();
        for (String l : t.labels()) {
          key.add(sm.labels().getOrEmpty(l));
        }
        rows.computeIfAbsent(key, k -> new Double[n])[i] = sm.value();
      }
    }
    List<Map.Entry<List<String>, Double[]>> sorted = new ArrayList<>(rows.entrySet());
    // Highest first column first: the costliest model, the busiest service.
    sorted.sort(
        Comparator.comparingDouble(
            (Map.Entry<List<String>, Double[]> e) ->
                e.getValue()[0] == null || Double.isNaN(e.getValue()[0])
                    ? Double.POSITIVE_INFINITY
                    : -e.getValue()[0]));
    List<String> header = new ArrayList<>(t.labels());
    t.columns().forEach(c -> header.add(c.title()));
    List<List<String>> out = new ArrayList<>();
    List<List<Double>> values = new ArrayList<>();
    for (Map.Entry<List<String>, Double[]> e :
        sorted.subList(0, Math.min(MAX_ROWS, sorted.size()))) {
      List<String> row = new ArrayList<>(e.getKey());
      List<Double> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Double v = e.getValue()[i];
        double d = v == null ? Double.NaN : v;
        row.add(t.columns().get(i).unit().format(d));
        vals.add(Double.isFinite(d) ? d : null);
      }
      out.add(row);
      values.add(vals);
    }
    return new Report.TableData(header, out, values);
  }

  private QueryResult instant(String q, long t, String section) {
    try {
      return engine.get().instantQuery(q, t);
    } catch (PromqlException | IllegalArgumentException e) {
      throw new ReportException("section \"" + section + "\": query failed: " + e.getMessage(), e);
    }
  }

  private static double scalar(QueryResult r) {
    if (r.type() == QueryResult.Type.SCALAR) {
      return r.scalar();
    }
    for (Sample s : r.vector()) {
      if (!Double.isNaN(s.value())) {
        return s.value();
      }
    }
    return Double.NaN;
  }

  /** The series on the full grid, NaN where it has no point, so gaps show as gaps. */
  private static Report.Line line(
      QueryResult.Series s, String legend, long start, long step, long end) {
    int n = (int) ((end - start) / step) + 1;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * step;
      vs[i] = Double.NaN;
    }
    for (int i = 0; i < s.size(); i++) {
      int at = (int) ((s.timestamps()[i] - start) / step);
      if (at >= 0 && at < n) {
        vs[at] = s.values()[i];
      }
    }
    return new Report.Line(legend(s.labels(), legend), ts, vs);
  }

  static String legend(Labels labels, String template) {
    if (template == null) {
      String s = labels.toString();
      return s.equals("{}") ? "value" : s;
    }
    Matcher m = LEGEND.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(labels.getOrEmpty(m.group(1))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
