package dev.vigil.bench.ingest;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.ingest.IngestRoutes;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Path;
import java.util.List;

/**
 * The Vigil side of {@link IngestBenchmark}: a real {@link Tsdb} (WAL on, default fsync policy)
 * behind the server's remote write endpoint, in its own JVM so its CPU time can be measured alone.
 * Prints {@code PORT <n>} once listening; stops when standard input closes.
 *
 * <pre>{@code
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.ingest.IngestBenchServer /tmp/data
 * }</pre>
 */
public final class IngestBenchServer {
  private IngestBenchServer() {}

  public static void main(String[] args) throws Exception {
    try (Tsdb db = Tsdb.builder(Path.of(args[0])).open()) {
      ServerConfig sc = ServerConfig.defaults().withListen("127.0.0.1", 0);
      IngestRoutes ingest =
          new IngestRoutes(db, IngestLimits.DEFAULTS, null, System::currentTimeMillis);
      try (VigilHttpServer http = VigilHttpServer.start(sc, List.of(ingest))) {
        System.out.println("PORT " + http.port());
        System.out.flush();
        while (System.in.read() >= 0) {
          // Runs until the parent closes our standard input.
        }
        System.out.println("SERIES " + db.headSeries() + " ACCEPTED " + ingest.stats().accepted());
      }
    }
  }
}
