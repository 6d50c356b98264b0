package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.server.push.Families.Sample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OTLP push body is a valid {@code ExportMetricsServiceRequest} as the OpenTelemetry protobuf
 * classes read it: resources per (job, instance) with external labels, gauges, cumulative monotonic
 * sums for counters, explicit-bucket histograms with per-bucket counts.
 */
class OtlpEncoderWireTest {
  private static final long T = 1_700_000_000_123L;

  private static Sample s(double v, String... labels) {
    return new Sample(Labels.of(labels), T, v);
  }

  private static ExportMetricsServiceRequest encode(List<Sample> samples) throws Exception {
    byte[] body =
        OtlpEncoder.encode(Families.group(samples), Map.of("site", "lab", "region", "eu"), "me");
    return ExportMetricsServiceRequest.parseFrom(body);
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    return kvs.stream()
        .collect(
            Collectors.toMap(
                KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> a, TreeMap::new));
  }

  private static Metric metric(ResourceMetrics rm, String name) {
    return rm.getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void resources_carryJobInstanceAndExternalLabels_pointsTheOtherLabels() throws Exception {
    ExportMetricsServiceRequest r =
        encode(
            List.of(
                s(1.5, "__name__", "up_ratio", "job", "node", "instance", "h:9100", "mode", "x"),
                s(2, "__name__", "free_bytes")));
    assertThat(r.getResourceMetricsCount()).isEqualTo(2);
    ResourceMetrics me = r.getResourceMetrics(0);
    assertThat(attrs(me.getResource().getAttributesList()))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("service.name", "me", "site", "lab", "region", "eu")));
    ResourceMetrics node = r.getResourceMetrics(1);
    assertThat(attrs(node.getResource().getAttributesList()))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "service.name", "node",
                    "service.instance.id", "h:9100",
                    "site", "lab",
                    "region", "eu")));
    assertThat(node.getScopeMetrics(0).getScope().getName()).isEqualTo(OtlpEncoder.SCOPE);
    Metric up = metric(node, "up_ratio");
    assertThat(up.hasGauge()).isTrue();
    NumberDataPoint p = up.getGauge().getDataPoints(0);
    assertThat(p.getAsDouble()).isEqualTo(1.5);
    assertThat(p.getTimeUnixNano()).isEqualTo(T * 1_000_000L);
    assertThat(attrs(p.getAttributesList())).containsExactlyEntriesOf(Map.of("mode", "x"));
  }

  @Test
  void counters_areCumulativeMonotonicSums() throws Exception {
    ExportMetricsServiceRequest r =
        encode(List.of(s(42, "__name__", "jobs_done_total", "job", "w", "queue", "q1")));
    Metric m = metric(r.getResourceMetrics(0), "jobs_done_total");
    assertThat(m.hasSum()).isTrue();
    assertThat(m.getSum().getIsMonotonic()).isTrue();
    assertThat(m.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(m.getSum().getDataPoints(0).getAsDouble()).isEqualTo(42);
    assertThat(attrs(m.getSum().getDataPoints(0).getAttributesList()))
        .containsExactlyEntriesOf(Map.of("queue", "q1"));
  }

  @Test
  void classicHistograms_becomeExplicitBucketHistograms_withPerBucketCounts() throws Exception {
    ExportMetricsServiceRequest r =
        encode(
            List.of(
                s(3, "__name__", "rt_seconds_bucket", "job", "w", "le", "0.1"),
                s(7, "__name__", "rt_seconds_bucket", "job", "w", "le", "0.5"),
                s(10, "__name__", "rt_seconds_bucket", "job", "w", "le", "+Inf"),
                s(2.75, "__name__", "rt_seconds_sum", "job", "w"),
                s(10, "__name__", "rt_seconds_count", "job", "w")));
    ResourceMetrics rm = r.getResourceMetrics(0);
    assertThat(rm.getScopeMetrics(0).getMetricsCount()).isEqualTo(1);
    Metric m = metric(rm, "rt_seconds");
    assertThat(m.hasHistogram()).isTrue();
    assertThat(m.getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    HistogramDataPoint p = m.getHistogram().getDataPoints(0);
    assertThat(p.getExplicitBoundsList()).containsExactly(0.1, 0.5);
    assertThat(p.getBucketCountsList()).containsExactly(3L, 4L, 3L);
    assertThat(p.getCount()).isEqualTo(10);
    assertThat(p.hasSum()).isTrue();
    assertThat(p.getSum()).isEqualTo(2.75);
    assertThat(p.getTimeUnixNano()).isEqualTo(T * 1_000_000L);
    assertThat(p.getAttributesList()).isEmpty();
  }
}
