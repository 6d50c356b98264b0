package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil status}: a running server's health, its targets up and down, firing alerts and
 * storage use, from its HTTP API ({@code /-/healthy}, {@code /-/ready}, {@code /api/v1/targets},
 * {@code /api/v1/alerts}, {@code /api/v1/status/tsdb}, {@code /api/v1/status/runtimeinfo}).
 *
 * <pre>{@code
 * ./vigil status --url http://127.0.0.1:9470
 * }</pre>
 *
 * <p>Exit 0 when the server is healthy and ready, 1 otherwise (unreachable, not ready, a refused
 * token): usable in scripts.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "A running server's health, targets up/down, firing alerts and storage use.",
      "Exit 0 when healthy and ready, 1 otherwise."
    })
final class StatusCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:9470",
      description = "The server (${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      description = "Bearer token with the read role (default: $VIGIL_TOKEN).")
  String token;

  @Option(
      names = "--max-listed",
      defaultValue = "10",
      description = "Down targets and alerts listed (${DEFAULT-VALUE}).")
  int maxListed;

  @Override
  public Integer call() throws IOException {
    ServerClient c = new ServerClient(url, ServerClient.token(token));
    PrintStream out = System.out;
    HttpResponse<String> healthy = c.get("/-/healthy", List.of());
    HttpResponse<String> ready = c.get("/-/ready", List.of());
    boolean ok = healthy.statusCode() == 200 && ready.statusCode() == 200;
    String version = c.api("/api/v1/status/buildinfo", List.of()).path("version").asText("?");
    out.printf(
        "Server %s: %s, %s (version %s)%n",
        c.url(),
        healthy.statusCode() == 200 ? "healthy" : "NOT healthy (" + healthy.statusCode() + ")",
        ready.statusCode() == 200 ? "ready" : "NOT ready: " + ready.body().strip(),
        version);
    if (ready.statusCode() != 200) {
      return 1;
    }
    JsonNode runtime = c.api("/api/v1/status/runtimeinfo", List.of());
    out.printf("Started: %s%n", runtime.path("startTime").asText("?"));

    JsonNode targets = c.api("/api/v1/targets", List.of("state", "active")).path("activeTargets");
    int up = 0;
    int unknown = 0;
    List<String> down = new ArrayList<>();
    for (JsonNode t : targets) {
      String health = t.path("health").asText();
      if (health.equals("up")) {
        up++;
      } else if (health.equals("unknown")) {
        unknown++; // not scraped yet
      } else {
        JsonNode l = t.path("labels");
        String err = t.path("lastError").asText("");
        down.add(
            l.path("job").asText("?")
                + " "
                + l.path("instance").asText(t.path("scrapeUrl").asText("?"))
                + (err.isEmpty() ? "" : " (" + err + ")"));
      }
    }
    out.printf(
        "Targets: %d up, %d down%s%n",
        up, down.size(), unknown == 0 ? "" : ", " + unknown + " not scraped yet");
    list(out, "down", down);

    List<String> firing = new ArrayList<>();
    int pending = 0;
    for (JsonNode a : c.api("/api/v1/alerts", List.of()).path("alerts")) {
      if (a.path("state").asText().equals("firing")) {
        JsonNode l = a.path("labels");
        String name = l.path("alertname").asText("?");
        String sev = l.path("severity").asText("");
        firing.add(
            name
                + (sev.isEmpty() ? "" : " [" + sev + "]")
                + " "
                + QueryCommand.selector(without(l), false));
      } else if (a.path("state").asText().equals("pending")) {
        pending++;
      }
    }
    out.printf("Alerts: %d firing, %d pending%n", firing.size(), pending);
    list(out, "firing", firing);

    JsonNode head = c.api("/api/v1/status/tsdb", List.of("limit", "1")).path("headStats");
    String blocks = "";
    JsonNode bytes =
        c.api("/api/v1/query", List.of("query", "sum(vigil_tsdb_storage_blocks_bytes)"));
    if (bytes.path("result").size() > 0) {
      blocks =
          ", blocks on disk "
              + bytes(
                  Double.parseDouble(bytes.path("result").get(0).path("value").get(1).asText()));
    }
    out.printf(
        Locale.ROOT,
        "Storage: %,d series in the head%s, retention %s%n",
        head.path("numSeries").asLong(),
        blocks,
        runtime.path("storageRetention").asText("?"));
    return ok ? 0 : 1;
  }

  private void list(PrintStream out, String what, List<String> items) {
    for (int i = 0; i < Math.min(maxListed, items.size()); i++) {
      out.println("  " + what + ": " + items.get(i));
    }
    if (items.size() > maxListed) {
      out.println("  ... and " + (items.size() - maxListed) + " more");
    }
  }

  private static JsonNode without(JsonNode labels) {
    com.fasterxml.jackson.databind.node.ObjectNode o = labels.deepCopy();
    o.remove("alertname");
    o.remove("severity");
    return o;
  }

  /** Bytes in binary units, one decimal. */
  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0
        ? String.format(Locale.ROOT, "%.0f B", b)
        : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }
}
