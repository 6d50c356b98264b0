package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestUtil.flat;
import static dev.vigil.tsdb.TestUtil.name;
import static dev.vigil.tsdb.TestUtil.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart the store answers exactly as before it: random (seeded) interleavings of several
 * open appenders, commits, rollbacks, head cuts and restarts, with and without an out-of-order
 * window. A sample the head refused at commit must not come back from the WAL, and one it accepted
 * must not be lost by a cut or a checkpoint.
 */
class ReplayEquivalenceTest {
  private static final long NOW = 1000 * 3600_000L;
  private static final int SEEDS = 10;
  private static final int STEPS = 600;

  @TempDir Path tmp;

  private static Tsdb open(Path dir, long oooWindow) throws Exception {
    return Tsdb.builder(dir)
        .backgroundInterval(Duration.ZERO)
        .rollups(false)
        .outOfOrderWindow(Duration.ofMillis(oooWindow))
        .clock(() -> NOW)
        .log(m -> {})
        .open();
  }

  private static Map<Labels, List<Long>> state(Tsdb db) {
    return flat(read(db, Long.MIN_VALUE, Long.MAX_VALUE, name("m")));
  }

  @Test
  void replay_reproducesTheRunningState_forRandomInterleavings() throws Exception {
    for (int seed = 1; seed <= SEEDS; seed++) {
      Random r = new Random(seed);
      long window = seed % 2 == 0 ? 0 : 10 * 60_000L;
      Path dir = Files.createDirectory(tmp.resolve("s" + seed));
      Labels[] series = new Labels[5];
      for (int i = 0; i < series.length; i++) {
        series[i] = Labels.of("__name__", "m", "i", "" + i);
      }
      Tsdb db = open(dir, window);
      Appender[] apps = new Appender[3];
      for (int i = 0; i < apps.length; i++) {
        apps[i] = db.appender();
      }
      long cursor = 0;
      int restarts = 0;
      try {
        for (int step = 0; step < STEPS; step++) {
          int p = r.nextInt(100);
          int a = r.nextInt(apps.length);
          if (p < 60) {
            long t = Math.max(0, cursor + (r.nextInt(40) - 15) * 1000L);
            cursor += r.nextInt(90_000);
            try {
              apps[a].append(0, series[r.nextInt(series.length)], t, r.nextInt(4));
            } catch (OutOfOrderException refused) {
              // refused early: nothing buffered
            }
          } else if (p < 85) {
            apps[a].commit();
            apps[a] = db.appender();
          } else if (p < 90) {
            apps[a].rollback();
            apps[a] = db.appender();
          } else if (p < 96) {
            db.maintain();
          } else {
            for (Appender app : apps) {
              app.rollback(); // a crash loses what was not committed
            }
            Map<Labels, List<Long>> live = state(db);
            db.close();
            db = open(dir, window);
            assertThat(state(db)).as("seed %d, step %d: after restart", seed, step).isEqualTo(live);
            restarts++;
            for (int i = 0; i < apps.length; i++) {
              apps[i] = db.appender();
            }
          }
        }
        for (Appender app : apps) {
          app.commit();
        }
        Map<Labels, List<Long>> live = state(db);
        db.close();
        db = open(dir, window);
        assertThat(state(db)).as("seed %d: at the end", seed).isEqualTo(live);
        assertThat(cursor)
            .as("seed %d spans several block ranges", seed)
            .isGreaterThan(4 * 3600_000L);
      } finally {
        db.close();
      }
      assertThat(restarts).isPositive();
    }
  }
}
