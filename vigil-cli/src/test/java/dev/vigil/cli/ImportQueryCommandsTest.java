package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import dev.vigil.export.SeriesWriter;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil import}, {@code query}, {@code status} and {@code summary} against a real server
 * started in-process: files written by the export writers are imported and queried back equal; bad
 * lines are reported by line and column and store nothing; the query output is promtool's.
 */
class ImportQueryCommandsTest extends CapturedOutput {
  static final String CONFIG =
      """
      server:
        listen: 127.0.0.1:0
      storage:
        path: %s
      collect:
        system: false
        jvm: false
        gpu: false
        self: false
      """;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STEP = 15_000;

  @TempDir static Path dir;
  private static Vigil vigil;

  /** Whole minutes, an hour back: inside the head of a fresh store, independent of the time. */
  private static long base;

  @BeforeAll
  static void start() {
    vigil =
        Vigil.start(
            ConfigLoader.parse("vigil.yml", CONFIG.formatted(dir.resolve("data")), Map.of()));
    base = (System.currentTimeMillis() / 60_000) * 60_000 - 3_600_000;
  }

  @AfterAll
  static void stop() {
    vigil.close();
  }

  /** Two series of 40 samples each, written by the export writer of {@code format}. */
  private static Path exported(ExportFormat format, String name, Path file) throws Exception {
    try (OutputStream os = Files.newOutputStream(file);
        SeriesWriter w = ExportWriters.open(format, ExportWriters.Layout.LONG, os)) {
      for (String inst : List.of("a:1", "b,\"2\"")) {
        w.beginSeries(Labels.of("__name__", name, "instance", inst, "job", "x"));
        for (int i = 0; i < 40; i++) {
          w.sample(base + i * STEP, i * 1.5 + (inst.startsWith("a") ? 0 : 1000));
        }
        w.endSeries();
      }
      w.finish();
    }
    return file;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The range query's result, through {@code vigil query range -o json}. */
  private JsonNode range(String expr) throws Exception {
    out.reset();
    int rc =
        Main.run(
            "query",
            "range",
            "-o",
            "json",
            "--start",
            QueryCommand.apiTime(base),
            "--end",
            QueryCommand.apiTime(base + 39 * STEP),
            "--step",
            "15s",
            vigil.url(),
            expr);
    assertThat(rc).as(stderr()).isZero();
    return JSON.readTree(stdout());
  }

  private static void assertSameAsWritten(JsonNode result, String name) {
    assertThat(result).hasSize(2);
    for (JsonNode s : result) {
      assertThat(s.path("metric").path("__name__").asText()).isEqualTo(name);
      double offset = s.path("metric").path("instance").asText().startsWith("a") ? 0 : 1000;
      JsonNode values = s.path("values");
      assertThat(values).hasSize(40);
      for (int i = 0; i < 40; i++) {
        assertThat(values.get(i).get(0).decimalValue().movePointRight(3).longValueExact())
            .isEqualTo(base + i * STEP);
        assertThat(Double.parseDouble(values.get(i).get(1).asText())).isEqualTo(i * 1.5 + offset);
      }
    }
    assertThat(result.findValuesAsText("instance")).containsExactlyInAnyOrder("a:1", "b,\"2\"");
  }

  @Test
  void import_jsonLinesOfTheExporter_throughTheServer_queryReturnsTheSameSamples()
      throws Exception {
    Path f = exported(ExportFormat.JSONL, "rt_jsonl", dir.resolve("x.jsonl"));
    int rc = Main.run("import", "--format", "jsonl", "--url", vigil.url(), f.toString());
    assertThat(rc).as(stderr()).isZero();
    assertThat(stdout()).contains("80 samples read, 80 written, 0 refused, 0 bad lines");
    assertSameAsWritten(range("rt_jsonl"), "rt_jsonl");
  }

  @Test
  void import_csvOfTheExporter_throughTheServer_queryReturnsTheSameSamples() throws Exception {
    Path f = exported(ExportFormat.CSV, "rt_csv", dir.resolve("x.csv"));
    int rc = Main.run("import", "--format", "csv", "--url", vigil.url(), f.toString());
    assertThat(rc).as(stderr()).isZero();
    assertSameAsWritten(range("rt_csv"), "rt_csv");
  }

  @Test
  void import_lineProtocolAndOpenMetrics_throughTheServer_queryReturnsThem() throws Exception {
    Path lp = exported(ExportFormat.INFLUX, "rt_lp", dir.resolve("x.lp"));
    assertThat(Main.run("import", "--format", "influx", "--url", vigil.url(), lp.toString()))
        .as(stderr())
        .isZero();
    Path om = exported(ExportFormat.OPENMETRICS, "rt_om", dir.resolve("x.om"));
    assertThat(Main.run("import", "--format", "openmetrics", "--url", vigil.url(), om.toString()))
        .as(stderr())
        .isZero();
    assertSameAsWritten(range("rt_om"), "rt_om");
    // Line protocol names a field: the exporter writes the value as field "value".
    JsonNode lpResult = range("{__name__=~\"rt_lp.*\"}");
    assertThat(lpResult).hasSize(2);
    assertThat(lpResult.path(0).path("values")).hasSize(40);
  }

  @Test
  void import_csvWithVictoriaMetricsColumnSpec() throws Exception {
    Path f = dir.resolve("vm.csv");
    Files.writeString(
        f,
        "%s,web1,0.5,1024\n%s,web2,bad,1\n"
            .formatted(QueryCommand.apiTime(base + 60_000), QueryCommand.apiTime(base + 60_000)));
    int rc =
        Main.run(
            "import",
            "--format",
            "csv",
            "--csv-format",
            "1:time:unix_s,2:label:host,3:metric:spec_cpu,4:metric:spec_mem",
            "--url",
            vigil.url(),
            f.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(stderr())
        .contains(
            f
                + ":2:"
                + (QueryCommand.apiTime(base).length() + 7)
                + ": value \"bad\" is not a number");
    out.reset();
    assertThat(
            Main.run(
                "query",
                "instant",
                "-o",
                "promql",
                "--time",
                QueryCommand.apiTime(base + 60_000),
                vigil.url(),
                "{__name__=~\"spec_.*\"}"))
        .isZero();
    assertThat(stdout().lines().sorted().toList())
        .containsExactly(
            "spec_cpu{host=\"web1\"} => 0.5 @[" + QueryCommand.apiTime(base + 60_000) + "]",
            "spec_mem{host=\"web1\"} => 1024 @[" + QueryCommand.apiTime(base + 60_000) + "]");
    err.reset();
    assertThat(
            Main.run(
                "import",
                "--format",
                "csv",
                "--csv-format",
                "1:when:x",
                "--url",
                vigil.url(),
                f.toString()))
        .isEqualTo(1);
    assertThat(stderr()).contains("invalid format part \"1:when:x\"");
  }

  @Test
  void vigilExport_thenVigilImport_intoAnotherStore_givesTheSameSamples() throws Exception {
    Path f = exported(ExportFormat.JSONL, "xi_src", dir.resolve("xi.jsonl"));
    assertThat(Main.run("import", "--format", "jsonl", "--url", vigil.url(), f.toString()))
        .isZero();
    for (String format : List.of("jsonl", "csv")) {
      Path out = dir.resolve("xi-export." + format);
      int rc =
          Main.run(
              "export",
              "--url",
              vigil.url(),
              "--match",
              "xi_src",
              "--start",
              QueryCommand.apiTime(base),
              "--end",
              QueryCommand.apiTime(base + 39 * STEP),
              "--format",
              format,
              "-o",
              out.toString());
      assertThat(rc).as(stderr()).isZero();
      Path store = dir.resolve("xi-store-" + format);
      rc =
          Main.run(
              "import", "--format", format, "--storage.path", store.toString(), out.toString());
      assertThat(rc).as(stderr()).isZero();
      Vigil other = Vigil.start(ConfigLoader.parse("vigil.yml", CONFIG.formatted(store), Map.of()));
      try {
        this.out.reset();
        assertThat(
                Main.run(
                    "query",
                    "range",
                    "-o",
                    "json",
                    "--start",
                    QueryCommand.apiTime(base),
                    "--end",
                    QueryCommand.apiTime(base + 39 * STEP),
                    "--step",
                    "15s",
                    other.url(),
                    "xi_src"))
            .isZero();
        assertSameAsWritten(JSON.readTree(stdout()), "xi_src");
      } finally {
        other.close();
      }
    }
  }

  @Test
  void import_badLine_isReportedWithLineAndColumn_andNothingOfItIsStored() throws Exception {
    long t = base + 60_000;
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(
        f,
        """
        {"metric":{"__name__":"bad_a"},"values":[1],"timestamps":[%d]}
        {"metric":{"__name__":"bad_b"},"values":[1,"x"],"timestamps":[%d,%d]}
        {"metric":{"__name__":"bad_c"},"values":[3],"timestamps":[%d]}
        """
            .formatted(t, t, t + 1000, t));
    int rc = Main.run("import", "--format", "jsonl", "--url", vigil.url(), f.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(stderr()).contains(f + ":2:44: value \"x\" is not a number");
    assertThat(stdout()).contains("3 lines, 2 samples read, 2 written, 0 refused, 1 bad lines");
    out.reset();
    assertThat(
            Main.run(
                "query", "series", "-o", "json", "--match", "{__name__=~\"bad_.*\"}", vigil.url()))
        .isZero();
    assertThat(JSON.readTree(stdout()).findValuesAsText("__name__"))
        .containsExactlyInAnyOrder("bad_a", "bad_c");
  }

  @Test
  void import_samplesOlderThanWhatTheServerHas_areCountedAndNamed() throws Exception {
    Path newer = dir.resolve("newer.csv");
    Files.writeString(
        newer,
        "timestamp,name,labels,value\n%s,ooo,{},1\n"
            .formatted(QueryCommand.apiTime(base + 120_000)));
    assertThat(Main.run("import", "--format", "csv", "--url", vigil.url(), newer.toString()))
        .as(stderr())
        .isZero();
    Path older = dir.resolve("older.csv");
    Files.writeString(
        older,
        "timestamp,name,labels,value\n%s,ooo,{},2\n%s,ooo,{},3\n"
            .formatted(QueryCommand.apiTime(base + 60_000), QueryCommand.apiTime(base + 180_000)));
    out.reset();
    int rc = Main.run("import", "--format", "csv", "--url", vigil.url(), older.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(stdout()).contains("2 samples read, 1 written, 1 refused {out_of_order=1}");
    assertThat(stderr()).contains("refused:").contains("ooo");
  }

  @Test
  void import_intoAStoreDirectory_thenServed_andRefusedWhileAServerHoldsIt() throws Exception {
    Path store = dir.resolve("offline");
    Path f = exported(ExportFormat.CSV, "rt_offline", dir.resolve("off.csv"));
    int rc =
        Main.run("import", "--format", "csv", "--storage.path", store.toString(), f.toString());
    assertThat(rc).as(stderr()).isZero();
    Vigil other = Vigil.start(ConfigLoader.parse("vigil.yml", CONFIG.formatted(store), Map.of()));
    try {
      out.reset();
      assertThat(
              Main.run(
                  "query",
                  "range",
                  "-o",
                  "json",
                  "--start",
                  QueryCommand.apiTime(base),
                  "--end",
                  QueryCommand.apiTime(base + 39 * STEP),
                  "--step",
                  "15s",
                  other.url(),
                  "rt_offline"))
          .isZero();
      assertSameAsWritten(JSON.readTree(stdout()), "rt_offline");
      err.reset();
      rc = Main.run("import", "--format", "csv", "--storage.path", store.toString(), f.toString());
      assertThat(rc).isEqualTo(1);
      assertThat(stderr())
          .contains("is in use by a running Vigil server")
          .contains("--url")
          .doesNotContain("Exception");
    } finally {
      other.close();
    }
  }

  @Test
  void import_exitCodesAndHelp() throws Exception {
    assertThat(Main.run("import", "--help")).isZero();
    assertThat(stdout()).contains("--format").contains("--storage.path").contains("--url");
    assertThat(
            Main.run(
                "import",
                "--format",
                "csv",
                "--url",
                vigil.url(),
                dir.resolve("none.csv").toString()))
        .isEqualTo(2);
    assertThat(stderr()).contains("no such file");
    assertThat(Main.run("import", "--format", "xml", "--url", vigil.url(), "x")).isEqualTo(2);
    assertThat(Main.run("import", "--format", "csv", "x")).isEqualTo(2); // no target
    assertThat(
            Main.run("import", "--format", "influx", "--precision", "d", "--url", vigil.url(), "x"))
        .isEqualTo(1);
  }

  @Test
  void tokens_fromTheFlag_areSent_andAMissingOneIsNamed() throws Exception {
    String write = "write-token-0123456789abc";
    String read = "read-token-0123456789abcd";
    String config =
        CONFIG
            .formatted(dir.resolve("auth"))
            .replace(
                "  listen: 127.0.0.1:0\n",
                "  listen: 127.0.0.1:0\n  auth:\n    read_tokens: ["
                    + read
                    + "]\n    write_tokens: ["
                    + write
                    + "]\n");
    Vigil secured = Vigil.start(ConfigLoader.parse("vigil.yml", config, Map.of()));
    try {
      Path f = exported(ExportFormat.JSONL, "tok_x", dir.resolve("tok.jsonl"));
      assertThat(Main.run("import", "--format", "jsonl", "--url", secured.url(), f.toString()))
          .isEqualTo(1);
      assertThat(stderr())
          .contains("server answered 401: it needs a token (--token or VIGIL_TOKEN)");
      err.reset();
      assertThat(
              Main.run(
                  "import",
                  "--format",
                  "jsonl",
                  "--token",
                  read,
                  "--url",
                  secured.url(),
                  f.toString()))
          .isEqualTo(1);
      assertThat(stderr()).contains("server answered 403: the token was refused for /api/v1/write");
      assertThat(
              Main.run(
                  "import",
                  "--format",
                  "jsonl",
                  "--token",
                  write,
                  "--url",
                  secured.url(),
                  f.toString()))
          .as(stderr())
          .isZero();
      out.reset();
      assertThat(Main.run("query", "series", "--token", read, "--match", "tok_x", secured.url()))
          .isZero();
      assertThat(stdout().lines()).hasSize(2);
      assertThat(Main.run("status", "--token", read, "--url", secured.url())).isZero();
    } finally {
      secured.close();
    }
  }

  @Test
  void query_badTimeAndUnreachableServer_areOneLineErrors() {
    assertThat(Main.run("query", "instant", "--time", "yesterday-ish", vigil.url(), "up"))
        .isEqualTo(1);
    assertThat(stderr()).contains("error parsing time").doesNotContain("\tat ");
    err.reset();
    assertThat(Main.run("query", "instant", vigil.url(), "sum(")).isEqualTo(1);
    assertThat(stderr()).contains("server answered 400 bad_data");
    err.reset();
    assertThat(Main.run("query", "instant", "http://127.0.0.1:1", "up")).isEqualTo(1);
    assertThat(stderr()).contains("cannot connect to http://127.0.0.1:1");
    err.reset();
    assertThat(Main.run("query", "instant", "ftp://x", "up")).isEqualTo(1);
    assertThat(stderr()).contains("invalid server URL");
  }

  @Test
  void query_outputFormats_tableCsvJson() throws Exception {
    Path f = exported(ExportFormat.JSONL, "fmt_x", dir.resolve("fmt.jsonl"));
    assertThat(Main.run("import", "--format", "jsonl", "--url", vigil.url(), f.toString()))
        .isZero();
    String at = QueryCommand.apiTime(base + 10 * STEP);
    out.reset();
    assertThat(Main.run("query", "instant", "--time", at, vigil.url(), "fmt_x")).isZero();
    assertThat(stdout().lines().toList()).first().asString().matches("SERIES +VALUE +TIMESTAMP");
    assertThat(stdout()).containsPattern("fmt_x\\{instance=\"a:1\", job=\"x\"\\} +15 +");
    // CSV is the long layout import reads: query → csv → import gives the same series back.
    out.reset();
    assertThat(Main.run("query", "instant", "-o", "csv", "--time", at, vigil.url(), "fmt_x"))
        .isZero();
    String csv = stdout().replace("fmt_x", "fmt_y");
    assertThat(csv).startsWith("timestamp,name,labels,value\n");
    Path back = dir.resolve("back.csv");
    Files.writeString(back, csv);
    out.reset();
    assertThat(Main.run("import", "--format", "csv", "--url", vigil.url(), back.toString()))
        .as(stderr())
        .isZero();
    out.reset();
    assertThat(Main.run("query", "instant", "-o", "json", "--time", at, vigil.url(), "fmt_y"))
        .isZero();
    JsonNode y = JSON.readTree(stdout());
    assertThat(y).hasSize(2);
    List<String> values = new ArrayList<>();
    y.forEach(s -> values.add(s.path("value").get(1).asText()));
    assertThat(values).containsExactlyInAnyOrder("15", "1015");
  }

  @Test
  void query_printsWhatPromtoolPrints_forEachCommand() throws Exception {
    Promtool.require();
    Path f = exported(ExportFormat.JSONL, "pt_x", dir.resolve("pt.jsonl"));
    assertThat(Main.run("import", "--format", "jsonl", "--url", vigil.url(), f.toString()))
        .isZero();
    String at = QueryCommand.apiTime(base + 10 * STEP);
    String start = QueryCommand.apiTime(base);
    String end = QueryCommand.apiTime(base + 5 * STEP);
    List<List<String>> commands =
        List.of(
            List.of("instant", "--time", at, vigil.url(), "pt_x"),
            List.of("instant", "--time", at, vigil.url(), "sum(pt_x) / 7"),
            List.of("instant", "--time", at, vigil.url(), "scalar(sum(pt_x))"),
            List.of(
                "range", "--start", start, "--end", end, "--step", "30s", vigil.url(), "pt_x * 2"),
            List.of("series", "--match", "pt_x", "--match", "{job=\"x\"}", vigil.url()),
            List.of("labels", "--match", "pt_x", vigil.url(), "instance"));
    for (List<String> c : commands) {
      for (String format : List.of("promql", "json")) {
        List<String> promtoolArgs = new ArrayList<>(List.of("query", c.get(0), "-o", format));
        promtoolArgs.addAll(c.subList(1, c.size()));
        Promtool.Run p = Promtool.run(dir, promtoolArgs);
        assertThat(p.exitCode()).as(p.stderr()).isZero();
        out.reset();
        assertThat(Main.run(promtoolArgs.toArray(String[]::new))).as(stderr()).isZero();
        if (format.equals("json")) {
          assertThat(JSON.readTree(stdout())).as(c.toString()).isEqualTo(JSON.readTree(p.stdout()));
        } else {
          assertThat(stdout()).as(c.toString()).isEqualTo(p.stdout());
        }
      }
    }
  }

  @Test
  void status_reportsHealthTargetsAlertsAndStorage() {
    assertThat(Main.run("status", "--url", vigil.url())).as(stderr()).isZero();
    assertThat(stdout())
        .contains("Server " + vigil.url() + ": healthy, ready")
        .contains("Targets: 0 up, 0 down")
        .contains("Alerts: 0 firing, 0 pending")
        .containsPattern("Storage: [0-9,]+ series in the head");
    err.reset();
    assertThat(Main.run("status", "--url", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(stderr()).contains("cannot connect");
  }

  @Test
  void status_listsDownTargetsAndFiringAlerts() throws Exception {
    Path rules = dir.resolve("status-rules.yml");
    Files.writeString(
        rules,
        """
        groups:
          - name: g
            interval: 1s
            rules:
              - alert: AlwaysOn
                expr: vector(1)
                labels:
                  severity: page
        """);
    String config =
        CONFIG.formatted(dir.resolve("status-data"))
            + """
            scrape_configs:
              - job_name: gone
                scrape_interval: 1s
                scrape_timeout: 500ms
                static_configs:
                  - targets: ['127.0.0.1:1']
            rule_files: ['%s']
            """
                .formatted(rules);
    Vigil s = Vigil.start(ConfigLoader.parse("vigil.yml", config, Map.of()));
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      String text = "";
      while (System.nanoTime() < deadline) {
        out.reset();
        Main.run("status", "--url", s.url());
        text = stdout();
        if (text.contains("Targets: 0 up, 1 down\n") && text.contains("Alerts: 1 firing")) {
          break;
        }
        Thread.sleep(200); // waiting for the first scrape and rule evaluation, bounded above
      }
      assertThat(text)
          .contains("Targets: 0 up, 1 down\n")
          .containsPattern("  down: gone 127\\.0\\.0\\.1:1 \\(.+\\)\n")
          .contains("Alerts: 1 firing, 0 pending")
          .contains("  firing: AlwaysOn [page] {}");
    } finally {
      s.close();
    }
  }

  @Test
  void summary_readsTheRecordersMetrics() throws Exception {
    // An hour of application metrics: 1000 requests, 20 errors, costs by provider, errors by type.
    long end = base + 3_540_000;
    StringBuilder csv = new StringBuilder("timestamp,name,labels,value\n");
    for (int i = 0; i <= 59; i++) {
      String t = QueryCommand.apiTime(base + i * 60_000L);
      double f = i / 59.0;
      csv.append(t)
          .append(",sum_api_requests_total,\"{status=\"\"200\"\"}\",")
          .append(1000 * f)
          .append('\n');
      csv.append(t).append(",sum_api_errors_total,{},").append(20 * f).append('\n');
      csv.append(t)
          .append(",sum_model_cost_total,\"{provider=\"\"openai\"\"}\",")
          .append(12 * f)
          .append('\n');
      csv.append(t)
          .append(",sum_model_cost_total,\"{provider=\"\"anthropic\"\"}\",")
          .append(3 * f)
          .append('\n');
      csv.append(t)
          .append(",sum_errors_total,\"{type=\"\"TimeoutError\"\"}\",")
          .append(15 * f)
          .append('\n');
      csv.append(t)
          .append(",sum_errors_total,\"{type=\"\"ValueError\"\"}\",")
          .append(5 * f)
          .append('\n');
      for (String[] b : new String[][] {{"0.1", "800"}, {"0.5", "950"}, {"+Inf", "1000"}}) {
        csv.append(t)
            .append(",sum_api_request_duration_seconds_bucket,\"{le=\"\"")
            .append(b[0])
            .append("\"\"}\",")
            .append(Double.parseDouble(b[1]) * f)
            .append('\n');
      }
      String slo = "\"{sloth_service=\"\"api\"\", sloth_slo=\"\"availability\"\"}\",";
      csv.append(t).append(",slo:objective:ratio,").append(slo).append("0.999\n");
      csv.append(t)
          .append(",slo:period_error_budget_remaining:ratio,")
          .append(slo)
          .append("0.75\n");
      csv.append(t).append(",slo:current_burn_rate:ratio,").append(slo).append("0.5\n");
    }
    Path f = dir.resolve("app.csv");
    Files.writeString(f, csv);
    assertThat(Main.run("import", "--format", "csv", "--url", vigil.url(), f.toString()))
        .as(stderr())
        .isZero();
    out.reset();
    int rc =
        Main.run(
            "summary",
            "--url",
            vigil.url(),
            "--namespace",
            "sum_",
            "--since",
            "2h",
            "--time",
            QueryCommand.apiTime(end));
    assertThat(rc).as(stderr()).isZero();
    assertThat(stdout())
        .startsWith("Vigil summary, last 2h to ")
        .contains("Requests: 1,000 (0.14/s), errors 20 (2.00%)")
        .contains("Latency: p50 63 ms, p95 500 ms, p99 500 ms")
        .contains("Cost: 15.00 (openai 12.00, anthropic 3.00)")
        .contains("SLOs: api/availability objective 99.9%, 75% budget left, burn rate 0.50")
        .contains("Top errors: TimeoutError 15, ValueError 5")
        .contains("Alerts: none firing");
    out.reset();
    assertThat(
            Main.run(
                "summary",
                "--url",
                vigil.url(),
                "--namespace",
                "none_",
                "--time",
                QueryCommand.apiTime(end)))
        .isZero();
    assertThat(stdout()).contains("No application metrics");
  }
}
