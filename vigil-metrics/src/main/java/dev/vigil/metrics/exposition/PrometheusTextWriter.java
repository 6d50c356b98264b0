package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.StateSetDataPoint;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the Prometheus text format 0.0.4, the format {@code promtool check metrics} reads.
 *
 * <pre>{@code
 * PrometheusTextWriter.INSTANCE.write(System.out, registry.scrape());
 * }</pre>
 *
 * <p>That format has no units, exemplars, created timestamps, info, state sets or gauge histograms:
 * counters are written as {@code x_total}; info as a gauge {@code x_info} of value 1; a state set
 * as a gauge with one series per state (label named like the metric, value 1 or 0); a gauge
 * histogram as a histogram; unknown as untyped. Exemplars and {@code _created} are left out.
 */
public final class PrometheusTextWriter implements ExpositionWriter {
  /** The shared instance. */
  public static final PrometheusTextWriter INSTANCE = new PrometheusTextWriter();

  /** Content type of this format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusTextWriter() {}

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    Utf8Output o = new Utf8Output(out, 8192);
    for (MetricSnapshot s : snapshots) {
      if (!s.dataPoints().isEmpty()) {
        writeFamily(o, s);
      }
    }
    o.flush();
  }

  private static void writeFamily(Utf8Output o, MetricSnapshot s) {
    String name = s.name();
    String exposed =
        switch (s.type()) {
          case COUNTER -> name + "_total";
          case INFO -> name + "_info";
          default -> name;
        };
    if (!s.metadata().help().isEmpty()) {
      o.text("# HELP ").text(exposed).ascii(' ').help(s.metadata().help(), false).ascii('\n');
    }
    o.text("# TYPE ").text(exposed).ascii(' ').text(s.type().prometheusName()).ascii('\n');
    for (DataPoint p : s.dataPoints()) {
      switch (p) {
        case CounterDataPoint c -> sample(o, exposed, c.labels(), null, null, c.value());
        case GaugeDataPoint g -> sample(o, exposed, g.labels(), null, null, g.value());
        case InfoDataPoint i -> sample(o, exposed, i.labels(), null, null, 1);
        case StateSetDataPoint st -> {
          for (int j = 0; j < st.size(); j++) {
            sample(o, name, st.labels(), name, st.state(j), st.enabled(j) ? 1 : 0);
          }
        }
        case HistogramDataPoint h -> histogram(o, name, h, s.type());
        case SummaryDataPoint sm -> summary(o, name, sm);
      }
    }
  }

  private static void histogram(Utf8Output o, String name, HistogramDataPoint h, MetricType t) {
    String bucket = name + "_bucket";
    long cumulative = 0;
    for (int i = 0; i < h.bucketCount(); i++) {
      cumulative += h.count(i);
      o.text(bucket);
      labels(o, h.labels(), "le", null);
      o.canonical(h.upperBound(i)).text("\"} ").number(cumulative).ascii('\n');
    }
    sample(o, name + "_count", h.labels(), null, null, h.count());
    sample(o, name + "_sum", h.labels(), null, null, h.sum());
  }

  private static void summary(Utf8Output o, String name, SummaryDataPoint s) {
    for (int i = 0; i < s.quantileCount(); i++) {
      o.text(name);
      labels(o, s.labels(), "quantile", null);
      o.canonical(s.quantile(i)).text("\"} ").value(s.value(i)).ascii('\n');
    }
    sample(o, name + "_count", s.labels(), null, null, s.count());
    sample(o, name + "_sum", s.labels(), null, null, s.sum());
  }

  private static void sample(
      Utf8Output o, String name, Labels l, String extraName, String extraValue, double v) {
    o.text(name);
    if (extraName != null) {
      labels(o, l, extraName, extraValue);
      o.text("\"}");
    } else if (!l.isEmpty()) {
      labels(o, l, null, null);
    }
    o.ascii(' ').value(v).ascii('\n');
  }

  /**
   * Writes {@code {a="1",b="2"}}; with an extra label, leaves it open after its quote so the caller
   * appends the value and {@code "}}.
   */
  static void labels(Utf8Output o, Labels l, String extraName, String extraValue) {
    o.ascii('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        o.ascii(',');
      }
      o.text(l.name(i)).text("=\"").labelValue(l.value(i)).ascii('"');
    }
    if (extraName != null) {
      if (!l.isEmpty()) {
        o.ascii(',');
      }
      o.text(extraName).text("=\"");
      if (extraValue != null) {
        o.labelValue(extraValue);
      }
    } else {
      o.ascii('}');
    }
  }
}
