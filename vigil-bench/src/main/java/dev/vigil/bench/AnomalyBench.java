package dev.vigil.bench;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.rules.anomaly.AnomalyDetector;
import dev.vigil.rules.anomaly.AnomalyMark;
import dev.vigil.rules.anomaly.AnomalyOptions;
import dev.vigil.rules.anomaly.DetectorAccuracy;
import dev.vigil.rules.anomaly.SyntheticTraffic;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The anomaly detector measured, run by {@code scripts/bench-anomaly} (docs/anomaly.md, "How it is
 * measured"; figures in docs/BENCHMARKS.md):
 *
 * <ol>
 *   <li>precision and recall over anomaly events on the labelled synthetic data set ({@link
 *       SyntheticTraffic}: 20 series × 6 weeks at 1 sample a minute, seeds 42, 1, 2, 3), after 2
 *       weeks of warm-up, an event flagged after 3 evaluations in a row beyond the threshold;
 *   <li>the model's update cost per series per evaluation (the same run);
 *   <li>the whole evaluation's cost per series (instant query of the mark, model update, four
 *       appends) over a real store, for 100, 1,000 and 5,000 series of one mark, after a day of
 *       1-minute evaluations: median over the next 200 evaluations.
 * </ol>
 *
 * <pre>
 * java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.AnomalyBench
 * </pre>
 */
public final class AnomalyBench {
  private static final long MIN = 60_000;

  private AnomalyBench() {}

  public static void main(String[] args) throws Exception {
    System.out.println("## Accuracy (SyntheticTraffic: 20 series, 6 weeks, 1-minute samples)");
    System.out.println();
    System.out.println(
        "| seed | precision | recall | events (true/all) | anomalies (found/all) |"
            + " spike | level shift | drift | model ns/series/eval |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (long seed : new long[] {42, 1, 2, 3}) {
      SyntheticTraffic data = SyntheticTraffic.generate(seed, 20, 6, MIN);
      DetectorAccuracy.Result r = DetectorAccuracy.measure(data, AnomalyOptions.DEFAULT, 3, 2);
      var k = r.byKind();
      System.out.printf(
          Locale.ROOT,
          "| %d | %.3f | %.3f | %d/%d | %d/%d | %s | %s | %s | %.0f |%n",
          seed,
          r.precision(),
          r.recall(),
          r.eventsTrue(),
          r.events(),
          r.truthsDetected(),
          r.truths(),
          frac(k.get(SyntheticTraffic.Kind.SPIKE)),
          frac(k.get(SyntheticTraffic.Kind.LEVEL_SHIFT)),
          frac(k.get(SyntheticTraffic.Kind.DRIFT)),
          r.nanosPerObservation());
    }
    System.out.println();
    System.out.println("## Cost of an evaluation (query + model + 4 appends, real store)");
    System.out.println();
    System.out.println("| series | median ms per evaluation | µs per series | state on disk |");
    System.out.println("|---|---|---|---|");
    for (int n : new int[] {100, 1000, 5000}) {
      cost(n);
    }
  }

  private static String frac(int[] v) {
    return v == null ? "-" : v[1] + "/" + v[0];
  }

  private static void cost(int n) throws Exception {
    Path dir = Files.createTempDirectory("vigil-anomaly-bench");
    try (Tsdb db =
        Tsdb.builder(dir.resolve("db"))
            .withoutWal()
            .rollups(false)
            .backgroundInterval(Duration.ZERO)
            .log(m -> {})
            .open()) {
      Engine engine = Engine.builder(db).build();
      AnomalyDetector d =
          AnomalyDetector.builder(engine, db).maxSeries(n).stateDir(dir.resolve("anomaly")).build();
      d.update(
          List.of(
              AnomalyMark.of(
                  "bench",
                  "requests",
                  AnomalyOptions.DEFAULT,
                  false,
                  AnomalyMark.DEFAULT_FOR,
                  AnomalyMark.Source.CONFIG)));
      Labels[] labels = new Labels[n];
      for (int i = 0; i < n; i++) {
        labels[i] = Labels.of("__name__", "requests", "job", "shop", "instance", "i" + i);
      }
      long t = SyntheticTraffic.MONDAY;
      int warm = 1440;
      int measured = 200;
      long[] nanos = new long[measured];
      for (int e = 0; e < warm + measured; e++, t += MIN) {
        Appender app = db.appender();
        for (int i = 0; i < n; i++) {
          app.append(0, labels[i], t, 100 + ((i + e) % 7));
        }
        app.commit();
        long t0 = System.nanoTime();
        d.evaluateAt(t);
        if (e >= warm) {
          nanos[e - warm] = System.nanoTime() - t0;
        }
      }
      d.save();
      Arrays.sort(nanos);
      double medianMs = nanos[measured / 2] / 1e6;
      System.out.printf(
          Locale.ROOT,
          "| %d | %.2f | %.1f | %d KiB |%n",
          n,
          medianMs,
          medianMs * 1000 / n,
          Files.size(dir.resolve("anomaly/state.bin")) >> 10);
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
