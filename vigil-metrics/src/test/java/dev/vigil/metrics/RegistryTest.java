package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private final MetricRegistry registry = new MetricRegistry();

  @Test
  void register_duplicateName_isErrorNamingTheMetric() {
    Counter.builder().name("jobs_total").register(registry);
    assertThatThrownBy(() -> Gauge.builder().name("jobs").register(registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate metric name: jobs")
        .hasMessageContaining("counter jobs");
    assertThatThrownBy(() -> Gauge.builder().name("jobs_total").register(registry))
        .hasMessageContaining("jobs_total");
  }

  @Test
  void scrape_sameNameFromAYieldingCollector_leavesItsFamilyOutWhateverTheOrder() {
    Collector yielding =
        new Collector() {
          @Override
          public List<MetricSnapshot> collect() {
            return List.of(
                new MetricSnapshot(
                    MetricMetadata.of("jvm_threads"),
                    MetricType.GAUGE,
                    List.of(new GaugeDataPoint(Labels.of("state", "new"), 2))),
                new MetricSnapshot(
                    MetricMetadata.of("jobs"),
                    MetricType.GAUGE,
                    List.of(new GaugeDataPoint(Labels.EMPTY, 3))));
          }

          @Override
          public boolean yieldsDuplicateNames() {
            return true;
          }
        };
    registry.register(yielding);
    registry.register(
        () ->
            List.of(
                new MetricSnapshot(
                    MetricMetadata.of("jvm_threads"),
                    MetricType.GAUGE,
                    List.of(new GaugeDataPoint(Labels.EMPTY, 1)))));

    var scrape = registry.scrape();
    assertThat(scrape.get("jvm_threads").dataPoints())
        .containsExactly(new GaugeDataPoint(Labels.EMPTY, 1));
    assertThat(scrape.get("jobs")).isNotNull();
  }

  @Test
  void register_sameCollectorTwice_isError() {
    Gauge g = Gauge.builder().name("g").build();
    registry.register(g);
    assertThatThrownBy(() -> registry.register(g)).hasMessageContaining("already registered");
  }

  @Test
  void unregister_freesTheName() {
    Gauge g = Gauge.builder().name("g").register(registry);
    assertThat(registry.unregister(g)).isTrue();
    Gauge.builder().name("g").register(registry);
    assertThat(registry.scrape().get("g")).isNotNull();
  }

  @Test
  void customCollector_isCalledAtEachScrape() {
    int[] calls = {0};
    registry.register(
        () -> {
          calls[0]++;
          return List.of(
              new MetricSnapshot(
                  MetricMetadata.of("queue_length"),
                  MetricType.GAUGE,
                  List.of(new GaugeDataPoint(Labels.of("q", "a"), calls[0]))));
        });
    registry.scrape();
    var s = registry.scrape().get("queue_length");
    assertThat(((GaugeDataPoint) s.dataPoints().get(0)).value()).isEqualTo(2);
  }

  @Test
  void scrape_collectorsProducingTheSameName_isClearError() {
    Gauge.builder().name("dup").register(registry);
    registry.register(
        () -> List.of(new MetricSnapshot(MetricMetadata.of("dup"), MetricType.GAUGE, List.of())));
    assertThatThrownBy(registry::scrape).hasMessageContaining("dup");
  }

  @Test
  void callbackGauge_readsValuesAtScrape() {
    double[] v = {1};
    CallbackGauge.builder()
        .name("temp")
        .unit("celsius")
        .labelNames("zone")
        .callback(
            sink -> {
              sink.set(v[0], "cpu");
              sink.set(v[0] * 2, "gpu");
            })
        .register(registry);
    v[0] = 40;
    var s = registry.scrape().get("temp_celsius");
    assertThat(((GaugeDataPoint) s.dataPoint(Labels.of("zone", "gpu"))).value()).isEqualTo(80);
  }
}
