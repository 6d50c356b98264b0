package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code template/check-cases.txt} against promtool 2.42's verdict recorded in {@code
 * template/check-expected.json} (alert name to message; absent means accepted), so the cases run
 * where promtool is not installed. {@link TemplateCheckOracleTest} checks the recording.
 */
class TemplateCheckGoldenTest {
  static final String GOLDEN = "/template/check-expected.json";

  static Map<String, String> golden() throws IOException {
    try (InputStream in = TemplateCheckGoldenTest.class.getResourceAsStream(GOLDEN)) {
      return new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {});
    }
  }

  static List<OracleCases.Case> cases() {
    return OracleCases.load("/template/check-cases.txt", false);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void check_givesPromtoolsRecordedVerdict(OracleCases.Case c) throws IOException {
    String alert = c.id().toUpperCase(Locale.ROOT);
    assertThat(Templates.check(alert, c.template()))
        .as(c.toString())
        .isEqualTo(Optional.ofNullable(golden().get(alert)));
  }
}
