package dev.vigil.cli.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolsTest {
  @TempDir Path dir;

  private static final String OM =
      """
      # TYPE up unknown
      up{job="node",instance="a b"} 1 1700000000.000
      up{job="node",instance="a b"} 0 1700000001.5
      up{job="node",instance="a b"} +Inf 1700007300.25
      temp{loc="q\\"x\\\\y"} -0.5 1700000000.001
      temp{loc="q\\"x\\\\y"} NaN 1700000002
      # EOF
      """;

  @Test
  void importOpenMetrics_thenDump_roundTripsSamplesAndEscapes() throws Exception {
    Path file = dir.resolve("in.om");
    Files.writeString(file, OM);
    Path db = dir.resolve("db");
    OpenMetricsImporter.Result r = OpenMetricsImporter.run(file, db, b -> {});
    assertThat(r.samples()).isEqualTo(5);
    assertThat(r.series()).isEqualTo(2);
    assertThat(r.blocks()).hasSize(2); // the +Inf sample lies in the next 2 h block
    assertThat(r.rollups()).isEmpty(); // seconds of samples per block: too little for rollups
    try (Tsdb t = Tsdb.builder(db).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long n =
          StoreTools.dump(
              t,
              Selector.parse("{__name__=~\".+\"}"),
              Long.MIN_VALUE,
              Long.MAX_VALUE,
              new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(n).isEqualTo(5);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("temp{loc=\"q\\\"x\\\\y\"} -0.5 1700000000.001")
          .contains("temp{loc=\"q\\\"x\\\\y\"} NaN 1700000002")
          .contains("up{instance=\"a b\",job=\"node\"} 0 1700000001.500")
          .contains("up{instance=\"a b\",job=\"node\"} +Inf 1700007300.250")
          .endsWith("# EOF\n");
      Map<String, String> stats = StoreTools.stats(t);
      assertThat(stats.get("series")).isEqualTo("2");
      assertThat(stats.get("samples in blocks")).isEqualTo("5");
    }
  }

  @Test
  void import_malformedLine_namesFileLineAndColumn() throws Exception {
    Path file = dir.resolve("bad.om");
    Files.writeString(file, "up 1 1700000000\nup{job=\"x} 1 2\n");
    assertThatThrownBy(() -> OpenMetricsImporter.run(file, dir.resolve("db"), b -> {}))
        .hasMessageContaining("bad.om:2:")
        .hasMessageContaining("column");
  }

  @Test
  void selector_parsesEveryMatcherType() {
    assertThat(Selector.parse("up{job=\"a\",i!=\"b\",x=~\"c.*\",y!~\"d\"}"))
        .containsExactly(
            LabelMatcher.equal("__name__", "up"),
            LabelMatcher.equal("job", "a"),
            LabelMatcher.notEqual("i", "b"),
            LabelMatcher.regex("x", "c.*"),
            LabelMatcher.notRegex("y", "d"));
    assertThatThrownBy(() -> Selector.parse("up{job}")).hasMessageContaining("column");
  }

  @Test
  void labelsJson_readsPlainAndEscapedStrings() {
    assertThat(
            LabelsJson.parse("{\"__name__\": \"up\", \"job\":\"a b\"}", new java.util.HashMap<>()))
        .isEqualTo(Labels.of("__name__", "up", "job", "a b"));
    assertThat(
            LabelsJson.parse(
                "{\"__name__\":\"up\",\"path\":\"q\\\"x\\\\y\\n\\u0041\"}",
                new java.util.HashMap<>()))
        .isEqualTo(Labels.of("__name__", "up", "path", "q\"x\\y\nA"));
  }

  @Test
  void writeBenchmark_appendsEveryScrapeOfEverySeries() throws Exception {
    Path labels = dir.resolve("l.json");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      sb.append("{\"__name__\": \"m\", \"id\": \"").append(i).append("\"}\n");
    }
    Files.writeString(labels, sb);
    List<Labels> ls = LabelsJson.read(labels, 1200);
    assertThat(ls).hasSize(1200);
    WriteBenchmark.Result r = WriteBenchmark.run(dir.resolve("b"), ls, 150, n -> {});
    assertThat(r.samples()).isEqualTo(1200L * 150);
    assertThat(r.series()).isEqualTo(1200);
    try (Tsdb t =
        Tsdb.builder(dir.resolve("b")).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      assertThat(StoreTools.stats(t).get("samples in head")).isEqualTo("180000");
    }
  }
}
