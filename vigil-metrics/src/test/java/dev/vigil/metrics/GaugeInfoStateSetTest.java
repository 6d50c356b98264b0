package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.StateSetDataPoint;
import org.junit.jupiter.api.Test;

class GaugeInfoStateSetTest {
  @Test
  void gauge_setIncDec() throws Exception {
    Gauge g = Gauge.builder().name("inflight").build();
    g.set(10);
    g.inc();
    g.dec(2.5);
    assertThat(g.get()).isEqualTo(8.5);
    Thread[] ts = new Thread[4];
    for (int t = 0; t < ts.length; t++) {
      ts[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  g.inc();
                  g.dec(0.5);
                }
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    assertThat(((GaugeDataPoint) g.snapshot().dataPoints().get(0)).value()).isEqualTo(20_008.5);
  }

  @Test
  void info_exposesLabelsWithValueOne() {
    Info info = Info.builder().name("build_info").labelNames("version").build();
    info.set("1.0");
    info.set("1.1");
    assertThat(info.snapshot().dataPoints())
        .containsExactly(new InfoDataPoint(Labels.of("version", "1.1")));
  }

  @Test
  void stateSet_setOnlyTurnsOthersOff() {
    StateSet s = StateSet.builder().name("phase").states("plan", "act", "idle").build();
    s.set("plan", true);
    s.setOnly("act");
    StateSetDataPoint p = (StateSetDataPoint) s.snapshot().dataPoints().get(0);
    assertThat(p.enabled(0)).isFalse();
    assertThat(p.enabled(1)).isTrue();
    assertThatThrownBy(() -> s.setOnly("sleep")).hasMessageContaining("sleep");
  }
}
