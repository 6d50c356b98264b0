package dev.vigil.rules.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The labelled synthetic data set the detector is measured on: request-rate-like series with a
 * daily and a weekly season, multiplicative noise, and injected anomalies whose intervals are the
 * ground truth.
 *
 * <pre>{@code
 * SyntheticTraffic data = SyntheticTraffic.generate(42, 20, 6, 60_000); // seed, series, weeks, step
 * double v = data.series().get(0).values()[i];   // at data.start() + i * data.stepMs()
 * List<SyntheticTraffic.Anomaly> truth = data.series().get(0).anomalies();
 * }</pre>
 *
 * <p>Deterministic: the same arguments give the same data on every JVM (SplittableRandom).
 *
 * @param start the time of the first sample (ms; a Monday 00:00 UTC)
 * @param stepMs the time between samples
 */
public record SyntheticTraffic(long start, long stepMs, List<Series> series) {
  /* The shape: value = level × daily(t) × weekly(t) × (1 + noise), where daily is a smooth day
   * curve (trough at night, about 2.5× at the afternoon peak, a per-series phase), weekly is 1 on
   * weekdays and 0.55–0.8 on weekends, and noise is Gaussian with a per-series 2–4 %.
   *
   * Anomalies, each kind drawn in random order, at random places at least 3 h apart, about five a
   * week per series (the first week too: the detector must not learn them as normal):
   *  - spike:       5–20 min, value × (1 ± 0.35–0.9)
   *  - level shift: 1–6 h,    value × (1 ± 0.2–0.4)
   *  - drift:       2–8 h,    value × (1 ± r), r growing linearly from 0 to 0.25–0.5, then gone
   * The truth interval of each is [start, end). */

  /** Monday 2026-01-05 00:00 UTC. */
  public static final long MONDAY = 1_767_571_200_000L;

  /** Kinds of injected anomalies. */
  public enum Kind {
    SPIKE,
    LEVEL_SHIFT,
    DRIFT
  }

  /** One ground-truth anomaly: {@code [startMs, endMs)}. */
  public record Anomaly(Kind kind, long startMs, long endMs) {}

  /** One series: {@code values[i]} is at {@code start + i × stepMs}. */
  public record Series(String name, double[] values, List<Anomaly> anomalies) {}

  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  /**
   * Generates {@code count} series of {@code weeks} weeks, one sample every {@code stepMs}.
   *
   * @param seed the random seed: the data set is a function of the arguments
   */
  public static SyntheticTraffic generate(long seed, int count, int weeks, long stepMs) {
    SplittableRandom root = new SplittableRandom(seed);
    int n = (int) (weeks * 7 * DAY / stepMs);
    List<Series> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      SplittableRandom r = root.split();
      double level = 50 + r.nextDouble() * 950;
      double phase = (r.nextDouble() - 0.5) * 4 * HOUR;
      double weekend = 0.55 + r.nextDouble() * 0.25;
      double noise = 0.02 + r.nextDouble() * 0.02;
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        long t = i * stepMs;
        double hour = ((t + phase) % DAY + DAY) % DAY / (double) HOUR;
        // 0.4 at night to 1.4 at 15:00: a raised cosine.
        double daily = 0.9 + 0.5 * Math.cos(2 * Math.PI * (hour - 15) / 24);
        int dow = (int) ((t / DAY) % 7); // 0 = Monday
        double weekly = dow >= 5 ? weekend : 1;
        v[i] = level * daily * weekly * (1 + noise * gaussian(r));
      }
      List<Anomaly> truth = inject(r, v, stepMs, weeks);
      out.add(new Series("series_" + s, v, truth));
    }
    return new SyntheticTraffic(MONDAY, stepMs, out);
  }

  private static List<Anomaly> inject(SplittableRandom r, double[] v, long stepMs, int weeks) {
    List<Anomaly> truth = new ArrayList<>();
    long span = v.length * stepMs;
    long t = 2 * HOUR + (long) (r.nextDouble() * DAY);
    while (true) {
      Kind kind = Kind.values()[r.nextInt(3)];
      long len =
          switch (kind) {
            case SPIKE -> (5 + r.nextInt(16)) * MINUTE;
            case LEVEL_SHIFT -> HOUR + (long) (r.nextDouble() * 5 * HOUR);
            case DRIFT -> 2 * HOUR + (long) (r.nextDouble() * 6 * HOUR);
          };
      if (t + len >= span) {
        break;
      }
      double sign = r.nextBoolean() ? 1 : -1;
      double size =
          switch (kind) {
            case SPIKE -> 0.35 + r.nextDouble() * 0.55;
            case LEVEL_SHIFT -> 0.2 + r.nextDouble() * 0.2;
            case DRIFT -> 0.25 + r.nextDouble() * 0.25;
          };
      int from = (int) ((t + stepMs - 1) / stepMs);
      int to = (int) ((t + len + stepMs - 1) / stepMs);
      for (int i = from; i < to; i++) {
        double f = kind == Kind.DRIFT ? size * (i - from + 1) / (double) (to - from) : size;
        v[i] *= 1 + sign * f;
      }
      truth.add(new Anomaly(kind, MONDAY + from * stepMs, MONDAY + to * stepMs));
      // About five a week: a mean gap of 1.4 days, at least 3 h.
      t += len + 3 * HOUR + (long) (r.nextDouble() * 2.4 * DAY);
    }
    return truth;
  }

  private static double gaussian(SplittableRandom r) {
    // Box-Muller; SplittableRandom has no nextGaussian.
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
