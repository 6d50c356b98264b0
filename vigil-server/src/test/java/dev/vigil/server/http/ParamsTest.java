package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Params}' time and duration parsing: Prometheus' semantics, in time linear in the text. */
class ParamsTest {
  @Test
  void parseTime_readsFloatSecondsAndRfc3339AsPrometheus() {
    assertThat(Params.parseTime("time", "1435781451.781")).isEqualTo(1_435_781_451_781L);
    assertThat(Params.parseTime("time", "1435781451")).isEqualTo(1_435_781_451_000L);
    assertThat(Params.parseTime("time", "1.5e3")).isEqualTo(1_500_000L);
    assertThat(Params.parseTime("time", ".5")).isEqualTo(500L);
    assertThat(Params.parseTime("time", "-1.0015")).isEqualTo(-1_002L);
    assertThat(Params.parseTime("time", "2015-07-01T20:10:51.781Z")).isEqualTo(1_435_781_451_781L);
    assertThat(Params.parseTime("time", "2015-07-01T22:10:51+02:00")).isEqualTo(1_435_781_451_000L);
  }

  @Test
  void parseTime_clampsToPrometheusMinAndMaxTime() {
    assertThat(Params.parseTime("end", "1e300")).isEqualTo(Params.MAX_TIME);
    assertThat(Params.parseTime("start", "-1e300")).isEqualTo(Params.MIN_TIME);
    assertThat(Params.parseTime("start", "-292273086-05-16T16:47:06Z")).isEqualTo(Params.MIN_TIME);
    assertThat(Params.parseTime("end", "292277025-08-18T07:12:54.999999999Z"))
        .isEqualTo(Params.MAX_TIME);
    assertThat(Params.parseTime("end", "+999999999-12-31T23:59:59Z")).isEqualTo(Params.MAX_TIME);
  }

  @Test
  void parseTime_hugeExponents_answerAtOnce() {
    // BigDecimal.setScale computed 10^N for these: 13.8 s of CPU for 1e-30000000.
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertThat(Params.parseTime("time", "1e-30000000")).isZero();
          assertThat(Params.parseTime("time", "1e-100000000")).isZero();
          assertThat(Params.parseTime("time", "-1e-2147483648")).isZero();
          // Out of float range: Go's ParseFloat fails, so Prometheus answers 400 too.
          assertThatThrownBy(() -> Params.parseTime("time", "1e+100000000"))
              .hasMessageContaining("cannot parse");
          assertThatThrownBy(() -> Params.parseTime("time", "1e99999999999999999999"))
              .hasMessageContaining("cannot parse");
          assertThatThrownBy(() -> Params.parseDuration("step", "1e-30000000x"))
              .hasMessageContaining("cannot parse");
          assertThat(Params.parseDuration("step", "1e-30000000")).isZero();
          assertThat(Params.parsePreciseDuration("timeout", "1e-100000000")).isZero();
          assertThatThrownBy(() -> Params.parseDuration("step", "1e100000000"))
              .hasMessageContaining("to a valid duration");
          assertThatThrownBy(() -> Params.parseDuration("step", "1e300"))
              .hasMessageContaining("overflows int64");
        });
  }

  @Test
  void parseTime_notATime_isBadDataNamingParameterAndText() {
    for (String bad : new String[] {"yesterday", "NaN", "Inf", "-Inf", "1d", "0x10", "1e", ""}) {
      assertThatThrownBy(() -> Params.parseTime("time", bad))
          .isInstanceOfSatisfying(
              ApiError.class, e -> assertThat(e.type()).isEqualTo(ApiError.Type.BAD_DATA))
          .hasMessage(
              "invalid parameter \"time\": cannot parse \"" + bad + "\" to a valid timestamp");
    }
  }

  @Test
  void errorMessages_echoAtMost64CharactersOfTheText() {
    String longText = "9".repeat(100_000) + "x";
    assertThatThrownBy(() -> Params.parseTime("start", longText))
        .hasMessage(
            "invalid parameter \"start\": cannot parse \""
                + "9".repeat(64)
                + "\"... (100001 characters) to a valid timestamp");
  }

  @Test
  void parseDuration_readsFloatSecondsAndPrometheusDurations() {
    assertThat(Params.parseDuration("step", "15")).isEqualTo(15_000);
    assertThat(Params.parseDuration("step", "0.0015")).isEqualTo(2);
    assertThat(Params.parseDuration("step", "1m30s")).isEqualTo(90_000);
    assertThat(Params.parseDuration("step", "-5")).isEqualTo(-5_000);
    assertThat(Params.parsePreciseDuration("timeout", "0.0001"))
        .isEqualTo(Duration.ofNanos(100_000));
    assertThat(Params.parsePreciseDuration("timeout", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> Params.parseDuration("step", "9223372037"))
        .hasMessage(
            "invalid parameter \"step\": cannot parse \"9223372037\" to a valid duration. It"
                + " overflows int64");
    assertThatThrownBy(() -> Params.parseDuration("step", "5 minutes"))
        .hasMessage("invalid parameter \"step\": cannot parse \"5 minutes\" to a valid duration");
  }

  @Test
  void parseDuration_longDigitRunWithoutUnit_isLinear() {
    // The unit regex was searched from every position: quadratic in a run of digits.
    String bomb = "1".repeat(2_000_000) + "x";
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> Params.parseDuration("step", bomb))
                .hasMessageContaining("to a valid duration"));
  }
}
