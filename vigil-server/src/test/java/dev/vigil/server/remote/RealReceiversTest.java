package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.ChildVigil;
import dev.vigil.server.testing.ExternalProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write out to the real receivers from Debian: Prometheus 2.42 ({@code
 * --web.enable-remote-write-receiver}) and VictoriaMetrics 1.79. Their answers to the same queries
 * equal Vigil's local answers; a receiver stopped while samples are written, and a Vigil killed
 * with SIGKILL during that outage, end with every sample at the receiver, by value. Skipped when
 * the binaries are missing ({@code scripts/install-test-deps}).
 */
class RealReceiversTest {
  private static final long STEP = 15_000;

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The newest 15 s boundary: receivers keep recent data, so the samples are near now. */
  private static final long T_END = System.currentTimeMillis() / STEP * STEP;

  private ExternalProcess startVm(int port) throws Exception {
    Path vm = ExternalProcess.require("victoria-metrics");
    return ExternalProcess.start(
        List.of(
            vm.toString(),
            "-storageDataPath=" + dir.resolve("vm-data"),
            "-httpListenAddr=127.0.0.1:{port}",
            "-search.latencyOffset=0s",
            "-search.disableCache",
            "-loggerLevel=ERROR"),
        "/health",
        dir,
        port);
  }

  private ExternalProcess startPrometheus() throws Exception {
    Path prom = ExternalProcess.require("prometheus");
    Files.writeString(dir.resolve("prometheus.yml"), "global: {}\n");
    return ExternalProcess.start(
        List.of(
            prom.toString(),
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("prom-data"),
            "--web.listen-address=127.0.0.1:{port}",
            "--web.enable-remote-write-receiver"),
        "/-/ready",
        dir);
  }

  private Path config(String... urls) throws IOException {
    StringBuilder rw = new StringBuilder("remote_write:\n");
    for (int i = 0; i < urls.length; i++) {
      rw.append("  - url: ")
          .append(urls[i])
          .append("\n    name: r")
          .append(i)
          .append("\n    queue_config: {batch_send_deadline: 50ms, min_backoff: 10ms,")
          .append(" max_backoff: 200ms}\n");
    }
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n"
            + "storage:\n  path: \""
            + dir.resolve("vigil-data").toString().replace("\\", "/")
            + "\"\n"
            + "collect:\n  self: false\n  system: false\n  jvm: false\n  gpu: false\n"
            + rw);
    return file;
  }

  private static long t(int j) {
    return T_END - (119 - j) * STEP; // j in [0, 120): the last 30 minutes
  }

  private static double value(int series, int j) {
    return series * 1000 + j * 1.5;
  }

  private static void write(Vigil v, int from, int to) {
    Appender a = v.storage().appender();
    for (int s = 0; s < 3; s++) {
      for (int j = from; j < to; j++) {
        a.append(0, Labels.of("__name__", "rw_real", "job", "j" + s), t(j), value(s, j));
      }
    }
    a.commit();
  }

  private JsonNode get(String base, String path, Map<String, String> params) throws Exception {
    StringBuilder q = new StringBuilder();
    params.forEach(
        (k, val) ->
            q.append(q.isEmpty() ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(val, StandardCharsets.UTF_8)));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path + q))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(base + path + q + ": " + r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("data").path("result");
  }

  /** Series (labels as text) → time (ms) → value, of a matrix or vector answer. */
  private static Map<String, Map<Long, Double>> samples(JsonNode result) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    for (JsonNode s : result) {
      Map<Long, Double> m = out.computeIfAbsent(s.path("metric").toString(), k -> new TreeMap<>());
      JsonNode values =
          s.has("values") ? s.path("values") : Json.MAPPER.createArrayNode().add(s.path("value"));
      for (JsonNode p : values) {
        m.put(Math.round(p.get(0).asDouble() * 1000), Double.parseDouble(p.get(1).asText()));
      }
    }
    return out;
  }

  private Map<String, Map<Long, Double>> raw(String base) throws Exception {
    return samples(
        get(
            base,
            "/api/v1/query",
            Map.of("query", "rw_real[1h]", "time", Double.toString(T_END / 1000.0))));
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50); // polling other processes: nothing in-process to wait on
    }
  }

  private BooleanSupplier has(String base, int samples) {
    return () -> {
      try {
        return raw(base).values().stream().mapToInt(Map::size).sum() >= samples;
      } catch (Exception e) {
        return false;
      }
    };
  }

  private static Map<String, Map<Long, Double>> expected(int to) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    for (int s = 0; s < 3; s++) {
      Map<Long, Double> m = new TreeMap<>();
      for (int j = 0; j < to; j++) {
        m.put(t(j), value(s, j));
      }
      out.put("{\"__name__\":\"rw_real\",\"job\":\"j" + s + "\"}", m);
    }
    return out;
  }

  @Test
  void prometheusAndVictoriaMetrics_answerAsVigilDoes() throws Exception {
    try (ExternalProcess prom = startPrometheus();
        ExternalProcess vm = startVm(ExternalProcess.freePort());
        Vigil v =
            Vigil.builder(
                    ConfigLoader.load(
                        config(
                            "http://" + prom.address() + "/api/v1/write",
                            "http://" + vm.address() + "/api/v1/write"),
                        Map.of()))
                .start()) {
      write(v, 0, 60);
      write(v, 60, 120);
      String promUrl = "http://" + prom.address();
      String vmUrl = "http://" + vm.address();
      await("Prometheus has 360 samples", has(promUrl, 360));
      await("VictoriaMetrics has 360 samples", has(vmUrl, 360));
      Map<String, Map<Long, Double>> local = raw(v.url());
      assertThat(local).isEqualTo(expected(120));
      assertThat(raw(promUrl)).isEqualTo(local);
      assertThat(raw(vmUrl)).isEqualTo(local);
      // A dashboard query over a range: Prometheus computes it as Vigil does.
      Map<String, String> range =
          Map.of(
              "query",
              "sum by (job) (rate(rw_real[5m]))",
              "start",
              Double.toString((T_END - 20 * 60_000) / 1000.0),
              "end",
              Double.toString(T_END / 1000.0),
              "step",
              "60");
      Map<String, Map<Long, Double>> localRate =
          samples(get(v.url(), "/api/v1/query_range", range));
      assertThat(localRate).hasSize(3);
      Map<String, Map<Long, Double>> promRate = samples(get(promUrl, "/api/v1/query_range", range));
      assertThat(promRate.keySet()).isEqualTo(localRate.keySet());
      // Within 1e-12: Vigil's rate() differs from Prometheus' in the last bit (0.09999999999999999
      // against 0.1 here), an order of floating-point operations, not a remote write matter.
      localRate.forEach(
          (series, points) -> {
            assertThat(promRate.get(series).keySet()).isEqualTo(points.keySet());
            points.forEach(
                (t, val) ->
                    assertThat(promRate.get(series).get(t))
                        .isCloseTo(val, org.assertj.core.data.Offset.offset(1e-12)));
          });
    }
  }

  @Test
  void receiverStoppedWhileSamplesAreWritten_getsEverySampleAfterItsRestart() throws Exception {
    int port = ExternalProcess.freePort();
    String vmUrl = "http://127.0.0.1:" + port;
    ExternalProcess vm = startVm(port);
    try (Vigil v =
        Vigil.builder(ConfigLoader.load(config(vmUrl + "/api/v1/write"), Map.of())).start()) {
      write(v, 0, 40);
      await("VictoriaMetrics has the first 120 samples", has(vmUrl, 120));
      vm.close(); // stopped: what it acknowledged is on its disk
      for (int k = 40; k < 120; k += 10) {
        write(v, k, k + 10);
      }
      await("the queue met the outage", () -> v.remoteWriteStatus().get(0).samplesRetried() > 0);
      assertThat(v.remoteWriteStatus().get(0).samplesPending()).isPositive();
      vm = startVm(port);
      await("VictoriaMetrics caught up", has(vmUrl, 360));
      assertThat(raw(vmUrl)).isEqualTo(expected(120));
      assertThat(v.remoteWriteStatus().get(0).samplesFailed()).isZero();
    } finally {
      vm.close();
    }
  }

  /**
   * A Vigil in a child JVM, fed by remote write, killed with SIGKILL while the receiver is down.
   */
  @Test
  void vigilKilledDuringTheOutage_sendsEverySampleAfterItsRestart() throws Exception {
    int port = ExternalProcess.freePort();
    String vmUrl = "http://127.0.0.1:" + port;
    ExternalProcess vm = startVm(port);
    Path file = config(vmUrl + "/api/v1/write");
    Path log = dir.resolve("child.log");
    ChildVigil child = null;
    try {
      child = ChildVigil.start(log, file, null);
      push(child, 0, 40);
      await("VictoriaMetrics has the first 120 samples", has(vmUrl, 120));
      vm.close();
      push(child, 40, 80);
      String base = child.url();
      await("the child met the outage", () -> retried(base) > 0);
      child.kill(); // SIGKILL: no shutdown, the queue's buffers are lost
      child = ChildVigil.start(log, file, null);
      push(child, 80, 120);
      vm = startVm(port);
      await("VictoriaMetrics caught up", has(vmUrl, 360));
      assertThat(raw(vmUrl)).isEqualTo(expected(120));
    } finally {
      if (child != null) {
        child.close();
      }
      vm.close();
    }
  }

  private double retried(String base) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith("vigil_remote_storage_samples_retried_total{")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** Writes samples [from, to) of the three series into the child through its /api/v1/write. */
  private static void push(ChildVigil child, int from, int to) throws Exception {
    List<RemoteWriteEncoder.Series> series = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      long[] ts = new long[to - from];
      double[] vs = new double[to - from];
      for (int j = from; j < to; j++) {
        ts[j - from] = t(j);
        vs[j - from] = value(s, j);
      }
      series.add(
          new RemoteWriteEncoder.Series(Labels.of("__name__", "rw_real", "job", "j" + s), ts, vs));
    }
    HttpResponse<String> r = child.remoteWrite(series);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }
}
