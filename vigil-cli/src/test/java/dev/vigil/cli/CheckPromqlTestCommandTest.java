package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckPromqlTestCommandTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new CheckPromqlTestCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), out.toString()};
  }

  @Test
  void passingFile_printsTotalsAndExitsZero(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.test");
    Files.writeString(
        f,
        """
        load 1m
          up{job="a"} 0+1x10

        eval instant at 5m up
          up{job="a"} 5

        eval instant at 5m sum(rate(up[5m]))
          {} 0.016666666666666666
        """);
    String[] r = run(f.toString());
    assertThat(r[1]).endsWith("2 passed, 0 failed, 0 skipped" + System.lineSeparator());
    assertThat(r[0]).isEqualTo("0");
  }

  @Test
  void failingEval_isPrintedWithLineAndExitsOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.test");
    Files.writeString(
        f,
        """
        load 1m
          up{job="a"} 1

        eval instant at 1m up
          up{job="a"} 2
        """);
    String[] r = run(f.toString());
    assertThat(r[1]).contains("FAIL " + f + ":4: up").contains("0 passed, 1 failed, 0 skipped");
    assertThat(r[0]).isEqualTo("1");
  }

  @Test
  void sharedConformanceFiles_haveNoFailures() {
    Path dir =
        Path.of(System.getProperty("vigil.root", "."))
            .resolve("../shared/promqltest/literals.test");
    String[] r = run(dir.normalize().toString());
    assertThat(r[1]).contains(" 0 failed");
    assertThat(r[0]).isEqualTo("0");
  }
}
