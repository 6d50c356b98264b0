package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {
  private static ZonedDateTime utc(String s) {
    return ZonedDateTime.parse(s).withZoneSameInstant(ZoneOffset.UTC);
  }

  @ParameterizedTest(name = "{0} after {1} is {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // 2026-03-02 is a Monday.
        "* * * * *            | 2026-03-02T10:15:30Z | 2026-03-02T10:16:00Z",
        "*/15 * * * *         | 2026-03-02T10:15:00Z | 2026-03-02T10:30:00Z",
        "0 8 * * MON-FRI      | 2026-03-02T08:00:00Z | 2026-03-03T08:00:00Z",
        "0 8 * * mon-fri      | 2026-03-06T09:00:00Z | 2026-03-09T08:00:00Z",
        "30 6 1 * *           | 2026-03-02T00:00:00Z | 2026-04-01T06:30:00Z",
        "0 0 * * 0            | 2026-03-02T00:00:00Z | 2026-03-08T00:00:00Z",
        "0 0 * * 7            | 2026-03-02T00:00:00Z | 2026-03-08T00:00:00Z",
        "0 0 * * SUN          | 2026-03-02T00:00:00Z | 2026-03-08T00:00:00Z",
        "5,35 9-17/4 * * *    | 2026-03-02T09:05:00Z | 2026-03-02T09:35:00Z",
        "5,35 9-17/4 * * *    | 2026-03-02T09:35:00Z | 2026-03-02T13:05:00Z",
        "5,35 9-17/4 * * *    | 2026-03-02T17:35:00Z | 2026-03-03T09:05:00Z",
        "10/20 * * * *        | 2026-03-02T10:55:00Z | 2026-03-02T11:10:00Z",
        "0 12 * JAN,JUL *     | 2026-03-02T00:00:00Z | 2026-07-01T12:00:00Z",
        "0 0 29 2 *           | 2026-03-02T00:00:00Z | 2028-02-29T00:00:00Z",
        "0 0 13 * FRI         | 2026-03-02T00:00:00Z | 2026-03-06T00:00:00Z",
        "@daily               | 2026-03-02T00:00:00Z | 2026-03-03T00:00:00Z",
        "@hourly              | 2026-03-02T10:00:00Z | 2026-03-02T11:00:00Z",
        "@weekly              | 2026-03-02T10:00:00Z | 2026-03-08T00:00:00Z",
        "@monthly             | 2026-12-15T10:00:00Z | 2027-01-01T00:00:00Z",
        "@yearly              | 2026-03-02T10:00:00Z | 2027-01-01T00:00:00Z",
        "59 23 31 12 *        | 2026-12-31T23:59:00Z | 2027-12-31T23:59:00Z",
      })
  void next_isTheFirstMatchingMinuteStrictlyAfter(String expr, String after, String next) {
    assertThat(CronExpression.parse(expr.trim()).next(utc(after.trim())))
        .isEqualTo(utc(next.trim()));
  }

  @Test
  void dayOfMonthAndDayOfWeek_bothRestricted_matchEither() {
    // "0 0 13 * FRI": Friday 6 March comes before the 13th.
    CronExpression c = CronExpression.parse("0 0 13 * FRI");
    assertThat(c.next(utc("2026-03-06T00:00:00Z"))).isEqualTo(utc("2026-03-13T00:00:00Z"));
    assertThat(c.next(utc("2026-03-13T00:00:00Z"))).isEqualTo(utc("2026-03-20T00:00:00Z"));
  }

  @Test
  void zone_isTheCallers() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    ZonedDateTime after = ZonedDateTime.parse("2026-03-02T10:00:00+01:00[Europe/Paris]");
    assertThat(CronExpression.parse("0 8 * * *").next(after))
        .isEqualTo(ZonedDateTime.of(2026, 3, 3, 8, 0, 0, 0, paris));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "* * * *              | has 4 fields; expected 5",
        "60 * * * *           | minute: 60 is out of range 0-59",
        "* 24 * * *           | hour: 24 is out of range 0-23",
        "* * 0 * *            | day of month: 0 is out of range 1-31",
        "* * * FOO *          | month: \"FOO\" is not a number or a name (JAN,",
        "* * * * 8            | day of week: 8 is out of range 0-7",
        "5-1 * * * *          | minute: range \"5-1\" ends before it starts",
        "*/0 * * * *          | minute: 0 is out of range 1-60",
        "1,,2 * * * *         | minute: empty list item",
      })
  void invalid_isRefusedNamingTheField(String expr, String message) {
    assertThatThrownBy(() -> CronExpression.parse(expr.trim()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.trim());
  }

  @Test
  void neverMatching_isReported() {
    assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *").next(utc("2026-01-01T00:00:00Z")))
        .hasMessageContaining("never matches");
  }
}
