package dev.vigil.server.seeds;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/metrics?format=prometheus|openmetrics|json|influx|csv}: the latest value of every
 * series in the store (within the 5 minute lookback), which includes Vigil's own registry and
 * collectors through the self-scrape, in the format asked for.
 *
 * <p>The store holds no metric types, so the text formats write untyped samples with their
 * timestamps; the registry's typed exposition is at {@code /metrics}.
 */
final class CurrentValues {
  /** Upper bound of series in one answer. */
  static final int MAX_SERIES = 200_000;

  private final java.util.function.Supplier<Engine> engine;

  CurrentValues(java.util.function.Supplier<Engine> engine) {
    this.engine = engine;
  }

  /** The answer: content type and body. */
  record Body(String contentType, byte[] bytes) {}

  List<Sample> latest(long now) {
    List<Sample> v = new ArrayList<>(engine.get().instantQuery("{__name__=~\".+\"}", now).vector());
    v.sort((a, b) -> a.labels().compareTo(b.labels()));
    return v.size() > MAX_SERIES ? v.subList(0, MAX_SERIES) : v;
  }

  Body render(String format, long now) {
    String f = format == null || format.isEmpty() ? "prometheus" : format.toLowerCase(Locale.ROOT);
    List<Sample> samples = latest(now);
    return switch (f) {
      case "prometheus" ->
          new Body("text/plain; version=0.0.4; charset=utf-8", text(samples, false));
      case "openmetrics" ->
          new Body(
              "application/openmetrics-text; version=1.0.0; charset=utf-8", text(samples, true));
      case "json" -> new Body("application/json", json(samples, now));
      case "influx" -> new Body("text/plain; charset=utf-8", influx(samples));
      case "csv" -> new Body("text/csv; charset=utf-8", csv(samples));
      default ->
          throw new IllegalArgumentException(
              "unknown format \""
                  + format
                  + "\": one of prometheus, openmetrics, json, influx, csv");
    };
  }

  private static byte[] text(List<Sample> samples, boolean openMetrics) {
    StringBuilder sb = new StringBuilder();
    for (Sample s : samples) {
      sb.append(s.labels().metricName());
      Labels rest = s.labels().withoutMetricName();
      if (!rest.isEmpty()) {
        sb.append('{');
        for (int i = 0; i < rest.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(rest.name(i)).append("=\"");
          escape(sb, rest.value(i));
          sb.append('"');
        }
        sb.append('}');
      }
      sb.append(' ').append(number(s.value())).append(' ');
      if (openMetrics) {
        sb.append(s.timestamp() / 1000.0);
      } else {
        sb.append(s.timestamp());
      }
      sb.append('\n');
    }
    if (openMetrics) {
      sb.append("# EOF\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(List<Sample> samples, long now) {
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (Sample s : samples) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", s.labels().metricName());
      m.put("labels", s.labels().withoutMetricName().toMap());
      m.put("value", PromQuery.json(s.value()));
      m.put("timestamp", Instant.ofEpochMilli(s.timestamp()).toString());
      metrics.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("timestamp", Instant.ofEpochMilli(now).toString());
    root.put("metrics", metrics);
    return Jsons.bytes(root);
  }

  private static byte[] influx(List<Sample> samples) {
    StringBuilder sb = new StringBuilder();
    for (Sample s : samples) {
      if (!Double.isFinite(s.value())) {
        continue; // line protocol has no NaN or infinities
      }
      sb.append(influxEscape(s.labels().metricName(), false));
      Labels rest = s.labels().withoutMetricName();
      for (int i = 0; i < rest.size(); i++) {
        sb.append(',')
            .append(influxEscape(rest.name(i), true))
            .append('=')
            .append(influxEscape(rest.value(i), true));
      }
      sb.append(" value=").append(number(s.value())).append(' ');
      sb.append(s.timestamp() * 1_000_000L).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] csv(List<Sample> samples) {
    StringBuilder sb = new StringBuilder("timestamp,name,labels,value\n");
    for (Sample s : samples) {
      sb.append(Instant.ofEpochMilli(s.timestamp())).append(',');
      sb.append(s.labels().metricName()).append(',');
      String labels = s.labels().withoutMetricName().toString();
      sb.append('"').append(labels.replace("\"", "\"\"")).append('"').append(',');
      sb.append(number(s.value())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static void escape(StringBuilder sb, String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }

  private static String influxEscape(String s, boolean tag) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || (tag && c == '=')) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
