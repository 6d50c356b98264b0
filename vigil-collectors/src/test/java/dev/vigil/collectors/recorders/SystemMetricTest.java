package dev.vigil.collectors.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VIBEZEN's record_system_metric(type, value, metadata): typed, bounded, metadata as events. */
class SystemMetricTest {
  private final AtomicLong millis = new AtomicLong(1_795_600_000_000L);

  private static String metrics(Recorders rec) {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  private Recorders.Builder builder() {
    return Recorders.builder()
        .namespace("vibezen")
        .clock(millis::get)
        .systemMetricType("response_time_seconds", SystemMetricKind.HISTOGRAM)
        .systemMetricType("api_calls", SystemMetricKind.COUNTER);
  }

  @Test
  void eachKind_isRecordedAsItsType_andMetadataIsNoLabel() {
    Recorders rec = builder().build();
    rec.recordSystemMetric(
        "response_time_seconds", 0.1505, Map.of("phase", "implementation", "provider", "openai"));
    rec.recordSystemMetric("response_time_seconds", 2, Map.of("provider", "anthropic"));
    rec.recordSystemMetric("api_calls", 3, null);
    rec.recordSystemMetric("api_calls", 2, Map.of("provider", "openai"));
    rec.recordSystemMetric("cache_hit_rate", 0.7, Map.of()); // unregistered: a gauge
    rec.recordSystemMetric("cache_hit_rate", 0.8, Map.of());
    String text = metrics(rec);
    assertThat(text)
        .contains("vibezen_system_metric_histogram_count{type=\"response_time_seconds\"} 2\n")
        .contains("vibezen_system_metric_histogram_sum{type=\"response_time_seconds\"} 2.1505\n")
        .contains("vibezen_system_metric_counter_total{type=\"api_calls\"} 5\n")
        .contains("vibezen_system_metric_gauge{type=\"cache_hit_rate\"} 0.8\n")
        .doesNotContain("provider")
        .doesNotContain("openai");
  }

  @Test
  void metadata_isKeptAsEvents_newestFirst_andQueryableByTypeAndEntries() {
    Recorders rec = builder().build();
    rec.recordSystemMetric(
        "response_time_seconds", 0.1505, Map.of("phase", "implementation", "provider", "openai"));
    millis.addAndGet(1000);
    rec.recordSystemMetric("response_time_seconds", 2, Map.of("provider", "anthropic", "retry", 2));
    millis.addAndGet(1000);
    rec.recordSystemMetric("api_calls", 1, Map.of("provider", "openai"));

    List<SystemMetricEvent> all = rec.systemMetricEvents(null, null, 10);
    assertThat(all)
        .extracting(SystemMetricEvent::type)
        .containsExactly("api_calls", "response_time_seconds", "response_time_seconds");
    SystemMetricEvent first = all.get(2);
    assertThat(first.timestampMillis()).isEqualTo(1_795_600_000_000L);
    assertThat(first.kind()).isEqualTo(SystemMetricKind.HISTOGRAM);
    assertThat(first.value()).isEqualTo(0.1505);
    assertThat(first.metadata()).containsEntry("phase", "implementation");

    assertThat(rec.systemMetricEvents(null, Map.of("provider", "openai"), 10))
        .extracting(SystemMetricEvent::type)
        .containsExactly("api_calls", "response_time_seconds");
    assertThat(rec.systemMetricEvents("response_time_seconds", Map.of("retry", "2"), 10))
        .singleElement()
        .extracting(SystemMetricEvent::value)
        .isEqualTo(2.0);
    assertThat(rec.systemMetricEvents(null, null, 1)).hasSize(1);
  }

  @Test
  void typeLimit_refusesNewTypes_andCountsThem() {
    Recorders rec = builder().maxSystemMetricTypes(3).build(); // 2 registered + 1 more
    assertThat(rec.recordSystemMetric("queue_depth", 4, null)).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(rec.recordSystemMetric("type_" + i, i, Map.of("i", i))).isFalse();
    }
    assertThat(rec.recordSystemMetric("api_calls", 1, null)).isTrue(); // known types still work
    String text = metrics(rec);
    assertThat(text)
        .contains("vibezen_system_metric_types_refused_total 5\n")
        .doesNotContain("type_0");
    assertThat(rec.systemMetricEvents(null, null, 100)).hasSize(2);
  }

  @Test
  void withAnEventsLog_eachValueIsAJsonLineBesideTheFileEvents(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("events.jsonl");
    Recorders rec = builder().fileEventsLog(log).clock(() -> 0).build();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("phase", "implementation");
    meta.put("quote", "say \"hi\"");
    meta.put("lines", 100);
    meta.put("cached", true);
    rec.recordSystemMetric("response_time_seconds", 0.25, meta);
    rec.recordFileOperation("write", "/tmp/a.json", 10, 0.01, true, null);
    rec.close();
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "{\"event\":\"system_metric\",\"timestamp\":\"1970-01-01T00:00:00.000Z\","
                + "\"type\":\"response_time_seconds\",\"kind\":\"histogram\",\"value\":0.25,"
                + "\"metadata\":{\"phase\":\"implementation\",\"quote\":\"say \\\"hi\\\"\","
                + "\"lines\":100,\"cached\":true}}",
            "{\"event\":\"file_write\",\"path\":\"/tmp/a.json\",\"size\":10,"
                + "\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"status\":\"success\"}");
  }

  @Test
  void badInput_isRefusedWithTheMethodAndArgumentNamed() {
    Recorders rec = builder().build();
    assertThatThrownBy(() -> rec.recordSystemMetric("Response-Time", 1, null))
        .hasMessageContaining("recordSystemMetric: type 'Response-Time'");
    assertThatThrownBy(() -> rec.recordSystemMetric("x", Double.NaN, null))
        .hasMessageContaining("value must be finite");
    assertThatThrownBy(() -> rec.recordSystemMetric("api_calls", -1, null))
        .hasMessageContaining("is a counter");
    assertThatThrownBy(() -> builder().maxSystemMetricTypes(1).build())
        .hasMessageContaining("maxSystemMetricTypes 1");
  }
}
