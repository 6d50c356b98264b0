package dev.vigil.server.recorders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect.sampling} in vigil.yml reaches the recorders of {@code Vigil.start}, and the
 * quality recorder's calls are served on {@code /metrics} of a running Vigil, sampled or not.
 */
class QualityAndSamplingServerTest {

  private static VigilConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse("vigil.yml", yaml, env);
  }

  @Test
  void samplingFromVigilYml_reachesTheRecorders_andQualityMetricsAreOnMetrics(@TempDir Path dir)
      throws Exception {
    String yaml =
        """
        collect:
          interval: 1s
          system: false
          jvm: false
          gpu: false
          self: false
          sampling:
            default: 0.5
            quality: 0
            errors: 1
        """;
    ServerConfig d = ServerConfig.defaults();
    VigilConfig config =
        parse(yaml, Map.of())
            .withServer(
                new ServerConfig(
                    "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits()))
            .withStoragePath(dir.resolve("data"));
    try (Vigil vigil = Vigil.start(config)) {
      Recorders rec = vigil.recorders();
      assertThat(rec.samplingRate("files")).isEqualTo(0.5);
      assertThat(rec.samplingRate("spans")).isEqualTo(0.5);
      assertThat(rec.samplingRate("quality")).isZero();
      assertThat(rec.samplingRate("errors")).isEqualTo(1.0);
      for (int i = 0; i < 5; i++) {
        rec.recordFinding("linter", "high", "unused import " + i);
      }
      rec.recordThinking("planner", 8, 0.9);
      rec.recordTimeSaved("test-runner", "developer", 120);
      rec.recordPush(false);
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(vigil.url() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains("app_quality_findings_total{agent=\"linter\",severity=\"high\"} 5")
          .contains("app_quality_thinking_steps_count{agent=\"planner\"} 1")
          .contains("app_quality_confidence_ratio_sum{agent=\"planner\"} 0.9")
          .contains(
              "app_quality_time_saved_seconds_total{agent=\"test-runner\",kind=\"developer\"} 120")
          .contains("app_quality_pushes_total{result=\"failure\"} 1");
      // Quality events are off (rate 0): counted, none kept.
      assertThat(rec.recentQualityEvents()).isEmpty();
    }
  }

  @Test
  void withoutSampling_everyRateIsOne_andTheEffectiveConfigSaysSo() {
    VigilConfig c = parse("collect: {interval: 5s}\n", Map.of());
    Recorders rec = c.collect().recorders(Recorders.builder()).build();
    for (String r : List.of("api", "errors", "files", "spans", "quality")) {
      assertThat(rec.samplingRate(r)).as(r).isEqualTo(1.0);
    }
    assertThat(c.effectiveYaml()).contains("sampling:", "default: 1.0");
  }

  @Test
  void environment_overridesTheDefaultRate() {
    VigilConfig c =
        parse(
            "collect: {sampling: {default: 1}}\n", Map.of("VIGIL_COLLECT_SAMPLING_DEFAULT", "0.1"));
    assertThat(c.collect().sampling()).containsEntry("default", 0.1);
  }

  @Test
  void badRatesAndUnknownRecorders_areRefusedWithLineAndKey() {
    assertThatThrownBy(() -> parse("collect:\n  sampling:\n    files: 2\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vigil.yml:3")
        .hasMessageContaining("collect.sampling.files: must be between 0 (no events) and 1");
    assertThatThrownBy(() -> parse("collect:\n  sampling:\n    default: often\n", Map.of()))
        .hasMessageContaining("collect.sampling.default: expected a number between 0");
    assertThatThrownBy(() -> parse("collect:\n  sampling:\n    sessions: 0.5\n", Map.of()))
        .hasMessageContaining("collect.sampling.sessions: unknown key")
        .hasMessageContaining("default, api, errors, files, spans, quality");
  }
}
