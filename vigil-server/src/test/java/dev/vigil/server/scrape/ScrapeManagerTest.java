package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.testing.TestStorage;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeManagerTest {
  private HttpServer server;
  private String address;
  private final TestStorage db = new TestStorage();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        ex -> {
          byte[] b = "hello 1\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private ScrapeConfig fileSdJob(Path glob) {
    ScrapeConfig base = ScrapeConfig.of("files", Duration.ofMillis(200));
    return new ScrapeConfig(
        "files",
        base.interval(),
        base.timeout(),
        "/metrics",
        "http",
        Map.of(),
        List.of(),
        List.of(new ScrapeConfig.FileSdConfig(List.of(glob.toString()), Duration.ofMinutes(5))),
        null,
        null,
        false,
        true,
        List.of(),
        List.of(),
        0,
        0,
        0,
        0,
        0);
  }

  @Test
  void fileSd_targetsAreScraped_andRemovalWritesStaleMarkers(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.json");
    Files.writeString(
        file, "[{\"targets\": [\"" + address + "\"], \"labels\": {\"team\": \"db\"}}]");
    Labels up = TestStorage.labels("up", "job", "files", "instance", address, "team", "db");
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(List.of(fileSdJob(dir.resolve("*.json"))));
      await(() -> !db.samples(up).isEmpty(), "first scrape");
      assertThat(m.activeTargets()).hasSize(1);
      assertThat(m.activeTargets().get(0).discoveredLabels().get("__meta_filepath"))
          .isEqualTo(file.toString());
      Files.writeString(file, "[]");
      // Make the change visible to the mtime check even on coarse file systems.
      Files.setLastModifiedTime(
          file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
      await(() -> m.activeTargets().isEmpty(), "target removal");
      List<double[]> s = db.samples(up);
      assertThat(StaleMarker.is(s.get(s.size() - 1)[1])).isTrue();
    }
  }

  @Test
  void reload_keepsUnchangedTargets_andStopsRemovedJobs() throws Exception {
    ScrapeConfig a = ScrapeConfig.of("a", Duration.ofMillis(200), address);
    ScrapeConfig b = ScrapeConfig.of("b", Duration.ofMillis(200), address);
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(List.of(a, b));
      assertThat(m.activeTargets()).hasSize(2);
      Target before = m.activeTargets().get(0);
      m.apply(List.of(a));
      assertThat(m.activeTargets()).containsExactly(before);
    }
  }

  @Test
  void reloadOfTheSameFile_keepsLoopsOfJobsWithRelabeling() throws Exception {
    String yaml =
        "scrape_configs:\n  - job_name: r\n    scrape_interval: 1s\n    static_configs:\n"
            + "      - targets: ['"
            + address
            + "']\n    relabel_configs:\n      - source_labels: [__address__]\n"
            + "        regex: '(.*):\\d+'\n        target_label: host\n";
    var first = dev.vigil.server.config.ConfigLoader.parse("a.yml", yaml, Map.of());
    var second = dev.vigil.server.config.ConfigLoader.parse("a.yml", yaml, Map.of());
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(first.scrapeConfigs());
      Target before = m.activeTargets().get(0);
      assertThat(before.labels().get("host")).isEqualTo("127.0.0.1");
      m.apply(second.scrapeConfigs());
      assertThat(m.activeTargets()).containsExactly(before);
    }
  }

  @Test
  void relabelDroppedTargets_areReported() throws Exception {
    ScrapeConfig base = ScrapeConfig.of("d", Duration.ofSeconds(1), address);
    ScrapeConfig dropAll =
        new ScrapeConfig(
            "d",
            base.interval(),
            base.timeout(),
            "/metrics",
            "http",
            Map.of(),
            base.staticConfigs(),
            List.of(),
            null,
            null,
            false,
            true,
            List.of(
                dev.vigil.server.relabel.RelabelConfig.of(
                    dev.vigil.server.relabel.RelabelAction.DROP,
                    List.of("__address__"),
                    null,
                    null,
                    ".*",
                    0,
                    null)),
            List.of(),
            0,
            0,
            0,
            0,
            0);
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(List.of(dropAll));
      assertThat(m.activeTargets()).isEmpty();
      assertThat(m.droppedTargets().get("d")).hasSize(1);
    }
  }
}
