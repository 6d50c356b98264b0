package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code global} section of a pasted {@code prometheus.yml}: {@code scrape_interval}, {@code
 * scrape_timeout}, {@code evaluation_interval} and {@code external_labels} are accepted and each
 * takes effect; Prometheus' other global keys are refused with what to do instead.
 */
class PrometheusGlobalKeysTest {
  private static final String PASTED =
      """
      # my global config, as in Prometheus' example prometheus.yml
      global:
        scrape_interval: 15s
        evaluation_interval: 30s
        scrape_timeout: 5s
        external_labels:
          monitor: codelab-monitor
          region: eu-1
      scrape_configs:
        - job_name: prometheus
          static_configs:
            - targets: ['localhost:9090']
        - job_name: fast
          scrape_interval: 2s
          static_configs:
            - targets: ['localhost:9100']
      """;

  @Test
  void pastedGlobalSection_isAccepted_andEveryKeyTakesEffect() {
    VigilConfig c = ConfigLoader.parse("prometheus.yml", PASTED, Map.of());
    assertThat(c.global().evaluationInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.global().externalLabels())
        .containsExactly(Map.entry("monitor", "codelab-monitor"), Map.entry("region", "eu-1"));
    ScrapeConfig defaulted = c.scrapeConfigs().get(0);
    assertThat(defaulted.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaulted.timeout()).isEqualTo(Duration.ofSeconds(5));
    // A job's interval shorter than the global timeout caps its timeout, as in Prometheus.
    assertThat(c.scrapeConfigs().get(1).timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void defaults_evaluateRulesEveryMinute_asPrometheus_withoutExternalLabels() {
    GlobalConfig g = VigilConfig.defaults().global();
    assertThat(g.evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(g.externalLabels()).isEmpty();
    // Without scrape_timeout, the global timeout is at most the global interval (Prometheus).
    VigilConfig c = ConfigLoader.parse("vigil.yml", "global:\n  scrape_interval: 4s\n", Map.of());
    assertThat(c.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void globalKeysVigilCannotHonour_areRefused_sayingWhatToDo() {
    Map<String, String> cases =
        Map.of(
            "global:\n  query_log_file: q.log\n",
                "vigil.yml:2: global.query_log_file: queries are not logged to a file",
            "global:\n  sample_limit: 100\n",
                "vigil.yml:2: global.sample_limit: not a global default in Vigil; set"
                    + " sample_limit in each scrape_configs job",
            "global:\n  evaluation_interval: 0s\n",
                "vigil.yml:2: global.evaluation_interval: must be at least 1s",
            "global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n",
                "vigil.yml:3: global.scrape_timeout: must not be longer than scrape_interval",
            "global:\n  external_labels:\n    __tenant: a\n",
                "global.external_labels: \"__tenant\": names starting with __ are reserved",
            "global:\n  external_labels:\n    1x: a\n",
                "global.external_labels: \"1x\" is not a valid label name",
            "global:\n  external_labels:\n    region: ''\n",
                "global.external_labels: \"region\" has an empty value",
            "global:\n  scrape_protocols: [PrometheusText0.0.4]\n",
                "global.scrape_protocols: unknown key");
    cases.forEach(
        (yaml, message) ->
            assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message));
  }

  @Test
  void externalLabels_areAddedByFederate_toSeriesThatLackThem_andChangeOnReload(@TempDir Path dir)
      throws Exception {
    long now = 1_700_000_000_000L;
    Path file = dir.resolve("vigil.yml");
    String base =
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: "
            + dir.resolve("data")
            + "\ncollect:\n  system: false\n  jvm: false\n  gpu: false\n  self: false\n";
    Files.writeString(
        file, base + "global:\n  external_labels:\n    region: eu-1\n    monitor: m1\n");
    VigilConfig c = ConfigLoader.load(file, Map.of());
    try (Vigil v = Vigil.builder(c).configFile(file, Map.of()).clock(() -> now).start()) {
      Appender app = v.storage().appender();
      app.append(0, Labels.of("__name__", "up", "job", "a"), now - 1_000, 1);
      app.append(0, Labels.of("__name__", "up", "job", "b", "region", "us-2"), now - 1_000, 1);
      app.commit();

      assertThat(federate(v, "up"))
          .isEqualTo(
              "# TYPE up untyped\n"
                  + "up{job=\"a\",monitor=\"m1\",region=\"eu-1\"} 1 "
                  + (now - 1_000)
                  + "\n"
                  + "up{job=\"b\",monitor=\"m1\",region=\"us-2\"} 1 "
                  + (now - 1_000)
                  + "\n");

      Files.writeString(file, base + "global:\n  external_labels:\n    region: eu-2\n");
      assertThat(v.reload()).isNull();
      assertThat(federate(v, "up{job=\"a\"}"))
          .contains("up{job=\"a\",region=\"eu-2\"} 1 ")
          .doesNotContain("monitor");
    }
  }

  private static String federate(Vigil v, String selector) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            v.url()
                                + "/federate?match[]="
                                + URLEncoder.encode(selector, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
