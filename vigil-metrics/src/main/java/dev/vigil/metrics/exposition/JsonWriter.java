package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.StateSetDataPoint;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a scrape as JSON; the shape is documented in {@code docs/exposition-json.md}.
 *
 * <pre>{@code
 * {"metrics":[{"name":"http_requests","type":"counter","help":"Requests.","unit":"",
 *   "series":[{"labels":{"method":"GET"},"value":3,"created":1700000000.123}]}]}
 * }</pre>
 *
 * <p>Numbers that JSON cannot hold (NaN, infinities) are written as the strings {@code "NaN"},
 * {@code "+Inf"} and {@code "-Inf"}. Timestamps are seconds since the epoch.
 */
public final class JsonWriter implements ExpositionWriter {
  /** The shared instance. */
  public static final JsonWriter INSTANCE = new JsonWriter();

  /** Content type of this format. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private JsonWriter() {}

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    Utf8Output o = new Utf8Output(out, 8192);
    o.text("{\"metrics\":[");
    boolean first = true;
    for (MetricSnapshot s : snapshots) {
      if (!first) {
        o.ascii(',');
      }
      first = false;
      family(o, s);
    }
    o.text("]}\n");
    o.flush();
  }

  private static void family(Utf8Output o, MetricSnapshot s) {
    o.text("{\"name\":");
    string(o, s.name());
    o.text(",\"type\":\"").text(s.type().openMetricsName()).text("\",\"help\":");
    string(o, s.metadata().help());
    o.text(",\"unit\":");
    string(o, s.metadata().unit());
    o.text(",\"series\":[");
    boolean first = true;
    for (DataPoint p : s.dataPoints()) {
      if (!first) {
        o.ascii(',');
      }
      first = false;
      o.text("{\"labels\":");
      labels(o, p.labels());
      switch (p) {
        case CounterDataPoint c -> {
          o.text(",\"value\":");
          number(o, c.value());
          created(o, c.createdMillis());
          if (c.exemplar() != null) {
            o.text(",\"exemplar\":");
            exemplar(o, c.exemplar());
          }
        }
        case GaugeDataPoint g -> {
          o.text(",\"value\":");
          number(o, g.value());
        }
        case InfoDataPoint i -> o.text(",\"value\":1");
        case StateSetDataPoint st -> {
          o.text(",\"states\":{");
          for (int j = 0; j < st.size(); j++) {
            if (j > 0) {
              o.ascii(',');
            }
            string(o, st.state(j));
            o.text(st.enabled(j) ? ":true" : ":false");
          }
          o.ascii('}');
        }
        case HistogramDataPoint h -> histogram(o, h);
        case SummaryDataPoint sm -> summary(o, sm);
      }
      o.ascii('}');
    }
    o.text("]}");
  }

  private static void histogram(Utf8Output o, HistogramDataPoint h) {
    o.text(",\"count\":").number(h.count()).text(",\"sum\":");
    number(o, h.sum());
    created(o, h.createdMillis());
    o.text(",\"buckets\":[");
    long cumulative = 0;
    for (int i = 0; i < h.bucketCount(); i++) {
      cumulative += h.count(i);
      if (i > 0) {
        o.ascii(',');
      }
      o.text("{\"le\":");
      number(o, h.upperBound(i));
      o.text(",\"count\":").number(cumulative);
      if (h.exemplar(i) != null) {
        o.text(",\"exemplar\":");
        exemplar(o, h.exemplar(i));
      }
      o.ascii('}');
    }
    o.ascii(']');
  }

  private static void summary(Utf8Output o, SummaryDataPoint s) {
    o.text(",\"count\":").number(s.count()).text(",\"sum\":");
    number(o, s.sum());
    created(o, s.createdMillis());
    o.text(",\"quantiles\":[");
    for (int i = 0; i < s.quantileCount(); i++) {
      if (i > 0) {
        o.ascii(',');
      }
      o.text("{\"quantile\":");
      number(o, s.quantile(i));
      o.text(",\"value\":");
      number(o, s.value(i));
      o.ascii('}');
    }
    o.ascii(']');
  }

  private static void created(Utf8Output o, long createdMillis) {
    if (createdMillis != DataPoint.NO_CREATED) {
      o.text(",\"created\":").secondsFromMillis(createdMillis);
    }
  }

  private static void exemplar(Utf8Output o, Exemplar e) {
    o.text("{\"labels\":");
    labels(o, e.labels());
    o.text(",\"value\":");
    number(o, e.value());
    if (e.hasTimestamp()) {
      o.text(",\"timestamp\":").secondsFromMillis(e.timestampMillis());
    }
    o.ascii('}');
  }

  private static void labels(Utf8Output o, Labels l) {
    o.ascii('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        o.ascii(',');
      }
      string(o, l.name(i));
      o.ascii(':');
      string(o, l.value(i));
    }
    o.ascii('}');
  }

  private static void number(Utf8Output o, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      o.ascii('"').canonical(d).ascii('"');
    } else {
      o.value(d);
    }
  }

  static void string(Utf8Output o, String s) {
    o.ascii('"');
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        o.text(s.substring(start, i));
        switch (c) {
          case '"' -> o.text("\\\"");
          case '\\' -> o.text("\\\\");
          case '\n' -> o.text("\\n");
          case '\r' -> o.text("\\r");
          case '\t' -> o.text("\\t");
          default -> o.text(String.format("\\u%04x", (int) c));
        }
        start = i + 1;
      }
    }
    o.text(start == 0 ? s : s.substring(start));
    o.ascii('"');
  }
}
