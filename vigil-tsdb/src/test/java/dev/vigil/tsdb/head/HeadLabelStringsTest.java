package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head keeps one copy of each label name and value however a series arrives (remote write,
 * push, OTLP, WAL replay all decode fresh strings per series): per-series copies were most of a
 * server's heap at 20,000 series (issue 22, M2).
 */
class HeadLabelStringsTest {
  @TempDir Path tmp;

  private static Labels fresh(String name, String cpu, String mode) {
    // new String(...): distinct objects, as a decoder makes them.
    return Labels.of(
        new String("__name__"), new String(name),
        new String("cpu"), new String(cpu),
        new String("mode"), new String(mode));
  }

  private static int indexOf(Labels l, String name) {
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name + " not in " + l);
  }

  @Test
  void newSeries_shareNamesAndValues_withOtherSeries() throws Exception {
    try (Head head = new Head(tmp.resolve("chunks_head"), 0)) {
      Labels a = head.getOrCreate(fresh("cpu_seconds_total", "0", "idle")).labels();
      Labels b = head.getOrCreate(fresh("cpu_seconds_total", "1", "idle")).labels();
      Labels c = head.replaySeries(fresh("cpu_guest_seconds_total", "1", "user"), 7).labels();
      for (String n : new String[] {"__name__", "cpu", "mode"}) {
        assertThat(b.name(indexOf(b, n))).as(n).isSameAs(a.name(indexOf(a, n)));
        assertThat(c.name(indexOf(c, n))).as(n).isSameAs(a.name(indexOf(a, n)));
      }
      assertThat(b.get("mode")).isSameAs(a.get("mode"));
      assertThat(b.metricName()).isSameAs(a.metricName());
      assertThat(c.get("cpu")).isSameAs(b.get("cpu"));
      // Same labels, same series: the interned copy is equal to what callers hold.
      assertThat(head.byLabels(fresh("cpu_seconds_total", "1", "idle"))).isNotNull();
      assertThat(b).isEqualTo(fresh("cpu_seconds_total", "1", "idle"));
    }
  }

  @Test
  void labelsAlreadyInterned_areKeptAsGiven() throws Exception {
    try (Head head = new Head(tmp.resolve("chunks_head"), 0)) {
      Labels l = Labels.of("__name__", "up", "job", "node");
      assertThat(head.getOrCreate(l).labels()).isSameAs(l);
    }
  }
}
