package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link ScrapeParserFuzzTest} found, one case each (the inputs are kept in its corpus under
 * the same names).
 */
class ScrapeParserFuzzFindingsTest {
  private static List<String> keys(String body, ScrapeFormat format) throws Exception {
    List<String> keys = new ArrayList<>();
    ScrapeParser.parse(
        body.getBytes(StandardCharsets.UTF_8),
        format,
        (key, name, labels, value, ts) -> keys.add(key));
    return keys;
  }

  @Test
  void prometheusText_indentedSample_hasTheSameSeriesKeyAsUnindented() throws Exception {
    assertThat(
            keys(
                "\ta_b{x=\"1\"} 0\n  a_b{x=\"1\"} 1\na_b{x=\"1\"} 2\n",
                ScrapeFormat.PROMETHEUS_TEXT))
        .containsExactly("a_b{x=\"1\"}", "a_b{x=\"1\"}", "a_b{x=\"1\"}");
  }

  private static void assertRejected(String body, ScrapeFormat format, String message) {
    assertThatThrownBy(() -> keys(body, format))
        .isExactlyInstanceOf(ScrapeParser.ParseException.class)
        .hasMessage(message);
  }

  private static long onlyTimestamp(String body, ScrapeFormat format) throws Exception {
    long[] ts = {0};
    ScrapeParser.parse(
        body.getBytes(StandardCharsets.UTF_8), format, (key, name, labels, v, t) -> ts[0] = t);
    return ts[0];
  }

  @Test
  void openMetrics_timestampBelowTheRangeOfMilliseconds_isClamped_notAbsent() throws Exception {
    assertThat(onlyTimestamp("a 1 -1e300\n# EOF\n", ScrapeFormat.OPENMETRICS))
        .isEqualTo(Long.MIN_VALUE + 1);
    assertThat(onlyTimestamp("a 1 1e300\n# EOF\n", ScrapeFormat.OPENMETRICS))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void openMetrics_infiniteTimestamp_isAnError() {
    assertRejected(
        "a 1 -1e400\n# EOF\n", ScrapeFormat.OPENMETRICS, "line 1: invalid timestamp \"-1e400\"");
  }

  @Test
  void prometheusText_smallestLongTimestamp_isClamped_notAbsent() throws Exception {
    assertThat(onlyTimestamp("a 1 -9223372036854775808\n", ScrapeFormat.PROMETHEUS_TEXT))
        .isEqualTo(Long.MIN_VALUE + 1);
  }

  @Test
  void labelValueEndingInABackslashAtTheLineEnd_isUnterminated() {
    for (ScrapeFormat f : ScrapeFormat.values()) {
      assertRejected("a{x=\"\\\n\"} 1\n", f, "line 1: unterminated label value");
    }
  }
}
