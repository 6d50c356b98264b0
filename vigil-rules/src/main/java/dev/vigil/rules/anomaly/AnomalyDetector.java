package dev.vigil.rules.anomaly;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleMetrics;
import dev.vigil.rules.RuleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a baseline and band for every series of the marked expressions and writes them, with an
 * anomaly score, as series of their own at each evaluation.
 *
 * <pre>{@code
 * AnomalyDetector d = AnomalyDetector.builder(engine, db).maxSeries(500).stateDir(dir).build();
 * d.update(List.of(mark));          // from vigil.yml and the API; keeps the state of kept marks
 * d.evaluateAt(clock.millis());     // each evaluation interval (AnomalyScheduler does this)
 * List<AnomalyDetector.MarkStatus> now = d.status();
 * d.save();                         // also at close
 * }</pre>
 *
 * <p>Output, per series of a mark (its labels without {@code __name__}, plus {@code anomaly} = the
 * mark's name and {@code anomaly_metric} = the series' metric name when it has one): {@value
 * #SCORE}, {@value #BASELINE}, {@value #UPPER}, {@value #LOWER}.
 *
 * <p>Thread-safe: evaluations, updates and saves are serialized.
 */
public final class AnomalyDetector {
  /* Cost: one instant query per mark, then one SeasonalBand.observe per returned series (O(1),
   * with an O(weeks + a day of slots) step when a slot opens) and four appends. Nothing reads
   * history: the state is the per-series ring of slot means (about 32 KiB per series at 5 m
   * slots over 4 weeks).
   *
   * Bounds: at most maxSeries series in all marks; a series beyond it is not modelled and counted
   * in vigil_anomaly_series_limit_hits_total. A series not seen for the length of its ring is
   * forgotten. A mark removed or changed (options) loses its state.
   *
   * Restart: the state is saved to <stateDir>/state.bin every saveInterval and at close (StateFile:
   * CRC-checked, written to a temporary file then renamed), and read back at start: after a
   * crash the model lacks at most saveInterval of observations, which the ring treats as a gap. */

  /** The anomaly score: (value − baseline) / scale. */
  public static final String SCORE = "vigil:anomaly:score";

  /** The baseline (the seasonal or rolling median). */
  public static final String BASELINE = "vigil:anomaly:baseline";

  /** The upper edge of the band: baseline + threshold × scale. */
  public static final String UPPER = "vigil:anomaly:upper";

  /** The lower edge of the band: baseline − threshold × scale. */
  public static final String LOWER = "vigil:anomaly:lower";

  /** The label holding the mark's name. */
  public static final String MARK_LABEL = "anomaly";

  /** The label holding the modelled series' metric name. */
  public static final String METRIC_LABEL = "anomaly_metric";

  /** The name of the generated alert. */
  public static final String ALERT = "AnomalyDetected";

  /** The file name the generated rules are reported under. */
  public static final String RULE_FILE = "vigil.yml#anomaly";

  private static final Logger LOG = Logger.getLogger(AnomalyDetector.class.getName());

  /** The current state of a mark. */
  public record MarkStatus(AnomalyMark mark, List<SeriesStatus> series, String lastError) {}

  /**
   * One modelled series' latest point.
   *
   * @param model {@code seasonal} or {@code rolling}, or {@code warming_up} (no band yet)
   */
  public record SeriesStatus(
      Map<String, String> labels,
      long timestampMs,
      double value,
      double baseline,
      double lower,
      double upper,
      double score,
      String model) {}

  private final Engine engine;
  private final Appendable appendable;
  private final int maxSeries;
  private final Path stateDir;
  private final ReentrantLock lock = new ReentrantLock();
  private final LongAdder limitHits = new LongAdder();
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder evaluationNanos = new LongAdder();
  private final LongAdder queryFailures = new LongAdder();

  /** Guarded by lock. */
  private final Map<String, Tracked> marks = new LinkedHashMap<>();

  private int seriesCount;
  private volatile int seriesGauge;

  private AnomalyDetector(Builder b) {
    this.engine = b.engine;
    this.appendable = b.appendable;
    this.maxSeries = b.maxSeries;
    this.stateDir = b.stateDir;
  }

  /** A detector querying {@code engine} and writing its series to {@code appendable}. */
  public static Builder builder(Engine engine, Appendable appendable) {
    return new Builder(engine, appendable);
  }

  /**
   * Replaces the marks. A mark whose expression and options are unchanged keeps its series' state;
   * the others start afresh.
   */
  public void update(List<AnomalyMark> next) {
    lock.lock();
    try {
      Map<String, Tracked> old = new HashMap<>(marks);
      marks.clear();
      for (AnomalyMark m : next) {
        Tracked prev = old.remove(m.name());
        if (prev != null
            && prev.mark.expr().equals(m.expr())
            && prev.mark.options().equals(m.options())) {
          prev.mark = m;
          marks.put(m.name(), prev);
        } else {
          marks.put(m.name(), new Tracked(m));
        }
      }
      recount();
    } finally {
      lock.unlock();
    }
  }

  /** The marks in force, in order. */
  public List<AnomalyMark> marks() {
    lock.lock();
    try {
      List<AnomalyMark> out = new ArrayList<>();
      for (Tracked t : marks.values()) {
        out.add(t.mark);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Evaluates every mark at {@code ts} (ms) and appends the output series. */
  public void evaluateAt(long ts) {
    lock.lock();
    long t0 = System.nanoTime();
    try {
      Appender app = appendable.appender();
      for (Tracked t : marks.values()) {
        evaluate(t, ts, app);
      }
      try {
        app.commit();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "anomaly: writing the output series failed", e);
      }
      recount();
    } finally {
      evaluations.increment();
      evaluationNanos.add(System.nanoTime() - t0);
      lock.unlock();
    }
  }

  private void evaluate(Tracked t, long ts, Appender app) {
    List<Sample> samples;
    try {
      QueryResult r = engine.instantQuery(t.mark.expr(), ts);
      samples =
          switch (r.type()) {
            case VECTOR -> r.vector();
            case SCALAR -> List.of(new Sample(Labels.EMPTY, ts, r.scalar()));
            default -> throw new IllegalStateException("the expression gives a " + r.type());
          };
      t.lastError = null;
    } catch (RuntimeException e) {
      queryFailures.increment();
      t.lastError = e.getMessage();
      return;
    }
    AnomalyOptions opts = t.mark.options();
    for (Sample s : samples) {
      Labels key = s.labels();
      Series ser = t.series.get(key);
      if (ser == null) {
        if (seriesCount >= maxSeries) {
          limitHits.increment();
          continue;
        }
        ser = new Series(new SeasonalBand(opts), outputLabels(t.mark.name(), key));
        t.series.put(key, ser);
        seriesCount++;
      }
      SeasonalBand.Point p = ser.band.observe(ts, s.value());
      ser.last = p;
      ser.lastTs = ts;
      ser.lastValue = s.value();
      if (p == null) {
        continue;
      }
      try {
        // Labels with every ref: the store falls back to them when it dropped the series.
        ser.refs[0] = app.append(ser.refs[0], ser.out[0], ts, p.score());
        ser.refs[1] = app.append(ser.refs[1], ser.out[1], ts, p.baseline());
        ser.refs[2] = app.append(ser.refs[2], ser.out[2], ts, p.upper());
        ser.refs[3] = app.append(ser.refs[3], ser.out[3], ts, p.lower());
      } catch (RuntimeException e) {
        // Out of order after a restart with an older clock, or a full store: the next one counts.
        LOG.log(Level.FINE, "anomaly: append failed", e);
      }
    }
    // Forget series gone for longer than their ring covers.
    long horizon = (long) opts.weeks() * opts.slotsPerWeek();
    for (Iterator<Series> it = t.series.values().iterator(); it.hasNext(); ) {
      Series ser = it.next();
      if (ser.band.lastSlot() != Long.MIN_VALUE
          && ser.band.slotOf(ts) - ser.band.lastSlot() > horizon) {
        it.remove();
        seriesCount--;
      }
    }
  }

  static Labels[] outputLabels(String mark, Labels series) {
    Labels[] out = new Labels[4];
    String[] names = {SCORE, BASELINE, UPPER, LOWER};
    String metric = series.get(Labels.METRIC_NAME);
    for (int i = 0; i < 4; i++) {
      Labels.Builder b = series.toBuilder().delete(Labels.METRIC_NAME);
      if (metric != null) {
        b.set(METRIC_LABEL, metric);
      }
      b.set(MARK_LABEL, mark);
      b.set(Labels.METRIC_NAME, names[i]);
      out[i] = b.build();
    }
    return out;
  }

  private void recount() {
    int n = 0;
    for (Tracked t : marks.values()) {
      n += t.series.size();
    }
    seriesCount = n;
    seriesGauge = n;
  }

  /** Every mark with its series' latest points, in mark order. */
  public List<MarkStatus> status() {
    lock.lock();
    try {
      List<MarkStatus> out = new ArrayList<>();
      for (Tracked t : marks.values()) {
        List<SeriesStatus> ss = new ArrayList<>();
        for (Map.Entry<Labels, Series> e : t.series.entrySet()) {
          Series s = e.getValue();
          SeasonalBand.Point p = s.last;
          ss.add(
              new SeriesStatus(
                  e.getKey().toMap(),
                  s.lastTs,
                  s.lastValue,
                  p == null ? Double.NaN : p.baseline(),
                  p == null ? Double.NaN : p.lower(),
                  p == null ? Double.NaN : p.upper(),
                  p == null ? Double.NaN : p.score(),
                  p == null ? "warming_up" : p.model().name().toLowerCase(java.util.Locale.ROOT)));
        }
        out.add(new MarkStatus(t.mark, ss, t.lastError));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The alerting rules of the marks that ask for one: {@value #ALERT} when |score| stays beyond the
   * mark's threshold for its {@code for}. Empty when no mark asks.
   */
  public static List<RuleFile> generatedRules(List<AnomalyMark> marks) {
    List<RuleSpec> rules = new ArrayList<>();
    for (AnomalyMark m : marks) {
      if (!m.alert()) {
        continue;
      }
      String expr =
          "abs("
              + SCORE
              + "{"
              + MARK_LABEL
              + "=\""
              + m.name()
              + "\"}) > "
              + m.options().threshold();
      rules.add(
          new AlertingRuleSpec(
              ALERT,
              expr,
              m.alertFor(),
              Duration.ZERO,
              Map.of("severity", "warning"),
              Map.of(
                  "summary",
                  "Anomaly in {{ $labels.anomaly }}: a series is outside its band",
                  "description",
                  "{{ $labels.anomaly_metric }} is {{ $value | printf \"%.1f\" }} scales from its"
                      + " baseline (threshold "
                      + m.options().threshold()
                      + "); the band: vigil:anomaly:lower and vigil:anomaly:upper with the same"
                      + " labels."),
              0));
    }
    if (rules.isEmpty()) {
      return List.of();
    }
    return List.of(
        new RuleFile(RULE_FILE, List.of(new RuleGroupSpec("anomaly", null, 0, null, rules, 0))));
  }

  /** Self-metrics, in the rule engine's shape ({@code vigil_anomaly_*}). */
  public List<RuleMetrics.Family> metrics() {
    return List.of(
        gauge("vigil_anomaly_series", "Series modelled by the anomaly detector.", seriesGauge),
        gauge("vigil_anomaly_series_limit", "The most series the detector models.", maxSeries),
        new RuleMetrics.Family(
            "vigil_anomaly_series_limit_hits_total",
            "Series not modelled because the series limit was reached (per evaluation).",
            RuleMetrics.Type.COUNTER,
            List.of(new RuleMetrics.Point(Map.of(), limitHits.sum(), 0, 0))),
        new RuleMetrics.Family(
            "vigil_anomaly_query_failures_total",
            "Evaluations of a mark whose query failed.",
            RuleMetrics.Type.COUNTER,
            List.of(new RuleMetrics.Point(Map.of(), queryFailures.sum(), 0, 0))),
        new RuleMetrics.Family(
            "vigil_anomaly_evaluation_duration_seconds",
            "Time taken by one evaluation of every mark.",
            RuleMetrics.Type.SUMMARY,
            List.of(
                new RuleMetrics.Point(
                    Map.of(), 0, evaluations.sum(), evaluationNanos.sum() / 1e9))));
  }

  private static RuleMetrics.Family gauge(String name, String help, double v) {
    return new RuleMetrics.Family(
        name, help, RuleMetrics.Type.GAUGE, List.of(new RuleMetrics.Point(Map.of(), v, 0, 0)));
  }

  /** Series not modelled because of the limit, since start. */
  public long limitHits() {
    return limitHits.sum();
  }

  /** Writes the state to {@code <stateDir>/state.bin} (nothing without a state directory). */
  public void save() throws IOException {
    if (stateDir == null) {
      return;
    }
    lock.lock();
    try {
      StateFile.write(stateDir.resolve(StateFile.NAME), marks);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads the state a previous run saved, for the marks in force (call after the first {@link
   * #update}). A missing file is a first start; a damaged one is reported and ignored.
   *
   * @return how many series were restored
   */
  public int load() {
    if (stateDir == null) {
      return 0;
    }
    lock.lock();
    try {
      int n = StateFile.read(stateDir.resolve(StateFile.NAME), marks, maxSeries);
      recount();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** A mark and its series. Guarded by the detector's lock. */
  static final class Tracked {
    AnomalyMark mark;
    final Map<Labels, Series> series = new LinkedHashMap<>();
    String lastError;

    Tracked(AnomalyMark mark) {
      this.mark = mark;
    }
  }

  /** One modelled series. */
  static final class Series {
    final SeasonalBand band;
    final Labels[] out;
    final long[] refs = new long[4];
    SeasonalBand.Point last;
    long lastTs;
    double lastValue = Double.NaN;

    Series(SeasonalBand band, Labels[] out) {
      this.band = band;
      this.out = out;
    }
  }

  /** Configures an {@link AnomalyDetector}. */
  public static final class Builder {
    private final Engine engine;
    private final Appendable appendable;
    private int maxSeries = 1000;
    private Path stateDir;

    private Builder(Engine engine, Appendable appendable) {
      this.engine = Objects.requireNonNull(engine);
      this.appendable = Objects.requireNonNull(appendable);
    }

    /** The most series modelled in all marks (default 1000, about 33 MiB of state). */
    public Builder maxSeries(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxSeries must be at least 1, got " + n);
      }
      maxSeries = n;
      return this;
    }

    /** Where the state is saved (default: nowhere, the state lives in memory). */
    public Builder stateDir(Path dir) {
      stateDir = dir;
      return this;
    }

    public AnomalyDetector build() {
      return new AnomalyDetector(this);
    }
  }
}
