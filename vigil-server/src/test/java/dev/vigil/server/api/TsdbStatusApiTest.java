package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/status/tsdb} over a running server whose store holds known samples, written at a
 * fixed clock: {@code headStats} is the head as Prometheus defines it (series, distinct label
 * pairs, chunks, first and last sample time), and the cardinality tables count the head's series.
 */
class TsdbStatusApiTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long STEP = 15_000;
  private static final int SAMPLES = 300; // 120 per chunk: 3 chunks per series (120, 120, 60)

  private final HttpClient http = HttpClient.newHttpClient();

  private static VigilConfig config(Path dir) {
    return VigilConfig.defaults()
        .withListen("127.0.0.1", 0)
        .withStoragePath(dir)
        .withCollect(new CollectConfig(Duration.ofSeconds(5), false, false, false, false, "app_"));
  }

  private JsonNode status(Vigil v, String query) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(v.url() + "/api/v1/status/tsdb" + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.path("status").asText()).isEqualTo("success");
    return j.get("data");
  }

  private static Map<String, Long> table(JsonNode data, String field) {
    Map<String, Long> m = new LinkedHashMap<>();
    data.get(field).forEach(e -> m.put(e.get("name").asText(), e.get("value").asLong()));
    return m;
  }

  @Test
  void headStats_areTheHeadsSeriesPairsChunksAndTimeRange(@TempDir Path dir) throws Exception {
    long last = T0 + (SAMPLES - 1) * STEP;
    try (Vigil v = Vigil.builder(config(dir)).clock(() -> last + 1_000).start()) {
      Labels[] series = {
        Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"),
        Labels.of("__name__", "http_requests_total", "job", "api", "code", "500"),
        Labels.of("__name__", "up", "job", "api"),
      };
      Appender app = v.storage().appender();
      for (int i = 0; i < SAMPLES; i++) {
        for (Labels l : series) {
          app.append(0, l, T0 + i * STEP, i);
        }
      }
      app.commit();

      JsonNode data = status(v, "");
      JsonNode head = data.get("headStats");
      assertThat(head.get("numSeries").asLong()).isEqualTo(3);
      // __name__=http_requests_total, __name__=up, job=api, code=200, code=500
      assertThat(head.get("numLabelPairs").asLong()).isEqualTo(5);
      assertThat(head.get("chunkCount").asLong()).isEqualTo(9);
      assertThat(head.get("minTime").asLong()).isEqualTo(T0);
      assertThat(head.get("maxTime").asLong()).isEqualTo(last);

      assertThat(table(data, "seriesCountByMetricName"))
          .containsExactly(Map.entry("http_requests_total", 2L), Map.entry("up", 1L));
      assertThat(table(data, "labelValueCountByLabelName"))
          .containsExactly(Map.entry("__name__", 2L), Map.entry("code", 2L), Map.entry("job", 1L));
      // Prometheus: the length of each value times the series that carry it.
      assertThat(table(data, "memoryInBytesByLabelName"))
          .containsExactly(
              Map.entry("__name__", 2L * "http_requests_total".length() + "up".length()),
              Map.entry("job", 3L * "api".length()),
              Map.entry("code", 2L * "200".length()));
      assertThat(table(data, "seriesCountByLabelValuePair"))
          .containsExactly(
              Map.entry("job=api", 3L),
              Map.entry("__name__=http_requests_total", 2L),
              Map.entry("__name__=up", 1L),
              Map.entry("code=200", 1L),
              Map.entry("code=500", 1L));
      assertThat(table(status(v, "?limit=1"), "seriesCountByLabelValuePair"))
          .containsExactly(Map.entry("job=api", 3L));
    }
  }

  @Test
  void headStats_ofAnEmptyHead_sayItHoldsNothing_asPrometheus(@TempDir Path dir) throws Exception {
    try (Vigil v = Vigil.builder(config(dir)).clock(() -> T0).start()) {
      JsonNode head = status(v, "").get("headStats");
      assertThat(head.get("numSeries").asLong()).isZero();
      assertThat(head.get("chunkCount").asLong()).isZero();
      // Prometheus' empty head: minTime the largest int64, maxTime the smallest.
      assertThat(head.get("minTime").asLong()).isEqualTo(Long.MAX_VALUE);
      assertThat(head.get("maxTime").asLong()).isEqualTo(Long.MIN_VALUE);
    }
  }
}
