package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.export.TimeExpression;
import dev.vigil.model.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil summary [--since 24h]}: a few lines for a chat message (DevLoop's {@code telemetry
 * summary}): requests, errors, latency, cost, top errors, SLO status and firing alerts, from the
 * application recorders' metrics ({@code docs/metrics.md}) and the SLO rules' {@code slo:*} series,
 * asked of a running server.
 *
 * <pre>{@code
 * ./vigil summary --since 24h | curl -X POST --data-binary @- https://hooks.slack.com/...
 * }</pre>
 *
 * <p>A section without data is left out; with no data at all, one line says so.
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "A short text for a chat message: requests, errors, latency, cost, top errors, SLOs,"
            + " firing alerts.")
final class SummaryCommand implements Callable<Integer> {
  private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*|");
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:9470",
      description = "The server (${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      description = "Bearer token with the read role (default: $VIGIL_TOKEN).")
  String token;

  @Option(names = "--since", defaultValue = "24h", description = "The window (${DEFAULT-VALUE}).")
  String since;

  @Option(
      names = "--time",
      description = "The window's end (default: now): RFC 3339, Unix seconds, 1h ago.")
  String time;

  @Option(
      names = "--namespace",
      defaultValue = "app_",
      description = "Prefix of the application recorders' metrics (${DEFAULT-VALUE}).")
  String namespace;

  private ServerClient client;
  private String at;

  @Override
  public Integer call() throws IOException {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "invalid --namespace \"" + namespace + "\": a metric name prefix");
    }
    long windowMs;
    try {
      windowMs = TimeExpression.parseDuration(since);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --since: " + e.getMessage());
    }
    long end =
        time == null
            ? System.currentTimeMillis()
            : QueryCommand.time(time, "--time", System.currentTimeMillis());
    at = QueryCommand.apiTime(end);
    client = new ServerClient(url, ServerClient.token(token));
    String w = Durations.formatDuration(Duration.ofMillis(windowMs));
    String ns = namespace;
    List<String> lines = new ArrayList<>();

    Double requests = scalar("sum(increase(" + ns + "api_requests_total[" + w + "]))");
    Double errors = scalar("sum(increase(" + ns + "api_errors_total[" + w + "]))");
    if (requests != null) {
      StringBuilder sb = new StringBuilder("Requests: " + count(requests));
      sb.append(String.format(Locale.ROOT, " (%.2f/s)", requests / (windowMs / 1000.0)));
      if (errors != null) {
        sb.append(", errors ").append(count(errors));
        if (requests > 0) {
          sb.append(String.format(Locale.ROOT, " (%.2f%%)", 100 * errors / requests));
        }
      }
      lines.add(sb.toString());
    }
    String bucket = ns + "api_request_duration_seconds_bucket[" + w + "]";
    List<String> lat = new ArrayList<>();
    for (String q : List.of("0.5", "0.95", "0.99")) {
      Double v = scalar("histogram_quantile(" + q + ", sum by (le) (rate(" + bucket + ")))");
      if (v != null && !v.isNaN()) {
        lat.add("p" + q.substring(2) + (q.length() == 3 ? "0" : "") + " " + seconds(v));
      }
    }
    if (!lat.isEmpty()) {
      lines.add("Latency: " + String.join(", ", lat));
    }
    Double cost = scalar("sum(increase(" + ns + "model_cost_total[" + w + "]))");
    if (cost != null) {
      List<String> by =
          top(
              "topk(3, sum by (provider) (increase(" + ns + "model_cost_total[" + w + "])))",
              "provider",
              true);
      lines.add(
          String.format(Locale.ROOT, "Cost: %.2f", cost)
              + (by.isEmpty() ? "" : " (" + String.join(", ", by) + ")"));
    }
    List<String> topErrors =
        top(
            "topk(5, sum by (type) (increase(" + ns + "errors_total[" + w + "])) > 0)",
            "type",
            false);
    if (!topErrors.isEmpty()) {
      lines.add("Top errors: " + String.join(", ", topErrors));
    }
    boolean anyApplication = !lines.isEmpty();
    List<String> slos = slos();
    if (!slos.isEmpty()) {
      lines.add("SLOs: " + String.join("; ", slos));
    }
    List<String> firing = new ArrayList<>();
    for (JsonNode a : client.api("/api/v1/alerts", List.of()).path("alerts")) {
      if (a.path("state").asText().equals("firing")) {
        String name = a.path("labels").path("alertname").asText("?");
        if (!firing.contains(name)) {
          firing.add(name);
        }
      }
    }
    PrintStream out = System.out;
    out.println(
        "Vigil summary, last " + since.strip() + " to " + WHEN.format(Instant.ofEpochMilli(end)));
    if (!anyApplication) {
      out.println(
          "No application metrics ("
              + ns
              + "api_requests_total, "
              + ns
              + "model_cost_total, ...) in this window.");
    }
    lines.forEach(out::println);
    out.println(
        firing.isEmpty()
            ? "Alerts: none firing"
            : "Alerts firing: " + firing.size() + " (" + String.join(", ", firing) + ")");
    return 0;
  }

  /** SLO status from the Sloth-shaped recording rules, when they exist. */
  private List<String> slos() throws IOException {
    List<String> out = new ArrayList<>();
    JsonNode objectives =
        client
            .api("/api/v1/query", List.of("query", "slo:objective:ratio", "time", at))
            .path("result");
    for (JsonNode o : objectives) {
      JsonNode m = o.path("metric");
      String service = m.path("sloth_service").asText("");
      String slo = m.path("sloth_slo").asText(m.path("sloth_id").asText("?"));
      String sel = "{sloth_service=\"" + esc(service) + "\",sloth_slo=\"" + esc(slo) + "\"}";
      double objective = Double.parseDouble(o.path("value").get(1).asText());
      Double budget = scalar("slo:period_error_budget_remaining:ratio" + sel);
      Double burn = scalar("slo:current_burn_rate:ratio" + sel);
      StringBuilder sb = new StringBuilder((service.isEmpty() ? "" : service + "/") + slo);
      sb.append(String.format(Locale.ROOT, " objective %s%%", trim(objective * 100)));
      if (budget != null && !budget.isNaN()) {
        sb.append(String.format(Locale.ROOT, ", %.0f%% budget left", budget * 100));
        if (budget < 0) {
          sb.append(" (VIOLATED)");
        }
      }
      if (burn != null && !burn.isNaN()) {
        sb.append(String.format(Locale.ROOT, ", burn rate %.2f", burn));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private List<String> top(String query, String label, boolean money) throws IOException {
    List<String> out = new ArrayList<>();
    JsonNode result =
        client.api("/api/v1/query", List.of("query", query, "time", at)).path("result");
    List<JsonNode> rows = new ArrayList<>();
    result.forEach(rows::add);
    rows.sort(
        (a, b) ->
            Double.compare(
                Double.parseDouble(b.path("value").get(1).asText()),
                Double.parseDouble(a.path("value").get(1).asText())));
    for (JsonNode r : rows) {
      double v = Double.parseDouble(r.path("value").get(1).asText());
      out.add(
          r.path("metric").path(label).asText("(none)")
              + " "
              + (money ? String.format(Locale.ROOT, "%.2f", v) : count(v)));
    }
    return out;
  }

  /** The single value of a query at the window's end, or null when it has none. */
  private Double scalar(String query) throws IOException {
    JsonNode result =
        client.api("/api/v1/query", List.of("query", query, "time", at)).path("result");
    if (result.size() == 0) {
      return null;
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  private static String trim(double v) {
    return new java.math.BigDecimal(v)
        .setScale(3, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A duration in seconds as ms below 1 s, else s with two decimals. */
  static String seconds(double s) {
    return s < 1
        ? String.format(Locale.ROOT, "%.0f ms", s * 1000)
        : String.format(Locale.ROOT, "%.2f s", s);
  }
}
