package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Selector matchers use RE2: what Prometheus refuses is refused, and nothing backtracks. */
class LabelMatcherTest {

  @ParameterizedTest
  @ValueSource(strings = {"(a)\\1", "(?=a)", "(?!a)", "a++", "a?+", "(?>a)", "\\p{javaLowerCase}"})
  void regex_syntaxRe2Refuses_isInvalid(String re) {
    assertThatThrownBy(() -> LabelMatcher.regex("v", re))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid regular expression");
    assertThatThrownBy(() -> LabelMatcher.notRegex("v", re))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void regex_nestedQuantifierBomb_matchesInLinearTime() {
    LabelMatcher m = LabelMatcher.regex("v", "((a+)+)+b");
    String value = "a".repeat(26) + "!7";
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 0; i < 100; i++) {
            assertThat(m.matches(value)).isFalse();
          }
        });
  }

  @Test
  void regex_repeatedDotStarBomb_matchesInLinearTime() {
    LabelMatcher m = LabelMatcher.regex("__name__", "(.*){20}b");
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertThat(m.matches("process_cpu_seconds_total_xxxxxxxxxxxx")).isFalse());
  }

  @Test
  void regex_isAnchoredAndDotMatchesNewline() {
    assertThat(LabelMatcher.regex("v", "b").matches("abc")).isFalse();
    assertThat(LabelMatcher.regex("v", "a.c").matches("a\nc")).isTrue();
    assertThat(LabelMatcher.regex("v", "a|b").matchesEmpty()).isFalse();
    assertThat(LabelMatcher.notRegex("v", "a|b").matchesEmpty()).isTrue();
    assertThat(LabelMatcher.regex("v", "a|").matchesEmpty()).isTrue();
  }
}
