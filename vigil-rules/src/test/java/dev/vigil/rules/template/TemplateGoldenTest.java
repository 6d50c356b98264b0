package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code template/oracle-cases.txt} against Prometheus 2.42's answer recorded in
 * {@code template/oracle-expected.json}, so the cases run where Prometheus is not installed. {@link
 * TemplateOracleTest} checks the recording against the live Prometheus.
 */
class TemplateGoldenTest {
  private static final Engine ENGINE = Engine.builder(new MemoryStorage()).build();
  private static final Expander EXPANDER = OracleCases.expander(ENGINE);
  private static final List<OracleCases.Case> CASES =
      OracleCases.load("/template/oracle-cases.txt", true);
  private static final Map<String, String> RULES = OracleCases.ruleOfValue(CASES);

  private static Map<String, String> golden;

  static synchronized Map<String, String> golden() throws IOException {
    if (golden == null) {
      try (InputStream in = TemplateGoldenTest.class.getResourceAsStream(OracleCases.GOLDEN)) {
        golden = new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {});
      }
    }
    return golden;
  }

  static List<OracleCases.Case> cases() {
    return CASES;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void expansion_equalsPrometheusRecordedAnswer(OracleCases.Case c) throws IOException {
    String expected = golden().get(c.id());
    assertThat(expected).as("recorded answer for " + c.id()).isNotNull();
    assertThat(OracleCases.vigilExpansion(ENGINE, EXPANDER, c, RULES.get(c.value())))
        .as(c.toString())
        .isEqualTo(expected);
  }
}
