package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbCommandTest extends CapturedOutput {
  @Test
  void importGzip_thenStats_thenDumpWithMatcher(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("in.om.gz");
    try (var w = new GZIPOutputStream(Files.newOutputStream(gz))) {
      w.write(
          ("# TYPE up unknown\n"
                  + "up{job=\"a\"} 1 1700000000.5\nup{job=\"a\"} 0 1700000001.5\n"
                  + "up{job=\"b\"} 1 1700000000\n# EOF\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Path db = dir.resolve("db");
    assertThat(Main.run("tsdb", "import", "openmetrics", gz.toString(), db.toString())).isZero();
    assertThat(out.toString()).contains("samples: 3, series: 2").contains("bytes per sample:");
    out.reset();
    assertThat(Main.run("tsdb", "stats", db.toString())).isZero();
    assertThat(out.toString()).contains("series: 2").contains("samples in blocks: 3");
    out.reset();
    assertThat(Main.run("tsdb", "dump", db.toString(), "--match", "up{job=\"a\"}")).isZero();
    assertThat(out.toString())
        .isEqualTo("up{job=\"a\"} 1 1700000000.500\nup{job=\"a\"} 0 1700000001.500\n# EOF\n");
  }

  @Test
  void benchWrite_printsSamplesPerSecond(@TempDir Path dir) throws Exception {
    Path labels = dir.resolve("l.json");
    Files.writeString(
        labels, "{\"__name__\": \"a\", \"i\": \"1\"}\n{\"__name__\": \"a\", \"i\": \"2\"}\n");
    int rc =
        Main.run(
            "tsdb",
            "bench",
            "write",
            "--metrics",
            "2",
            "--scrapes",
            "10",
            "--out",
            dir.resolve("b").toString(),
            labels.toString());
    assertThat(rc).isZero();
    assertThat(out.toString()).contains("total samples: 20").contains("samples/sec: ");
  }

  @Test
  void statsOfMissingDirectory_failsNamingIt(@TempDir Path dir) {
    assertThat(Main.run("tsdb", "stats", dir.resolve("nope").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("nope").contains("not a directory");
  }

  /** A store with one imported block (2 series, 3 samples), then held open with a head sample. */
  private static Path storeWithBlock(Path dir) throws Exception {
    Path om = dir.resolve("in.om");
    Files.writeString(
        om,
        "# TYPE up unknown\nup{job=\"a\"} 1 1700000000\nup{job=\"a\"} 0 1700000015\n"
            + "up{job=\"b\"} 1 1700000000\n# EOF\n");
    Path db = dir.resolve("db");
    assertThat(Main.run("tsdb", "import", "openmetrics", om.toString(), db.toString())).isZero();
    return db;
  }

  private static Tsdb live(Path db) throws Exception {
    Tsdb t =
        Tsdb.builder(db).backgroundInterval(Duration.ZERO).clock(() -> 1_800_000_000_000L).open();
    Appender a = t.appender();
    a.append(0, Labels.of("__name__", "live", "job", "c"), 1_800_000_000_000L, 7);
    a.commit();
    return t;
  }

  private static Map<String, String> files(Path db) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(db)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(
            db.relativize(p).toString(),
            Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  @Test
  void statsOfStoreInUse_readsItsBlocksWithoutTouchingAnything(@TempDir Path dir) throws Exception {
    Path db = storeWithBlock(dir);
    out.reset();
    try (Tsdb server = live(db)) {
      Map<String, String> before = files(db);
      err.reset();
      assertThat(Main.run("tsdb", "stats", db.toString())).isZero();
      assertThat(files(db)).isEqualTo(before);
    }
    assertThat(out.toString())
        .contains("series in blocks: 2\n")
        .contains("samples in blocks: 3\n")
        .contains("head: not read")
        .contains("blocks: 1 raw, ")
        .doesNotContain("live");
    assertThat(err.toString())
        .hasLineCount(1)
        .contains("is in use by a running Vigil server (lock file " + db.resolve("lock"))
        .contains("read without the lock")
        .doesNotContain("Exception");
  }

  @Test
  void dumpImportAndBenchOfStoreInUse_failWithOneLine(@TempDir Path dir) throws Exception {
    Path db = storeWithBlock(dir);
    Path labels = dir.resolve("l.json");
    Files.writeString(labels, "{\"__name__\": \"a\", \"i\": \"1\"}\n");
    try (Tsdb server = live(db)) {
      Map<String, String> before = files(db);
      err.reset();
      assertThat(Main.run("tsdb", "dump", db.toString())).isEqualTo(1);
      assertThat(err.toString())
          .hasLineCount(1)
          .startsWith("vigil tsdb dump: " + db + " is in use by a running Vigil server")
          .contains("/federate");
      err.reset();
      assertThat(
              Main.run(
                  "tsdb", "import", "openmetrics", dir.resolve("in.om").toString(), db.toString()))
          .isEqualTo(1);
      assertThat(err.toString())
          .hasLineCount(1)
          .startsWith("vigil tsdb import openmetrics: " + db + " is in use");
      err.reset();
      assertThat(Main.run("tsdb", "bench", "write", "--out", db.toString(), labels.toString()))
          .isEqualTo(1);
      assertThat(err.toString())
          .hasLineCount(1)
          .startsWith("vigil tsdb bench write: " + db + " is in use")
          .contains("give another directory");
      assertThat(files(db)).isEqualTo(before);
    }
  }

  @Test
  void importOfMalformedFile_failsWithOneLineNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path om = dir.resolve("bad.om");
    Files.writeString(om, "up{job=\"a\"} one 1\n# EOF\n");
    assertThat(
            Main.run("tsdb", "import", "openmetrics", om.toString(), dir.resolve("db").toString()))
        .isEqualTo(1);
    // (the progress bar before it ends with a carriage return, not a newline)
    String msg =
        err.toString().substring(err.toString().indexOf("vigil tsdb import openmetrics: "));
    assertThat(msg).hasLineCount(1).contains("bad.om:1");
    assertThat(err.toString()).doesNotContain("\tat ");
  }
}
