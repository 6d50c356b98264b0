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
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.StateSetDataPoint;
import dev.vigil.metrics.model.SummaryDataPoint;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes OpenMetrics 1.0 text: {@code # TYPE}, {@code # UNIT}, {@code # HELP} per family, exemplars
 * on counters and histogram buckets, {@code _created} for counters, histograms and summaries, and
 * the closing {@code # EOF}.
 *
 * <pre>{@code
 * String text = OpenMetricsTextWriter.INSTANCE.toString(registry.scrape());
 * }</pre>
 */
public final class OpenMetricsTextWriter implements ExpositionWriter {
  /** The shared instance (with {@code _created} series). */
  public static final OpenMetricsTextWriter INSTANCE = new OpenMetricsTextWriter(true);

  /** Content type of this format. */
  public static final String CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final boolean writeCreated;

  private OpenMetricsTextWriter(boolean writeCreated) {
    this.writeCreated = writeCreated;
  }

  /** A writer that leaves out {@code _created} series (some scrapers count them as series). */
  public static OpenMetricsTextWriter withoutCreated() {
    return new OpenMetricsTextWriter(false);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    Utf8Output o = new Utf8Output(out, 8192);
    for (MetricSnapshot s : snapshots) {
      writeFamily(o, s);
    }
    o.text("# EOF\n");
    o.flush();
  }

  private void writeFamily(Utf8Output o, MetricSnapshot s) {
    String name = s.name();
    o.text("# TYPE ").text(name).ascii(' ').text(s.type().openMetricsName()).ascii('\n');
    if (!s.metadata().unit().isEmpty()) {
      o.text("# UNIT ").text(name).ascii(' ').text(s.metadata().unit()).ascii('\n');
    }
    if (!s.metadata().help().isEmpty()) {
      o.text("# HELP ").text(name).ascii(' ').help(s.metadata().help(), true).ascii('\n');
    }
    for (DataPoint p : s.dataPoints()) {
      switch (p) {
        case CounterDataPoint c -> {
          sample(o, name, "_total", c.labels(), c.value());
          exemplarAndEnd(o, c.exemplar());
          created(o, name, c.labels(), c.createdMillis());
        }
        case GaugeDataPoint g -> {
          sample(o, name, "", g.labels(), g.value());
          o.ascii('\n');
        }
        case InfoDataPoint i -> {
          sample(o, name, "_info", i.labels(), 1);
          o.ascii('\n');
        }
        case StateSetDataPoint st -> {
          for (int j = 0; j < st.size(); j++) {
            o.text(name);
            PrometheusTextWriter.labels(o, st.labels(), name, st.state(j));
            o.text("\"} ").number(st.enabled(j) ? 1 : 0).ascii('\n');
          }
        }
        case HistogramDataPoint h -> histogram(o, name, h, s.type());
        case SummaryDataPoint sm -> summary(o, name, sm);
      }
    }
  }

  private void histogram(Utf8Output o, String name, HistogramDataPoint h, MetricType type) {
    long cumulative = 0;
    for (int i = 0; i < h.bucketCount(); i++) {
      cumulative += h.count(i);
      o.text(name).text("_bucket");
      PrometheusTextWriter.labels(o, h.labels(), "le", null);
      o.canonical(h.upperBound(i)).text("\"} ").number(cumulative);
      exemplarAndEnd(o, h.exemplar(i));
    }
    boolean gauge = type == MetricType.GAUGE_HISTOGRAM;
    // OpenMetrics 1.0 forbids _sum on a histogram with negative buckets or a negative sum, a NaN
    // _gsum, a negative _gsum without a negative bucket, and a count without its sum: such a
    // histogram is written with buckets only.
    boolean countAndSum =
        gauge
            ? !Double.isNaN(h.sum()) && (h.sum() >= 0 || h.upperBound(0) < 0)
            : h.upperBound(0) >= 0 && h.sum() >= 0;
    if (countAndSum) {
      sample(o, name, gauge ? "_gcount" : "_count", h.labels(), h.count());
      o.ascii('\n');
      sample(o, name, gauge ? "_gsum" : "_sum", h.labels(), h.sum());
      o.ascii('\n');
    }
    if (!gauge) {
      created(o, name, h.labels(), h.createdMillis());
    }
  }

  private void summary(Utf8Output o, String name, SummaryDataPoint s) {
    for (int i = 0; i < s.quantileCount(); i++) {
      o.text(name);
      PrometheusTextWriter.labels(o, s.labels(), "quantile", null);
      o.canonical(s.quantile(i)).text("\"} ").value(s.value(i)).ascii('\n');
    }
    sample(o, name, "_count", s.labels(), s.count());
    o.ascii('\n');
    sample(o, name, "_sum", s.labels(), s.sum());
    o.ascii('\n');
    created(o, name, s.labels(), s.createdMillis());
  }

  private void created(Utf8Output o, String name, Labels l, long createdMillis) {
    if (writeCreated && createdMillis != DataPoint.NO_CREATED) {
      o.text(name).text("_created");
      if (!l.isEmpty()) {
        PrometheusTextWriter.labels(o, l, null, null);
      }
      o.ascii(' ').secondsFromMillis(createdMillis).ascii('\n');
    }
  }

  private static void sample(Utf8Output o, String name, String suffix, Labels l, double v) {
    o.text(name).text(suffix);
    if (!l.isEmpty()) {
      PrometheusTextWriter.labels(o, l, null, null);
    }
    o.ascii(' ').value(v);
  }

  private static void exemplarAndEnd(Utf8Output o, Exemplar e) {
    if (e != null) {
      o.text(" # ");
      PrometheusTextWriter.labels(o, e.labels(), null, null);
      o.ascii(' ').value(e.value());
      if (e.hasTimestamp()) {
        o.ascii(' ').secondsFromMillis(e.timestampMillis());
      }
    }
    o.ascii('\n');
  }
}
