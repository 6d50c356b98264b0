package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips of {@code vigil export} through the real peers: OpenMetrics into {@code promtool tsdb
 * create-blocks-from openmetrics} and back out of {@code promtool tsdb dump}; JSON lines, CSV and
 * line protocol into VictoriaMetrics 1.79 and back out of its export API; line protocol into
 * InfluxDB 1.6 and back out of {@code influx -execute}; SQLite counted and summed by the {@code
 * sqlite3} CLI. Each must give back exactly the source's samples (labels, timestamps, values to the
 * bit). Skipped, saying so, where a peer is not installed.
 */
class ExportPeersTest extends CapturedOutput {
  private static final long T0 = 1_765_100_000_000L; // 2025-12-07T09:33:20Z
  private static final int N = 240; // an hour at 15 s
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path store;

  /** Series key ({@code name{labels}} as the CSV labels column writes them) → time → value. */
  private final Map<String, TreeMap<Long, Double>> source = new TreeMap<>();

  @BeforeEach
  void fill() throws Exception {
    store = dir.resolve("data");
    Labels[] series = {
      Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"),
      Labels.of("__name__", "temp_celsius", "room", "a b", "site", "x,y"),
      Labels.of("__name__", "up", "job", "node"),
    };
    try (Tsdb db = Tsdb.builder(store).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      Appender app = db.appender();
      for (int i = 0; i < N; i++) {
        double[] v = {i * 0.1, 20 + Math.sin(i) / 3, i % 2};
        long[] t = {T0 + i * 15_000L, T0 + i * 15_000L + 250, T0 + i * 15_000L};
        for (int s = 0; s < series.length; s++) {
          app.append(0, series[s], t[s], v[s]);
          source.computeIfAbsent(key(series[s]), k -> new TreeMap<>()).put(t[s], v[s]);
        }
      }
      app.commit();
    }
  }

  private Path export(String format, String name) {
    Path file = dir.resolve(name);
    int rc =
        Main.run(
            "export",
            "--storage.path",
            store.toString(),
            "--match",
            "{__name__=~\".+\"}",
            "--start",
            Long.toString(T0 / 1000),
            "--end",
            Long.toString(T0 / 1000 + 7200),
            "--format",
            format,
            "--output",
            file.toString());
    assertThat(rc).as(err.toString()).isZero();
    return file;
  }

  /** {@code name{k="v",...}} with the label values escaped as the text formats escape them. */
  private static String key(Labels l) {
    StringBuilder sb = new StringBuilder(l.metricName()).append('{');
    boolean first = true;
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals("__name__")) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(l.name(i))
          .append("=\"")
          .append(l.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    }
    return sb.append('}').toString();
  }

  private static Labels labels(JsonNode metric, String... drop) {
    Labels.Builder b = Labels.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!List.of(drop).contains(e.getKey())) {
        b.set(e.getKey(), e.getValue().asText());
      }
    }
    return b.build();
  }

  @Test
  void openMetrics_throughPromtoolCreateBlocks_dumpEqualsTheSource() throws Exception {
    Path om = export("openmetrics", "x.om");
    Path blocks = dir.resolve("blocks");
    PeerProcess.run(
        dir,
        "promtool",
        "tsdb",
        "create-blocks-from",
        "openmetrics",
        om.toString(),
        blocks.toString());
    Files.createDirectories(blocks.resolve("wal")); // promtool 2.42's dump opens the WAL too
    String dump = PeerProcess.run(dir, "promtool", "tsdb", "dump", blocks.toString());
    Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    Map<String, TreeMap<Long, Double>> back = new TreeMap<>();
    for (String line : dump.strip().split("\n")) {
      int ts = line.lastIndexOf(' ');
      int val = line.lastIndexOf(' ', ts - 1);
      Labels.Builder b = Labels.builder();
      Matcher m = label.matcher(line.substring(0, val));
      while (m.find()) {
        b.set(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
      back.computeIfAbsent(key(b.build()), k -> new TreeMap<>())
          .put(
              Long.parseLong(line.substring(ts + 1)),
              Double.parseDouble(line.substring(val + 1, ts)));
    }
    same(back);
  }

  @Test
  void jsonLinesCsvAndLineProtocol_throughVictoriaMetrics_exportEqualsTheSource() throws Exception {
    Path jsonl = export("jsonl", "x.jsonl");
    Path csv = export("csv", "x.csv");
    Path influx = export("influx", "x.lp");
    int port = PeerProcess.freePort();
    String base = "http://127.0.0.1:" + port;
    try (PeerProcess vm =
        PeerProcess.start(
            List.of(
                "victoria-metrics",
                "-storageDataPath=" + dir.resolve("vm"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-retentionPeriod=100y",
                "-influxSkipSingleField"),
            port,
            base + "/health",
            dir)) {
      HttpClient http = HttpClient.newHttpClient();
      post(http, base + "/api/v1/import?extra_label=src=jsonl", jsonl);
      // Vigil's long CSV: the labels column arrives as one label, "labels" (VictoriaMetrics'
      // CSV import names a column's label, it cannot split a selector); the header row is skipped.
      post(
          http,
          base
              + "/api/v1/import/csv?extra_label=src=csv&format="
              + URLEncoder.encode(
                  "1:time:rfc3339,2:label:__name__,3:label:labels,4:metric:value",
                  StandardCharsets.UTF_8),
          csv);
      post(http, base + "/write?db=lp", influx);
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/internal/force_flush")).build(),
          HttpResponse.BodyHandlers.discarding());

      sameWithin15Digits(vmExport(http, base, "{src=\"jsonl\"}", "src"));
      sameWithin15Digits(vmExport(http, base, "{db=\"lp\"}", "db"));
      Map<String, TreeMap<Long, Double>> fromCsv = new TreeMap<>();
      for (String line : get(http, base, "{src=\"csv\"}").split("\n")) {
        JsonNode j = JSON.readTree(line);
        String k =
            j.get("metric").get("__name__").asText() + j.get("metric").get("labels").asText();
        fill(fromCsv.computeIfAbsent(k, x -> new TreeMap<>()), j);
      }
      sameWithin15Digits(fromCsv);

      // Its query API gives the same: the last value of each source series at its end.
      String q =
          base
              + "/api/v1/query?query="
              + URLEncoder.encode("up{src=\"jsonl\"}", StandardCharsets.UTF_8)
              + "&time="
              + (T0 + (N - 1) * 15_000L) / 1000.0;
      JsonNode r =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(q)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(r.at("/data/result/0/value/1").asText()).isEqualTo(Integer.toString((N - 1) % 2));
    }
  }

  /** The series first (a readable failure), then each one's samples. */
  private void same(Map<String, TreeMap<Long, Double>> back) {
    assertThat(back.keySet()).isEqualTo(source.keySet());
    for (String k : source.keySet()) {
      assertThat(back.get(k)).as(k).hasSameSizeAs(source.get(k)).isEqualTo(source.get(k));
    }
  }

  /**
   * As {@link #same}, values to 1e-12 relative: VictoriaMetrics stores a value as a decimal of at
   * most 15 significant digits (0.30000000000000004 comes back 0.3), whatever the input format.
   */
  private void sameWithin15Digits(Map<String, TreeMap<Long, Double>> back) {
    assertThat(back.keySet()).isEqualTo(source.keySet());
    for (String k : source.keySet()) {
      assertThat(back.get(k).keySet()).as(k).isEqualTo(source.get(k).keySet());
      for (Map.Entry<Long, Double> e : source.get(k).entrySet()) {
        double want = e.getValue();
        assertThat(back.get(k).get(e.getKey()))
            .as(k + " at " + e.getKey())
            .isCloseTo(want, within(Math.max(1e-300, Math.abs(want) * 1e-12)));
      }
    }
  }

  private static void post(HttpClient http, String url, Path body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofFile(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isBetween(200, 299);
  }

  private static String get(HttpClient http, String base, String match) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/v1/export?match[]="
                            + URLEncoder.encode(match, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body().strip();
  }

  private static Map<String, TreeMap<Long, Double>> vmExport(
      HttpClient http, String base, String match, String drop) throws Exception {
    Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
    for (String line : get(http, base, match).split("\n")) {
      JsonNode j = JSON.readTree(line);
      fill(out.computeIfAbsent(key(labels(j.get("metric"), drop)), k -> new TreeMap<>()), j);
    }
    return out;
  }

  private static void fill(TreeMap<Long, Double> m, JsonNode line) {
    JsonNode ts = line.get("timestamps");
    JsonNode vs = line.get("values");
    for (int i = 0; i < ts.size(); i++) {
      m.put(ts.get(i).asLong(), vs.get(i).asDouble());
    }
  }

  @Test
  void lineProtocol_throughInfluxDb_givesBackTheSource() throws Exception {
    Path lp = export("influx", "x.lp");
    int http = PeerProcess.freePort();
    int rpc = PeerProcess.freePort();
    Path conf = dir.resolve("influxdb.conf");
    Path home = dir.resolve("influx");
    Files.writeString(
        conf,
        "reporting-disabled = true\n"
            + "bind-address = \"127.0.0.1:"
            + rpc
            + "\"\n"
            + "[meta]\n  dir = \""
            + home.resolve("meta")
            + "\"\n"
            + "[data]\n  dir = \""
            + home.resolve("data")
            + "\"\n"
            + "  wal-dir = \""
            + home.resolve("wal")
            + "\"\n  query-log-enabled = false\n"
            + "[http]\n  bind-address = \"127.0.0.1:"
            + http
            + "\"\n  log-enabled = false\n"
            + "[monitor]\n  store-enabled = false\n");
    String base = "http://127.0.0.1:" + http;
    try (PeerProcess influxd =
        PeerProcess.start(
            List.of("influxd", "-config", conf.toString()), http, base + "/ping", dir)) {
      String port = Integer.toString(http);
      PeerProcess.run(
          dir, "influx", "-host", "127.0.0.1", "-port", port, "-execute", "CREATE DATABASE vigil");
      post(HttpClient.newHttpClient(), base + "/write?db=vigil", lp);
      same(influxSelect(port, "vigil"));

      // The same export sent straight to InfluxDB's write API, by both spellings of the URL.
      for (String[] dest :
          new String[][] {
            {"influxdb://127.0.0.1:" + port + "/direct", "direct"},
            {base + "/write?db=direct2", "direct2"}
          }) {
        PeerProcess.run(
            dir,
            "influx",
            "-host",
            "127.0.0.1",
            "-port",
            port,
            "-execute",
            "CREATE DATABASE " + dest[1]);
        int rc =
            Main.run(
                "export",
                "--storage.path",
                store.toString(),
                "--match",
                "{__name__=~\".+\"}",
                "--start",
                Long.toString(T0 / 1000),
                "--end",
                Long.toString(T0 / 1000 + 7200),
                "--format",
                "influx",
                "--output",
                dest[0]);
        assertThat(rc).as(err.toString()).isZero();
        same(influxSelect(port, dest[1]));
      }
    }
  }

  private Map<String, TreeMap<Long, Double>> influxSelect(String port, String db) throws Exception {
    String json =
        PeerProcess.run(
            dir,
            "influx",
            "-host",
            "127.0.0.1",
            "-port",
            port,
            "-database",
            db,
            "-format",
            "json",
            "-precision",
            "ms",
            "-execute",
            "SELECT value FROM /.*/ GROUP BY *");
    Map<String, TreeMap<Long, Double>> back = new TreeMap<>();
    List<JsonNode> series = new java.util.ArrayList<>();
    // One result per measurement; GROUP BY * lists every tag key of the database, empty where
    // the measurement has none.
    JSON.readTree(json).get("results").forEach(r -> r.path("series").forEach(series::add));
    for (JsonNode s : series) {
      Labels.Builder b = Labels.builder().set("__name__", s.get("name").asText());
      s.get("tags")
          .fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().asText().isEmpty()) {
                  b.set(e.getKey(), e.getValue().asText());
                }
              });
      TreeMap<Long, Double> m = back.computeIfAbsent(key(b.build()), k -> new TreeMap<>());
      for (JsonNode row : s.get("values")) {
        m.put(row.get(0).asLong(), row.get(1).asDouble());
      }
    }
    return back;
  }

  @Test
  void sqlite_theSqlite3CliCountsAndSumsMatch() throws Exception {
    Path db = export("sqlite", "x.db");
    String total = PeerProcess.run(dir, "sqlite3", db.toString(), "SELECT count(*) FROM samples");
    assertThat(total.strip()).isEqualTo(Integer.toString(3 * N));
    String rows =
        PeerProcess.run(
            dir,
            "sqlite3",
            "-separator",
            "|",
            db.toString(),
            "SELECT s.name, count(*), printf('%.17g', sum(x.value)), min(x.timestamp_ms),"
                + " max(x.timestamp_ms) FROM samples x JOIN series s ON s.id = x.series_id"
                + " GROUP BY s.id ORDER BY s.name");
    List<String> lines = rows.strip().lines().toList();
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      String[] f = line.split("\\|");
      TreeMap<Long, Double> src =
          source.entrySet().stream()
              .filter(e -> e.getKey().startsWith(f[0] + "{"))
              .findFirst()
              .orElseThrow()
              .getValue();
      assertThat(Long.parseLong(f[1])).isEqualTo(src.size());
      assertThat(Double.parseDouble(f[2]))
          .isCloseTo(src.values().stream().mapToDouble(d -> d).sum(), within(1e-9));
      assertThat(Long.parseLong(f[3])).isEqualTo(src.firstKey());
      assertThat(Long.parseLong(f[4])).isEqualTo(src.lastKey());
    }
  }
}
