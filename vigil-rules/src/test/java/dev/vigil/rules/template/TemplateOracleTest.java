package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Prometheus 2.42 as the oracle: every case of {@code template/oracle-cases.txt} becomes
 * an annotation of an alerting rule {@code expr: vector(<value>)} (with labels added by
 * label_replace); Prometheus evaluates the rules every second, and Vigil's expansion of the same
 * template with the same labels, value, external labels and URL must equal Prometheus' annotation
 * byte for byte. Skipped when {@code prometheus} is not installed (scripts/install-test-deps).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateOracleTest {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private Path dir;
  private Process prometheus;
  private final Map<String, String> prometheusAnnotations = new HashMap<>();
  private final Map<String, String> ruleOfValue = new LinkedHashMap<>();
  private final Engine engine = Engine.builder(new MemoryStorage()).build();
  private Expander expander;

  static List<OracleCases.Case> cases() {
    return OracleCases.load("/template/oracle-cases.txt", true);
  }

  @BeforeAll
  void startPrometheus(@TempDir Path tmp) throws Exception {
    dir = tmp;
    Optional<Path> bin = OracleCases.binary("prometheus");
    Assumptions.assumeTrue(
        bin.isPresent(),
        "prometheus is not installed (Debian package prometheus, see scripts/install-test-deps):"
            + " the template oracle test needs it");
    ruleOfValue.putAll(OracleCases.ruleOfValue(cases()));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map.Entry<String, String> e : ruleOfValue.entrySet()) {
      Map<String, String> annotations = new LinkedHashMap<>();
      for (OracleCases.Case c : cases()) {
        if (c.value().equals(e.getKey())) {
          annotations.put(c.id(), c.template());
        }
      }
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("alert", e.getValue());
      rule.put("expr", OracleCases.expr(e.getKey()));
      rule.put("annotations", annotations);
      rules.add(rule);
    }
    Files.writeString(
        dir.resolve("rules.yml"),
        yaml.writeValueAsString(
            Map.of("groups", List.of(Map.of("name", "oracle", "rules", rules)))));
    Files.writeString(
        dir.resolve("prometheus.yml"),
        yaml.writeValueAsString(
            Map.of(
                "global",
                Map.of(
                    "evaluation_interval",
                    "1s",
                    "external_labels",
                    OracleCases.EXTERNAL_LABELS.toMap()),
                "rule_files",
                List.of(dir.resolve("rules.yml").toString()))));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    prometheus =
        new ProcessBuilder(
                bin.get().toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.external-url=" + OracleCases.EXTERNAL_URL)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    waitForAlerts(URI.create("http://127.0.0.1:" + port + "/prom/api/v1/alerts"));
    expander = OracleCases.expander(engine);
    if (Boolean.getBoolean("vigil.template.record")) {
      // Re-records the golden file from Prometheus (run from the vigil-rules directory).
      Map<String, String> golden = new java.util.TreeMap<>(prometheusAnnotations);
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(Path.of("src/test/resources" + OracleCases.GOLDEN).toFile(), golden);
    }
  }

  private void waitForAlerts(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!prometheus.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + log());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        last = r.body();
        if (r.statusCode() == 200) {
          JsonNode alerts = json.readTree(r.body()).path("data").path("alerts");
          if (alerts.size() == ruleOfValue.size()) {
            for (JsonNode a : alerts) {
              a.path("annotations")
                  .fields()
                  .forEachRemaining(
                      f -> prometheusAnnotations.put(f.getKey(), f.getValue().asText()));
            }
            return;
          }
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      prometheus.waitFor(200, TimeUnit.MILLISECONDS); // poll interval, bounded by the deadline
    }
    throw new IllegalStateException(
        "prometheus did not list "
            + ruleOfValue.size()
            + " alerts within "
            + STARTUP_TIMEOUT
            + "; last answer: "
            + last
            + "\n"
            + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @AfterAll
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void caseFile_coversAtLeastSixtyCombinations() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(60);
    assertThat(prometheusAnnotations).hasSize(cases().size());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void expansion_isByteIdenticalToPrometheus(OracleCases.Case c) {
    String expected = prometheusAnnotations.get(c.id());
    assertThat(expected).as("Prometheus' annotation " + c.id()).isNotNull();
    String actual = OracleCases.vigilExpansion(engine, expander, c, ruleOfValue.get(c.value()));
    assertThat(actual).as(c.id() + ": " + c.template()).isEqualTo(expected);
  }

  @Test
  void goldenFile_isWhatPrometheusAnswers() throws IOException {
    Map<String, String> golden = TemplateGoldenTest.golden();
    assertThat(golden)
        .as("re-record with -Dvigil.template.record=true")
        .isEqualTo(new java.util.TreeMap<>(prometheusAnnotations));
  }
}
