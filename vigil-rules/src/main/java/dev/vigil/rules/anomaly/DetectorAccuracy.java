package dev.vigil.rules.anomaly;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Precision and recall of the detector on a labelled data set ({@link SyntheticTraffic}), over
 * anomaly events, as {@code scripts/bench-anomaly} reports them.
 *
 * <pre>{@code
 * DetectorAccuracy.Result r =
 *     DetectorAccuracy.measure(SyntheticTraffic.generate(42, 20, 6, 60_000), AnomalyOptions.DEFAULT, 3, 2);
 * r.precision(); r.recall();
 * }</pre>
 */
public final class DetectorAccuracy {
  /* Definitions (docs/anomaly.md, "How it is measured"):
   *  - Each series is fed to its own SeasonalBand one sample at a time, as the rule engine's
   *    evaluations would.
   *  - A sample is flagged when |score| > threshold for `consecutive` samples in a row (what an
   *    alert rule on the score with for: (consecutive-1) × interval does).
   *  - Flagged samples closer than MERGE_GAP form one detected event [first, last].
   *  - Only the time after `warmupWeeks` counts: truths that start there, events that start there.
   *  - Recall = truths overlapped by at least one detected event / truths.
   *  - Precision = detected events that overlap a truth [start, end + GRACE) / detected events.
   *  GRACE covers the alert that fires on the last sample of an anomaly, as the slot closes. */

  /** Flags closer than this are one event. */
  public static final long MERGE_GAP_MS = 15 * 60_000;

  /** How long after a truth's end a detection still counts as that truth's. */
  public static final long GRACE_MS = 10 * 60_000;

  /** The outcome of one measurement. */
  public record Result(
      int truths,
      int truthsDetected,
      int events,
      int eventsTrue,
      Map<SyntheticTraffic.Kind, int[]> byKind,
      long observations,
      long nanos) {
    public double recall() {
      return truths == 0 ? 1 : truthsDetected / (double) truths;
    }

    public double precision() {
      return events == 0 ? 1 : eventsTrue / (double) events;
    }

    /** Mean cost of one series' update in one evaluation (ns). */
    public double nanosPerObservation() {
      return observations == 0 ? 0 : nanos / (double) observations;
    }

    @Override
    public String toString() {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  java.util.Locale.ROOT,
                  "precision %.3f (%d of %d detected events are true), recall %.3f (%d of %d"
                      + " anomalies detected)",
                  precision(),
                  eventsTrue,
                  events,
                  recall(),
                  truthsDetected,
                  truths));
      byKind.forEach(
          (k, v) -> b.append(String.format(java.util.Locale.ROOT, "; %s %d/%d", k, v[1], v[0])));
      return b.toString();
    }
  }

  private DetectorAccuracy() {}

  /**
   * Runs the detector over every series of {@code data} and scores it after {@code warmupWeeks}.
   *
   * @param consecutive how many samples in a row must be beyond the threshold (1 or more)
   */
  public static Result measure(
      SyntheticTraffic data, AnomalyOptions opts, int consecutive, int warmupWeeks) {
    long from = data.start() + warmupWeeks * 7 * 86_400_000L;
    int truths = 0;
    int truthsDetected = 0;
    int events = 0;
    int eventsTrue = 0;
    long observations = 0;
    long nanos = 0;
    Map<SyntheticTraffic.Kind, int[]> byKind = new EnumMap<>(SyntheticTraffic.Kind.class);
    for (SyntheticTraffic.Series s : data.series()) {
      SeasonalBand band = new SeasonalBand(opts);
      double[] v = s.values();
      List<long[]> detected = new ArrayList<>();
      int run = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < v.length; i++) {
        long t = data.start() + i * data.stepMs();
        SeasonalBand.Point p = band.observe(t, v[i]);
        run = p != null && p.anomalous(opts.threshold()) ? run + 1 : 0;
        if (run >= consecutive && t >= from) {
          long[] last = detected.isEmpty() ? null : detected.get(detected.size() - 1);
          if (last != null && t - last[1] <= MERGE_GAP_MS) {
            last[1] = t;
          } else {
            detected.add(new long[] {t, t});
          }
        }
      }
      nanos += System.nanoTime() - t0;
      observations += v.length;
      for (SyntheticTraffic.Anomaly a : s.anomalies()) {
        if (a.startMs() < from) {
          continue;
        }
        truths++;
        int[] k = byKind.computeIfAbsent(a.kind(), x -> new int[2]);
        k[0]++;
        for (long[] e : detected) {
          if (e[0] < a.endMs() + GRACE_MS && e[1] >= a.startMs()) {
            truthsDetected++;
            k[1]++;
            break;
          }
        }
      }
      for (long[] e : detected) {
        events++;
        for (SyntheticTraffic.Anomaly a : s.anomalies()) {
          if (e[0] < a.endMs() + GRACE_MS && e[1] >= a.startMs()) {
            eventsTrue++;
            break;
          }
        }
      }
    }
    return new Result(truths, truthsDetected, events, eventsTrue, byKind, observations, nanos);
  }

  /** Prints the measurement: {@code DetectorAccuracy [seed series weeks consecutive threshold]}. */
  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int weeks = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    int consecutive = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    AnomalyOptions d = AnomalyOptions.DEFAULT;
    AnomalyOptions opts =
        args.length > 4
            ? new AnomalyOptions(d.step(), d.weeks(), Double.parseDouble(args[4]), d.window())
            : d;
    SyntheticTraffic data = SyntheticTraffic.generate(seed, count, weeks, 60_000);
    Result r = measure(data, opts, consecutive, 2);
    System.out.println(r);
    System.out.printf(
        java.util.Locale.ROOT, "cost %.0f ns per series per evaluation%n", r.nanosPerObservation());
  }
}
