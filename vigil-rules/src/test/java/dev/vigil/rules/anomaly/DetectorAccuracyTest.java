package dev.vigil.rules.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A small version of the benchmark's data set (scripts/bench-anomaly runs the full one): the
 * detector must find the injected anomalies and little else. Deterministic: seeded data, no clock.
 */
class DetectorAccuracyTest {
  @Test
  void smallLabelledDataSet_precisionAndRecallAboveFloor() {
    SyntheticTraffic data = SyntheticTraffic.generate(7, 4, 4, 60_000);
    DetectorAccuracy.Result r = DetectorAccuracy.measure(data, AnomalyOptions.DEFAULT, 3, 2);

    assertThat(r.truths()).as("anomalies scored").isGreaterThan(30);
    assertThat(r.recall()).as(r.toString()).isGreaterThanOrEqualTo(0.85);
    assertThat(r.precision()).as(r.toString()).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void generator_isDeterministic() {
    SyntheticTraffic a = SyntheticTraffic.generate(11, 2, 1, 60_000);
    SyntheticTraffic b = SyntheticTraffic.generate(11, 2, 1, 60_000);

    assertThat(a.series().get(1).values()).containsExactly(b.series().get(1).values());
    assertThat(a.series().get(1).anomalies()).isEqualTo(b.series().get(1).anomalies());
    assertThat(a.series().get(1).anomalies()).isNotEmpty();
  }

  @Test
  void withoutTheDetector_everythingIsMissed_soTheMeasureCanFail() {
    // A threshold no value reaches: nothing is flagged, so recall is 0 (the floor above is real).
    AnomalyOptions blind =
        new AnomalyOptions(AnomalyOptions.DEFAULT.step(), 4, 1e12, AnomalyOptions.DEFAULT.window());
    DetectorAccuracy.Result r =
        DetectorAccuracy.measure(SyntheticTraffic.generate(7, 2, 3, 60_000), blind, 3, 2);

    assertThat(r.recall()).isZero();
  }
}
