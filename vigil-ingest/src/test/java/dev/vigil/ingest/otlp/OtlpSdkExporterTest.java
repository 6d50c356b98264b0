package dev.vigil.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.TestHttpServer;
import dev.vigil.ingest.TestStorage;
import dev.vigil.model.Labels;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real OpenTelemetry Java SDK exporting over OTLP/HTTP into Vigil's receiver. */
class OtlpSdkExporterTest {
  private final TestStorage store = new TestStorage();
  private final IngestStats stats = new IngestStats();
  private final Ingester ingester =
      new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, System::nanoTime);
  private final OtlpHandler handler = new OtlpHandler(ingester, System::currentTimeMillis);
  private TestHttpServer http;
  private SdkMeterProvider provider;

  /**
   * The SDK's clock (epoch ns), advanced by the test instead of sleeping; it starts at the wall
   * clock only so that export timestamps look like a live application's.
   */
  private final AtomicLong sdkNanos = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

  private final Clock sdkClock =
      new Clock() {
        @Override
        public long now() {
          return sdkNanos.get();
        }

        @Override
        public long nanoTime() {
          return sdkNanos.get();
        }
      };

  @AfterEach
  void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
    if (http != null) {
      http.close();
    }
  }

  private Meter start(AggregationTemporalitySelector temporality, boolean gzip) throws Exception {
    http = new TestHttpServer().mount("/v1/metrics", handler::handle);
    OtlpHttpMetricExporter exporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(http.url("/v1/metrics"))
            .setAggregationTemporalitySelector(temporality)
            .setCompression(gzip ? "gzip" : "none")
            .build();
    provider =
        SdkMeterProvider.builder()
            .setClock(sdkClock)
            .setResource(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"), "checkout",
                        AttributeKey.stringKey("service.instance.id"), "i-1",
                        AttributeKey.stringKey("deployment.environment"), "prod")))
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
            .build();
    return provider.get("vigil-test");
  }

  private void flush() {
    CompletableResultCode r = provider.forceFlush().join(10, TimeUnit.SECONDS);
    assertThat(r.isSuccess()).as("export succeeded").isTrue();
  }

  private static Labels series(String name, String... more) {
    String[] nv = new String[more.length + 6];
    nv[0] = "__name__";
    nv[1] = name;
    nv[2] = "job";
    nv[3] = "checkout";
    nv[4] = "instance";
    nv[5] = "i-1";
    System.arraycopy(more, 0, nv, 6, more.length);
    return Labels.of(nv);
  }

  @Test
  void cumulativeCounterHistogramAndGauge_areServedUnderPrometheusNames() throws Exception {
    Meter meter = start(AggregationTemporalitySelector.alwaysCumulative(), true);
    LongCounter requests =
        meter.counterBuilder("http.server.requests").setUnit("{request}").build();
    DoubleHistogram duration =
        meter
            .histogramBuilder("http.server.duration")
            .setUnit("ms")
            .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0))
            .build();
    meter.gaugeBuilder("process.memory.usage").setUnit("By").buildWithCallback(g -> g.record(4096));
    Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/cart");
    requests.add(3, route);
    duration.record(5, route);
    duration.record(50, route);
    duration.record(500, route);
    flush();

    assertThat(store.samples(series("http_server_requests_total", "http_route", "/cart")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(3));
    assertThat(
            store.samples(
                series(
                    "http_server_duration_milliseconds_bucket", "http_route", "/cart", "le", "10")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(1));
    assertThat(
            store.samples(
                series(
                    "http_server_duration_milliseconds_bucket",
                    "http_route",
                    "/cart",
                    "le",
                    "100")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(2));
    assertThat(
            store.samples(
                series(
                    "http_server_duration_milliseconds_bucket",
                    "http_route",
                    "/cart",
                    "le",
                    "+Inf")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(3));
    assertThat(
            store.samples(series("http_server_duration_milliseconds_sum", "http_route", "/cart")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(555));
    assertThat(
            store.samples(series("http_server_duration_milliseconds_count", "http_route", "/cart")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(3));
    assertThat(store.samples(series("process_memory_usage_bytes")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(4096));
    assertThat(store.samples(series("target_info", "deployment_environment", "prod")))
        .singleElement()
        .satisfies(s -> assertThat(s.v()).isEqualTo(1));
    assertThat(ingester.metadata().get("http_server_requests_total").type()).isEqualTo("counter");
    assertThat(stats.accepted(IngestStats.OTLP)).isGreaterThanOrEqualTo(8);
  }

  @Test
  void deltaCounter_isAccumulatedIntoACumulativeCounter() throws Exception {
    Meter meter = start(AggregationTemporalitySelector.deltaPreferred(), false);
    LongCounter jobs = meter.counterBuilder("jobs.processed").build();
    jobs.add(2);
    flush();
    sdkNanos.addAndGet(TimeUnit.SECONDS.toNanos(1)); // the next export is a second later
    jobs.add(3);
    flush();
    List<TestStorage.Sample> s = store.samples(series("jobs_processed_total"));
    assertThat(s).extracting(TestStorage.Sample::v).containsExactly(2.0, 5.0);
    Map<Labels, List<TestStorage.Sample>> all = store.series();
    assertThat(all.keySet()).anySatisfy(l -> assertThat(l.metricName()).isEqualTo("target_info"));
  }
}
