package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.server.agent.VigilAgent;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.tsdb.wal.WalFiles;
import dev.vigil.tsdb.wal.WalReaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent mode: scrapes a target and this host, keeps only a WAL (no blocks, no queries: the query
 * endpoints answer 503 naming agent mode), remote-writes everything, truncates its WAL only behind
 * the queue, and refuses a configuration without remote_write or with rules.
 */
class AgentModeTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20); // polling scrapes on their own schedule
    }
  }

  private Path config(String receiverUrl, int targetPort, String extra) throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\nstorage:\n  path: \""
            + dir.resolve("agent").toString().replace("\\", "/")
            + "\"\ncollect:\n  interval: 1s\n  self: false\n  system: true\n  jvm: false\n"
            + "  gpu: false\n"
            + "scrape_configs:\n  - job_name: app\n    scrape_interval: 1s\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + targetPort
            + "']\n"
            + "remote_write:\n  - url: "
            + receiverUrl
            + "\n    name: central\n    queue_config: {batch_send_deadline: 20ms}\n"
            + extra);
    return file;
  }

  @Test
  void agent_scrapesAndForwards_keepsOnlyAWal_andAnswersQueriesWith503() throws Exception {
    HttpServer target =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext(
        "/metrics",
        ex -> {
          byte[] b = "# TYPE agent_app_value gauge\nagent_app_value{k=\"a\"} 42\n".getBytes();
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    target.start();
    try (TestReceiver receiver = new TestReceiver()) {
      Path file = config(receiver.url(), target.getAddress().getPort(), "");
      try (VigilAgent agent = VigilAgent.start(ConfigLoader.load(file, Map.of()), file)) {
        await(
            "the target's sample arrived",
            () ->
                receiver.samples.entrySet().stream()
                    .anyMatch(
                        e ->
                            "agent_app_value".equals(e.getKey().get("__name__"))
                                && "app".equals(e.getKey().get("job"))
                                && e.getValue().containsValue(42.0)));
        await(
            "this host's metrics arrived",
            () ->
                receiver.samples.keySet().stream()
                    .anyMatch(
                        l -> l.metricName().startsWith("node_") && "vigil".equals(l.get("job"))));
        await(
            "up arrived",
            () -> receiver.samples.keySet().stream().anyMatch(l -> "up".equals(l.metricName())));

        HttpResponse<String> q =
            http.send(
                HttpRequest.newBuilder(URI.create(agent.url() + "/api/v1/query?query=up")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(q.statusCode()).isEqualTo(503);
        assertThat(q.body()).contains("agent mode").contains(receiver.url());
        HttpResponse<String> m =
            http.send(
                HttpRequest.newBuilder(URI.create(agent.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(m.body()).contains("vigil_remote_storage_samples_total{remote_name=\"central\"");

        try (Stream<Path> files = Files.list(dir.resolve("agent"))) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .as("an agent keeps a WAL and its readers' positions, no blocks")
              .containsExactlyInAnyOrder("wal", "wal_readers");
        }

        // Truncation: a checkpoint deletes segment 1 only once the queue has sent it.
        Path wal = dir.resolve("agent").resolve("wal");
        for (int i = 0; i < 1_000_000; i++) {
          receiver.statuses.add(503);
        }
        long retried = agent.remoteWriteStatus().get(0).samplesRetried();
        await(
            "the queue is stuck on a refusing receiver",
            () -> agent.remoteWriteStatus().get(0).samplesRetried() > retried);
        agent.storage().checkpoint();
        assertThat(WalFiles.segments(wal)).as("segment 1 is held by the queue").contains(1);
        receiver.statuses.clear();
        await(
            "the queue moved on to segment 2",
            () -> {
              try {
                return WalReaders.in(dir.resolve("agent")).load("central").segment() >= 2;
              } catch (java.io.IOException e) {
                return false;
              }
            });
        agent.storage().checkpoint();
        assertThat(WalFiles.segments(wal)).doesNotContain(1);
        int known = agent.storage().seriesCount();
        assertThat(known).isPositive();
      }
      try (VigilAgent again = VigilAgent.start(ConfigLoader.load(file, Map.of()), file)) {
        assertThat(again.storage().seriesCount())
            .as("series known again from the checkpoint after a restart")
            .isPositive();
      }
    } finally {
      target.stop(0);
    }
  }

  @Test
  void agentWithoutRemoteWrite_orWithRules_isRefused() throws Exception {
    Path file = dir.resolve("plain.yml");
    Files.writeString(
        file, "storage:\n  path: \"" + dir.resolve("x").toString().replace("\\", "/") + "\"\n");
    assertThatThrownBy(() -> VigilAgent.check(ConfigLoader.load(file, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agent mode needs at least one remote_write entry");
    Files.writeString(dir.resolve("r.yml"), "groups: []\n");
    Files.writeString(
        file, "rule_files: [r.yml]\nremote_write:\n  - url: http://127.0.0.1:1/api/v1/write\n");
    assertThatThrownBy(() -> VigilAgent.check(ConfigLoader.load(file, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rule_files: agent mode evaluates no rules");
  }
}
