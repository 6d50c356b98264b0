package dev.vigil.tsdb;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link CrashTest}: appends to a store from time {@code args[1]} on, printing
 * {@code C <t>} after each commit returns, until it is killed.
 */
public final class CrashChild {
  static final int SERIES = 10;

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Tsdb db =
        Tsdb.builder(Path.of(args[0]))
            .blockRange(Duration.ofMinutes(5))
            .backgroundInterval(Duration.ofMillis(20))
            .walSegmentBytes(256 << 10)
            .log(m -> {})
            .open();
    long t = Long.parseLong(args[1]);
    Appender app = db.appender();
    long[] refs = new long[SERIES];
    for (; ; t += 1000) {
      for (int s = 0; s < SERIES; s++) {
        refs[s] = app.append(refs[s], Labels.of("__name__", "crash", "s", "" + s), t, t / 1000);
      }
      app.commit();
      System.out.println("C " + t);
      System.out.flush();
      Thread.sleep(1); // keeps the store small enough for 50 rounds in a few seconds each
    }
  }
}
