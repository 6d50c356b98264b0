package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.tsdb.Tsdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil export} run in-process: offline on a data directory (free, and held by a running
 * store), against a running server (raw and on a grid, with its token), every format, and the
 * one-line errors and exit codes of bad input.
 */
class ExportCommandTest extends CapturedOutput {
  private static final long T0 = 1_765_100_000_000L; // 2025-12-07T09:33:20Z
  private static final String START = Long.toString(T0 / 1000);
  private static final String END = Long.toString(T0 / 1000 + 3600);

  @TempDir Path dir;

  /** A closed store holding up{job=a} 0,1,0,1 and up{job=b} 1,1,1,1 every 15 s from T0. */
  private Path store() throws Exception {
    Path db = dir.resolve("data");
    try (Tsdb t = Tsdb.builder(db).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      fill(t.appender());
    }
    return db;
  }

  private static void fill(Appender app) throws Exception {
    for (int i = 0; i < 4; i++) {
      app.append(0, Labels.of("__name__", "up", "job", "a"), T0 + i * 15_000L, i % 2);
      app.append(0, Labels.of("__name__", "up", "job", "b"), T0 + i * 15_000L, 1);
    }
    app.commit();
  }

  private int export(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "export";
    System.arraycopy(args, 0, all, 1, args.length);
    return Main.run(all);
  }

  @Test
  void offline_csvLong_toStdout() throws Exception {
    Path db = store();
    int rc =
        export(
            "--storage.path",
            db.toString(),
            "--match",
            "up{job=\"a\"}",
            "--start",
            START,
            "--end",
            END,
            "--format",
            "csv");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            timestamp,name,labels,value
            2025-12-07T09:33:20.000Z,up,"{job=""a""}",0
            2025-12-07T09:33:35.000Z,up,"{job=""a""}",1
            2025-12-07T09:33:50.000Z,up,"{job=""a""}",0
            2025-12-07T09:34:05.000Z,up,"{job=""a""}",1
            """);
    assertThat(err.toString()).as("no progress bar when not on a terminal").isEmpty();
  }

  @Test
  void offline_everyStreamFormat_toAFile() throws Exception {
    Path db = store();
    for (String f : List.of("json", "jsonl", "influx", "openmetrics")) {
      Path file = dir.resolve("out." + f);
      int rc =
          export(
              "--storage.path",
              db.toString(),
              "--match",
              "up",
              "--start",
              START,
              "--end",
              END,
              "--format",
              f,
              "--output",
              file.toString());
      assertThat(rc).as(f + ": " + err).isZero();
      String text = Files.readString(file);
      switch (f) {
        case "json" ->
            assertThat(text).startsWith("{\"status\":\"success\"").contains("\"job\":\"b\"");
        case "jsonl" ->
            assertThat(text.lines()).hasSize(2).allMatch(l -> l.contains("\"timestamps\":["));
        case "influx" ->
            assertThat(text).contains("up,job=a value=1 " + (T0 + 15_000) * 1_000_000L + "\n");
        default ->
            assertThat(text).contains("up{job=\"b\"} 1 " + T0 / 1000 + "\n").endsWith("# EOF\n");
      }
    }
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void offline_sqlite_countsAndSums() throws Exception {
    Path db = store();
    Path file = dir.resolve("x.db");
    assertThat(
            export(
                "--storage.path",
                db.toString(),
                "--match",
                "up",
                "--start",
                START,
                "--end",
                END,
                "--format",
                "sqlite",
                "-o",
                file.toString()))
        .isZero();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet r =
            c.createStatement().executeQuery("SELECT count(*), sum(value) FROM samples")) {
      r.next();
      assertThat(r.getLong(1)).isEqualTo(8);
      assertThat(r.getDouble(2)).isEqualTo(6.0);
    }
  }

  @Test
  void offline_step_evaluatesPromqlOnTheGrid_wideLayout() throws Exception {
    Path db = store();
    int rc =
        export(
            "--storage.path",
            db.toString(),
            "--query",
            "sum(up)",
            "--start",
            START,
            "--end",
            Long.toString(T0 / 1000 + 30),
            "--step",
            "15s",
            "--format",
            "csv",
            "--layout",
            "wide");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
            timestamp,query_result
            2025-12-07T09:33:20.000Z,1
            2025-12-07T09:33:35.000Z,2
            2025-12-07T09:33:50.000Z,1
            """);
  }

  @Test
  void offline_storeHeldByARunningServer_readsItsBlocksWithoutTheLock() throws Exception {
    Path om = dir.resolve("in.om");
    Files.writeString(
        om, "up{job=\"a\"} 1 " + T0 / 1000 + "\nup{job=\"a\"} 0 " + (T0 / 1000 + 15) + "\n# EOF\n");
    Path db = dir.resolve("held");
    assertThat(Main.run("tsdb", "import", "openmetrics", om.toString(), db.toString())).isZero();
    out.reset();
    try (Tsdb held = Tsdb.builder(db).backgroundInterval(Duration.ZERO).open()) {
      int rc =
          export(
              "--storage.path",
              db.toString(),
              "--match",
              "up",
              "--start",
              START,
              "--end",
              END,
              "--format",
              "openmetrics");
      assertThat(rc).as(err.toString()).isZero();
      assertThat(out.toString())
          .isEqualTo(
              "up{job=\"a\"} 1 "
                  + T0 / 1000
                  + "\nup{job=\"a\"} 0 "
                  + (T0 / 1000 + 15)
                  + "\n# EOF\n");
      assertThat(err.toString()).contains("in use by a running Vigil server").contains("--url");
    }
  }

  @Test
  void offline_blocksThenTheWal_eachSampleOnce() throws Exception {
    Path om = dir.resolve("old.om");
    Files.writeString(
        om, "up{job=\"a\"} 1 " + T0 / 1000 + "\nup{job=\"a\"} 0 " + (T0 / 1000 + 15) + "\n# EOF\n");
    Path db = dir.resolve("mixed");
    assertThat(Main.run("tsdb", "import", "openmetrics", om.toString(), db.toString())).isZero();
    long later = T0 + 3 * 3_600_000L; // past the imported block
    try (Tsdb t =
        Tsdb.builder(db).backgroundInterval(Duration.ZERO).clock(() -> later).log(m -> {}).open()) {
      Appender app = t.appender();
      app.append(0, Labels.of("__name__", "up", "job", "a"), later, 1);
      app.commit();
    }
    out.reset();
    int rc =
        export(
            "--storage.path",
            db.toString(),
            "--match",
            "up",
            "--start",
            START,
            "--end",
            Long.toString(later / 1000),
            "--format",
            "openmetrics");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "up{job=\"a\"} 1 "
                + T0 / 1000
                + "\nup{job=\"a\"} 0 "
                + (T0 / 1000 + 15)
                + "\n"
                + "up{job=\"a\"} 1 "
                + later / 1000
                + "\n# EOF\n");
  }

  @Test
  void remote_rawAndGrid_withTheServersReadToken() throws Exception {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of("tok"), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        VigilConfig.defaults()
            .withServer(sc)
            .withStoragePath(dir.resolve("srv"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(5), false, false, false, false, "app_"));
    try (Vigil v = Vigil.builder(config).clock(() -> T0 + 3_600_000L).start()) {
      fill(v.storage().appender());
      int rc =
          export(
              "--url",
              v.url(),
              "--token",
              "tok",
              "--match",
              "up{job=\"b\"}",
              "--start",
              START,
              "--end",
              END,
              "--format",
              "jsonl");
      assertThat(rc).as(err.toString()).isZero();
      assertThat(out.toString())
          .isEqualTo(
              "{\"metric\":{\"__name__\":\"up\",\"job\":\"b\"},\"values\":[1,1,1,1],\"timestamps\":["
                  + T0
                  + ","
                  + (T0 + 15_000)
                  + ","
                  + (T0 + 30_000)
                  + ","
                  + (T0 + 45_000)
                  + "]}\n");
      out.reset();
      rc =
          export(
              "--url",
              v.url(),
              "--token",
              "tok",
              "--query",
              "sum(up)",
              "--start",
              START,
              "--end",
              Long.toString(T0 / 1000 + 15),
              "--step",
              "15s",
              "--format",
              "openmetrics");
      assertThat(rc).as(err.toString()).isZero();
      assertThat(out.toString())
          .isEqualTo(
              "query_result 1 " + T0 / 1000 + "\nquery_result 2 " + (T0 / 1000 + 15) + "\n# EOF\n");
      out.reset();
      Appender app = v.storage().appender();
      Labels inf = Labels.of("__name__", "x", "le", "+Inf");
      app.append(0, inf, T0, Double.POSITIVE_INFINITY);
      app.append(0, inf, T0 + 1000, Double.NEGATIVE_INFINITY);
      app.append(0, inf, T0 + 2000, 1);
      app.commit();
      rc =
          export(
              "--url",
              v.url(),
              "--token",
              "tok",
              "--match",
              "x",
              "--start",
              START,
              "--end",
              END,
              "--format",
              "openmetrics");
      assertThat(rc).as(err.toString()).isZero();
      assertThat(out.toString())
          .isEqualTo(
              "x{le=\"+Inf\"} +Inf "
                  + T0 / 1000
                  + "\nx{le=\"+Inf\"} -Inf "
                  + (T0 / 1000 + 1)
                  + "\nx{le=\"+Inf\"} 1 "
                  + (T0 / 1000 + 2)
                  + "\n# EOF\n");
      out.reset();
      Path file = dir.resolve("nope.csv");
      rc = export("--url", v.url(), "--match", "up", "--output", file.toString());
      assertThat(rc).isEqualTo(1);
      assertThat(err.toString()).contains("answered 401 (give --token)");
      assertThat(file).as("no partial file on failure").doesNotExist();
      assertThat(dir.resolve(".nope.csv.partial")).doesNotExist();
    }
  }

  @Test
  void badInput_oneLineErrors_exit1() throws Exception {
    Path db = store();
    String p = db.toString();
    String[][] cases = {
      {"--storage.path", p, "--match", "up", "--start", "yesterday"},
      {"--storage.path", p, "--match", "up{job=", "--start", START},
      {"--storage.path", p, "--match", "up", "--format", "parquet", "-o", "x.parquet"},
      {"--storage.path", p, "--match", "up", "--format", "sqlite"},
      {"--storage.path", p, "--query", "sum(up)"},
      {"--match", "up"},
      {"--storage.path", p, "--url", "http://127.0.0.1:1", "--match", "up"},
      {"--storage.path", p, "--match", "up", "--step", "60"},
      {"--storage.path", p, "--match", "up", "--format", "xml"},
      {"--storage.path", p, "--match", "up", "--layout", "wide", "--format", "jsonl"},
      {"--storage.path", dir.resolve("missing").toString(), "--match", "up"},
      {"--storage.path", p, "--match", "up", "--start", START, "-o", "s3://Bad_Bucket/x.csv"},
    };
    String[] expected = {
      "--start: invalid time \"yesterday\"",
      "invalid selector \"up{job=\"",
      "parquet is not supported",
      "give --output FILE",
      "give --step",
      "give --url",
      "one of them",
      "--step: invalid duration \"60\"",
      "unknown format \"xml\"",
      "--layout wide is a CSV layout",
      "is not a directory",
      "expected s3://BUCKET/PREFIX/",
    };
    for (int i = 0; i < cases.length; i++) {
      err.reset();
      assertThat(export(cases[i])).as(String.join(" ", cases[i])).isEqualTo(1);
      String e = err.toString();
      assertThat(e).startsWith("vigil export: ").contains(expected[i]);
      assertThat(e.strip().lines()).as(e).hasSize(1);
    }
  }

  @Test
  void help_exit0() {
    assertThat(export("--help")).isZero();
    assertThat(out.toString()).contains("--match").contains("--storage.path").contains("jsonl");
  }
}
