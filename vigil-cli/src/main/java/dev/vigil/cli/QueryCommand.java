package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.export.TimeExpression;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil query instant|range|series|labels}: promtool's {@code query} commands, with the same
 * arguments and flags, against a running server; output as a table (default), promtool's text
 * ({@code -o promql}), JSON ({@code -o json}, as promtool's) or CSV ({@code -o csv}, the long
 * layout {@code vigil import --format csv} reads).
 *
 * <pre>{@code
 * ./vigil query instant http://127.0.0.1:9470 'up' --time '5m ago'
 * ./vigil query range http://127.0.0.1:9470 'rate(x[5m])' --start '1h ago' --step 1m -o csv
 * ./vigil query series http://127.0.0.1:9470 --match 'up{job="node"}'
 * ./vigil query labels http://127.0.0.1:9470 job
 * }</pre>
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = "Query a running server, as promtool query does.",
    subcommands = {
      QueryCommand.Instant.class,
      QueryCommand.Range.class,
      QueryCommand.Series.class,
      QueryCommand.LabelValues.class
    })
final class QueryCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output formats. */
  enum Output {
    table,
    promql,
    json,
    csv
  }

  /** The flags every query command takes. */
  static final class Common {
    @Option(
        names = {"-o", "--format"},
        defaultValue = "table",
        description = "Output: table, promql (promtool's text), json, csv (${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--token", description = "Bearer token (default: $VIGIL_TOKEN).")
    String token;

    @Option(names = "--header", description = "Extra header to send, Name: value (repeatable).")
    List<String> headers = new ArrayList<>();

    ServerClient client(String server) {
      for (String h : headers) {
        if (h.indexOf(':') <= 0) {
          throw new IllegalArgumentException("invalid --header \"" + h + "\": give Name: value");
        }
      }
      return new ServerClient(server, ServerClient.token(token)).withHeaders(headers);
    }
  }

  /** Milliseconds of a time flag; {@code what} names the flag in the error. */
  static long time(String expr, String what, long nowMs) {
    try {
      return TimeExpression.parse(expr, nowMs);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "error parsing " + what + ": " + (e.getMessage() == null ? expr : e.getMessage()));
    }
  }

  /** A time in the API's form: Unix seconds with milliseconds. */
  static String apiTime(long ms) {
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }

  /** {@code promtool query instant [--time] SERVER EXPR}. */
  @Command(name = "instant", mixinStandardHelpOptions = true, description = "Run an instant query.")
  static final class Instant implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--time", description = "Evaluation time: RFC 3339, Unix seconds, now, 5m ago.")
    String time;

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server, http://host:port.")
    String server;

    @Parameters(index = "1", paramLabel = "EXPR", description = "PromQL expression.")
    String expr;

    @Override
    public Integer call() throws IOException {
      List<String> params = new ArrayList<>(List.of("query", expr));
      if (time != null) {
        params.add("time");
        params.add(apiTime(time(time, "time", System.currentTimeMillis())));
      }
      JsonNode data = common.client(server).api("/api/v1/query", params);
      printResult(data, common.output, System.out);
      return 0;
    }
  }

  /** {@code promtool query range [--start --end --step] SERVER EXPR}. */
  @Command(name = "range", mixinStandardHelpOptions = true, description = "Run a range query.")
  static final class Range implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--start", description = "Start (default: 5 minutes before the end).")
    String start;

    @Option(names = "--end", description = "End (default: now).")
    String end;

    @Option(
        names = "--step",
        description = "Step, a duration (default: the range / 250, at least 1 s, as promtool).")
    String step;

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server, http://host:port.")
    String server;

    @Parameters(index = "1", paramLabel = "EXPR", description = "PromQL expression.")
    String expr;

    @Override
    public Integer call() throws IOException {
      long now = System.currentTimeMillis();
      long e = end == null ? now : time(end, "end time", now);
      long s = start == null ? e - 300_000 : time(start, "start time", now);
      if (s > e) {
        throw new IllegalArgumentException("start time is not before end time");
      }
      long stepMs;
      if (step == null) {
        stepMs = Math.max((long) Math.floor((e - s) / 1000.0 / 250), 1) * 1000;
      } else {
        try {
          stepMs = TimeExpression.parseDuration(step);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException("error parsing step: " + ex.getMessage());
        }
      }
      JsonNode data =
          common
              .client(server)
              .api(
                  "/api/v1/query_range",
                  List.of(
                      "query", expr,
                      "start", apiTime(s),
                      "end", apiTime(e),
                      "step", apiTime(stepMs)));
      printResult(data, common.output, System.out);
      return 0;
    }
  }

  /** {@code promtool query series --match ... [--start --end] SERVER}. */
  @Command(name = "series", mixinStandardHelpOptions = true, description = "Run a series query.")
  static final class Series implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--match", required = true, description = "Series selector (repeatable).")
    List<String> match;

    @Option(names = "--start", description = "Start time.")
    String start;

    @Option(names = "--end", description = "End time.")
    String end;

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server, http://host:port.")
    String server;

    @Override
    public Integer call() throws IOException {
      List<String> params = new ArrayList<>();
      for (String m : match) {
        params.add("match[]");
        params.add(m);
      }
      addRange(params, start, end);
      JsonNode data = common.client(server).api("/api/v1/series", params);
      PrintStream out = System.out;
      switch (common.output) {
        case json -> out.println(JSON.writeValueAsString(data));
        case csv -> {
          out.println("name,labels");
          for (JsonNode s : data) {
            out.println(csv(s.path("__name__").asText("")) + "," + csv(selector(s, false)));
          }
        }
        case promql -> {
          for (JsonNode s : data) {
            out.println(labelSet(s));
          }
        }
        default -> {
          for (JsonNode s : data) {
            out.println(selector(s, true));
          }
        }
      }
      return 0;
    }
  }

  /** {@code promtool query labels [--start --end --match] SERVER NAME}. */
  @Command(
      name = "labels",
      mixinStandardHelpOptions = true,
      description = "Run a labels query: the values of a label.")
  static final class LabelValues implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--match", description = "Series selector (repeatable).")
    List<String> match = new ArrayList<>();

    @Option(names = "--start", description = "Start time.")
    String start;

    @Option(names = "--end", description = "End time.")
    String end;

    @Parameters(index = "0", paramLabel = "SERVER", description = "The server, http://host:port.")
    String server;

    @Parameters(index = "1", paramLabel = "NAME", description = "Label name.")
    String name;

    @Override
    public Integer call() throws IOException {
      List<String> params = new ArrayList<>();
      for (String m : match) {
        params.add("match[]");
        params.add(m);
      }
      addRange(params, start, end);
      String path =
          "/api/v1/label/"
              + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
              + "/values";
      JsonNode data = common.client(server).api(path, params);
      PrintStream out = System.out;
      if (common.output == Output.json) {
        out.println(JSON.writeValueAsString(data));
        return 0;
      }
      if (common.output == Output.csv) {
        out.println(csv(name));
      }
      for (JsonNode v : data) {
        out.println(common.output == Output.csv ? csv(v.asText()) : v.asText());
      }
      return 0;
    }
  }

  private static void addRange(List<String> params, String start, String end) {
    long now = System.currentTimeMillis();
    if (start != null) {
      params.add("start");
      params.add(apiTime(time(start, "start time", now)));
    }
    if (end != null) {
      params.add("end");
      params.add(apiTime(time(end, "end time", now)));
    }
  }

  /** Prints a query's data (resultType and result). */
  static void printResult(JsonNode data, Output output, PrintStream out) throws IOException {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    if (output == Output.json) {
      out.println(JSON.writeValueAsString(result));
      return;
    }
    switch (type) {
      case "vector" -> vector(result, output, out);
      case "matrix" -> matrix(result, output, out);
      case "scalar", "string" -> {
        String t = seconds(result.get(0));
        String v = result.get(1).asText();
        switch (output) {
          case csv -> {
            out.println("timestamp,name,labels,value");
            out.println(rfc3339(result.get(0)) + ",,{}," + csv(v));
          }
          case promql ->
              out.println(
                  type.equals("scalar")
                      ? "scalar: " + goFloat(v) + " @[" + t + "]"
                      : "\"" + v + "\" @[" + t + "]");
          default -> {
            out.println("VALUE\tTIMESTAMP");
            out.println(v + "\t" + rfc3339(result.get(0)));
          }
        }
      }
      default -> throw new IOException("unknown resultType \"" + type + "\" in the answer");
    }
  }

  private static void vector(JsonNode result, Output output, PrintStream out) {
    switch (output) {
      case promql -> {
        for (JsonNode s : result) {
          JsonNode p = s.path("value");
          out.println(
              selector(s.path("metric"), true)
                  + " => "
                  + goFloat(p.get(1).asText())
                  + " @["
                  + seconds(p.get(0))
                  + "]");
        }
      }
      case csv -> {
        out.println("timestamp,name,labels,value");
        for (JsonNode s : result) {
          csvRow(out, s.path("metric"), s.path("value"));
        }
      }
      default -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERIES", "VALUE", "TIMESTAMP"});
        for (JsonNode s : result) {
          JsonNode p = s.path("value");
          rows.add(
              new String[] {
                selector(s.path("metric"), true), p.get(1).asText(), rfc3339(p.get(0))
              });
        }
        table(rows, out);
      }
    }
  }

  private static void matrix(JsonNode result, Output output, PrintStream out) {
    switch (output) {
      case promql -> {
        List<JsonNode> sorted = new ArrayList<>();
        result.forEach(sorted::add);
        sorted.sort(
            (a, b) ->
                before(a.path("metric"), b.path("metric"))
                    ? -1
                    : before(b.path("metric"), a.path("metric")) ? 1 : 0);
        for (JsonNode s : sorted) {
          out.println(selector(s.path("metric"), true) + " =>");
          for (JsonNode p : s.path("values")) {
            out.println(goFloat(p.get(1).asText()) + " @[" + seconds(p.get(0)) + "]");
          }
        }
      }
      case csv -> {
        out.println("timestamp,name,labels,value");
        for (JsonNode s : result) {
          for (JsonNode p : s.path("values")) {
            csvRow(out, s.path("metric"), p);
          }
        }
      }
      default -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERIES", "TIMESTAMP", "VALUE"});
        for (JsonNode s : result) {
          String sel = selector(s.path("metric"), true);
          for (JsonNode p : s.path("values")) {
            rows.add(new String[] {sel, rfc3339(p.get(0)), p.get(1).asText()});
          }
        }
        table(rows, out);
      }
    }
  }

  private static void csvRow(PrintStream out, JsonNode metric, JsonNode point) {
    out.println(
        rfc3339(point.get(0))
            + ","
            + csv(metric.path("__name__").asText(""))
            + ","
            + csv(selector(metric, false))
            + ","
            + point.get(1).asText());
  }

  /** Columns padded to their widest cell, two spaces apart; the last column not padded. */
  static void table(List<String[]> rows, PrintStream out) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        sb.append(r[i]);
        if (i < cols - 1) {
          sb.append(" ".repeat(w[i] - r[i].length() + 2));
        }
      }
      out.println(sb);
    }
  }

  /**
   * A label set as Prometheus' {@code model.Metric} prints it: {@code name{a="x", b="y"}}, the
   * {@code name="value"} strings sorted, {@code {}} when empty; {@code withName} false leaves the
   * name out (the CSV labels column).
   */
  static String selector(JsonNode metric, boolean withName) {
    String name = metric.path("__name__").asText(null);
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("__name__")) {
        parts.add(e.getKey() + "=" + quote(e.getValue().asText()));
      }
    }
    java.util.Collections.sort(parts);
    String head = withName && name != null ? name : "";
    if (parts.isEmpty()) {
      return head.isEmpty() ? "{}" : head;
    }
    return head + "{" + String.join(", ", parts) + "}";
  }

  /**
   * A label set as Prometheus' {@code model.LabelSet} prints it: every label, {@code __name__} too.
   */
  static String labelSet(JsonNode labels) {
    List<String> parts = new ArrayList<>();
    labels
        .fields()
        .forEachRemaining(e -> parts.add(e.getKey() + "=" + quote(e.getValue().asText())));
    java.util.Collections.sort(parts);
    return "{" + String.join(", ", parts) + "}";
  }

  /** Go's {@code %q} for the characters label values hold. */
  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Prometheus' {@code LabelSet.Before}: fewer labels first, then by sorted names and values. */
  private static boolean before(JsonNode a, JsonNode b) {
    if (a.size() != b.size()) {
      return a.size() < b.size();
    }
    TreeSet<String> names = new TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      if (!a.has(n)) {
        return true;
      }
      if (!b.has(n)) {
        return false;
      }
      int c = a.get(n).asText().compareTo(b.get(n).asText());
      if (c != 0) {
        return c < 0;
      }
    }
    return false;
  }

  /** A value as Go's {@code FormatFloat(v, 'f', -1, 64)} prints it. */
  static String goFloat(String apiValue) {
    switch (apiValue) {
      case "NaN":
        return "NaN";
      case "+Inf", "Inf":
        return "+Inf";
      case "-Inf":
        return "-Inf";
      default:
        double v = Double.parseDouble(apiValue);
        if (v == 0) {
          return (1 / v) < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
  }

  /** A JSON timestamp (Unix seconds) as Go's model.Time prints it. */
  private static String seconds(JsonNode t) {
    return new BigDecimal(t.asText()).stripTrailingZeros().toPlainString();
  }

  private static String rfc3339(JsonNode t) {
    long ms = new BigDecimal(t.asText()).movePointRight(3).longValue();
    return java.time.Instant.ofEpochMilli(ms).toString();
  }

  /** An RFC 4180 field: quoted when it holds a comma, quote or line break. */
  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
