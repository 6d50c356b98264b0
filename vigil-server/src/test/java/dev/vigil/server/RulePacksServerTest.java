package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule packs and {@code alerts} thresholds from {@code vigil.yml} run as ordinary rules: {@code
 * /api/v1/rules} shows them under the files {@code pack:NAME} and {@code vigil.yml#thresholds}.
 */
class RulePacksServerTest {
  @TempDir Path dir;

  @Test
  void packsAndThresholds_appearInTheRulesApiUnderTheirSyntheticFiles() throws Exception {
    String yaml =
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
        rule_packs: [vigil, seeds]
        alerts:
          error_rate_threshold: 5%%
          critical:
            cpu: 90%%
        """
            .formatted(dir.resolve("data"));
    VigilConfig c = ConfigLoader.parse("vigil.yml", yaml, Map.of());
    try (Vigil vigil = Vigil.start(c)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(vigil.url() + "/api/v1/rules")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode groups = Json.MAPPER.readTree(r.body()).get("data").get("groups");
      List<String> fileAndName = new ArrayList<>();
      for (JsonNode g : groups) {
        fileAndName.add(g.get("file").asText() + " " + g.get("name").asText());
      }
      assertThat(fileAndName)
          .containsExactly(
              "pack:vigil vigil-pack-vigil",
              "pack:seeds vigil-pack-seeds-system",
              "pack:seeds vigil-pack-seeds-slo",
              "vigil.yml#thresholds thresholds");
      JsonNode thresholds = groups.get(3).get("rules");
      assertThat(thresholds).hasSize(2);
      assertThat(thresholds.get(0).get("name").asText()).isEqualTo("ErrorRateHigh");
      assertThat(thresholds.get(0).get("type").asText()).isEqualTo("alerting");
      assertThat(thresholds.get(1).get("name").asText()).isEqualTo("CpuUsageHigh");
      assertThat(thresholds.get(1).get("query").asText()).isEqualTo("vigil_cpu_usage_ratio > 0.9");
      assertThat(thresholds.get(1).get("labels").get("severity").asText()).isEqualTo("critical");
    }
  }
}
