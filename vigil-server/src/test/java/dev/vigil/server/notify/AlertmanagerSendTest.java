package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.ExternalProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager 0.25 on loopback receives Vigil's alerts: a rule firing at once reaches it
 * with its labels (external labels added), annotations, generator URL and start time; after the
 * rule file changes and is reloaded, the resolution arrives and the alert leaves Alertmanager's
 * active alerts. {@code /api/v1/alertmanagers} lists it, and the self-metrics count the sends.
 */
class AlertmanagerSendTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  static String rules(String expr) {
    return """
        groups:
        - name: g
          interval: 1s
          rules:
          - alert: AlwaysOn
            expr: %s
            for: 0s
            labels: {severity: page}
            annotations: {summary: "value is {{ $value }}"}
        """
        .formatted(expr);
  }

  @Test
  void realAlertmanager_receivesTheAlert_thenItsResolution() throws Exception {
    ExternalProcess.require("prometheus-alertmanager");
    Files.writeString(
        dir.resolve("alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n- name: none\n");
    try (ExternalProcess am =
        ExternalProcess.start(
            List.of(
                "prometheus-alertmanager",
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address="),
            "/-/ready",
            dir)) {
      Files.writeString(dir.resolve("rules.yml"), rules("vector(1)"));
      Path yml = dir.resolve("vigil.yml");
      Files.writeString(
          yml,
          """
          global:
            evaluation_interval: 1s
            external_labels: {region: eu-1}
          rule_files: [rules.yml]
          alerting:
            alertmanagers:
            - static_configs: [{targets: ['%s']}]
              timeout: 5s
          """
              .formatted(am.address()));
      VigilConfig c =
          ConfigLoader.load(yml, Map.of())
              .withListen("127.0.0.1", 0)
              .withStoragePath(dir.resolve("data"))
              .withCollect(
                  new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
      try (Vigil vigil = Vigil.builder(c).configFile(yml).start()) {
        String amUrl = "http://" + am.address();
        JsonNode alert = poll(amUrl + "/api/v2/alerts", a -> find(a) != null, "the alert");
        alert = find(alert);
        assertThat(JSON.convertValue(alert.get("labels"), Map.class))
            .isEqualTo(Map.of("alertname", "AlwaysOn", "severity", "page", "region", "eu-1"));
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo("value is 1");
        assertThat(alert.get("generatorURL").asText())
            .isEqualTo(vigil.url() + "/#page=explore&q=vector%281%29");
        assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
        // startsAt is when it fired: with for: 0s, its activeAt as /api/v1/alerts shows it.
        JsonNode ours = get(vigil.url() + "/api/v1/alerts").get("data").get("alerts").get(0);
        assertThat(Instant.parse(alert.get("startsAt").asText()))
            .isEqualTo(Instant.parse(ours.get("activeAt").asText()));
        // Valid for 4 × max(resend delay 1m, interval 1s) after the send, as Prometheus.
        Instant ends = Instant.parse(alert.get("endsAt").asText());
        assertThat(Duration.between(Instant.parse(alert.get("startsAt").asText()), ends))
            .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(4).plusSeconds(5));

        JsonNode ams = get(vigil.url() + "/api/v1/alertmanagers").get("data");
        assertThat(ams.get("activeAlertmanagers").get(0).get("url").asText())
            .isEqualTo(amUrl + "/api/v2/alerts");
        assertThat(ams.get("droppedAlertmanagers").size()).isZero();
        String metrics = text(vigil.url() + "/metrics");
        assertThat(metrics)
            .contains(
                "vigil_notifications_sent_total{alertmanager=\"" + amUrl + "/api/v2/alerts\"}")
            .contains("# HELP vigil_notifications_queue_capacity")
            .contains("vigil_notifications_queue_capacity 10000")
            .contains("vigil_notifications_alertmanagers_discovered 1");

        // The condition goes away: the resolution arrives and the alert is no longer active.
        Files.writeString(dir.resolve("rules.yml"), rules("vector(1) > 2"));
        assertThat(vigil.reload()).isNull();
        poll(amUrl + "/api/v2/alerts", a -> find(a) == null, "the resolution");
        assertThat(text(vigil.url() + "/metrics"))
            .contains(
                "vigil_notifications_errors_total{alertmanager=\"" + amUrl + "/api/v2/alerts\"} 0");
      }
    }
  }

  private static JsonNode find(JsonNode alerts) {
    for (JsonNode a : alerts) {
      if ("AlwaysOn".equals(a.get("labels").path("alertname").asText())) {
        return a;
      }
    }
    return null;
  }

  private JsonNode poll(String url, Predicate<JsonNode> done, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(url);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200); // polling an external process: no event to wait on
    }
    throw new AssertionError("waited 60 s for " + what + "; last answer: " + last);
  }

  private JsonNode get(String url) throws Exception {
    return JSON.readTree(text(url));
  }

  private String text(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
