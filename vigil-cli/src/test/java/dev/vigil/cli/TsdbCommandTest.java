package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
