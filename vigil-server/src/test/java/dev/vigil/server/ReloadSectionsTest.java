package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload (POST /-/reload) of each top-level section that no other test reloads: a section that
 * can change while running ({@code push}, {@code rule_packs}, {@code alerts}) is applied; one that
 * needs a restart ({@code collect}, {@code dashboard}) is kept, and the reload says so in its
 * answer and as a warning of {@code /api/v1/status/config}, which shows what runs, not what the
 * file now says.
 */
class ReloadSectionsTest {
  private static final String COMMON =
      "collect:\n  system: false\n  jvm: false\n  gpu: false\n  self: false\n";

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final List<HttpServer> receivers = new ArrayList<>();

  @AfterEach
  void stopReceivers() {
    receivers.forEach(r -> r.stop(0));
  }

  private String head() {
    return "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
        + dir.resolve("data").toString().replace("\\", "/")
        + "\"\n";
  }

  /** An OTLP receiver answering 200, counting down {@code pushes} at each push. */
  private String receiver(CountDownLatch pushes) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/v1/metrics",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, -1);
          ex.close();
          pushes.countDown();
        });
    s.start();
    receivers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort() + "/v1/metrics";
  }

  /** A push section of OTLP targets, each {@code name=url}. */
  private static String otlp(String... targets) {
    StringBuilder b = new StringBuilder("push:\n  otlp:\n");
    for (String t : targets) {
      int eq = t.indexOf('=');
      b.append("    - url: ")
          .append(t.substring(eq + 1))
          .append("\n      name: ")
          .append(t, 0, eq)
          .append("\n      interval: 2s\n      timeout: 2s\n      match: [pushed_gauge]\n");
    }
    return b.toString();
  }

  /** Polls {@code /metrics} (the push runs on its own schedule) until it holds {@code line}. */
  private void awaitMetric(Vigil v, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!get(v, "/metrics").body().contains(line)) {
      assertThat(System.nanoTime()).as(line).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private HttpResponse<String> get(Vigil v, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> reload(Vigil v) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(v.url() + "/-/reload"))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Vigil start(Path file) throws Exception {
    return Vigil.builder(ConfigLoader.load(file, Map.of())).configFile(file, Map.of()).start();
  }

  @Test
  void aChangedPushSection_isAppliedByAReload() throws Exception {
    CountDownLatch before = new CountDownLatch(1);
    CountDownLatch after = new CountDownLatch(1);
    String oldUrl = receiver(before);
    String newUrl = receiver(after);
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, head() + COMMON + otlp("old=" + oldUrl));
    try (Vigil v = start(file)) {
      Appender a = v.storage().appender();
      a.append(0, Labels.of("__name__", "pushed_gauge", "job", "j"), System.currentTimeMillis(), 1);
      a.commit();
      assertThat(before.await(60, TimeUnit.SECONDS)).as("the first target was pushed").isTrue();
      String oldSent = "vigil_push_samples_sent_total{kind=\"otlp\",name=\"old\"} 1\n";
      awaitMetric(v, oldSent);

      // Added beside the unchanged one, which keeps its counters.
      Files.writeString(file, head() + COMMON + otlp("old=" + oldUrl, "new=" + newUrl));
      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(get(v, "/metrics").body())
          .contains(oldSent)
          .contains("vigil_push_samples_sent_total{kind=\"otlp\",name=\"new\"}");

      // Replaced: only the new one pushes.
      Files.writeString(file, head() + COMMON + otlp("new=" + newUrl));
      assertThat(reload(v).statusCode()).isEqualTo(200);
      assertThat(get(v, "/metrics").body())
          .contains("vigil_push_samples_sent_total{kind=\"otlp\",name=\"new\"}")
          .doesNotContain("name=\"old\"");
      Appender b = v.storage().appender();
      b.append(0, Labels.of("__name__", "pushed_gauge", "job", "j"), System.currentTimeMillis(), 2);
      b.commit();
      assertThat(after.await(60, TimeUnit.SECONDS)).as("the new target was pushed").isTrue();
      assertThat(v.config().effectiveYaml()).contains(newUrl).doesNotContain(oldUrl);

      // Removed: no target left.
      Files.writeString(file, head() + COMMON);
      assertThat(reload(v).statusCode()).isEqualTo(200);
      assertThat(get(v, "/metrics").body()).doesNotContain("vigil_push_samples_sent_total{");
    }
  }

  @Test
  void aChangedCollectSection_isKeptUntilARestart_andTheReloadSaysSo() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, head() + COMMON + "  interval: 5s\n");
    try (Vigil v = start(file)) {
      Files.writeString(file, head() + COMMON + "  interval: 7s\n");

      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("collect").contains("restart");

      JsonNode status = Json.MAPPER.readTree(get(v, "/api/v1/status/config").body());
      assertThat(status.get("data").get("yaml").asText())
          .contains("interval: 5s")
          .doesNotContain("interval: 7s");
      assertThat(status.get("warnings").toString()).contains("collect").contains("restart");
      assertThat(v.config().collect().interval()).isEqualTo(Duration.ofSeconds(5));

      // Back as it runs: nothing to warn about.
      Files.writeString(file, head() + COMMON + "  interval: 5s\n");
      assertThat(reload(v).body()).isEmpty();
      assertThat(Json.MAPPER.readTree(get(v, "/api/v1/status/config").body()).has("warnings"))
          .isFalse();
    }
  }

  @Test
  void aChangedSampling_isAppliedByAReload_andMaxGroupsIsKept_andNamed() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, head() + COMMON);
    try (Vigil v = start(file)) {
      assertThat(v.recorders().samplingRate("files")).isEqualTo(1.0);
      Files.writeString(
          file,
          head()
              + COMMON
              + "  sampling:\n    default: 0.5\n    files: 0.1\n"
              + "thread_groups:\n  max_groups: 7\n");

      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      // The sampling applies at once; max_groups (it sizes the collector) waits for a restart.
      assertThat(r.body().lines().toList())
          .containsExactly("thread_groups.max_groups changes only at restart; kept as it was");
      assertThat(v.recorders().samplingRate("files")).isEqualTo(0.1);
      assertThat(v.recorders().samplingRate("api")).isEqualTo(0.5);
      JsonNode status = Json.MAPPER.readTree(get(v, "/api/v1/status/config").body());
      assertThat(status.get("warnings").toString()).contains("thread_groups.max_groups");
      assertThat(status.get("data").get("yaml").asText()).contains("files: 0.1");
      assertThat(v.config().threadGroups().maxGroups()).isNotEqualTo(7);

      // With another collect key changed too, that key is named and the sampling still applies.
      Files.writeString(file, head() + COMMON + "  interval: 9s\n  sampling:\n    errors: 0.25\n");
      assertThat(reload(v).body().lines().toList())
          .containsExactly(
              "collect settings (collect.interval) change only at restart; kept as they were");
      assertThat(v.recorders().samplingRate("errors")).isEqualTo(0.25);
      assertThat(v.recorders().samplingRate("files")).isEqualTo(1.0);
      assertThat(v.config().collect().interval()).isNotEqualTo(Duration.ofSeconds(9));
    }
  }

  @Test
  void aChangedSampling_withTheApplicationsOwnRecorders_isKept_andNamed() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, head() + COMMON);
    dev.vigil.collectors.recorders.Recorders own =
        dev.vigil.collectors.recorders.Recorders.builder().sampling("files", 0.3).build();
    try (Vigil v =
        Vigil.builder(ConfigLoader.load(file, Map.of()))
            .configFile(file, Map.of())
            .recorders(own)
            .start()) {
      Files.writeString(file, head() + COMMON + "  sampling:\n    files: 0.1\n");
      assertThat(reload(v).body().lines().toList())
          .containsExactly(
              "collect settings (collect.sampling) change only at restart; kept as they were");
      assertThat(own.samplingRate("files")).isEqualTo(0.3);
    }
  }

  @Test
  void changedBrowserVitalsBounds_areAppliedByAReload_andNamedPagesKeepTheirLabels()
      throws Exception {
    Path file = dir.resolve("vigil.yml");
    String vitals =
        "browser_vitals:\n  enabled: true\n  max_pages: %d\n  max_marks: %d\n"
            + "  rate_limit: 100000\n  rate_burst: 1000\n";
    Files.writeString(file, head() + COMMON + vitals.formatted(2, 1));
    try (Vigil v = start(file)) {
      beacon(v, "/a", "m1");
      beacon(v, "/b", "m2");
      beacon(v, "/c", "m1");
      String before = get(v, "/metrics").body();
      assertThat(before)
          .contains("vigil_browser_lcp_seconds_count{page=\"/a\"} 1")
          .contains("vigil_browser_lcp_seconds_count{page=\"/b\"} 1")
          .contains("vigil_browser_lcp_seconds_count{page=\"other\"} 1")
          .contains("vigil_browser_mark_seconds_count{mark=\"other\",page=\"/b\"} 1");

      Files.writeString(file, head() + COMMON + vitals.formatted(4, 2));
      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      // Two more pages and one more mark get their own labels; /a and /b keep theirs, and they
      // count against the new bound (a reload does not admit four more).
      beacon(v, "/a", "m1");
      beacon(v, "/c", "m2");
      beacon(v, "/d", "m3");
      beacon(v, "/e", "m1");
      String after = get(v, "/metrics").body();
      assertThat(after)
          .contains("vigil_browser_lcp_seconds_count{page=\"/a\"} 2")
          .contains("vigil_browser_lcp_seconds_count{page=\"/c\"} 1")
          .contains("vigil_browser_lcp_seconds_count{page=\"/d\"} 1")
          .contains("vigil_browser_lcp_seconds_count{page=\"other\"} 2")
          .doesNotContain("page=\"/e\"")
          .contains("vigil_browser_mark_seconds_count{mark=\"m2\",page=\"/c\"} 1")
          .contains("vigil_browser_mark_seconds_count{mark=\"other\",page=\"/d\"} 1")
          .doesNotContain("__overflow__");
      JsonNode status = Json.MAPPER.readTree(get(v, "/api/v1/status/config").body());
      assertThat(status.has("warnings")).isFalse();
      assertThat(status.get("data").get("yaml").asText()).contains("max_pages: 4");
    }
  }

  private void beacon(Vigil v, String page, String mark) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(v.url() + "/api/v1/vitals"))
                .timeout(Duration.ofSeconds(30))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"page\":\""
                            + page
                            + "\",\"vitals\":{\"lcp\":1.5},\"marks\":{\""
                            + mark
                            + "\":0.5}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  @Test
  void changedStorageIngestAndDashboardSections_areKeptUntilARestart_andTheReloadSaysSo()
      throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        head()
            + COMMON
            + "dashboard:\n  refresh:\n    overview: 10s\ningest:\n  max_series: 5000\n");
    try (Vigil v = start(file)) {
      Files.writeString(
          file,
          head().replace("storage:\n", "storage:\n  retention_time: 3d\n")
              + COMMON
              + "dashboard:\n  refresh:\n    overview: 30s\ningest:\n  max_series: 9000\n");

      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body().lines().toList())
          .containsExactly(
              "server and storage settings change only at restart; kept as they were",
              "ingest limits change only at restart; kept as they were",
              "dashboard settings change only at restart; kept as they were");
      assertThat(v.config().storage().retentionTime()).isNotEqualTo(Duration.ofDays(3));
      JsonNode status = Json.MAPPER.readTree(get(v, "/api/v1/status/config").body());
      assertThat(status.get("data").get("yaml").asText())
          .contains("overview: 10s")
          .doesNotContain("overview: 30s")
          .contains("max_series: 5000");
      assertThat(status.get("warnings").toString()).contains("dashboard").contains("ingest");
    }
  }

  @Test
  void changedRulePacksAndAlertThresholds_areAppliedByAReload() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, head() + COMMON + "alerts:\n  critical:\n    cpu: 90%\n");
    try (Vigil v = start(file)) {
      assertThat(get(v, "/api/v1/rules").body())
          .contains("vigil_cpu_usage_ratio > 0.9")
          .doesNotContain("pack:vigil");

      Files.writeString(
          file, head() + COMMON + "rule_packs: [vigil]\nalerts:\n  critical:\n    cpu: 75%\n");
      HttpResponse<String> r = reload(v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();

      assertThat(get(v, "/api/v1/rules").body())
          .contains("vigil_cpu_usage_ratio > 0.75")
          .doesNotContain("vigil_cpu_usage_ratio > 0.9")
          .contains("pack:vigil");
    }
  }
}
