package dev.vigil.promql.test;

import com.google.re2j.Pattern;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Queryable;
import dev.vigil.model.StaleMarker;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.Sample;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.AtKind;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Printer;
import dev.vigil.promql.test.TestScript.Command;
import dev.vigil.promql.test.TestScript.Eval;
import dev.vigil.promql.test.TestScript.Expectation;
import dev.vigil.promql.test.TestScript.Load;
import dev.vigil.promql.test.TestScript.SeriesValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs Prometheus {@code .test} files against Vigil's engine over a {@link MemoryStorage}, with the
 * extra checks Prometheus' own runner makes: every instant eval is re-run as a range query
 * (t−1m..t+1m, step 1m, middle step compared) and with {@code @ t} added to its selectors.
 *
 * <pre>{@code
 * for (TestRunner.Outcome o : TestRunner.runFile(Path.of("functions.test"))) {
 *   if (o.status() == Status.FAILED) System.out.println(o);
 * }
 * }</pre>
 *
 * <p>Evals that need native histograms (histogram values in the expectation, or a selector that
 * matches series loaded with histogram samples) are skipped with that reason.
 */
public final class TestRunner {
  /** Result of one eval. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  /** The outcome of one eval command. */
  public record Outcome(String file, int line, String expr, Status status, String message) {
    @Override
    public String toString() {
      return file
          + ":"
          + line
          + ": "
          + status
          + " "
          + expr
          + (message == null ? "" : ": " + message);
    }
  }

  /** Reason given for evals skipped because they need native histograms. */
  public static final String SKIP_NATIVE_HISTOGRAMS = "needs native histograms";

  private static final Set<String> AT_UNSAFE =
      Set.of(
          "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year",
          "predict_linear",
          "time",
          "timestamp");

  /* Functions whose value depends on the query's range, so range mode legitimately differs. */
  private static final Set<String> RANGE_DEPENDENT = Set.of("step", "range", "start", "end");

  /**
   * The store a script loads into: {@link MemoryStorage} by default, or any other {@code Queryable}
   * (the TSDB's own tests run the scripts on it).
   */
  public interface Storage {
    /** The store queries read. */
    Queryable queryable();

    /** Adds the samples of one {@code load} command. */
    void load(List<Labels> series, List<long[]> times, List<double[]> values);

    /** Empties the store ({@code clear}). */
    void clear();
  }

  /** A {@link Storage} over a fresh {@link MemoryStorage}. */
  public static Storage memory() {
    MemoryStorage db = new MemoryStorage();
    return new Storage() {
      @Override
      public Queryable queryable() {
        return db;
      }

      @Override
      public void load(List<Labels> series, List<long[]> times, List<double[]> values) {
        for (int i = 0; i < series.size(); i++) {
          for (int k = 0; k < times.get(i).length; k++) {
            db.add(series.get(i), times.get(i)[k], values.get(i)[k]);
          }
        }
      }

      @Override
      public void clear() {
        db.clear();
      }
    };
  }

  private final Storage storage;
  private final Engine engine;
  private final List<Labels> histogramSeries = new ArrayList<>();

  private TestRunner(Storage storage) {
    this.storage = storage;
    this.engine =
        Engine.builder(storage.queryable())
            .lookbackDelta(Duration.ofMinutes(5))
            .maxSamples(50_000_000)
            .build();
  }

  /** Runs every eval of a file in order over a fresh {@link MemoryStorage}. */
  public static List<Outcome> runFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return run(file.getFileName().toString(), text, memory());
  }

  /** Runs every eval of a script's text over a fresh {@link MemoryStorage}. */
  public static List<Outcome> run(String name, String text) {
    return run(name, text, memory());
  }

  /** Runs every eval of a script's text over the given storage. */
  public static List<Outcome> run(String name, String text, Storage storage) {
    TestRunner r = new TestRunner(storage);
    List<Outcome> out = new ArrayList<>();
    for (Command c : TestScript.parse(text)) {
      switch (c) {
        case TestScript.Clear cl -> {
          r.storage.clear();
          r.histogramSeries.clear();
        }
        case Load l -> r.load(l);
        case Eval e -> out.add(r.eval(name, e));
      }
    }
    return out;
  }

  private void load(Load l) {
    List<Labels> series = new ArrayList<>();
    List<long[]> times = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    // As in Prometheus' runner, a series listed twice in one load keeps its last line only.
    Map<Labels, SeriesValues> lastLine = new java.util.LinkedHashMap<>();
    for (SeriesValues s : l.series()) {
      lastLine.remove(s.labels());
      lastLine.put(s.labels(), s);
    }
    for (SeriesValues s : lastLine.values()) {
      List<Double> v = s.values();
      long[] ts = new long[v.size()];
      double[] vs = new double[v.size()];
      int n = 0;
      for (int i = 0; i < v.size(); i++) {
        Double x = v.get(i);
        if (Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(TestScript.OMITTED)) {
          continue;
        }
        ts[n] = i * l.stepMs();
        vs[n++] = x;
      }
      series.add(s.labels());
      times.add(java.util.Arrays.copyOf(ts, n));
      values.add(java.util.Arrays.copyOf(vs, n));
      if (s.hasHistograms()) {
        histogramSeries.add(s.labels());
      }
      if (l.nhcb()) {
        String name = s.labels().getOrEmpty(Labels.METRIC_NAME);
        if (name.endsWith("_bucket")) {
          histogramSeries.add(
              s.labels().toBuilder()
                  .set(Labels.METRIC_NAME, name.substring(0, name.length() - 7))
                  .delete("le")
                  .build());
        }
      }
    }
    storage.load(series, times, values);
  }

  private boolean needsHistograms(Eval e) {
    if (e.expectsHistograms()) {
      return true;
    }
    Expr expr;
    try {
      expr = Parser.parse(e.expr());
    } catch (RuntimeException ex) {
      return false;
    }
    List<List<LabelMatcher>> sels = new ArrayList<>();
    Walk.selectors(expr, sels);
    for (List<LabelMatcher> ms : sels) {
      for (Labels h : histogramSeries) {
        boolean all = true;
        for (LabelMatcher m : ms) {
          all &= m.matches(h);
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  private Outcome eval(String file, Eval e) {
    if (e.expectsHistograms()) {
      return new Outcome(file, e.line(), e.expr(), Status.SKIPPED, SKIP_NATIVE_HISTOGRAMS);
    }
    String err;
    try {
      err = check(e, e.expr(), e.start(), e.end(), e.step(), e.range(), true);
      if (err == null && !e.range() && !e.has("fail")) {
        err = extraChecks(e);
      }
    } catch (RuntimeException ex) {
      err = "runner error: " + ex;
    }
    if (err != null && needsHistograms(e)) {
      // The eval reads series loaded with native histogram samples, which this store lacks.
      return new Outcome(
          file, e.line(), e.expr(), Status.SKIPPED, SKIP_NATIVE_HISTOGRAMS + " (" + err + ")");
    }
    return new Outcome(file, e.line(), e.expr(), err == null ? Status.PASSED : Status.FAILED, err);
  }

  private String extraChecks(Eval e) {
    if (e.expectedString() != null || e.expectedMatrixRange() != null) {
      return null;
    }
    // Range mode: t-1m .. t+1m step 1m, the middle step must match.
    Expr parsed = Parser.parse(e.expr());
    if (e.has("ordered") || Walk.containsFunction(parsed, RANGE_DEPENDENT)) {
      return null;
    }
    try {
      QueryResult r = engine.rangeQuery(e.expr(), e.start() - 60_000, e.start() + 60_000, 60_000);
      List<Sample> mid = new ArrayList<>();
      for (QueryResult.Series s : r.matrix()) {
        for (int i = 0; i < s.size(); i++) {
          if (s.timestamps()[i] == e.start()) {
            mid.add(new Sample(s.labels(), e.start(), s.values()[i]));
          }
        }
      }
      String err;
      if (e.expectedScalar() != null) {
        err =
            mid.size() == 1 && eq(e.expectedScalar(), mid.get(0).value())
                ? null
                : "expected scalar " + e.expectedScalar() + " got " + mid;
      } else {
        err = compareVector(e, mid, false);
      }
      if (err != null) {
        return "in range mode: " + err;
      }
    } catch (RuntimeException ex) {
      return "in range mode: unexpected error: " + ex.getMessage();
    }
    // @ modifier: the same expression with @ t on every selector, evaluated at other times.
    Expr expr = Parser.parse(e.expr());
    if (Walk.containsFunction(expr, AT_UNSAFE)) {
      return null;
    }
    String withAt = Printer.print(Walk.withAt(expr, e.start()));
    long ts = e.start();
    long[] times =
        ts == 0
            ? new long[] {-1000_000, 0, 1000_000}
            : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
    for (long t : times) {
      String err = check(e, withAt, t, t, 0, false, false);
      if (err != null) {
        return "with @ modifier (" + withAt + " at " + t + "ms): " + err;
      }
    }
    return null;
  }

  private String check(
      Eval e, String expr, long start, long end, long step, boolean range, boolean annotations) {
    QueryResult r;
    try {
      r = range ? engine.rangeQuery(expr, start, end, step) : engine.instantQuery(expr, start);
    } catch (RuntimeException ex) {
      Expectation fail = e.get("fail");
      if (fail == null) {
        return "unexpected error: " + ex.getMessage();
      }
      String msg = ex.getMessage();
      if (fail.msg() != null && !fail.msg().equals(msg)) {
        return "expected error message \"" + fail.msg() + "\" but got \"" + msg + "\"";
      }
      if (fail.regex() != null && !Pattern.compile(fail.regex()).matcher(msg).find()) {
        return "expected error matching " + fail.regex() + " but got \"" + msg + "\"";
      }
      return null;
    }
    if (e.has("fail")) {
      return "expected an error, got a result";
    }
    if (annotations) {
      String err = checkAnnotations(e, "warn", r.warnings());
      if (err == null) {
        err = checkAnnotations(e, "info", r.infos());
      }
      if (err != null) {
        return err;
      }
    }
    if (e.expectedString() != null) {
      return r.type() == QueryResult.Type.STRING && r.string().equals(e.expectedString())
          ? null
          : "expected string " + e.expectedString() + " got " + r.type() + " " + r.string();
    }
    if (e.expectedScalar() != null) {
      if (r.type() == QueryResult.Type.SCALAR) {
        return eq(e.expectedScalar(), r.scalar())
            ? null
            : "expected scalar " + e.expectedScalar() + " got " + r.scalar();
      }
      if (range && r.type() == QueryResult.Type.MATRIX && r.matrix().size() == 1) {
        for (double v : r.matrix().get(0).values()) {
          if (!eq(e.expectedScalar(), v)) {
            return "expected scalar " + e.expectedScalar() + " got " + v;
          }
        }
        return null;
      }
      return "expected scalar " + e.expectedScalar() + " got " + r.type();
    }
    if (r.type() == QueryResult.Type.MATRIX) {
      long[] rg = e.expectedMatrixRange();
      if (range) {
        return compareMatrix(e.expected(), r.matrix(), start, step);
      }
      if (rg == null && !e.expected().isEmpty()) {
        return "got a range vector but expected an instant result";
      }
      return compareMatrix(
          e.expected(), r.matrix(), rg == null ? 0 : rg[0], rg == null ? 1 : rg[2]);
    }
    if (r.type() == QueryResult.Type.SCALAR) {
      return e.expected().isEmpty()
          ? "expected vector, got scalar " + r.scalar()
          : "expected vector, got scalar";
    }
    if (r.type() != QueryResult.Type.VECTOR) {
      return "unexpected result type " + r.type();
    }
    return compareVector(e, r.vector(), e.has("ordered"));
  }

  private static String checkAnnotations(Eval e, String kind, List<String> got) {
    Expectation want = e.get(kind);
    if (e.has("no_" + kind) && !got.isEmpty()) {
      return "unexpected " + kind + "s: " + got;
    }
    if (want == null) {
      return null;
    }
    if (got.isEmpty()) {
      return "expected " + kind + " but got none";
    }
    if (want.msg() != null && !got.contains(want.msg())) {
      return "expected " + kind + " \"" + want.msg() + "\" but got " + got;
    }
    if (want.regex() != null) {
      Pattern p = Pattern.compile(want.regex());
      if (got.stream().noneMatch(g -> p.matcher(g).find())) {
        return "expected " + kind + " matching " + want.regex() + " but got " + got;
      }
    }
    return null;
  }

  private static String compareVector(Eval e, List<Sample> got, boolean ordered) {
    List<SeriesValues> want = e.expected();
    if (want.size() != got.size()) {
      return "expected " + want.size() + " samples, got " + got.size() + ": " + got;
    }
    Map<Labels, Integer> pos = new HashMap<>();
    for (int i = 0; i < got.size(); i++) {
      pos.put(got.get(i).labels(), i);
    }
    for (int i = 0; i < want.size(); i++) {
      SeriesValues w = want.get(i);
      Integer p = pos.get(w.labels());
      if (p == null) {
        return "expected series " + w.labels() + " not found in " + got;
      }
      if (ordered && p != i) {
        return "expected " + w.labels() + " at position " + i + " but it was at " + p;
      }
      if (w.values().size() != 1) {
        return "expected exactly one value for " + w.labels();
      }
      if (!eq(w.values().get(0), got.get(p).value())) {
        return "for "
            + w.labels()
            + " expected "
            + w.values().get(0)
            + " got "
            + got.get(p).value();
      }
    }
    return null;
  }

  private static String compareMatrix(
      List<SeriesValues> want, List<QueryResult.Series> got, long start, long step) {
    Map<Labels, QueryResult.Series> byLabels = new HashMap<>();
    for (QueryResult.Series s : got) {
      byLabels.put(s.labels(), s);
    }
    if (want.size() != got.size()) {
      return "expected " + want.size() + " series, got " + got.size() + ": " + describe(got);
    }
    for (SeriesValues w : want) {
      QueryResult.Series s = byLabels.get(w.labels());
      if (s == null) {
        return "expected series " + w.labels() + " not found in " + describe(got);
      }
      List<long[]> wantTs = new ArrayList<>();
      List<Double> wantV = new ArrayList<>();
      for (int i = 0; i < w.values().size(); i++) {
        Double v = w.values().get(i);
        if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(TestScript.OMITTED)) {
          wantTs.add(new long[] {start + i * step});
          wantV.add(v);
        }
      }
      if (wantTs.size() != s.size()) {
        return "for "
            + w.labels()
            + " expected "
            + wantTs.size()
            + " points, got "
            + s.size()
            + ": "
            + describe(List.of(s));
      }
      for (int i = 0; i < s.size(); i++) {
        if (wantTs.get(i)[0] != s.timestamps()[i] || !eq(wantV.get(i), s.values()[i])) {
          return "for "
              + w.labels()
              + " point "
              + i
              + " expected "
              + wantV.get(i)
              + "@"
              + wantTs.get(i)[0]
              + " got "
              + s.values()[i]
              + "@"
              + s.timestamps()[i];
        }
      }
    }
    return null;
  }

  private static String describe(List<QueryResult.Series> got) {
    StringBuilder sb = new StringBuilder("[");
    for (QueryResult.Series s : got) {
      sb.append(s.labels()).append(" =");
      for (int i = 0; i < s.size(); i++) {
        sb.append(' ').append(s.values()[i]).append('@').append(s.timestamps()[i]);
      }
      sb.append("; ");
    }
    return sb.append(']').toString();
  }

  /** Floats equal within relative 1e-6; NaN equals NaN; the stale marker only itself. */
  static boolean eq(double want, double got) {
    if (StaleMarker.is(want) || StaleMarker.is(got)) {
      return StaleMarker.is(want) && StaleMarker.is(got);
    }
    if (Double.isNaN(want) || Double.isNaN(got)) {
      return Double.isNaN(want) && Double.isNaN(got);
    }
    if (want == got) {
      return true;
    }
    double diff = Math.abs(want - got);
    double absSum = Math.abs(want) + Math.abs(got);
    if (want == 0 || got == 0 || absSum < Double.MIN_NORMAL) {
      return diff < 1e-6 * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }

  static AtKind unusedAtKind() {
    return AtKind.NONE;
  }
}
