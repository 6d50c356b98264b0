package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckMetricsCommandTest extends CapturedOutput {
  @Test
  void validOpenMetrics_exitsZeroSilently(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.txt");
    Files.writeString(f, "# TYPE a counter\na_total 1 # {trace_id=\"x\"} 1\n# EOF\n");
    assertThat(Main.run("check", "metrics", "--openmetrics", f.toString())).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void invalidInput_exitsOneWithLineNumber(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "# TYPE a gauge\na 1\na{b=\"1\"} x\n");
    assertThat(Main.run("check", "metrics", f.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("line 3: expected float as value, got \"x\"\n");
  }

  @Test
  void prometheusTextWithoutEof_isValidButNotAsOpenMetrics(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("p.txt");
    Files.writeString(f, "# HELP a A.\n# TYPE a gauge\na 1\n");
    assertThat(Main.run("check", "metrics", f.toString())).isZero();
    assertThat(Main.run("check", "metrics", "--openmetrics", f.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("missing '# EOF'");
  }

  @Test
  void missingFile_isReported(@TempDir Path dir) {
    assertThat(Main.run("check", "metrics", dir.resolve("nope").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file");
  }

  @Test
  void example_printsAnExpositionThatChecksClean(@TempDir Path dir) throws Exception {
    assertThat(Main.run("example", "--format", "openmetrics", "--requests", "200")).isZero();
    String exposition = out.toString(StandardCharsets.UTF_8);
    assertThat(exposition)
        .contains("example_api_requests_total{endpoint=")
        .contains("# {span_id=")
        .endsWith("# EOF\n");
    Path f = dir.resolve("example.txt");
    Files.writeString(f, exposition);
    assertThat(Main.run("check", "metrics", "--openmetrics", f.toString())).isZero();
    assertThat(err.toString()).isEmpty();
  }
}
