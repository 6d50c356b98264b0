package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.testing.ExternalProcess;
import dev.vigil.server.testing.TestStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil scrapes real exporters: Debian's node_exporter and Prometheus' own /metrics. */
class RealTargetsTest {
  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void nodeExporter_isScraped_andGoesStaleWhenItStops(@TempDir Path dir) throws Exception {
    Path bin = ExternalProcess.require("prometheus-node-exporter");
    TestStorage db = new TestStorage();
    ExternalProcess node =
        ExternalProcess.start(
            List.of(
                bin.toString(),
                "--web.listen-address=127.0.0.1:{port}",
                "--collector.disable-defaults",
                "--collector.cpu",
                "--collector.meminfo",
                "--collector.loadavg"),
            "/metrics",
            dir);
    Labels up = TestStorage.labels("up", "job", "node", "instance", node.address());
    try (ScrapeManager m = new ScrapeManager(db)) {
      m.apply(List.of(ScrapeConfig.of("node", Duration.ofMillis(500), node.address())));
      await(
          () ->
              db.series().stream()
                  .anyMatch(l -> "node_memory_MemTotal_bytes".equals(l.metricName())),
          "node_memory_MemTotal_bytes");
      Labels mem =
          db.series().stream()
              .filter(l -> "node_memory_MemTotal_bytes".equals(l.metricName()))
              .findFirst()
              .orElseThrow();
      assertThat(mem.get("job")).isEqualTo("node");
      assertThat(mem.get("instance")).isEqualTo(node.address());
      assertThat(db.samples(mem).get(0)[1]).isGreaterThan(1e6);
      assertThat(db.samples(up).get(0)[1]).isEqualTo(1);
      assertThat(m.metadata().get("node_memory_MemTotal_bytes").get(0).type()).isEqualTo("gauge");
      node.close();
      await(
          () -> {
            List<double[]> s = db.samples(up);
            return s.get(s.size() - 1)[1] == 0;
          },
          "up == 0 after the exporter stopped");
      List<double[]> memSamples = db.samples(mem);
      assertThat(StaleMarker.is(memSamples.get(memSamples.size() - 1)[1])).isTrue();
    } finally {
      node.close();
    }
  }

  @Test
  void prometheusOwnMetrics_areScraped(@TempDir Path dir) throws Exception {
    Path bin = ExternalProcess.require("prometheus");
    java.nio.file.Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: []\n");
    TestStorage db = new TestStorage();
    try (ExternalProcess prom =
            ExternalProcess.start(
                List.of(
                    bin.toString(),
                    "--config.file=prometheus.yml",
                    "--storage.tsdb.path=data",
                    "--web.listen-address=127.0.0.1:{port}"),
                "/-/ready",
                dir);
        ScrapeManager m = new ScrapeManager(db)) {
      m.apply(List.of(ScrapeConfig.of("prometheus", Duration.ofMillis(500), prom.address())));
      await(
          () -> db.series().stream().anyMatch(l -> "prometheus_build_info".equals(l.metricName())),
          "prometheus_build_info");
      Labels build =
          db.series().stream()
              .filter(l -> "prometheus_build_info".equals(l.metricName()))
              .findFirst()
              .orElseThrow();
      assertThat(build.get("version")).startsWith("2.");
      assertThat(m.activeTargets().get(0).health()).isEqualTo(Target.Health.UP);
    }
  }
}
