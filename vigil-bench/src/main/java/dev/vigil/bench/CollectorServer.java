package dev.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.collectors.jvm.JvmCollector;
import dev.vigil.collectors.jvm.ProcessCollector;
import dev.vigil.collectors.system.LinuxSystemCollector;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.PrometheusTextWriter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * Serves a full system collection (system, process and JVM collectors) as Prometheus text on {@code
 * http://127.0.0.1:<port>/metrics}: Vigil's side of {@link CollectorCpuBenchmark}, run in its own
 * JVM so its CPU time can be read from {@code /proc} like node_exporter's.
 *
 * <p>Run: {@code java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.CollectorServer PORT
 * [static]}; with {@code static} it serves the first collection's text every time, which measures
 * what the HTTP server alone costs.
 */
public final class CollectorServer {
  private CollectorServer() {}

  /** Starts the server on the given port and prints {@code ready} once it listens. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    // "static": serve one collection's text again and again, to measure the HTTP server's floor.
    boolean fixed = args.length > 1 && args[1].equals("static");
    MetricRegistry registry = new MetricRegistry();
    registry.register(LinuxSystemCollector.builder().build());
    registry.register(new ProcessCollector());
    registry.register(new JvmCollector());
    ByteArrayOutputStream once = new ByteArrayOutputStream(64 * 1024);
    PrometheusTextWriter.INSTANCE.write(once, registry.scrape());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext(
        "/metrics",
        ex -> {
          ByteArrayOutputStream buf = once;
          if (!fixed) {
            buf = new ByteArrayOutputStream(64 * 1024);
            PrometheusTextWriter.INSTANCE.write(buf, registry.scrape());
          }
          ex.getResponseHeaders().set("Content-Type", PrometheusTextWriter.CONTENT_TYPE);
          ex.sendResponseHeaders(200, buf.size());
          try (OutputStream out = ex.getResponseBody()) {
            buf.writeTo(out);
          }
        });
    server.start();
    System.out.println("ready");
    System.out.flush();
  }
}
