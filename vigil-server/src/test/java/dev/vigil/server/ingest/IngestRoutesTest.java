package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Labels;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ingest endpoints mounted on the real server, called over HTTP. */
class IngestRoutesTest {
  private static final String WRITE = "write-token-0123456789";
  private static final String READ = "read-token-0123456789";
  private final HttpClient client = HttpClient.newHttpClient();
  private final TestStorage store = new TestStorage();
  private final MetricRegistry registry = new MetricRegistry();
  private VigilHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(List<String> read, List<String> write) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig("127.0.0.1", 0, read, write, List.of(), false, d.tls(), d.limits());
    IngestRoutes ingest =
        new IngestRoutes(store, IngestLimits.DEFAULTS, registry, () -> 1_700_000_000_000L);
    server = VigilHttpServer.start(sc, List.of(ingest, new MetricsRoutes(registry)));
  }

  private HttpResponse<String> post(String path, String contentType, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] remoteWriteBody() {
    return Snappy.compress(
        RemoteWriteEncoder.v1(
            List.of(
                new RemoteWriteEncoder.Series(
                    Labels.of("__name__", "up", "job", "node"),
                    new long[] {1000, 2000},
                    new double[] {1, 0}))));
  }

  @Test
  void allFourProtocols_storeOverHttp() throws Exception {
    start(List.of(), List.of());
    HttpResponse<String> rw =
        post(
            "/api/v1/write",
            "application/x-protobuf",
            remoteWriteBody(),
            "Content-Encoding",
            "snappy",
            "X-Prometheus-Remote-Write-Version",
            "0.1.0");
    assertThat(rw.statusCode()).isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "up", "job", "node"))).hasSize(2);

    assertThat(
            post("/write?precision=s", "text/plain", "cpu,host=a idle=90 1000".getBytes())
                .statusCode())
        .isEqualTo(204);
    assertThat(
            post(
                    "/api/v2/write?precision=ms&bucket=b",
                    "text/plain",
                    "mem,host=a used=5 1000".getBytes())
                .statusCode())
        .isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "cpu_idle", "host", "a")).get(0))
        .containsExactly(1_000_000, 90);
    assertThat(store.samples(Labels.of("__name__", "mem_used", "host", "a")).get(0))
        .containsExactly(1000, 5);

    String otlp =
        """
        {"resourceMetrics": [{"resource": {"attributes": [
          {"key": "service.name", "value": {"stringValue": "shop"}}]},
          "scopeMetrics": [{"metrics": [{"name": "queue.depth", "unit": "{item}",
            "gauge": {"dataPoints": [{"asInt": "7", "timeUnixNano": "3000000000"}]}}]}]}]}
        """;
    HttpResponse<String> o = post("/v1/metrics", "application/json", otlp.getBytes());
    assertThat(o.statusCode()).isEqualTo(200);
    assertThat(o.body()).isEqualTo("{}");
    assertThat(store.samples(Labels.of("__name__", "queue_depth", "job", "shop")).get(0))
        .containsExactly(3000, 7);
  }

  @Test
  void badInput_isCountedInVigilIngestRejectedTotal() throws Exception {
    start(List.of(), List.of());
    HttpResponse<String> r =
        post(
            "/api/v1/write",
            "application/x-protobuf",
            new byte[] {5, 1, 2},
            "Content-Encoding",
            "snappy",
            "X-Prometheus-Remote-Write-Version",
            "0.1.0");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("corrupt snappy block");
    post("/write", "text/plain", "cpu idle=\"x\"".getBytes());
    String metrics =
        client
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("vigil_ingest_rejected_total{protocol=\"remote_write\",reason=\"malformed\"} 1")
        .contains(
            "vigil_ingest_rejected_total{protocol=\"influx_line\",reason=\"string_field\"} 1");
  }

  @Test
  void withTokens_writeNeedsAWriteToken() throws Exception {
    start(List.of(READ), List.of(WRITE));
    byte[] line = "cpu idle=1 1".getBytes();
    assertThat(post("/api/v2/write", "text/plain", line).statusCode()).isEqualTo(401);
    assertThat(
            post("/api/v2/write", "text/plain", line, "Authorization", "Bearer " + READ)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            post("/api/v2/write", "text/plain", line, "Authorization", "Bearer " + WRITE)
                .statusCode())
        .isEqualTo(204);
    // InfluxDB 2.x clients send the token as "Token <t>".
    assertThat(
            post(
                    "/api/v2/write",
                    "text/plain",
                    "cpu idle=2 2".getBytes(),
                    "Authorization",
                    "Token " + WRITE)
                .statusCode())
        .isEqualTo(204);
    assertThat(store.series()).hasSize(1);
  }
}
