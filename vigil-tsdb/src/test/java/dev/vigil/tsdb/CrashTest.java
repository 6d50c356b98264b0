package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and commits while this test kills it with SIGKILL at random moments; after
 * each kill every acknowledged sample must be present and readable, and the next child continues
 * writing to the same store. Iterations: {@code -Dvigil.crash.iterations} (default 50).
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void sigkillDuringWrites_losesNothingCommitted() throws Exception {
    int iterations = Integer.getInteger("vigil.crash.iterations", 50);
    long seed = Long.getLong("vigil.crash.seed", System.nanoTime());
    System.err.println("CrashTest: seed " + seed + " (rerun with -Dvigil.crash.seed=" + seed + ")");
    Random rnd = new Random(seed);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long acked = 0;
    long next = 1000;
    for (int i = 0; i < iterations; i++) {
      Process p =
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xshare:auto",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashChild.class.getName(),
                  dir.toString(),
                  Long.toString(next))
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      AtomicLong lastAck = new AtomicLong(-1);
      CountDownLatch started = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("C ")) {
                      lastAck.set(Long.parseLong(line.substring(2)));
                      started.countDown();
                    }
                  }
                } catch (Exception ignored) {
                  // the process died mid-line
                }
              });
      reader.start();
      assertThat(started.await(30, TimeUnit.SECONDS)).as("child %d started writing", i).isTrue();
      Thread.sleep(rnd.nextInt(100));
      p.destroyForcibly(); // SIGKILL
      p.waitFor(10, TimeUnit.SECONDS);
      reader.join(10_000);
      long ack = lastAck.get();
      assertThat(ack).isGreaterThan(acked);
      acked = ack;
      next = verify(ack, i) + 1000;
    }
  }

  /**
   * Checks every series holds exactly 1000, 2000, ... up to at least {@code ack}; returns the last.
   */
  private long verify(long ack, int iteration) throws Exception {
    long last = 0;
    try (Tsdb db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      Map<Labels, List<long[]>> all = TestUtil.read(db, 0, Long.MAX_VALUE, TestUtil.name("crash"));
      assertThat(all).as("series after kill %d", iteration).hasSize(CrashChild.SERIES);
      for (Map.Entry<Labels, List<long[]>> e : all.entrySet()) {
        List<long[]> s = e.getValue();
        assertThat(s.size())
            .as("%s after kill %d", e.getKey(), iteration)
            .isGreaterThanOrEqualTo((int) (ack / 1000));
        for (int k = 0; k < s.size(); k++) {
          long t = (k + 1) * 1000L;
          assertThat(s.get(k)[0])
              .as("%s sample %d after kill %d", e.getKey(), k, iteration)
              .isEqualTo(t);
          assertThat(Double.longBitsToDouble(s.get(k)[1])).isEqualTo(t / 1000);
        }
        last = s.get(s.size() - 1)[0];
      }
    }
    return last;
  }
}
