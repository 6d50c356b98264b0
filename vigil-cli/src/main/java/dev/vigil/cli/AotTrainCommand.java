package dev.vigil.cli;

import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * 25's {@code -XX:AOTCacheOutput}). Starts a Vigil on defaults (as {@code serve} without a
 * configuration: this host, the JVM and itself) in a temporary directory, answers the built-in
 * dashboard's requests over HTTP for a while, and stops. The JVM then stores the classes it loaded
 * and linked and the method profiles it gathered, so a server started with the cache is ready
 * sooner and reaches compiled speed after fewer queries. Run by the launcher, not by people.
 *
 * <p>Every class in the cache is loaded at each start and its pages stay resident, so the training
 * does only what a default server does: no demo applications, and the requests go through a plain
 * socket rather than the JDK's HTTP client, whose classes the server would otherwise carry
 * (docs/BENCHMARKS.md, "Resident memory": the earlier training, with the demo applications, every
 * export format and the JDK's HTTP client, loaded 1,400 classes more and cost 6 MiB more idle).
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
      defaultValue = "20",
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
      try (Vigil vigil = Vigil.builder(c).start()) {
        long requests = train(URI.create(vigil.url()), rounds);
        out.printf("aot-train: %d requests answered%n", requests);
      }
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  /** The built-in dashboard's requests, {@code rounds} times; returns how many. */
  static long train(URI base, int rounds) throws IOException {
    List<String> gets =
        List.of(
            "/",
            "/js/app.js",
            "/api/dashboard/config",
            "/api/v1/labels",
            "/api/v1/query?query=up",
            "/metrics");
    long n = 0;
    for (int r = 0; r < rounds; r++) {
      long end = System.currentTimeMillis() / 1000;
      for (String path : gets) {
        send(base, "GET", path, null);
        n++;
      }
      for (String q : DashboardQueries.ALL) {
        send(
            base,
            "POST",
            "/api/v1/query_range",
            "query=" + enc(q) + "&start=" + (end - 900) + "&end=" + end + "&step=5");
        n++;
      }
    }
    return n;
  }

  /** One HTTP/1.1 request on its own connection; a non-2xx answer is an error. */
  private static void send(URI base, String method, String path, String form) throws IOException {
    byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder()
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\nConnection: close\r\n");
    if (form != null) {
      head.append("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(60_000);
      OutputStream o = s.getOutputStream();
      o.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      o.write(body);
      o.flush();
      byte[] answer = s.getInputStream().readAllBytes();
      String status = new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.1 2")) {
        throw new IOException(method + " " + path + " answered " + status);
      }
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
