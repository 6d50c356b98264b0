package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AotTrainCommandTest {
  @Test
  void oneRoundAnswersEveryTrainingRequestWithSuccess() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new AotTrainCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int code = cl.execute("--rounds", "1");
    // 24 GETs (widgets, formats, API, dashboard) + 23 queries x 2 ranges; any non-2xx fails.
    assertThat(out.toString()).contains("aot-train: 70 requests answered");
    assertThat(code).isZero();
  }
}
