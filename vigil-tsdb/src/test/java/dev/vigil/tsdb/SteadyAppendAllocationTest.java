package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape-sized transaction by refs (the steady state of a scrape loop) reuses the head's
 * transaction buffers: each new appender grew its sample arrays and WAL encoder from 64 entries,
 * ~1.5 MiB of garbage per scrape of 20,000 series (issue 22, M2).
 */
class SteadyAppendAllocationTest {
  private static final int SERIES = 1_000;
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;

  @Test
  void steadyTransactionOf1000Series_byRef_allocatesUnder8KiB() throws Exception {
    long[] clock = {NOW};
    try (Tsdb db =
        Tsdb.builder(dir)
            .backgroundInterval(Duration.ZERO)
            .clock(() -> clock[0])
            .log(m -> {})
            .open()) {
      long[] refs = new long[SERIES];
      Appender first = db.appender();
      for (int i = 0; i < SERIES; i++) {
        refs[i] =
            first.append(0, Labels.of("__name__", "requests_total", "path", "/item/" + i), NOW, i);
      }
      first.commit();
      int round = 1;
      for (; round < 300; round++) { // warm the JIT up
        transaction(db, refs, round, clock);
      }
      ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      int rounds = 60;
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < rounds; i++, round++) {
        transaction(db, refs, round, clock);
      }
      long perTransaction = (mx.getCurrentThreadAllocatedBytes() - before) / rounds;
      // Measured: ~1 KiB with reused buffers (the appender, the WAL write); 68 KiB before
      // (three arrays and the encoder grown by doubling in every transaction).
      assertThat(perTransaction)
          .as("bytes allocated per committed transaction of %d samples by ref", SERIES)
          .isLessThan(8 << 10);
    }
  }

  private static void transaction(Tsdb db, long[] refs, int round, long[] clock) {
    long t = NOW + round * 5000L;
    clock[0] = t;
    Appender app = db.appender();
    for (int i = 0; i < refs.length; i++) {
      app.append(refs[i], null, t, round * 7.0 + i);
    }
    app.commit();
  }
}
