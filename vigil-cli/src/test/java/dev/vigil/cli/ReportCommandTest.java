package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.tsdb.Tsdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest extends CapturedOutput {
  @TempDir Path dir;

  private static final Instant END = Instant.parse("2026-03-02T08:00:00Z");

  @Test
  void storagePath_rendersACustomDefinition_atTheGivenEnd() throws Exception {
    Path db = dir.resolve("data");
    try (Tsdb t =
        Tsdb.builder(db).backgroundInterval(Duration.ZERO).clock(END::toEpochMilli).open()) {
      Appender a = t.appender();
      for (int i = 0; i <= 60; i++) {
        long ts = END.toEpochMilli() - (60 - i) * 60_000L;
        a.append(
            0, Labels.of("__name__", "app_api_requests_total", "service", "web"), ts, i * 60.0);
      }
      a.commit();
    }
    Path folder = Files.createDirectories(dir.resolve("reports"));
    Files.writeString(
        folder.resolve("hour.yml"),
        """
        title: Last hour
        range: 1h
        sections:
          - title: Traffic
            stats: [{title: Requests, query: "sum(increase({ns}api_requests_total[$range]))", unit: count}]
        """);
    Path md = dir.resolve("hour.md");
    int code =
        Main.run(
            "report",
            "hour",
            "--storage.path",
            db.toString(),
            "--reports.folder",
            folder.toString(),
            "--format",
            "md",
            "--end",
            END.toString(),
            "--output",
            md.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(md))
        .startsWith("# Last hour\n\nFrom 2026-03-02T07:00:00Z to 2026-03-02T08:00:00Z")
        .contains("| Requests | 3,600 |");

    assertThat(Main.run("report", "--list", "--reports.folder", folder.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("system_performance\tSystem performance")
        .contains("hour\tLast hour");
  }

  @Test
  void url_writesThePdfTheServerRenders_andReportsItsErrors() throws Exception {
    try (Vigil v =
        Vigil.start(
            VigilConfig.defaults().withListen("127.0.0.1", 0).withStoragePath(dir.resolve("d")))) {
      Path pdf = dir.resolve("w.pdf");
      assertThat(
              Main.run(
                  "report",
                  "weekly_summary",
                  "--url",
                  v.url(),
                  "--format",
                  "pdf",
                  "--output",
                  pdf.toString()))
          .as(err.toString(StandardCharsets.UTF_8))
          .isZero();
      assertThat(new String(Files.readAllBytes(pdf), 0, 5, StandardCharsets.US_ASCII))
          .isEqualTo("%PDF-");

      assertThat(Main.run("report", "../etc/passwd", "--url", v.url(), "--format", "md"))
          .isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("vigil report: ")
          .contains("answered 400: invalid report name \"../etc/passwd\"");
    }
  }

  @Test
  void usage_errorsExit2_andBadValuesExit1() {
    assertThat(Main.run("report", "cost")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --url URL");
    assertThat(Main.run("report", "cost", "--url", "http://x", "--storage.path", "y")).isEqualTo(2);
    assertThat(Main.run("report", "cost", "--url", "http://127.0.0.1:9", "--format", "docx"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown report format \"docx\"");
    assertThat(Main.run("report", "cost", "--url", "http://127.0.0.1:9", "--range", "3 days"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected a positive duration");
  }
}
