package dev.vigil.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.testing.ExternalProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rule file and the same data on a real Prometheus 2.42 (Debian's package) and on Vigil:
 * both receive identical samples by remote write (written ahead, so what each evaluation sees does
 * not depend on when it ran), evaluate the same groups on the same 1 s grid (the phase is a hash of
 * file and group name, and the file path is the same), and must write the same {@code ALERTS},
 * {@code ALERTS_FOR_STATE} and recorded samples at the same evaluation times, and answer {@code
 * /api/v1/rules} and {@code /api/v1/alerts} alike (evaluation durations and times of evaluation
 * aside).
 */
class RulesVsPrometheusTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String RULES =
      """
      groups:
      - name: cmp
        interval: 1s
        rules:
        - record: instance:cmp:doubled
          expr: vigil_cmp_value * 2
          labels:
            source: rule
        - alert: CmpHigh
          expr: instance:cmp:doubled > 10
          for: 3s
          labels:
            severity: page
          annotations:
            summary: value high
            description: "{{ $labels.instance }} is at {{ $value }} ({{ humanize $value }})"
        - alert: CmpKeep
          expr: vigil_cmp_value > 5
          keep_firing_for: 3s
          labels:
            level: '{{ if gt $value 5.0 }}high{{ else }}low{{ end }}'
        - alert: CmpNever
          expr: vigil_cmp_value > 100
          for: 1m
      - name: other
        interval: 2s
        limit: 1
        rules:
        - record: too:many
          expr: vigil_cmp_value
        - record: cmp:count
          expr: count(vigil_cmp_value)
      """;

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sameAlertsAtTheSameEvaluationTimes_andTheSameApiAnswers() throws Exception {
    ExternalProcess.require("prometheus");
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  evaluation_interval: 1s\nrule_files: [rules.yml]\n");
    Path vigilYml = dir.resolve("vigil.yml");
    Files.writeString(vigilYml, "rule_files: [rules.yml]\n");
    VigilConfig c =
        ConfigLoader.load(vigilYml, Map.of())
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
                    "--web.enable-remote-write-receiver"),
                "/-/ready",
                dir);
        Vigil vigil = Vigil.start(c)) {
      String promUrl = "http://" + prom.address();
      // Both have evaluated (and restored 'for' state, two evaluations after the start) well
      // before T: the data starts at T.
      long t = (System.currentTimeMillis() / 1000 + 5) * 1000;
      byte[] body = Snappy.compress(RemoteWriteEncoder.v1(data(t)));
      write(promUrl, body);
      write(vigil.url(), body);

      // Everything has happened by T+16 s (instance a's keep_firing_for ends at T+15 s).
      waitForEvaluation(promUrl, t + 19_000);
      waitForEvaluation(vigil.url(), t + 19_000);

      for (String q :
          List.of(
              "ALERTS[18s]",
              "ALERTS_FOR_STATE[18s]",
              "instance:cmp:doubled[18s]",
              "cmp:count[18s]",
              "too:many[18s]")) {
        JsonNode p = query(promUrl, q, t + 18_000);
        JsonNode v = query(vigil.url(), q, t + 18_000);
        assertThat(p.size())
            .as(q + " series on Prometheus")
            .isGreaterThan(q.startsWith("too") ? -1 : 0);
        assertThat(sorted(v)).as(q).isEqualTo(sorted(p));
      }

      JsonNode pr = normalize(get(promUrl + "/api/v1/rules"));
      JsonNode vr = normalize(get(vigil.url() + "/api/v1/rules"));
      assertThat(vr.toPrettyString()).isEqualTo(pr.toPrettyString());
      JsonNode pa = normalize(get(promUrl + "/api/v1/alerts"));
      JsonNode va = normalize(get(vigil.url() + "/api/v1/alerts"));
      assertThat(va.toPrettyString()).isEqualTo(pa.toPrettyString());
      assertThat(va.path("data").path("alerts").size()).isEqualTo(2);
    }
  }

  /**
   * {@code vigil_cmp_value}: instance a is 10 from T+5 s to T+12 s, else 0; instance b is 10 from
   * T+3 s on; one sample a second for a minute.
   */
  static List<RemoteWriteEncoder.Series> data(long t) {
    List<RemoteWriteEncoder.Series> out = new ArrayList<>();
    for (String inst : List.of("a", "b")) {
      long[] ts = new long[60];
      double[] vs = new double[60];
      for (int i = 0; i < 60; i++) {
        ts[i] = t + i * 1000L;
        vs[i] = inst.equals("a") ? (i >= 5 && i < 12 ? 10 : 0) : (i >= 3 ? 10 : 0);
      }
      out.add(
          new RemoteWriteEncoder.Series(
              Labels.of("__name__", "vigil_cmp_value", "instance", inst), ts, vs));
    }
    return out;
  }

  void write(String base, byte[] body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(base + " write: " + r.body()).isBetween(200, 299);
  }

  JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  JsonNode query(String base, String q, long t) throws Exception {
    return get(base
            + "/api/v1/query?query="
            + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + "&time="
            + t / 1000.0)
        .path("data")
        .path("result");
  }

  /** Series by their labels, each with its samples, for an order-free comparison. */
  static Map<String, String> sorted(JsonNode result) {
    Map<String, String> m = new TreeMap<>();
    for (JsonNode s : result) {
      m.put(
          new TreeMap<>(JSON.convertValue(s.path("metric"), Map.class)).toString(),
          s.path("values").toString());
    }
    return m;
  }

  /** Polls (an external process has no latch) until every group evaluated at or after {@code t}. */
  void waitForEvaluation(String base, long t) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode groups = get(base + "/api/v1/rules").path("data").path("groups");
      boolean done = groups.size() == 2;
      for (JsonNode g : groups) {
        done &= Instant.parse(g.path("lastEvaluation").asText()).toEpochMilli() >= t;
      }
      if (done) {
        return;
      }
      assertThat(System.nanoTime())
          .as("evaluations past " + t + " on " + base)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * Drops what differs by nature (evaluation durations, wall-clock evaluation times); keeps
   * everything else, activeAt included to the millisecond (both evaluate on the same grid).
   */
  static JsonNode normalize(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(List.of("evaluationTime", "lastEvaluation"));
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        normalize(it.next().getValue());
      }
      for (String f : List.of("activeAt", "keepFiringSince")) {
        if (o.has(f)) {
          // Prometheus keeps its evaluation time in nanoseconds, Vigil in milliseconds.
          o.put(
              f,
              Instant.parse(o.path(f).asText())
                  .truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                  .toString());
        }
      }
      if (o.has("file")) {
        o.put("file", Path.of(o.path("file").asText()).getFileName().toString());
      }
    } else if (n instanceof ArrayNode a) {
      for (JsonNode x : a) {
        normalize(x);
      }
    }
    return n;
  }
}
