package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code promtool check rules} as the oracle of {@link Templates#check}: each case of {@code
 * template/check-cases.txt} is the annotation of its own alerting rule; promtool's message for it
 * (or its silence) must equal Vigil's. Skipped when promtool is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateCheckOracleTest {
  private static final Pattern ERROR = Pattern.compile("\"(K\\d+)\": annotation \"a\": (.*)$");

  private Path dir;
  private final Map<String, String> promtool = new HashMap<>();

  static List<OracleCases.Case> cases() {
    return OracleCases.load("/template/check-cases.txt", false);
  }

  private static String alert(OracleCases.Case c) {
    return c.id().toUpperCase(java.util.Locale.ROOT);
  }

  @BeforeAll
  void runPromtool(@TempDir Path tmp) throws Exception {
    dir = tmp;
    Optional<Path> bin = OracleCases.binary("promtool");
    Assumptions.assumeTrue(
        bin.isPresent(),
        "promtool is not installed (Debian package prometheus, see scripts/install-test-deps)");
    List<Map<String, Object>> rules = new ArrayList<>();
    for (OracleCases.Case c : cases()) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("alert", alert(c));
      rule.put("expr", "vector(1)");
      rule.put("annotations", Map.of("a", c.template()));
      rules.add(rule);
    }
    Path file = dir.resolve("rules.yml");
    Files.writeString(
        file,
        new ObjectMapper(new YAMLFactory())
            .writeValueAsString(Map.of("groups", List.of(Map.of("name", "g", "rules", rules)))));
    Process p =
        new ProcessBuilder(bin.get().toString(), "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    for (String line : out.split("\n")) {
      Matcher m = ERROR.matcher(line);
      if (m.find()) {
        promtool.put(m.group(1), m.group(2));
      }
    }
    assertThat(promtool).as("promtool output:\n" + out).isNotEmpty();
    if (Boolean.getBoolean("vigil.template.record")) {
      // Re-records the golden file from promtool (run from the vigil-rules directory).
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(
              Path.of("src/test/resources" + TemplateCheckGoldenTest.GOLDEN).toFile(),
              new java.util.TreeMap<>(promtool));
    }
  }

  @org.junit.jupiter.api.Test
  void goldenFile_isWhatPromtoolAnswers() throws java.io.IOException {
    assertThat(TemplateCheckGoldenTest.golden())
        .as("re-record with -Dvigil.template.record=true")
        .isEqualTo(new java.util.TreeMap<>(promtool));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void check_givesPromtoolsVerdictAndMessage(OracleCases.Case c) {
    Optional<String> expected = Optional.ofNullable(promtool.get(alert(c)));
    assertThat(Templates.check(alert(c), c.template())).as(c.toString()).isEqualTo(expected);
  }
}
