package dev.vigil.cli;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil aot-train}: the training run behind {@code ./vigil serve}'s ahead-of-time cache (JDK
 * 25's {@code -XX:AOTCacheOutput}). Starts a Vigil with the demo applications and an hour of
 * backfilled history in a temporary directory, answers the dashboard's kinds of requests over HTTP
 * for a while, and stops. The JVM then stores the classes it loaded and linked and the method
 * profiles it gathered, so a server started with the cache is ready sooner and reaches compiled
 * speed after fewer queries. Run by the launcher, not by people.
 */
@Command(
    name = "aot-train",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Training workload for the JVM's ahead-of-time cache (used by ./vigil).")
public final class AotTrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rounds",
      defaultValue = "60",
      description = "Rounds over the request set (default ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("vigil-aot-train");
    try {
      Map<String, String> env = new HashMap<>();
      env.put("VIGIL_SERVER_LISTEN", "127.0.0.1:0");
      env.put("VIGIL_STORAGE_PATH", dir.toString());
      VigilConfig c = ConfigLoader.parse("defaults", "", env);
      try (Vigil vigil = Vigil.builder(c).recorders(DemoMode.recorders(c.collect())).start()) {
        DemoMode.start(vigil, "1h", null, new PrintWriter(PrintWriter.nullWriter()));
        long requests = train(vigil.url(), rounds);
        out.printf("aot-train: %d requests answered%n", requests);
      }
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  /** The requests a dashboard and Grafana make, {@code rounds} times; returns how many. */
  static long train(String base, int rounds) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long end = System.currentTimeMillis() / 1000;
    List<String> gets = new ArrayList<>();
    for (String widget :
        List.of("overview", "api", "models", "errors", "users", "agents", "files", "resources")) {
      gets.add("/api/metrics/dashboard?widget=" + widget + "&timeframe=1");
    }
    for (String format : List.of("prometheus", "openmetrics", "json", "influx", "csv")) {
      gets.add("/api/metrics?format=" + format);
    }
    gets.addAll(
        List.of(
            "/metrics",
            "/api/metrics/realtime",
            "/api/metrics/summary?timeframe=1",
            "/api/v1/labels",
            "/api/v1/label/__name__/values",
            "/api/v1/series?match[]=" + enc("{job=\"demo\"}"),
            "/api/v1/metadata",
            "/api/v1/targets",
            "/api/v1/status/buildinfo",
            "/api/v1/query?query=" + enc("up"),
            "/"));
    List<String> queries = new ArrayList<>(DashboardQueries.ALL);
    queries.addAll(
        List.of(
            "sum by (job) (rate(vigil_http_requests_total[1m]))",
            "histogram_quantile(0.95, sum by (le) (rate(vigil_http_request_duration_seconds_bucket[5m])))",
            "topk(5, sum by (__name__) ({__name__=~\".+_total\"}))"));
    long n = 0;
    for (int r = 0; r < rounds; r++) {
      for (String path : gets) {
        send(http, HttpRequest.newBuilder(URI.create(base + path)).build());
        n++;
      }
      for (String q : queries) {
        for (long[] range : new long[][] {{end - 3600, 15}, {end - 900, 5}}) {
          String form =
              "query=" + enc(q) + "&start=" + range[0] + "&end=" + end + "&step=" + range[1];
          send(
              http,
              HttpRequest.newBuilder(URI.create(base + "/api/v1/query_range"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build());
          n++;
        }
      }
    }
    return n;
  }

  private static void send(HttpClient http, HttpRequest req)
      throws IOException, InterruptedException {
    HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(req.uri() + " answered " + r.statusCode());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
