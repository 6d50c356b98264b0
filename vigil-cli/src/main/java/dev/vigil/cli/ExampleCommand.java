package dev.vigil.cli;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Info;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.StateSet;
import dev.vigil.metrics.Summary;
import dev.vigil.metrics.Timer;
import dev.vigil.metrics.Units;
import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.exposition.MetricsHttpHandler;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil example}: an instrumented application (API requests, model generations, sessions,
 * agents, file operations, as the seeds record them) runs a burst of simulated work and prints its
 * exposition, or keeps serving it with {@code --serve}.
 */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = {
      "Run an instrumented example application and print its metrics exposition.",
      "With --serve PORT it keeps working and serves /metrics on 127.0.0.1 until stopped."
    })
final class ExampleCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--format"},
      defaultValue = "prometheus",
      description = "prometheus, openmetrics or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--requests",
      defaultValue = "500",
      description = "Simulated requests before printing (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed of the simulation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--serve",
      paramLabel = "PORT",
      description = "Serve /metrics on 127.0.0.1:PORT (0 picks a free port) instead of exiting.")
  Integer servePort;

  @Override
  public Integer call() throws Exception {
    ExpositionFormat f = ExpositionFormat.fromName(format);
    ExampleApp app = new ExampleApp(new Random(seed));
    app.simulate(requests);
    if (servePort == null) {
      f.writer().write(System.out, app.registry.scrape());
      System.out.flush();
      return 0;
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", servePort), 0);
    server.createContext("/metrics", new MetricsHttpHandler(app.registry));
    server.start();
    PrintStream out = System.out;
    out.println(
        "vigil example: serving http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/metrics (Ctrl-C to stop)");
    out.flush();
    while (!Thread.currentThread().isInterrupted()) {
      app.simulate(10);
      Thread.sleep(1000);
    }
    server.stop(0);
    return 0;
  }

  /** The instrumented application. */
  static final class ExampleApp {
    final MetricRegistry registry = new MetricRegistry();
    private final Random random;
    private final Counter apiRequests;
    private final Counter apiErrors;
    private final Histogram apiLatency;
    private final Counter generations;
    private final Timer generationTime;
    private final Summary generationTokens;
    private final Gauge activeSessions;
    private final Counter fileBytes;
    private final StateSet agentPhase;

    ExampleApp(Random random) {
      this.random = random;
      Info.builder()
          .name("example_app_info")
          .help("The example application.")
          .labelNames("version")
          .register(registry)
          .set("0.1.0");
      apiRequests =
          Counter.builder()
              .name("example_api_requests_total")
              .help("API requests, by endpoint and status.")
              .labelNames("endpoint", "status")
              .register(registry);
      apiErrors =
          Counter.builder()
              .name("example_api_errors_total")
              .help("API errors, by endpoint and error type.")
              .labelNames("endpoint", "type")
              .register(registry);
      apiLatency =
          Histogram.builder()
              .name("example_api_request_duration_seconds")
              .help("API request latency.")
              .labelNames("endpoint")
              .register(registry);
      generations =
          Counter.builder()
              .name("example_model_generations_total")
              .help("Model generations, by model.")
              .labelNames("model")
              .register(registry);
      generationTime =
          Timer.builder()
              .name("example_model_generation")
              .help("Time to generate an answer.")
              .labelNames("model")
              .register(registry);
      generationTokens =
          Summary.builder()
              .name("example_model_generation_tokens")
              .help("Tokens per generation.")
              .quantiles(0.5, 0.9, 0.99)
              .labelNames("model")
              .register(registry);
      activeSessions =
          Gauge.builder().name("example_active_sessions").help("Open sessions.").register(registry);
      fileBytes =
          Counter.builder()
              .name("example_file_operation_bytes_total")
              .unit(Units.BYTES)
              .help("Bytes read and written.")
              .labelNames("operation")
              .register(registry);
      agentPhase =
          StateSet.builder()
              .name("example_agent_phase")
              .help("What each agent is doing.")
              .states("planning", "acting", "idle")
              .labelNames("agent")
              .register(registry);
      Runtime rt = Runtime.getRuntime();
      CallbackGauge.builder()
          .name("example_jvm_heap_used")
          .unit(Units.BYTES)
          .help("Heap in use, read at scrape time.")
          .callback(() -> rt.totalMemory() - rt.freeMemory())
          .register(registry);
    }

    void simulate(int n) {
      String[] endpoints = {"/api/chat", "/api/models", "/api/files", "/health"};
      String[] models = {"llama-3-8b", "mistral-7b"};
      String[] agents = {"planner", "coder"};
      String[] phases = {"planning", "acting", "idle"};
      for (int i = 0; i < n; i++) {
        String endpoint = endpoints[random.nextInt(endpoints.length)];
        double latency = Math.exp(random.nextGaussian() - 3); // ~50 ms median
        boolean error = random.nextInt(50) == 0;
        apiRequests.labelValues(endpoint, error ? "500" : "200").inc();
        String trace = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        String span = Long.toHexString(random.nextLong());
        apiLatency.labelValues(endpoint).observeWithExemplar(latency, trace, span);
        if (error) {
          apiErrors.labelValues(endpoint, "internal").incWithExemplar(1, trace, span);
        }
        if (endpoint.equals("/api/chat")) {
          String model = models[random.nextInt(models.length)];
          generations.labelValues(model).inc();
          generationTime.labelValues(model).observe(0.5 + random.nextDouble() * 3);
          generationTokens.labelValues(model).observe(50 + random.nextInt(900));
        }
        if (endpoint.equals("/api/files")) {
          fileBytes
              .labelValues(random.nextBoolean() ? "read" : "write")
              .inc(random.nextInt(1 << 20));
        }
        agentPhase
            .labelValues(agents[random.nextInt(agents.length)])
            .setOnly(phases[random.nextInt(phases.length)]);
      }
      activeSessions.set(random.nextInt(20));
    }
  }
}
