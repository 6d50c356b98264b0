package dev.vigil.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.ExternalProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 2.42 and Vigil send the same rule's alert to local sinks: the same JSON shape (the
 * same fields), the same labels (external labels included) and annotations, {@code endsAt} the same
 * 4 minutes after {@code startsAt}; only the times and the generator URL (each links to its own UI)
 * differ.
 */
class PrometheusSendParityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES =
      """
      groups:
      - name: g
        rules:
        - alert: AlwaysOn
          expr: vector(1)
          for: 0s
          labels: {severity: page}
          annotations: {summary: "value is {{ $value }}", description: "from {{ $externalLabels.region }}"}
      """;

  @TempDir Path dir;
  final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private int sink(BlockingQueue<JsonNode> bodies) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/api/v2/alerts",
        ex -> {
          bodies.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    s.start();
    servers.add(s);
    return s.getAddress().getPort();
  }

  private static String config(int sinkPort) {
    return """
        global:
          evaluation_interval: 1s
          external_labels: {region: eu-1}
        rule_files: [rules.yml]
        alerting:
          alertmanagers:
          - static_configs: [{targets: ['127.0.0.1:%d']}]
            api_version: v2
        """
        .formatted(sinkPort);
  }

  @Test
  void sameRule_sameAlert_asPrometheusSendsIt() throws Exception {
    ExternalProcess.require("prometheus");
    Files.writeString(dir.resolve("rules.yml"), RULES);
    BlockingQueue<JsonNode> fromProm = new LinkedBlockingQueue<>();
    BlockingQueue<JsonNode> fromVigil = new LinkedBlockingQueue<>();
    Files.writeString(dir.resolve("prometheus.yml"), config(sink(fromProm)));
    Path yml = dir.resolve("vigil.yml");
    // Both re-send every 2 s (Prometheus' flag, Vigil's rules.resend_delay), so Prometheus'
    // re-send of the alert its notifier dropped before discovering the Alertmanager comes within
    // seconds rather than a minute.
    Files.writeString(yml, config(sink(fromVigil)) + "rules:\n  resend_delay: 2s\n");
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("vigil-data"))
            .withCollect(new CollectConfig(Duration.ofMinutes(10), false, false, false, false, ""));
    try (ExternalProcess prom =
            ExternalProcess.start(
                List.of(
                    "prometheus",
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("prom-data"),
                    "--web.listen-address=127.0.0.1:{port}",
                    "--rules.alert.resend-delay=2s"),
                "/-/ready",
                dir);
        Vigil vigil = Vigil.builder(c).configFile(yml).start()) {
      JsonNode p = fromProm.poll(60, TimeUnit.SECONDS);
      JsonNode v = fromVigil.poll(60, TimeUnit.SECONDS);
      assertThat(p).as("Prometheus' post").isNotNull();
      assertThat(v).as("Vigil's post").isNotNull();
      assertThat(v).hasSameSizeAs(p);
      JsonNode pa = p.get(0);
      JsonNode va = v.get(0);
      assertThat(fields(va)).isEqualTo(fields(pa));
      assertThat(va.get("labels")).isEqualTo(pa.get("labels"));
      assertThat(va.get("annotations")).isEqualTo(pa.get("annotations"));
      // endsAt is 4 × max(resend delay 2s, interval 1s) after the evaluation that sent it. Vigil's
      // first post is at the firing evaluation; Prometheus' first one is dropped before its
      // notifier has discovered the Alertmanager, so the post seen is the re-send a whole number
      // of evaluations (a few seconds) later.
      assertThat(validity(va)).isEqualTo(Duration.ofSeconds(8));
      Duration promLater = validity(pa).minus(Duration.ofSeconds(8));
      assertThat(promLater.isNegative()).as("Prometheus sent before it fired").isFalse();
      assertThat(promLater.toMillis() % 1000).isZero();
      assertThat(pa.get("generatorURL").asText()).contains("/graph?g0.expr=vector%281%29");
      assertThat(va.get("generatorURL").asText())
          .isEqualTo(vigil.url() + "/#page=explore&q=vector%281%29");
    }
  }

  private static TreeSet<String> fields(JsonNode alert) {
    TreeSet<String> out = new TreeSet<>();
    for (Iterator<String> it = alert.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static Duration validity(JsonNode alert) {
    return Duration.between(
        Instant.parse(alert.get("startsAt").asText()), Instant.parse(alert.get("endsAt").asText()));
  }
}
