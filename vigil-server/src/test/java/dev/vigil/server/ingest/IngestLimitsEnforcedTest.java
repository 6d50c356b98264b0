package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Gzip;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ingest} section of {@code vigil.yml} is what a running server enforces, on every push
 * protocol: each limit refuses with a status and a message naming it, counts the refusal in {@code
 * vigil_ingest_rejected_total} and stores nothing of the refused series.
 */
class IngestLimitsEnforcedTest {
  private static final String CONFIG =
      """
      server:
        listen: 127.0.0.1:0
      storage:
        path: %s
      collect:
        system: false
        jvm: false
        gpu: false
        self: false
      ingest:
        max_series: 3
        max_labels_per_series: 3
        max_label_name_length: 8
        max_label_value_length: 8
        max_decompressed_size: 64KiB
        samples_per_second: 1000
      """;

  @TempDir static Path dir;
  private static Vigil vigil;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    VigilConfig c =
        ConfigLoader.parse("vigil.yml", CONFIG.formatted(dir.resolve("data")), Map.of());
    vigil = Vigil.start(c);
  }

  @AfterAll
  static void stop() {
    vigil.close();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static HttpResponse<String> remoteWrite(boolean v2, Labels... series) throws Exception {
    List<RemoteWriteEncoder.Series> list =
        java.util.Arrays.stream(series)
            .map(l -> new RemoteWriteEncoder.Series(l, new long[] {now()}, new double[] {1}))
            .toList();
    byte[] proto = v2 ? RemoteWriteEncoder.v2(list) : RemoteWriteEncoder.v1(list);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/write"))
            .header("Content-Encoding", "snappy")
            .header(
                "Content-Type",
                v2
                    ? "application/x-protobuf;proto=io.prometheus.write.v2.Request"
                    : "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(proto)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> influx(byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v2/write?precision=ms"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> otlp(String metricName, String attrKey, String attrValue)
      throws Exception {
    String json =
        """
        {"resourceMetrics": [{"resource": {"attributes": []},
          "scopeMetrics": [{"metrics": [{"name": "%s",
            "gauge": {"dataPoints": [{"asDouble": 1, "timeUnixNano": "%d",
              "attributes": [{"key": "%s", "value": {"stringValue": "%s"}}]}]}}]}]}]}
        """
            .formatted(metricName, now() * 1_000_000L, attrKey, attrValue);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + "/v1/metrics"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String pathAndQuery) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String query(String promql) throws Exception {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  private static double rejected(String protocol, String reason) throws Exception {
    String prefix =
        "vigil_ingest_rejected_total{protocol=\"" + protocol + "\",reason=\"" + reason + "\"} ";
    for (String line : get("/metrics").split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).trim());
      }
    }
    return 0;
  }

  @Test
  void maxLabelsPerSeries_refusesOnEveryProtocol_namingTheLimit() throws Exception {
    Labels four = Labels.of("__name__", "lt", "a", "1", "b", "2", "c", "3");
    HttpResponse<String> v1 = remoteWrite(false, four);
    assertThat(v1.statusCode()).isEqualTo(400);
    assertThat(v1.body()).contains("too_many_labels").contains("over the limit of 3");
    HttpResponse<String> v2 = remoteWrite(true, four);
    assertThat(v2.statusCode()).isEqualTo(400);
    assertThat(v2.body()).contains("over the limit of 3");
    HttpResponse<String> line = influx("lt,a=1,b=2,c=3 v=1".getBytes(StandardCharsets.UTF_8), null);
    assertThat(line.statusCode()).isEqualTo(400);
    assertThat(line.body()).contains("over the limit of 3");
    assertThat(rejected("remote_write", "too_many_labels")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("remote_write_v2", "too_many_labels")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("influx_line", "too_many_labels")).isGreaterThanOrEqualTo(1);
    assertThat(query("count({__name__=~\"lt.*\"})")).contains("\"result\":[]");
  }

  @Test
  void labelNameAndValueLength_refuseOnEveryProtocol_namingTheLimit() throws Exception {
    HttpResponse<String> name =
        remoteWrite(false, Labels.of("__name__", "ln", "longlabelname", "x"));
    assertThat(name.statusCode()).isEqualTo(400);
    assertThat(name.body()).contains("label_too_long").contains("over the limit of 8");
    HttpResponse<String> value =
        remoteWrite(true, Labels.of("__name__", "ln", "k", "a-long-value"));
    assertThat(value.statusCode()).isEqualTo(400);
    assertThat(value.body()).contains("over the limit of 8");
    HttpResponse<String> line =
        influx("ln,k=a-long-value v=1".getBytes(StandardCharsets.UTF_8), null);
    assertThat(line.statusCode()).isEqualTo(400);
    assertThat(line.body()).contains("over the limit of 8");
    HttpResponse<String> o = otlp("ln", "k", "a-long-value");
    assertThat(o.statusCode()).isEqualTo(200);
    assertThat(o.body()).contains("\"rejectedDataPoints\":\"1\"").contains("over the limit of 8");
    assertThat(rejected("remote_write", "label_too_long")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("otlp", "label_too_long")).isGreaterThanOrEqualTo(1);
    assertThat(query("count({__name__=~\"ln.*\"})")).contains("\"result\":[]");
  }

  @Test
  void maxSeries_refusesNewSeriesPastTheLimit_andKeepsTheAdmittedOnes() throws Exception {
    HttpResponse<String> first =
        remoteWrite(
            false,
            Labels.of("__name__", "ls", "i", "1"),
            Labels.of("__name__", "ls", "i", "2"),
            Labels.of("__name__", "ls", "i", "3"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
    HttpResponse<String> fourth = remoteWrite(true, Labels.of("__name__", "ls", "i", "4"));
    assertThat(fourth.statusCode()).isEqualTo(400);
    assertThat(fourth.body()).contains("cardinality").contains("series limit of 3");
    HttpResponse<String> line = influx("ls,i=5 v=1".getBytes(StandardCharsets.UTF_8), null);
    assertThat(line.statusCode()).isEqualTo(400);
    assertThat(line.body()).contains("series limit of 3");
    HttpResponse<String> o = otlp("ls", "i", "6");
    assertThat(o.body()).contains("series limit of 3");
    assertThat(rejected("remote_write_v2", "cardinality")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("otlp", "cardinality")).isGreaterThanOrEqualTo(1);
    assertThat(query("count({__name__=~\"ls.*\"})")).contains("\"3\"]");
  }

  @Test
  void samplesPerSecond_refusesARequestOverTheRate_with429AndStoresNothing() throws Exception {
    StringBuilder lines = new StringBuilder();
    long t = now();
    for (int i = 0; i < 1001; i++) {
      lines.append("lr v=").append(i).append(' ').append(t - 1001 + i).append('\n');
    }
    HttpResponse<String> r = influx(lines.toString().getBytes(StandardCharsets.UTF_8), null);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).contains("1000 samples/s");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(rejected("influx_line", "rate_limited")).isEqualTo(1001);
    assertThat(query("count({__name__=~\"lr.*\"})")).contains("\"result\":[]");
  }

  @Test
  void maxDecompressedSize_refusesAGzipBodyInflatingPastIt_with413NamingTheLimit()
      throws Exception {
    byte[] bomb = Gzip.compress(new byte[1 << 20]);
    HttpResponse<String> line = influx(bomb, "gzip");
    assertThat(line.statusCode()).isEqualTo(413);
    assertThat(line.body()).contains("limit of 65536 bytes");
    HttpResponse<String> o =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/v1/metrics"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(o.statusCode()).isEqualTo(413);
    assertThat(o.body()).contains("65536");
    HttpResponse<String> rw =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/write"))
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(new byte[1 << 20])))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(rw.statusCode()).isEqualTo(413);
    assertThat(rw.body()).contains("limit of 65536");
    assertThat(rejected("influx_line", "too_large")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("otlp", "too_large")).isGreaterThanOrEqualTo(1);
    assertThat(rejected("remote_write", "too_large")).isGreaterThanOrEqualTo(1);
  }
}
