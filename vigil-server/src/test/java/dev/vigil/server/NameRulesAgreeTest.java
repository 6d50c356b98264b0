package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.MetricNames;
import dev.vigil.model.Names;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instrumentation library keeps its own copy of the name rules (vigil-metrics depends on
 * nothing); this holds it to the data model's, on every string of up to three characters over an
 * alphabet of each character class the rules distinguish.
 */
class NameRulesAgreeTest {
  private static final char[] ALPHABET = {'a', 'Z', '_', ':', '0', '9', '-', '.', ' ', 'é', '/'};

  @Test
  void libraryAndModel_judgeEveryShortNameAlike() {
    List<String> names = new ArrayList<>(List.of(""));
    List<String> last = List.of("");
    for (int len = 1; len <= 3; len++) {
      List<String> next = new ArrayList<>();
      for (String prefix : last) {
        for (char c : ALPHABET) {
          next.add(prefix + c);
        }
      }
      names.addAll(next);
      last = next;
    }
    int validMetricNames = 0;
    for (String s : names) {
      assertThat(MetricNames.isValidMetricName(s))
          .as("metric name '%s'", s)
          .isEqualTo(Names.isValidMetricName(s));
      assertThat(MetricNames.isValidLabelName(s))
          .as("label name '%s'", s)
          .isEqualTo(Names.isValidLabelName(s));
      validMetricNames += Names.isValidMetricName(s) ? 1 : 0;
    }
    // 4 valid first characters, then 6 valid characters each: 4 + 4*6 + 4*6*6.
    assertThat(validMetricNames).isEqualTo(4 + 24 + 144);
  }
}
