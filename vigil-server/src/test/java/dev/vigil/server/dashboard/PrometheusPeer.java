package dev.vigil.server.dashboard;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Debian {@code prometheus} on a free loopback port, scraping the given targets every
 * second: the Prometheus-compatible data source the dashboard tests read through Vigil's server.
 */
final class PrometheusPeer implements AutoCloseable {
  private final Process process;
  private final int port;

  private PrometheusPeer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Whether the prometheus binary is installed ({@code scripts/install-test-deps}). */
  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/prometheus"));
  }

  /**
   * Starts prometheus scraping the {@code host:port} targets at {@code metricsPath} (job demo) and
   * a node exporter (job node), and waits until it is ready.
   */
  static PrometheusPeer start(Path dir, List<String> targets, String metricsPath, String node)
      throws Exception {
    int port = freePort();
    StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n");
    cfg.append("scrape_configs:\n  - job_name: demo\n    metrics_path: ").append(metricsPath);
    cfg.append("\n    static_configs:\n      - targets: [");
    cfg.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()));
    cfg.append("]\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:");
    cfg.append(port).append("']\n");
    cfg.append("  - job_name: node\n    static_configs:\n      - targets: ['")
        .append(node)
        .append("']\n");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, cfg);
    Process p =
        new ProcessBuilder(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusPeer peer = new PrometheusPeer(p, port);
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            c.send(
                HttpRequest.newBuilder(URI.create(peer.url() + "/-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return peer;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    peer.close();
    throw new IllegalStateException(
        "prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code http://127.0.0.1:port}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
