package dev.vigil.tsdb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.wal.RecordDecoder;
import dev.vigil.tsdb.wal.RecordType;
import dev.vigil.tsdb.wal.WalReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentStorageTest {
  private static final long T0 = 1_800_000_000_000L;

  /** A sample as the WAL holds it, with its series' labels resolved. */
  record Logged(Labels labels, long ref, long t, double v) {}

  /** Every SAMPLES entry of the WAL in {@code dir}, with the labels of its SERIES record. */
  private static List<Logged> logged(Path dir) throws Exception {
    Map<Long, Labels> byRef = new HashMap<>();
    List<Logged> out = new ArrayList<>();
    WalReader.replay(
        dir.resolve("wal"),
        (type, b, off, len) -> {
          RecordDecoder d = new RecordDecoder(b, off, len);
          if (type == RecordType.SERIES) {
            while (d.hasMore()) {
              long ref = d.uvarint();
              byRef.put(ref, d.labels());
            }
          } else if (type == RecordType.SAMPLES) {
            int n = d.count("samples", 10);
            long r0 = d.uvarint();
            long t0 = d.varint();
            for (int i = 0; i < n; i++) {
              long ref = r0 + d.varint();
              long t = t0 + d.varint();
              double v = Double.longBitsToDouble(d.long64());
              assertThat(byRef).as("series record before its samples").containsKey(ref);
              out.add(new Logged(byRef.get(ref), ref, t, v));
            }
          }
        },
        m -> {});
    return out;
  }

  private static Labels series(int i) {
    return Labels.of("__name__", "bench_requests_total", "job", "t", "path", "/p" + i);
  }

  @Test
  void append_returnsTheSeriesRefOnceCommitted_andARefWithoutLabelsIsLoggedUnderItsSeries(
      @TempDir Path dir) throws Exception {
    Labels up = Labels.of("__name__", "up", "job", "node");
    try (AgentStorage s = AgentStorage.open(dir, m -> {})) {
      Appender a = s.appender();
      assertThat(a.append(0, up, T0, 1)).as("a series not yet committed has no ref").isZero();
      a.commit();
      long ref = a.append(0, up, T0 + 1_000, 2);
      assertThat(ref).as("the committed series' ref").isPositive();
      a.commit();
      assertThat(a.append(ref, null, T0 + 2_000, 3)).isEqualTo(ref);
      a.commit();
      assertThat(s.seriesCount()).isEqualTo(1);
    }
    assertThat(logged(dir))
        .extracting(Logged::labels, Logged::t, Logged::v)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(up, T0, 1.0),
            org.assertj.core.groups.Tuple.tuple(up, T0 + 1_000, 2.0),
            org.assertj.core.groups.Tuple.tuple(up, T0 + 2_000, 3.0));
  }

  @Test
  void refOfAForgottenSeries_withLabels_logsItAgainUnderANewRef_withoutLabels_isRefused(
      @TempDir Path dir) throws Exception {
    Labels idle = series(1);
    Labels busy = series(2);
    long idleRef;
    try (AgentStorage s = AgentStorage.open(dir, m -> {})) {
      Appender a = s.appender();
      a.append(0, idle, T0, 1);
      a.commit();
      idleRef = a.append(0, idle, T0 + 1, 1);
      a.commit();
      a.append(0, busy, T0 + 2 * 3_600_000L, 5);
      a.commit();
      assertThat(s.checkpoint()).as("series idle for over an hour forgotten").isEqualTo(1);

      assertThatThrownBy(
              () -> {
                a.append(idleRef, null, T0 + 2 * 3_600_000L + 1, 9);
                a.commit();
              })
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown series ref " + idleRef);
      assertThat(s.seriesCount()).isEqualTo(1);

      a.append(idleRef, idle, T0 + 2 * 3_600_000L + 2, 7);
      a.commit();
      assertThat(s.seriesCount()).isEqualTo(2);
    }
    List<Logged> all = logged(dir);
    Logged last = all.get(all.size() - 1);
    assertThat(last.labels()).isEqualTo(idle);
    assertThat(last.v()).isEqualTo(7.0);
    assertThat(last.ref())
        .as("a forgotten series comes back under a new ref")
        .isNotEqualTo(idleRef);
    assertThat(all).extracting(Logged::v).doesNotContain(9.0);
  }

  @Test
  void steadyCommitsByRef_allocateNothingPerSample(@TempDir Path dir) throws Exception {
    int n = 10_000;
    Labels[] labels = new Labels[n];
    long[] refs = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = series(i);
    }
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (AgentStorage s = AgentStorage.open(dir, m -> {})) {
      Appender a = s.appender();
      long before = 0;
      for (int scrape = 0; scrape < 20; scrape++) {
        if (scrape == 19) {
          before = mx.getCurrentThreadAllocatedBytes();
        }
        for (int i = 0; i < n; i++) {
          // as the scrape loop does: the ref the last append returned, and the labels
          refs[i] = a.append(refs[i], labels[i], T0 + scrape * 1_000L, scrape * i);
        }
        a.commit();
      }
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      assertThat(refs).as("every series appended by its ref").doesNotContain(0L);
      assertThat(allocated).as("bytes allocated appending 10,000 samples").isLessThan(4_096);
      assertThat(s.samplesAppended()).isEqualTo(20L * n);
    }
  }
}
