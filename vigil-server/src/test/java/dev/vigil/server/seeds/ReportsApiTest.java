package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/metrics/report} with formats, {@code reports.folder} and its limits, over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsApiTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  @TempDir static Path dir;
  private Vigil vigil;
  private Path folder;

  @BeforeAll
  void start() throws Exception {
    folder = Files.createDirectories(dir.resolve("reports"));
    Files.writeString(
        folder.resolve("mine.yml"),
        """
        title: My report
        range: 1h
        sections:
          - title: Constant
            stats: [{title: Answer, query: "vector(42)", unit: count}]
          - title: A line
            chart: {query: "vector(1)", caption: One all along, legend: one}
        """);
    Path yml = dir.resolve("vigil.yml");
    Files.writeString(
        yml,
        """
        collect: {interval: 1s, system: false, jvm: false, gpu: false, self: true}
        reports:
          folder: reports
          schedule:
            - {cron: "0 0 1 1 *", report: mine, format: md, folder: out}
        """);
    VigilConfig c =
        ConfigLoader.load(yml, Map.of())
            .withListen("127.0.0.1", 0)
            .withStoragePath(dir.resolve("data"));
    vigil = Vigil.builder(c).configFile(yml, Map.of()).start();
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void customReport_inEveryFormat() throws Exception {
    HttpResponse<byte[]> pdf = get("/api/metrics/report?type=mine&format=pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(pdf.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"mine.pdf\"");
    assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

    HttpResponse<byte[]> md = get("/api/metrics/report?type=mine&format=md");
    assertThat(md.headers().firstValue("Content-Type")).hasValue("text/markdown; charset=utf-8");
    assertThat(text(md))
        .startsWith("# My report\n")
        .contains("| Answer | 42 |")
        .contains("**Figure 1: One all along**");

    HttpResponse<byte[]> html = get("/api/metrics/report?type=mine&format=html");
    assertThat(text(html)).startsWith("<!DOCTYPE html>").contains("src=\"data:image/png;base64,");

    JsonNode j =
        new ObjectMapper().readTree(get("/api/metrics/report?type=mine&format=json").body());
    assertThat(j.get("sections").get(0).get("stats").get(0).get("value").asDouble()).isEqualTo(42);
    assertThat(j.get("sections").get(1).get("chart").get("series").get(0).get("name").asText())
        .isEqualTo("one");
    // timeframe (hours) overrides the definition's range.
    JsonNode two =
        new ObjectMapper()
            .readTree(get("/api/metrics/report?type=mine&format=json&timeframe=2").body());
    assertThat(Duration(two)).isEqualTo(7200);
  }

  private static long Duration(JsonNode j) {
    return java.time.Duration.between(
            java.time.Instant.parse(j.get("start").asText()),
            java.time.Instant.parse(j.get("end").asText()))
        .toSeconds();
  }

  @Test
  void builtinTypes_keepTheirJsonWithoutFormat_andRenderWithOne() throws Exception {
    JsonNode legacy =
        new ObjectMapper().readTree(get("/api/metrics/report?type=system_performance").body());
    assertThat(legacy.has("key_metrics")).isTrue();
    assertThat(legacy.get("type").asText()).isEqualTo("system_performance");
    String md = text(get("/api/metrics/report?type=quality_trends&format=md"));
    assertThat(md)
        .startsWith("# Quality trends\n")
        .contains("\n## Failure ratios\n")
        // The quality recorder's sections (VIBEZEN's thinking, DevLoop's findings and value).
        .contains("\n## Thinking\n", "\n## Findings and value\n", "CI failures prevented");
  }

  @Test
  void editedDefinition_appliesOnTheNextRequest() throws Exception {
    Path f = folder.resolve("later.yml");
    Files.writeString(f, "title: Later\nsections:\n  - title: T\n    text: first\n");
    assertThat(text(get("/api/metrics/report?type=later&format=md"))).contains("first");
    Files.writeString(f, "title: Later\nsections:\n  - title: T\n    text: second, longer\n");
    assertThat(text(get("/api/metrics/report?type=later&format=md"))).contains("second, longer");
    Files.writeString(f, "title: Later\nsections:\n  - title: T\n    txet: typo\n");
    HttpResponse<byte[]> bad = get("/api/metrics/report?type=later&format=md");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(text(bad)).contains("later.yml:4: sections[0].txet: unknown key");
    Files.delete(f);
  }

  @Test
  void badRequests_are400NamingTheProblem_andPathsAreRefused() throws Exception {
    String[][] cases = {
      {
        "type=" + URLEncoder.encode("../../../etc/passwd", StandardCharsets.UTF_8) + "&format=md",
        "invalid report name"
      },
      {
        "type=" + URLEncoder.encode("/etc/passwd", StandardCharsets.UTF_8) + "&format=pdf",
        "invalid report name"
      },
      {
        "type=nope&format=md",
        "unknown report type \\\"nope\\\": one of system_performance, weekly_summary, cost, quality_trends, mine"
      },
      {"type=mine&format=docx", "unknown report format \\\"docx\\\""},
      {"type=mine&format=md&timeframe=100000", "timeframe must be a number of hours in (0, 9600]"},
      {"format=md", "invalid report name \\\"null\\\""},
    };
    for (String[] c : cases) {
      HttpResponse<byte[]> r = get("/api/metrics/report?" + c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(text(r))
          .as(c[0])
          .contains(c[1])
          .doesNotContain("Exception")
          .doesNotContain("at dev.");
    }
  }

  @Test
  void schedule_isExposedAsMetrics() throws Exception {
    assertThat(text(get("/metrics")))
        .contains("vigil_report_schedule_runs_total{report=\"mine\"} 0")
        .contains("vigil_report_schedule_failures_total{report=\"mine\"} 0");
  }

  @Test
  void config_errorsNameFileLineAndKey() throws Exception {
    String base = "reports:\n  schedule:\n";
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "v.yml",
                    base + "    - {cron: \"61 * * * *\", report: cost, folder: x}\n",
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("v.yml:3: reports.schedule[0].cron: minute: 61 is out of range 0-59");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "v.yml",
                    base + "    - {cron: \"@daily\", report: monthly, folder: x}\n",
                    Map.of()))
        .hasMessageContaining(
            "v.yml:3: reports.schedule[0].report: unknown report type \"monthly\"");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "v.yml", base + "    - {cron: \"@daily\", report: cost}\n", Map.of()))
        .hasMessageContaining("reports.schedule[0].folder: give a folder and/or an email receiver");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "v.yml",
                    base + "    - {cron: \"@daily\", report: cost, email: team}\n",
                    Map.of()))
        .hasMessageContaining(
            "reports.schedule[0].email: no notify receiver \"team\" with email_configs (the notify section has none)");
    assertThatThrownBy(() -> ConfigLoader.parse("v.yml", "reports:\n  foldr: x\n", Map.of()))
        .hasMessageContaining(
            "v.yml:2: reports.foldr: unknown key (known: folder, timezone, schedule)");
    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(
        broken.resolve("b.yml"), "sections:\n  - title: x\n    chart: {query: 'sum('}\n");
    assertThatThrownBy(
            () -> ConfigLoader.parse("v.yml", "reports:\n  folder: " + broken + "\n", Map.of()))
        .hasMessageContaining("reports.folder: ")
        .hasMessageContaining("b.yml:3: sections[0].chart.query: invalid PromQL");
  }
}
