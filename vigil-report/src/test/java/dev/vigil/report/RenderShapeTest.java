package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Markdown and JSON shapes of the built-in reports over a known day of data. */
class RenderShapeTest {
  private final ReportRunner runner = Fixtures.runner();
  private final ReportLibrary lib = ReportLibrary.of(null);

  @Test
  void markdown_hasTitleRangeEverySectionTilesTablesAndFigureSummaries() {
    Report r = runner.run(lib.get("system_performance"), null, Fixtures.END);
    String md = new String(ReportFormat.MD.render(r), StandardCharsets.UTF_8);
    assertThat(md)
        .startsWith(
            "# System performance\n\nFrom 2026-03-01T00:00:00Z to 2026-03-02T00:00:00Z (step 360s).\n");
    for (ReportDefinition.Section s : lib.get("system_performance").sections()) {
      assertThat(md).contains("\n## " + s.title() + "\n");
    }
    // 24 h of checkout at 2/s and search at 1/s: 259,200 requests; CPU ends at 0.4 + 0.2 sin(...).
    assertThat(md).contains("| Requests | 259,200 |");
    assertThat(md).contains("| Failed requests | 1,728 |");
    assertThat(md)
        .contains(
            "| service | Requests | Errors | Error ratio |\n|---|---|---|---|\n| checkout | 172,800 | 1,728 | 1.00 % |\n| search | 86,400 | 0 | 0 % |");
    assertThat(md).contains("**Figure 3: Requests per second by service** (per second)");
    assertThat(md).contains("| checkout | 2.00/s | 2.00/s | 2.00/s | 2.00/s |");
  }

  @Test
  void json_hasSectionsWithStatsTablesAndChartSeries() throws Exception {
    Report r = runner.run(lib.get("cost"), null, Fixtures.END);
    JsonNode j = new ObjectMapper().readTree(ReportFormat.JSON.render(r));
    assertThat(j.get("name").asText()).isEqualTo("cost");
    assertThat(j.get("title").asText()).isEqualTo("Cost by provider and model");
    assertThat(j.get("step").asDouble()).isEqualTo(3600);
    JsonNode sections = j.get("sections");
    assertThat(sections).hasSize(5);
    JsonNode total = sections.get(0).get("stats").get(0);
    assertThat(total.get("title").asText()).isEqualTo("Total cost");
    // Only a day of data: 1450 minutes × (0.01 + 0.02) = 43.5.
    assertThat(total.get("value").asDouble())
        .isCloseTo(43.5, org.assertj.core.data.Offset.offset(0.05));
    assertThat(total.get("unit").asText()).isEqualTo("currency");
    JsonNode chart = sections.get(1).get("chart");
    assertThat(chart.get("figure").asInt()).isEqualTo(1);
    assertThat(chart.get("kind").asText()).isEqualTo("bar");
    assertThat(chart.get("series"))
        .extracting(s -> s.get("name").asText())
        .containsExactly("anthropic", "openai");
    JsonNode point =
        chart
            .get("series")
            .get(0)
            .get("values")
            .get(chart.get("series").get(0).get("values").size() - 1);
    assertThat(point.get(0).asDouble()).isEqualTo(Fixtures.END.getEpochSecond());
    assertThat(point.get(1).asDouble()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(0.01));
    JsonNode byModel = sections.get(4).get("table");
    assertThat(byModel.get("header").toString())
        .isEqualTo(
            "[\"provider\",\"model\",\"Cost\",\"Generations\",\"Prompt tokens\",\"Output tokens\"]");
    assertThat(byModel.get("rows").get(0).get(1).asText()).isEqualTo("claude");
  }

  @Test
  void range_isBounded_andTheStepCoarsenedToTheChartPointLimit() {
    ReportDefinition def = lib.get("system_performance");
    assertThatThrownBy(() -> runner.run(def, Duration.ofDays(401), Fixtures.END))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("at most 400d");
    ReportDefinition fine =
        ReportDefinition.parse(
            "f.yml", "step: 1s\nsections:\n  - title: A\n    chart: {query: vector(1)}\n", "f");
    Report r = runner.run(fine, Duration.ofDays(1), Fixtures.END);
    assertThat(86_400_000 / r.stepMs() + 1).isLessThanOrEqualTo(ReportRunner.MAX_POINTS);
    assertThat(r.parts().get(0).chart().lines().get(0).timestamps().length)
        .isLessThanOrEqualTo(ReportRunner.MAX_POINTS);
  }

  @Test
  void failingQuery_isAReportErrorNamingTheSection() {
    ReportDefinition bad =
        ReportDefinition.parse(
            "b.yml", "sections:\n  - title: Broken\n    chart: {query: 'up[5m]'}\n", "b");
    assertThatThrownBy(() -> runner.run(bad, null, Fixtures.END))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("section \"Broken\": query failed");
  }

  @Test
  void units_printAsAPersonReadsThem() {
    assertThat(Unit.COUNT.format(1079723)).isEqualTo("1,079,723");
    assertThat(Unit.RATIO.format(0.0123)).isEqualTo("1.23 %");
    assertThat(Unit.SECONDS.format(0.23)).isEqualTo("230 ms");
    assertThat(Unit.BYTES.format(1.5 * 1024 * 1024)).isEqualTo("1.50 MiB");
    assertThat(Unit.CURRENCY.format(43.5)).isEqualTo("43.5000");
    assertThat(Unit.PER_SECOND.format(Double.NaN)).isEqualTo("–");
  }

  @Test
  void flatChart_getsAReadableAxis_notOneZoomedIntoRoundingNoise() {
    ReportDefinition flat =
        ReportDefinition.parse(
            "f.yml",
            "sections:\n  - title: A\n    chart: {query: 'vector(0)', unit: bytes_per_second}\n",
            "f");
    Report r = runner.run(flat, Duration.ofHours(1), Fixtures.END);
    org.jfree.chart.plot.XYPlot plot = Charts.chart(r.parts().get(0).chart()).getXYPlot();
    assertThat(plot.getRangeAxis().getRange().getLength()).isEqualTo(1.0);
  }
}
