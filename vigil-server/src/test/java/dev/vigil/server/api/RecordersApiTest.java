package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorders' in-memory data over HTTP, on a running Vigil whose recorders have the namespace
 * {@code dinoair_}: error samples ({@code /api/v1/errors/samples}) and system metric values with
 * their metadata ({@code /api/v1/system_metrics/events}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordersApiTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Vigil vigil;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    vigil =
        Vigil.start(
            VigilConfig.defaults()
                .withListen("127.0.0.1", 0)
                .withStoragePath(dir)
                .withCollect(
                    new CollectConfig(
                        Duration.ofSeconds(5), false, false, false, false, "dinoair")));
    for (int i = 0; i < 3; i++) {
      vigil.recorders().recordError("db_timeout", null, "orders", "error", failure("order " + i));
    }
    vigil.recorders().recordError("bad_input", null, "api", "warning", new NumberFormatException());
    vigil
        .recorders()
        .recordSystemMetric("cache_hit_rate", 0.7, java.util.Map.of("provider", "openai"));
    vigil
        .recorders()
        .recordSystemMetric("cache_hit_rate", 0.9, java.util.Map.of("provider", "anthropic"));
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private static RuntimeException failure(String what) {
    return new IllegalStateException(
        "cannot load " + what, new java.net.SocketTimeoutException("read timed out"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode data(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.path("status").asText()).isEqualTo("success");
    return j.get("data");
  }

  @Test
  void errorSamples_serveChainFramesAndCounts_byType() throws Exception {
    JsonNode all = data("/api/v1/errors/samples");
    assertThat(all).hasSize(2);
    JsonNode db = data("/api/v1/errors/samples?type=db_timeout");
    assertThat(db).hasSize(1);
    JsonNode s = db.get(0);
    assertThat(s.get("count").asLong()).isEqualTo(3);
    assertThat(s.get("service").asText()).isEqualTo("orders");
    assertThat(s.get("fingerprint").asText()).matches("[0-9a-f]{16}");
    assertThat(s.get("first_seen").asText()).endsWith("Z");
    JsonNode chain = s.get("chain");
    assertThat(chain.get(0).get("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(chain.get(0).get("message").asText()).isEqualTo("cannot load order 2");
    assertThat(chain.get(1).get("class").asText()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(chain.get(0).get("frames").get(0).asText())
        .startsWith("dev.vigil.server.api.RecordersApiTest.failure(");
    assertThat(data("/api/v1/errors/samples?type=db_timeout&limit=1")).hasSize(1);
    assertThat(data("/api/v1/errors/samples?type=nothing")).isEmpty();
  }

  @Test
  void errorSamples_badParameters_get400NamingThem() throws Exception {
    for (String q : new String[] {"limit=-1", "limit=x", "limit=100000", "type="}) {
      HttpResponse<String> r = get("/api/v1/errors/samples?" + q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(r.body()).as(q).contains(q.substring(0, q.indexOf('='))).doesNotContain("at dev.");
    }
  }

  @Test
  void systemMetricEvents_areServedNewestFirst_filteredByTypeAndMetadata() throws Exception {
    JsonNode all = data("/api/v1/system_metrics/events?type=cache_hit_rate");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("value").asDouble()).isEqualTo(0.9);
    assertThat(all.get(0).get("kind").asText()).isEqualTo("gauge");
    JsonNode openai = data("/api/v1/system_metrics/events?metadata=provider%3Dopenai");
    assertThat(openai).hasSize(1);
    assertThat(openai.get(0).get("metadata").get("provider").asText()).isEqualTo("openai");
    assertThat(openai.get(0).get("value").asDouble()).isEqualTo(0.7);
    HttpResponse<String> bad = get("/api/v1/system_metrics/events?metadata=provider");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("metadata").contains("KEY=VALUE");
    assertThat(get("/metrics").body())
        .contains("dinoair_system_metric_gauge{type=\"cache_hit_rate\"} 0.9")
        .doesNotContain("provider=");
  }

  @Test
  void metrics_keepTheNamespace_andNoFingerprintLabel() throws Exception {
    String text = get("/metrics").body();
    assertThat(text)
        .contains(
            "dinoair_errors_total{service=\"orders\",severity=\"error\",type=\"db_timeout\"} 3")
        .contains("dinoair_error_samples 2")
        .doesNotContain("fingerprint=");
  }
}
