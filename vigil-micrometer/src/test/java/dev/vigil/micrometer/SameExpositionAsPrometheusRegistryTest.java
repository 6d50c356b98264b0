package dev.vigil.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.ExpositionParser;
import dev.vigil.metrics.exposition.OpenMetricsTextWriter;
import dev.vigil.metrics.model.MetricFamily;
import dev.vigil.metrics.model.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same meters, recorded the same way on the same clock through micrometer-registry-prometheus
 * and through VigilMeterRegistry, give the same families: names, types and every sample's name,
 * labels and value (help text and order aside).
 */
class SameExpositionAsPrometheusRegistryTest {
  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  static Stream<Arguments> meterKinds() {
    Map<String, BiConsumer<MeterRegistry, MockClock>> kinds = new TreeMap<>();
    kinds.put(
        "counter",
        (r, c) -> {
          Counter.builder("http.requests").tag("method", "GET").register(r).increment(3);
          Counter.builder("http.requests").tag("method", "POST").register(r).increment();
          Counter.builder("jobs.done.total").register(r).increment(2);
          Counter.builder("bytes.sent").baseUnit("bytes").register(r).increment(512);
        });
    kinds.put(
        "gauge",
        (r, c) -> {
          Gauge.builder("queue.size", () -> 7).tag("queue", "a.b").register(r);
          Gauge.builder("heap.used", () -> 1024).baseUnit("bytes").register(r);
          Gauge.builder("app.info", () -> 1).tag("version", "1.2").register(r);
        });
    kinds.put(
        "time gauge",
        (r, c) ->
            TimeGauge.builder("uptime", () -> 1500, TimeUnit.MILLISECONDS)
                .description("Up.")
                .register(r));
    kinds.put(
        "timer",
        (r, c) -> {
          Timer t = Timer.builder("http.server.requests").tag("uri", "/api").register(r);
          t.record(Duration.ofMillis(30));
          t.record(Duration.ofMillis(120));
        });
    kinds.put(
        "timer with percentiles",
        (r, c) -> {
          Timer t = Timer.builder("db.query").publishPercentiles(0.99, 0.5).register(r);
          for (int i = 1; i <= 100; i++) {
            t.record(i, TimeUnit.MILLISECONDS);
          }
        });
    kinds.put(
        "timer with percentile histogram",
        (r, c) -> {
          Timer t =
              Timer.builder("rpc")
                  .publishPercentileHistogram()
                  .publishPercentiles(0.9)
                  .minimumExpectedValue(Duration.ofMillis(1))
                  .maximumExpectedValue(Duration.ofSeconds(10))
                  .register(r);
          for (int i = 1; i <= 50; i++) {
            t.record(i * 7, TimeUnit.MILLISECONDS);
          }
          t.record(Duration.ofSeconds(30));
        });
    kinds.put(
        "timer and summary with default percentile histograms",
        (r, c) -> {
          Timer t = Timer.builder("default.hist").publishPercentileHistogram().register(r);
          t.record(Duration.ofMillis(3));
          t.record(Duration.ofSeconds(3));
          DistributionSummary s =
              DistributionSummary.builder("default.sizes").publishPercentileHistogram().register(r);
          s.record(3);
          s.record(3_000_000);
        });
    kinds.put(
        "names and tag keys to sanitise",
        (r, c) -> {
          Counter.builder("my-app.req/s")
              .tag("a-b", "x y")
              .tag("2nd", "\"q\"")
              .register(r)
              .increment();
          Gauge.builder("9lives", () -> 9).register(r);
        });
    kinds.put(
        "timer with SLO buckets",
        (r, c) -> {
          Timer t =
              Timer.builder("login")
                  .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500))
                  .register(r);
          t.record(Duration.ofMillis(50));
          t.record(Duration.ofMillis(300));
          t.record(Duration.ofSeconds(2));
        });
    kinds.put(
        "distribution summary",
        (r, c) -> {
          DistributionSummary s =
              DistributionSummary.builder("response.size")
                  .baseUnit("bytes")
                  .publishPercentiles(0.5, 0.95)
                  .scale(2)
                  .register(r);
          for (int i = 1; i <= 20; i++) {
            s.record(i * 10);
          }
        });
    kinds.put(
        "distribution summary with histogram",
        (r, c) -> {
          DistributionSummary s =
              DistributionSummary.builder("payload")
                  .serviceLevelObjectives(100, 1000)
                  .publishPercentileHistogram()
                  .minimumExpectedValue(1.0)
                  .maximumExpectedValue(10_000.0)
                  .register(r);
          s.record(5);
          s.record(150);
          s.record(50_000);
        });
    kinds.put(
        "long task timer",
        (r, c) -> {
          LongTaskTimer t = LongTaskTimer.builder("backup").tag("db", "main").register(r);
          t.start();
          c.add(Duration.ofSeconds(3));
          t.start();
          c.add(Duration.ofSeconds(2));
        });
    kinds.put(
        "long task timer with histogram",
        (r, c) -> {
          LongTaskTimer t =
              LongTaskTimer.builder("import")
                  .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(10))
                  .register(r);
          t.start();
          c.add(Duration.ofSeconds(4));
          t.start();
          c.add(Duration.ofMillis(500));
        });
    kinds.put(
        "function counter",
        (r, c) ->
            FunctionCounter.builder("cache.evictions", new AtomicLong(42), AtomicLong::get)
                .tag("cache", "users")
                .register(r));
    kinds.put(
        "function timer",
        (r, c) ->
            FunctionTimer.builder(
                    "pool.wait", new long[] {5, 2500}, a -> a[0], a -> a[1], TimeUnit.MILLISECONDS)
                .register(r));
    kinds.put(
        "custom meter",
        (r, c) ->
            Meter.builder(
                    "custom.thing",
                    Meter.Type.OTHER,
                    List.of(
                        new Measurement(() -> 4, Statistic.COUNT),
                        new Measurement(() -> 9.5, Statistic.TOTAL),
                        new Measurement(() -> 3, Statistic.MAX),
                        new Measurement(() -> 1, Statistic.VALUE)))
                .register(r));
    return kinds.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("meterKinds")
  void sameFamiliesNamesTypesAndValues(String kind, BiConsumer<MeterRegistry, MockClock> record)
      throws Exception {
    MockClock promClock = new MockClock();
    PrometheusMeterRegistry prometheus =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            new io.prometheus.metrics.model.registry.PrometheusRegistry(),
            promClock);
    record.accept(prometheus, promClock);

    MockClock vigilClock = new MockClock();
    VigilMeterRegistry vigil = new VigilMeterRegistry(new MetricRegistry(), vigilClock);
    record.accept(vigil, vigilClock);

    Map<String, String> expected =
        families(ExpositionParser.openMetrics(), prometheus.scrape(OPENMETRICS));
    ByteArrayOutputStream om = new ByteArrayOutputStream();
    OpenMetricsTextWriter.INSTANCE.write(om, vigil.metricRegistry().scrape());
    Map<String, String> actual =
        families(ExpositionParser.openMetrics(), om.toString(StandardCharsets.UTF_8));
    assertThat(expected).as("the reference exposes something").isNotEmpty();
    assertThat(actual).as("OpenMetrics").isEqualTo(expected);

    if (!kind.equals("long task timer with histogram")) {
      // The 0.0.4 text format has no gauge histogram: client_java writes its count and sum as
      // gauges x_gcount and x_gsum, vigil-metrics as x_count and x_sum (PrometheusTextWriter).
      assertThat(families(ExpositionParser.prometheus(), vigil.scrape()))
          .as("Prometheus text 0.0.4")
          .isEqualTo(families(ExpositionParser.prometheus(), prometheus.scrape()));
    }
  }

  /** Family name to its type and samples (name, labels, value), sorted; no help, no _created. */
  private static Map<String, String> families(ExpositionParser parser, String text)
      throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (MetricFamily f : parser.parse(text)) {
      StringBuilder b = new StringBuilder(f.type().prometheusName()).append('\n');
      f.samples().stream()
          .filter(s -> !s.name().endsWith("_created"))
          .map(SameExpositionAsPrometheusRegistryTest::sample)
          .sorted()
          .forEach(s -> b.append(s).append('\n'));
      out.put(f.name(), b.toString());
    }
    return out;
  }

  private static String sample(Sample s) {
    return s.name() + s.labels() + " " + s.value();
  }
}
