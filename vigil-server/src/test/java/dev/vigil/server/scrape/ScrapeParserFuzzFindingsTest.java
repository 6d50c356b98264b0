package dev.vigil.server.scrape;

import static org.assertj.core.api.Assertions.assertThat;

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
}
