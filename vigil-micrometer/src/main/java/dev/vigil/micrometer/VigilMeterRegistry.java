package dev.vigil.micrometer;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.PrometheusTextWriter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionCounter;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.internal.DefaultGauge;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;
import io.micrometer.core.instrument.internal.DefaultMeter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer {@link MeterRegistry} whose meters are scraped through a vigil-metrics {@link
 * MetricRegistry}: everything an application or library records through Micrometer appears in that
 * registry's exposition (and so on {@code /metrics} of {@code Vigil.start}) with the names, types
 * and values {@code micrometer-registry-prometheus} would give it.
 *
 * <pre>{@code
 * MetricRegistry metrics = new MetricRegistry();
 * MeterRegistry meters = new VigilMeterRegistry(metrics);
 * Timer.builder("http.server.requests").tag("uri", "/api").register(meters).record(d);
 * // metrics.scrape() now holds http_server_requests_seconds and http_server_requests_seconds_max
 * }</pre>
 *
 * <p>Counters are counters ({@code _total}); gauges and time gauges gauges (time in seconds), a
 * gauge named {@code x.info} an info metric; timers, distribution summaries and long task timers
 * summaries with their percentiles, or, with {@code publishPercentileHistogram()} or service-level
 * objectives, classic histograms (a gauge histogram for long task timers), each beside a {@code
 * _max} gauge; function timers summaries; custom meters one family per statistic. Histogram buckets
 * only grow; percentiles and max cover Micrometer's sliding window. A meter whose name is already
 * taken by a meter of another type, whose tags repeat another's, or whose value a snapshot rejects
 * (a negative count) is left out of the scrape rather than failing it.
 *
 * <p>{@link #close()} removes the registry's collector from the {@link MetricRegistry}.
 */
public final class VigilMeterRegistry extends MeterRegistry implements AutoCloseable {
  private final MetricRegistry metrics;
  private final Collector collector;

  /** Meters exposed through {@code metrics}, on the system clock. */
  public VigilMeterRegistry(MetricRegistry metrics) {
    this(metrics, Clock.SYSTEM);
  }

  /**
   * Meters exposed through {@code metrics}; {@code clock} drives windows of max and percentiles.
   */
  public VigilMeterRegistry(MetricRegistry metrics, Clock clock) {
    super(clock);
    this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    config().namingConvention(new VigilNamingConvention());
    this.collector = new MeterCollector(this);
    metrics.register(collector);
  }

  /** The vigil-metrics registry the meters are exposed through. */
  public MetricRegistry metricRegistry() {
    return metrics;
  }

  /** The meters in the Prometheus text format 0.0.4 (the other collectors of the registry too). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextWriter.INSTANCE.write(out, metrics.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    metrics.unregister(collector);
    super.close();
  }

  @Override
  protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
    return new DefaultGauge<>(id, obj, valueFunction);
  }

  @Override
  protected Counter newCounter(Meter.Id id) {
    return new CumulativeCounter(id);
  }

  @Override
  protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
    return new DefaultLongTaskTimer(id, clock, getBaseTimeUnit(), config, true);
  }

  @Override
  protected Timer newTimer(
      Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
    return new VigilTimer(id, clock, config, pauseDetector);
  }

  @Override
  protected DistributionSummary newDistributionSummary(
      Meter.Id id, DistributionStatisticConfig config, double scale) {
    return new VigilDistributionSummary(id, clock, config, scale);
  }

  @Override
  protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
    return new DefaultMeter(id, type, measurements);
  }

  @Override
  protected <T> FunctionTimer newFunctionTimer(
      Meter.Id id,
      T obj,
      ToLongFunction<T> countFunction,
      ToDoubleFunction<T> totalTimeFunction,
      TimeUnit totalTimeFunctionUnit) {
    return new CumulativeFunctionTimer<>(
        id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit, getBaseTimeUnit());
  }

  @Override
  protected <T> FunctionCounter newFunctionCounter(
      Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
    return new CumulativeFunctionCounter<>(id, obj, countFunction);
  }

  @Override
  protected TimeUnit getBaseTimeUnit() {
    return TimeUnit.SECONDS;
  }

  @Override
  protected DistributionStatisticConfig defaultHistogramConfig() {
    return DistributionStatisticConfig.builder()
        .expiry(java.time.Duration.ofMinutes(1))
        .bufferLength(3)
        .build()
        .merge(DistributionStatisticConfig.DEFAULT);
  }

  List<Meter> meters() {
    return getMeters();
  }
}
