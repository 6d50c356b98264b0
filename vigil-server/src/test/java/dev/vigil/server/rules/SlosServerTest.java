package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SLOs in the server: slo_files and inline slos, /api/v1/slos, /api/v1/rules and /-/reload. */
class SlosServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String SPEC =
      """
      version: prometheus/v1
      service: api
      labels:
        team: core
      slos:
        - name: availability
          objective: 99.9
          description: Requests succeed.
          sli:
            events:
              error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
              total_query: sum(rate(http_requests_total[{{.window}}]))
          alerting:
            name: ApiAvailability
            ticket_alert:
              disable: true
      """;

  static final String CONFIG =
      """
      slo_files: ['slos/*.yml']
      slos:
        - apiVersion: pyrra.dev/v1alpha1
          kind: ServiceLevelObjective
          metadata:
            name: latency
            namespace: web
          spec:
            target: "99"
            window: 4w
            indicator:
              latency:
                success:
                  metric: http_request_duration_seconds_bucket{le="0.5"}
                total:
                  metric: http_request_duration_seconds_count
      """;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private VigilConfig config(Path yml) {
    return ConfigLoader.load(yml, Map.of())
        .withListen("127.0.0.1", 0)
        .withStoragePath(dir.resolve("data"))
        .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
  }

  private Path setUp(String spec) throws Exception {
    Files.createDirectories(dir.resolve("slos"));
    Files.writeString(dir.resolve("slos/api.yml"), spec);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(yml, CONFIG);
    return yml;
  }

  @Test
  void slos_areListed_runAsRules_andFollowReload() throws Exception {
    Path yml = setUp(SPEC);
    try (Vigil vigil = Vigil.builder(config(yml)).configFile(yml).start()) {
      JsonNode slos = get(vigil, "/api/v1/slos");
      assertThat(slos.path("status").asText()).isEqualTo("success");
      JsonNode first = slos.path("data").path("slos").get(0);
      assertThat(JSON.writeValueAsString(first))
          .isEqualTo(
              "{\"id\":\"api-availability\",\"service\":\"api\",\"name\":\"availability\","
                  + "\"objective\":99.9,\"period\":\"30d\",\"description\":\"Requests succeed.\","
                  + "\"labels\":{\"team\":\"core\"},\"source\":"
                  + JSON.writeValueAsString(dir.resolve("slos/api.yml").toString())
                  + ",\"kind\":\"events\",\"pageAlert\":\"ApiAvailability\","
                  + "\"ticketAlert\":null,\"selector\":\"{sloth_id=\\\"api-availability\\\"}\","
                  + "\"windows\":[{\"severity\":\"page\",\"long\":\"1h\",\"short\":\"5m\",\"factor\":14.4},"
                  + "{\"severity\":\"page\",\"long\":\"6h\",\"short\":\"30m\",\"factor\":6.0},"
                  + "{\"severity\":\"ticket\",\"long\":\"1d\",\"short\":\"2h\",\"factor\":3.0},"
                  + "{\"severity\":\"ticket\",\"long\":\"3d\",\"short\":\"6h\",\"factor\":1.0}]}");
      JsonNode inline = slos.path("data").path("slos").get(1);
      assertThat(inline.path("id").asText()).isEqualTo("web-latency");
      assertThat(inline.path("source").asText()).isEqualTo("inline");
      assertThat(inline.path("kind").asText()).isEqualTo("latency");
      assertThat(inline.path("period").asText()).isEqualTo("4w");
      assertThat(inline.path("pageAlert").asText()).isEqualTo("ErrorBudgetBurn");

      List<String> groups = groupNames(vigil);
      assertThat(groups)
          .contains(
              "sloth-slo-sli-recordings-api-availability",
              "sloth-slo-meta-recordings-api-availability",
              "sloth-slo-alerts-api-availability",
              "sloth-slo-alerts-web-latency");

      // A changed objective is applied by /-/reload.
      Files.writeString(dir.resolve("slos/api.yml"), SPEC.replace("99.9", "99.5"));
      assertThat(reload(vigil).statusCode()).isEqualTo(200);
      assertThat(
              get(vigil, "/api/v1/slos")
                  .path("data")
                  .path("slos")
                  .get(0)
                  .path("objective")
                  .asDouble())
          .isEqualTo(99.5);

      // A broken spec is refused naming file, SLO and field; the running SLOs stay.
      Files.writeString(dir.resolve("slos/api.yml"), SPEC.replace("99.9", "100"));
      HttpResponse<String> r = reload(vigil);
      assertThat(r.statusCode()).isBetween(400, 599);
      assertThat(r.body())
          .contains("api.yml:7: slo \\\"availability\\\": objective: must be a percentage");
      assertThat(get(vigil, "/api/v1/slos").path("data").path("slos")).hasSize(2);
      assertThat(groupNames(vigil)).contains("sloth-slo-alerts-api-availability");
    }
  }

  @Test
  void brokenSpec_isRefusedByCheckConfig_namingFileSloAndField() throws Exception {
    Path yml =
        setUp(SPEC.replace("sum(rate(http_requests_total[", "sum(rate(http_requests_total{["));
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            dir.resolve("slos/api.yml")
                + ":12: slo \"availability\": sli.events.total_query: could not parse query");
    Files.writeString(yml, CONFIG.replace("target: \"99\"", "target: \"0\""));
    Files.writeString(dir.resolve("slos/api.yml"), SPEC);
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .hasMessageContaining(
            yml + ":9: slo \"latency\": spec.target: must be a percentage in (0, 100)");
    // A missing query and an unknown window, in a file and inline.
    Files.writeString(dir.resolve("slos/api.yml"), SPEC.replaceAll("\n *total_query:.*", ""));
    Files.writeString(yml, CONFIG.replace("window: 4w", "window: 4x"));
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .hasMessageContaining(
            dir.resolve("slos/api.yml")
                + ":11: slo \"availability\": sli.events.total_query: required")
        .hasMessageContaining(yml + ":10: slo \"latency\": spec.window: unknown window \"4x\"");
    Files.writeString(yml, "slo_files: [missing.yml]\n");
    assertThatThrownBy(() -> ConfigLoader.load(yml, Map.of()))
        .hasMessageContaining(dir.resolve("missing.yml") + ": no such file");
  }

  private List<String> groupNames(Vigil vigil) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode g : get(vigil, "/api/v1/rules").path("data").path("groups")) {
      out.add(g.path("name").asText());
    }
    return out;
  }

  private HttpResponse<String> send(Vigil v, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(Vigil v, String path) throws Exception {
    HttpResponse<String> r = send(v, path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> reload(Vigil v) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + "/-/reload"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
