package dev.vigil.rules.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class SeasonalBandTest {
  static final long MIN = 60_000;
  static final long DAY = 1440 * MIN;
  static final long T0 = SyntheticTraffic.MONDAY;

  /** A daily sawtooth between 100 and 340, with ±1 of deterministic jitter. */
  static double seasonal(long t) {
    long m = Math.floorMod(t, DAY) / MIN;
    return 100 + m / 6.0 + ((m * 7919) % 3 - 1);
  }

  @Test
  void newSeries_usesTheRollingWindow_thenTheSeasonalModelAfterTwoWeeks() {
    SeasonalBand b = new SeasonalBand(AnomalyOptions.DEFAULT);
    assertThat(b.observe(T0, 5)).as("nothing known yet").isNull();
    SeasonalBand.Point p = null;
    long t = T0;
    for (; t < T0 + 30 * MIN; t += MIN) {
      p = b.observe(t, seasonal(t));
    }
    assertThat(p.model()).isEqualTo(SeasonalBand.Model.ROLLING);
    for (; t < T0 + 15 * DAY; t += MIN) {
      p = b.observe(t, seasonal(t));
    }
    assertThat(p.model()).isEqualTo(SeasonalBand.Model.SEASONAL);
    assertThat(p.baseline()).isCloseTo(seasonal(t - MIN), within(3.0));
    assertThat(Math.abs(p.score())).isLessThan(AnomalyOptions.DEFAULT.threshold());
  }

  @Test
  void spike_scoresBeyondTheThreshold_andLiesOutsideTheBand() {
    SeasonalBand b = new SeasonalBand(AnomalyOptions.DEFAULT);
    long t = T0;
    for (; t < T0 + 15 * DAY; t += MIN) {
      b.observe(t, seasonal(t));
    }
    SeasonalBand.Point p = b.observe(t, seasonal(t) * 1.5);

    assertThat(p.score()).isGreaterThan(AnomalyOptions.DEFAULT.threshold());
    assertThat(p.value()).isGreaterThan(p.upper());
    assertThat(p.lower()).isLessThan(p.baseline());
  }

  @Test
  void constantSeries_hasAFiniteScore() {
    SeasonalBand b = new SeasonalBand(AnomalyOptions.DEFAULT);
    SeasonalBand.Point p = null;
    for (long t = T0; t < T0 + 2 * 3600_000; t += MIN) {
      p = b.observe(t, 10);
    }
    assertThat(p.score()).isZero();
    assertThat(b.observe(T0 + 2 * 3600_000, 11).score()).isFinite().isGreaterThan(3.5);
  }

  @Test
  void writtenAndReadState_continuesExactlyAsTheOriginal() throws Exception {
    SeasonalBand a = new SeasonalBand(AnomalyOptions.DEFAULT);
    long t = T0;
    for (; t < T0 + 16 * DAY; t += MIN) {
      a.observe(t, seasonal(t));
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    a.write(new DataOutputStream(buf));
    SeasonalBand b = new SeasonalBand(AnomalyOptions.DEFAULT);
    b.read(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));

    for (int i = 0; i < 30; i++, t += MIN) {
      assertThat(b.observe(t, seasonal(t) + i)).isEqualTo(a.observe(t, seasonal(t) + i));
    }
  }
}
