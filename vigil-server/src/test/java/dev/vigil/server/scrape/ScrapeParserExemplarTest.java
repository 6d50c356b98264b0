package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Exemplars in the streaming scrape parser, with the OpenMetrics project's conformance cases. */
class ScrapeParserExemplarTest {
  /** A parsed exemplar and the sample name it followed. */
  private record E(String sample, List<String> labels, double value, long ts) {}

  private static List<E> exemplars(String body) throws ScrapeParser.ParseException {
    List<E> out = new ArrayList<>();
    String[] last = new String[1];
    ScrapeParser.parse(
        body.getBytes(StandardCharsets.UTF_8),
        ScrapeFormat.OPENMETRICS,
        new ScrapeParser.Sink() {
          @Override
          public void sample(String key, String name, List<String> l, double v, long ts) {
            last[0] = key;
          }

          @Override
          public void exemplar(List<String> labels, double value, long ts) {
            out.add(new E(last[0], List.copyOf(labels), value, ts));
          }
        });
    return out;
  }

  @Test
  void counterAndHistogramExemplars_areHandedOverAfterTheirSample() throws Exception {
    List<E> e =
        exemplars(
            """
            # TYPE req_seconds histogram
            req_seconds_bucket{le="0.5"} 3 # {trace_id="abc",span_id="1"} 0.42 1700000000.123
            req_seconds_bucket{le="+Inf"} 4 # {trace_id="def"} 7
            req_seconds_count 4
            req_seconds_sum 8.5
            # TYPE errors counter
            errors_total 2 1700000001.000 # {} 1
            # EOF
            """);
    assertThat(e)
        .containsExactly(
            new E(
                "req_seconds_bucket{le=\"0.5\"}",
                List.of("trace_id", "abc", "span_id", "1"),
                0.42,
                1_700_000_000_123L),
            new E("req_seconds_bucket{le=\"+Inf\"}", List.of("trace_id", "def"), 7, Long.MIN_VALUE),
            new E("errors_total", List.of(), 1, Long.MIN_VALUE));
  }

  @Test
  void exemplarOnAGauge_isDroppedNotStored() throws Exception {
    assertThat(exemplars("# TYPE a gauge\na 1 # {a=\"b\"} 1\n# EOF\n")).isEmpty();
    assertThat(exemplars("# TYPE a histogram\na_sum 1 # {a=\"b\"} 0.5\n# EOF\n")).isEmpty();
  }

  @Test
  void malformedExemplars_areRejectedNamingTheLine() {
    assertThatThrownBy(() -> exemplars("# TYPE a counter\na_total 1 # {a=\"b\"} 0.5 NaN\n# EOF\n"))
        .hasMessageContaining("line 2: invalid timestamp \"NaN\"");
    assertThatThrownBy(() -> exemplars("# TYPE a counter\na_total 1 #{} 1\n# EOF\n"))
        .hasMessageContaining("line 2: expected a space");
    assertThatThrownBy(() -> exemplars("# TYPE a counter\na_total 1 # {} 1 \n# EOF\n"))
        .hasMessageContaining("line 2: expected the exemplar's timestamp");
    assertThatThrownBy(
            () ->
                ScrapeParser.parse(
                    "a_total 1 # {a=\"b\"} 1\n".getBytes(StandardCharsets.UTF_8),
                    ScrapeFormat.PROMETHEUS_TEXT,
                    (k, n, l, v, t) -> {}))
        .as("text 0.0.4 has no exemplars")
        .hasMessageContaining("line 1: unexpected text after the value");
  }

  /**
   * Every exemplar case of the OpenMetrics conformance data: valid ones parse; invalid ones fail,
   * except those whose only fault is where the exemplar sits (dropped, see the parser) or its label
   * set length (refused by the store, not the scrape).
   */
  @TestFactory
  Stream<DynamicTest> openMetricsConformance_exemplarCases() throws Exception {
    Path root = Path.of(System.getProperty("vigil.root", "..")).resolve("../shared/openmetrics");
    assumeTrue(Files.isDirectory(root), "no " + root);
    List<Path> cases;
    try (Stream<Path> s = Files.list(root)) {
      cases = s.filter(p -> p.getFileName().toString().contains("exemplar")).sorted().toList();
    }
    assertThat(cases).hasSizeGreaterThan(20);
    return cases.stream()
        .map(
            dir ->
                DynamicTest.dynamicTest(
                    dir.getFileName().toString(),
                    () -> {
                      String name = dir.getFileName().toString();
                      String body = Files.readString(dir.resolve("metrics"));
                      boolean should =
                          Files.readString(dir.resolve("test.json"))
                              .contains("\"shouldParse\": true");
                      boolean storeOrDrop =
                          name.startsWith("bad_exemplars_on_unallowed")
                              || name.equals("bad_exemplars_6")
                              || name.equals("bad_exemplar_complex_chars");
                      if (should) {
                        assertThat(exemplars(body)).isNotEmpty();
                      } else if (storeOrDrop) {
                        List<E> e = exemplars(body);
                        if (name.startsWith("bad_exemplars_on_unallowed")) {
                          assertThat(e).isEmpty();
                        }
                      } else {
                        assertThatThrownBy(() -> exemplars(body))
                            .isInstanceOf(ScrapeParser.ParseException.class)
                            .hasMessageStartingWith("line ");
                      }
                    }));
  }
}
