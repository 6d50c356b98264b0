package dev.vigil.server.seeds;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the seeds' API queries on the PromQL engine and shapes the answers as JSON-ready maps. Query
 * templates write {@code {ns}} for the recorders' namespace prefix (e.g. {@code app_}).
 *
 * <p>Thread-safe (the engine is). NaN and infinite values become {@code null} in the output.
 */
final class PromQuery {
  private final Supplier<Engine> engine;
  private final String ns;

  PromQuery(Supplier<Engine> engine, String namespacePrefix) {
    this.engine = engine;
    this.ns = namespacePrefix;
  }

  String expand(String template) {
    return template.replace("{ns}", ns);
  }

  /** The first value of an instant query (aggregate queries return one), or {@code dflt}. */
  double scalar(String template, long t, double dflt) {
    QueryResult r = engine.get().instantQuery(expand(template), t);
    if (r.type() == QueryResult.Type.SCALAR) {
      return r.scalar();
    }
    for (Sample s : r.vector()) {
      if (Double.isFinite(s.value())) {
        return s.value();
      }
    }
    return dflt;
  }

  /** Each sample of an instant query as {label: value..., "value": v}, for the given labels. */
  List<Map<String, Object>> vector(String template, long t, String valueKey, String... labels) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Sample s : engine.get().instantQuery(expand(template), t).vector()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String l : labels) {
        m.put(l, s.labels().getOrEmpty(l));
      }
      m.put(valueKey, json(s.value()));
      out.add(m);
    }
    return out;
  }

  /** Values of an instant query keyed by one label. */
  Map<String, Double> byLabel(String template, long t, String label) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Sample s : engine.get().instantQuery(expand(template), t).vector()) {
      out.put(s.labels().getOrEmpty(label), s.value());
    }
    return out;
  }

  /** Values of an instant query keyed by the joined values of several labels. */
  Map<String, Double> byLabels(String template, long t, String... labels) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Sample s : engine.get().instantQuery(expand(template), t).vector()) {
      out.put(key(s.labels(), labels), s.value());
    }
    return out;
  }

  static String key(Labels l, String... labels) {
    StringBuilder sb = new StringBuilder();
    for (String name : labels) {
      if (!sb.isEmpty()) {
        sb.append('\u0000');
      }
      sb.append(l.getOrEmpty(name));
    }
    return sb.toString();
  }

  /** The series of a range query: labels and points [[unix seconds, value], ...]. */
  List<QueryResult.Series> range(String template, long start, long end, long step) {
    return engine.get().rangeQuery(expand(template), start, end, step).matrix();
  }

  /** The first series of a range query as points, or an empty list. */
  List<Object[]> points(String template, long start, long end, long step) {
    List<QueryResult.Series> m = range(template, start, end, step);
    return m.isEmpty() ? List.of() : points(m.get(0));
  }

  static List<Object[]> points(QueryResult.Series s) {
    List<Object[]> out = new ArrayList<>(s.size());
    for (int i = 0; i < s.size(); i++) {
      out.add(new Object[] {s.timestamps()[i] / 1000.0, json(s.values()[i])});
    }
    return out;
  }

  /** Average and peak of a series' points (NaN-free), or nulls when empty. */
  static Map<String, Object> stats(List<Object[]> points) {
    double sum = 0;
    double peak = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (Object[] p : points) {
      if (p[1] instanceof Double d) {
        sum += d;
        peak = Math.max(peak, d);
        n++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("average", n == 0 ? null : round(sum / n));
    m.put("peak", n == 0 ? null : round(peak));
    return m;
  }

  static Double json(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static Double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null;
  }
}
