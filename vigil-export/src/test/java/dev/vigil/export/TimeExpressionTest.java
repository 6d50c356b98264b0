package dev.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeExpressionTest {
  private static final long NOW = 1_765_100_000_000L;

  @Test
  void now_isTheGivenInstant() {
    assertThat(TimeExpression.parse("now", NOW)).isEqualTo(NOW);
    assertThat(TimeExpression.parse(" NOW ", NOW)).isEqualTo(NOW);
  }

  @Test
  void durationAgo_subtractsFromNow() {
    assertThat(TimeExpression.parse("24h ago", NOW)).isEqualTo(NOW - 86_400_000L);
    assertThat(TimeExpression.parse("7d ago", NOW)).isEqualTo(NOW - 7 * 86_400_000L);
    assertThat(TimeExpression.parse("1h30m ago", NOW)).isEqualTo(NOW - 5_400_000L);
    assertThat(TimeExpression.parse("-15m", NOW)).isEqualTo(NOW - 900_000L);
    assertThat(TimeExpression.parse("500ms ago", NOW)).isEqualTo(NOW - 500L);
  }

  @Test
  void rfc3339_withZoneOffsetAndFraction() {
    assertThat(TimeExpression.parse("2025-12-07T09:33:20Z", NOW)).isEqualTo(1_765_100_000_000L);
    assertThat(TimeExpression.parse("2025-12-07T10:33:20.250+01:00", NOW))
        .isEqualTo(1_765_100_000_250L);
  }

  @Test
  void unixSeconds_withFraction() {
    assertThat(TimeExpression.parse("1765100000", NOW)).isEqualTo(1_765_100_000_000L);
    assertThat(TimeExpression.parse("1765100000.123", NOW)).isEqualTo(1_765_100_000_123L);
  }

  @Test
  void garbage_isRejectedNamingTheExpressionAndTheForms() {
    for (String bad :
        new String[] {"yesterday", "24 ago", "24h", "2025-13-01T00:00:00Z", "", "1h ago ago"}) {
      assertThatThrownBy(() -> TimeExpression.parse(bad, NOW))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid time \"" + bad + "\"")
          .hasMessageContaining("RFC 3339");
    }
  }

  @Test
  void durationOverflow_isAClearError() {
    assertThatThrownBy(() -> TimeExpression.parse("99999999999999y ago", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void parseDuration_acceptsPrometheusDurationsOnly() {
    assertThat(TimeExpression.parseDuration("1m")).isEqualTo(60_000L);
    assertThat(TimeExpression.parseDuration("1h30m")).isEqualTo(5_400_000L);
    assertThatThrownBy(() -> TimeExpression.parseDuration("60"))
        .hasMessageContaining("invalid duration \"60\"");
    assertThatThrownBy(() -> TimeExpression.parseDuration("0s")).hasMessageContaining("positive");
  }
}
