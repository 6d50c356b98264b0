package dev.vigil.examples;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.promql.QueryResult;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.VigilConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An application that embeds the whole monitoring system, as the seeds do with {@code
 * initialize_metrics_service()} and {@code start_metrics_service()}: it records API requests and
 * model generations through the recorders, lets Vigil collect them with the host and JVM metrics,
 * and queries them back with PromQL, while the dashboard and API answer on loopback.
 *
 * <pre>{@code
 * ./mvnw -q -pl vigil-examples -am package -DskipTests
 * java -cp "$(./mvnw -q -pl vigil-examples dependency:build-classpath -Dmdep.outputFile=/dev/stdout):vigil-examples/target/classes" \
 *     dev.vigil.examples.EmbeddedApplication [seconds] [data-dir]
 * }</pre>
 */
public final class EmbeddedApplication {
  private EmbeddedApplication() {}

  /**
   * DinoAir's {@code initialize_metrics_service()}: the configuration, every key at its default.
   */
  static VigilConfig initializeMetricsService(Path dataDir) {
    return VigilConfig.defaults()
        .withListen("127.0.0.1", 0)
        .withStoragePath(dataDir)
        .withCollect(new CollectConfig(Duration.ofSeconds(1), true, true, false, true, "dinoair_"));
  }

  /** DinoAir's {@code start_metrics_service()}: storage, collection, API and dashboard. */
  static Vigil startMetricsService(VigilConfig config) {
    return Vigil.start(config);
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path data = Path.of(args.length > 1 ? args[1] : "data-example");
    run(seconds, data, System.out);
  }

  /** Runs the example for {@code seconds}, printing what it sees. */
  static void run(int seconds, Path data, PrintStream out) throws InterruptedException {
    try (Vigil vigil = startMetricsService(initializeMetricsService(data))) {
      out.println("Vigil is running: dashboard " + vigil.url() + "/");
      Recorders rec = vigil.recorders();
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      long end = System.currentTimeMillis() + seconds * 1000L;
      int requests = 0;
      while (System.currentTimeMillis() < end || requests == 0) {
        rec.recordApiRequest(
            "chat",
            "/api/chat",
            "POST",
            rnd.nextInt(10) == 0 ? 500 : 200,
            rnd.nextDouble(0.01, 0.4));
        rec.recordModelGeneration("llama3", "ollama", rnd.nextDouble(0.5, 3), true, 120, 380);
        requests++;
        Thread.sleep(20);
      }
      // Wait for one collection interval so the recorded values are stored.
      Thread.sleep(2_500);
      QueryResult r =
          vigil
              .engine()
              .instantQuery("sum(dinoair_api_requests_total)", System.currentTimeMillis());
      double stored = r.vector().isEmpty() ? 0 : r.vector().get(0).value();
      out.printf("recorded %d API requests; Vigil stored %.0f%n", requests, stored);
      QueryResult up = vigil.engine().instantQuery("up", System.currentTimeMillis());
      out.println("targets up: " + up.vector().size());
    }
  }
}
