package dev.vigil.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.TestStorage;
import dev.vigil.ingest.TestStorage.Sample;
import dev.vigil.ingest.wire.Gzip;
import dev.vigil.ingest.wire.ProtoReader;
import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OtlpHandlerTest {
  private static final long T = 1544712660300000000L;
  private static final long T_MS = 1544712660300L;
  private final TestStorage store = new TestStorage();
  private final IngestStats stats = new IngestStats();
  private final Ingester ingester =
      new Ingester(store.appendable(), IngestLimits.DEFAULTS, stats, () -> 0);
  private final OtlpHandler handler = new OtlpHandler(ingester, () -> 42);

  /** The shape of opentelemetry-proto's examples/metrics.json. */
  private static final String EXAMPLE =
      """
      {
        "resourceMetrics": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "my.service"}},
            {"key": "host.cores", "value": {"intValue": "8"}}]},
          "scopeMetrics": [{
            "scope": {"name": "my.library", "version": "1.0.0"},
            "metrics": [
              {"name": "my.counter", "unit": "1", "description": "I am a Counter",
               "sum": {"aggregationTemporality": 1, "isMonotonic": true,
                 "dataPoints": [{"asDouble": 5, "startTimeUnixNano": "1544712660300000000",
                   "timeUnixNano": "1544712660300000000",
                   "attributes": [{"key": "my.counter.attr", "value": {"stringValue": "some value"}}]}]}},
              {"name": "my.gauge", "unit": "1", "description": "I am a Gauge",
               "gauge": {"dataPoints": [{"asDouble": 10, "timeUnixNano": "1544712660300000000"}]}},
              {"name": "my.histogram", "unit": "1", "description": "I am a Histogram",
               "histogram": {"aggregationTemporality": 1, "dataPoints": [{
                 "startTimeUnixNano": "1544712660300000000", "timeUnixNano": "1544712660300000000",
                 "count": 2, "sum": 2, "bucketCounts": [1, 1], "explicitBounds": [1],
                 "min": 0, "max": 2}]}},
              {"name": "my.exponential.histogram", "unit": "1",
               "exponentialHistogram": {"aggregationTemporality": 1, "dataPoints": [{
                 "timeUnixNano": "1544712660300000000", "count": 3, "sum": 10, "scale": 0,
                 "zeroCount": 1, "positive": {"offset": 1, "bucketCounts": [0, 2]}}]}}
            ]}]}]
      }
      """;

  private static IngestRequest json(String body) {
    return IngestRequest.builder()
        .header("Content-Type", "application/json")
        .body(body.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static IngestRequest proto(byte[] body) {
    return IngestRequest.builder()
        .header("Content-Type", "application/x-protobuf")
        .body(body)
        .build();
  }

  private static Labels svc(String name, String... more) {
    String[] nv = new String[more.length + 4];
    nv[0] = "__name__";
    nv[1] = name;
    nv[2] = "job";
    nv[3] = "my.service";
    System.arraycopy(more, 0, nv, 4, more.length);
    return Labels.of(nv);
  }

  @Test
  void specExampleJson_isStoredUnderPrometheusNames_exponentialReportedAsPartialSuccess()
      throws Exception {
    IngestResponse r = handler.handle(json(EXAMPLE));
    assertThat(r.status()).isEqualTo(200);
    JsonNode ps = new ObjectMapper().readTree(r.body()).get("partialSuccess");
    assertThat(ps.get("rejectedDataPoints").asText()).isEqualTo("1");
    assertThat(ps.get("errorMessage").asText()).contains("my.exponential.histogram");
    assertThat(store.samples(svc("my_counter_total", "my_counter_attr", "some value")))
        .containsExactly(new Sample(T_MS, 5));
    assertThat(store.samples(svc("my_gauge_ratio"))).containsExactly(new Sample(T_MS, 10));
    assertThat(store.samples(svc("my_histogram_bucket", "le", "1")))
        .containsExactly(new Sample(T_MS, 1));
    assertThat(store.samples(svc("my_histogram_bucket", "le", "+Inf")))
        .containsExactly(new Sample(T_MS, 2));
    assertThat(store.samples(svc("my_histogram_sum"))).containsExactly(new Sample(T_MS, 2));
    assertThat(store.samples(svc("my_histogram_count"))).containsExactly(new Sample(T_MS, 2));
    assertThat(store.samples(svc("target_info", "host_cores", "8")))
        .containsExactly(new Sample(T_MS, 1));
    assertThat(stats.rejected(IngestStats.OTLP, RejectReason.UNSUPPORTED_TYPE)).isEqualTo(1);
  }

  @Test
  void deltaSumsAndHistograms_accumulateAcrossRequests() {
    handler.handle(json(EXAMPLE));
    String later = EXAMPLE.replace("1544712660300000000", "1544712670300000000");
    handler.handle(json(later));
    assertThat(store.samples(svc("my_counter_total", "my_counter_attr", "some value")))
        .extracting(Sample::v)
        .containsExactly(5.0, 10.0);
    assertThat(store.samples(svc("my_histogram_count")))
        .extracting(Sample::v)
        .containsExactly(2.0, 4.0);
    assertThat(store.samples(svc("my_gauge_ratio")))
        .extracting(Sample::v)
        .containsExactly(10.0, 10.0);
  }

  @Test
  void failedWrite_doesNotAdvanceDeltaTotals() {
    store.failNextCommit();
    assertThat(handler.handle(json(EXAMPLE)).status()).isEqualTo(503);
    assertThat(handler.handle(json(EXAMPLE)).status()).isEqualTo(200);
    assertThat(store.samples(svc("my_counter_total", "my_counter_attr", "some value")))
        .containsExactly(new Sample(T_MS, 5));
  }

  @Test
  void fullDisk_is503WithRetryAfter_theCodesOtlpSendersRetry() {
    store.failNextCommitForLackOfSpace();
    IngestResponse r = handler.handle(json(EXAMPLE));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers()).containsEntry("Retry-After", "5");
    assertThat(r.bodyText()).contains("no space left on device");
    assertThat(handler.handle(json(EXAMPLE)).status()).isEqualTo(200);
  }

  private static byte[] summaryRequest(int flags) {
    ProtoWriter point =
        new ProtoWriter()
            .fixed64(3, T)
            .fixed64(4, 10)
            .doubleField(5, 2.5)
            .message(6, q -> q.doubleField(1, 0.5).doubleField(2, 0.2))
            .message(6, q -> q.doubleField(1, 0.99).doubleField(2, 0.9))
            .varint(8, flags);
    byte[] pointBytes = point.toByteArray();
    byte[] metric =
        new ProtoWriter()
            .string(1, "rpc.latency")
            .string(3, "s")
            .message(11, sum -> sum.bytes(1, pointBytes))
            .toByteArray();
    byte[] resource =
        new ProtoWriter()
            .message(1, kv -> kv.string(1, "service.name").message(2, v -> v.string(1, "api")))
            .toByteArray();
    return new ProtoWriter()
        .message(1, rm -> rm.bytes(1, resource).message(2, sm -> sm.bytes(2, metric)))
        .toByteArray();
  }

  @Test
  void protobufSummary_becomesQuantileSumAndCount() {
    IngestResponse r = handler.handle(proto(summaryRequest(0)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    Labels job = Labels.of("job", "api");
    assertThat(
            store.samples(
                job.toBuilder()
                    .set("__name__", "rpc_latency_seconds")
                    .set("quantile", "0.99")
                    .build()))
        .containsExactly(new Sample(T_MS, 0.9));
    assertThat(store.samples(job.toBuilder().set("__name__", "rpc_latency_seconds_sum").build()))
        .containsExactly(new Sample(T_MS, 2.5));
    assertThat(store.samples(job.toBuilder().set("__name__", "rpc_latency_seconds_count").build()))
        .containsExactly(new Sample(T_MS, 10));
  }

  @Test
  void noRecordedValueFlag_writesStaleMarkers() {
    handler.handle(proto(summaryRequest(1)));
    Labels sum = Labels.of("__name__", "rpc_latency_seconds_sum", "job", "api");
    assertThat(store.samples(sum))
        .singleElement()
        .satisfies(s -> assertThat(StaleMarker.is(s.v())).isTrue());
  }

  @Test
  void truncatedProtobuf_is400WithRpcStatus_andStoresNothing() {
    byte[] body = summaryRequest(0);
    IngestResponse r = handler.handle(proto(Arrays.copyOf(body, body.length - 5)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/x-protobuf");
    ProtoReader pr = new ProtoReader(r.body());
    pr.readTag();
    assertThat(pr.readVarint64()).isEqualTo(3); // INVALID_ARGUMENT
    pr.readTag();
    assertThat(pr.readString()).contains("malformed protobuf");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void invalidJson_is400NamingThePosition() throws Exception {
    IngestResponse r = handler.handle(json("{\"resourceMetrics\": [ {"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(new ObjectMapper().readTree(r.body()).get("message").asText())
        .contains("invalid JSON at line 1");
    IngestResponse wrongType = handler.handle(json("{\"resourceMetrics\": 5}"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.bodyText()).contains("resourceMetrics must be an array");
  }

  @Test
  void gzipJson_isInflated() {
    IngestRequest req =
        IngestRequest.builder()
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .body(Gzip.compress(EXAMPLE.getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(handler.handle(req).status()).isEqualTo(200);
    assertThat(store.samples(svc("my_gauge_ratio"))).hasSize(1);
  }

  @Test
  void otherContentType_is415() {
    IngestResponse r =
        handler.handle(
            IngestRequest.builder().header("Content-Type", "text/plain").body(new byte[1]).build());
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.bodyText()).contains("text/plain");
  }

  @Test
  void oversizedBody_is413() {
    OtlpHandler small =
        new OtlpHandler(
            new Ingester(
                store.appendable(),
                IngestLimits.builder().maxBodyBytes(100).build(),
                stats,
                () -> 0),
            () -> 42);
    assertThat(small.handle(json(EXAMPLE)).status()).isEqualTo(413);
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void histogramWithMismatchedBuckets_isRejectedAsPartialSuccess() throws Exception {
    String bad =
        """
        {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
          {"name": "h", "histogram": {"aggregationTemporality": 2, "dataPoints": [
            {"timeUnixNano": "1000000", "count": 3, "bucketCounts": [1, 1, 1], "explicitBounds": [1]}]}}]}]}]}
        """;
    IngestResponse r = handler.handle(json(bad));
    assertThat(r.status()).isEqualTo(200);
    JsonNode ps = new ObjectMapper().readTree(r.body()).get("partialSuccess");
    assertThat(ps.get("rejectedDataPoints").asText()).isEqualTo("1");
    assertThat(ps.get("errorMessage").asText()).contains("3 bucket counts for 1 bounds");
  }

  @Test
  void names_translateUnitsAndSuffixesAsPrometheusDoes() {
    assertThat(PrometheusNames.metricName("http.server.request.duration", "s", false, false))
        .isEqualTo("http_server_request_duration_seconds");
    assertThat(PrometheusNames.metricName("http.server.requests", "{request}", true, false))
        .isEqualTo("http_server_requests_total");
    assertThat(PrometheusNames.metricName("network.io", "By/s", false, true))
        .isEqualTo("network_io_bytes_per_second");
    assertThat(PrometheusNames.metricName("cpu.utilization", "1", false, true))
        .isEqualTo("cpu_utilization_ratio");
    assertThat(PrometheusNames.metricName("requests_total", "", true, false))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metricName("latency.seconds", "s", false, false))
        .isEqualTo("latency_seconds");
    assertThat(PrometheusNames.metricName("temp", "Cel", false, true)).isEqualTo("temp_celsius");
    assertThat(PrometheusNames.labelName("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNames.labelName("2xx")).isEqualTo("key_2xx");
  }

  @Test
  void bytesValueNotBase64_is400NamingIt() {
    // Found by OtlpJsonDecoderFuzzTest: the JDK's IllegalArgumentException escaped the decoder.
    IngestResponse r =
        handler.handle(
            json(
                "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"raw\","
                    + "\"value\":{\"bytesValue\":\"AQIDB\"}}]}}]}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .isEqualTo(
            "{\"code\":3,\"message\":\"bytesValue: \\\"AQIDB\\\" is not base64 (Last unit does"
                + " not have enough valid bits)\"}");
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void staleHistogramWithMismatchedBuckets_isRejectedNotA500() throws Exception {
    // Seen reviewing the fuzz targets: a "no recorded value" point skipped the bucket check and
    // indexed past its bounds (ArrayIndexOutOfBoundsException out of the handler).
    String bad =
        """
        {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
          {"name": "h", "histogram": {"aggregationTemporality": 2, "dataPoints": [
            {"timeUnixNano": "1000000", "flags": 1, "bucketCounts": [1, 1, 1]}]}}]}]}]}
        """;
    IngestResponse r = handler.handle(json(bad));
    assertThat(r.status()).isEqualTo(200);
    JsonNode ps = new ObjectMapper().readTree(r.body()).get("partialSuccess");
    assertThat(ps.get("rejectedDataPoints").asText()).isEqualTo("1");
    assertThat(ps.get("errorMessage").asText())
        .isEqualTo("histogram \"h\": 3 bucket counts for 0 bounds (need bounds + 1)");
    assertThat(store.seriesCount()).isZero();
  }
}
