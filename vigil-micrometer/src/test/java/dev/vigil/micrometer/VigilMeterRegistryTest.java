package dev.vigil.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VigilMeterRegistryTest {
  private final MockClock clock = new MockClock();
  private final MetricRegistry metrics = new MetricRegistry();
  private final VigilMeterRegistry meters = new VigilMeterRegistry(metrics, clock);

  @Test
  void metersAppearBesideTheRegistrysOwnMetrics() {
    Counter.builder().name("jobs_total").register(metrics).inc();
    io.micrometer.core.instrument.Counter.builder("http.requests")
        .tag("method", "GET")
        .register(meters)
        .increment(2);

    MetricSnapshots s = metrics.scrape();
    assertThat(s.get("jobs")).isNotNull();
    assertThat(s.get("http_requests").type()).isEqualTo(MetricType.COUNTER);
    assertThat(meters.scrape()).contains("http_requests_total{method=\"GET\"} 2\n");
  }

  @Test
  void histogramBucketsKeepCountingAfterTheWindowWhileMaxDecays() {
    Timer t = Timer.builder("rpc").serviceLevelObjectives(Duration.ofMillis(100)).register(meters);
    t.record(Duration.ofMillis(50));
    t.record(Duration.ofMillis(250));
    clock.add(Duration.ofMinutes(10));

    HistogramDataPoint h =
        (HistogramDataPoint) metrics.scrape().get("rpc_seconds").dataPoints().getFirst();
    assertThat(h.upperBound(0)).isEqualTo(0.1);
    assertThat(h.cumulativeCount(0)).isEqualTo(1);
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.sum()).isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    MetricSnapshot max = metrics.scrape().get("rpc_seconds_max");
    assertThat(((GaugeDataPoint) max.dataPoints().getFirst()).value()).isZero();
  }

  @Test
  void aNameTakenByAnotherTypeOrRepeatedTagsLeaveTheMeterOutNotTheScrape() {
    io.micrometer.core.instrument.Counter.builder("queue").register(meters).increment();
    Gauge.builder("queue", () -> 3).tag("q", "a").register(meters);
    Gauge.builder("depth", () -> 1).tag("a.b", "x").register(meters);
    Gauge.builder("depth", () -> 2).tag("a_b", "x").register(meters);

    MetricSnapshots s = metrics.scrape();
    assertThat(s.get("queue").type()).isEqualTo(MetricType.COUNTER);
    assertThat(s.get("queue").dataPoints()).hasSize(1);
    assertThat(s.get("depth").dataPoints()).hasSize(1);
  }

  @Test
  void aMeterWhoseValuesASnapshotRejectsIsLeftOutNotTheScrape() {
    io.micrometer.core.instrument.FunctionCounter.builder("broken", this, x -> -5).register(meters);
    io.micrometer.core.instrument.Meter.builder(
            "custom",
            io.micrometer.core.instrument.Meter.Type.OTHER,
            java.util.List.of(
                new io.micrometer.core.instrument.Measurement(
                    () -> 1, io.micrometer.core.instrument.Statistic.VALUE),
                new io.micrometer.core.instrument.Measurement(
                    () -> -3, io.micrometer.core.instrument.Statistic.COUNT)))
        .register(meters);
    io.micrometer.core.instrument.Counter.builder("fine").register(meters).increment();

    MetricSnapshots s = metrics.scrape();
    assertThat(s.get("fine")).isNotNull();
    assertThat(s.get("broken")).isNull();
    assertThat(s.get("custom")).as("none of the meter's families, not only the bad one").isNull();
    assertThat(s.get("custom_value")).isNull();
  }

  @Test
  void closeRemovesTheMetersFromTheRegistry() {
    io.micrometer.core.instrument.Counter.builder("http.requests").register(meters).increment();
    meters.close();
    assertThat(metrics.scrape().get("http_requests")).isNull();
    assertThat(metrics.collectors()).isEmpty();
  }
}
