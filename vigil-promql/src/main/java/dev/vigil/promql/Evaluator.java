package dev.vigil.promql;

import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import dev.vigil.promql.Value.MatrixValue;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.AggregateExpr;
import dev.vigil.promql.parser.Expr.AtKind;
import dev.vigil.promql.parser.Expr.BinaryExpr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.Expr.NumberLiteral;
import dev.vigil.promql.parser.Expr.ParenExpr;
import dev.vigil.promql.parser.Expr.StringLiteral;
import dev.vigil.promql.parser.Expr.SubqueryExpr;
import dev.vigil.promql.parser.Expr.UnaryExpr;
import dev.vigil.promql.parser.Expr.VectorSelector;
import dev.vigil.promql.parser.Printer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Evaluates an expression over all steps of a query at once, as Prometheus' {@code rangeEval} does.
 * An instant query is a range query with one step.
 */
final class Evaluator {
  /*
   * Each selector is read once for the whole query: the samples of one series covering every
   * step's window are loaded, all steps are answered from them, and the series is dropped before
   * the next is read. So range queries never re-read chunks per step, and memory grows with the
   * number of series in flight, not with samples. Subqueries evaluate their inner expression once
   * over the union of all windows, at step-aligned timestamps.
   */
  static final long DEFAULT_SUBQUERY_STEP = 60_000;

  /* Initial point capacity of an output series: dense series fill it, sparse ones do not pay for
   * every step of a long range up front; arrays double when full. */
  static final int INITIAL_POINTS = 1024;

  final Queryable storage;
  final QueryContext ctx;
  final long start;
  final long end;
  final long interval;
  final int numSteps;
  final long lookback;

  /** The coarsest stored data selectors may read; inner evaluators inherit it. */
  SourceResolution sourceResolution = SourceResolution.RAW;

  Evaluator(
      Queryable storage, QueryContext ctx, long start, long end, long interval, long lookback) {
    this.storage = storage;
    this.ctx = ctx;
    this.start = start;
    this.end = end;
    this.interval = interval <= 0 ? 1 : interval;
    this.numSteps =
        ctx.checkSteps(
            stepCount(start, end, this.interval),
            "the query",
            "raise the step or narrow the time range");
    this.lookback = lookback;
  }

  /**
   * Steps from {@code start} to {@code end} inclusive, {@code (end - start) / interval + 1},
   * saturating at {@link Long#MAX_VALUE} instead of overflowing; 0 when {@code end < start}.
   */
  static long stepCount(long start, long end, long interval) {
    if (end < start) {
      return 0;
    }
    long span = end - start;
    if (span < 0) {
      return Long.MAX_VALUE; // overflowed: more than 2^63 ms apart
    }
    return span / interval + 1;
  }

  /** {@code a - b}, saturated at the long range. */
  static long minus(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  long ts(int step) {
    return start + step * interval;
  }

  Annotations annotations() {
    return ctx.annotations;
  }

  // ------------------------------------------------------------------ dispatch

  Value eval(Expr e) {
    ctx.checkDeadline();
    if (numSteps > 1 && StepInvariance.isInvariant(e)) {
      return evalOnceAndRepeat(e);
    }
    return switch (e) {
      case NumberLiteral n -> scalar(n.value());
      case StringLiteral s -> new StringValue(s.value());
      case ParenExpr p -> eval(p.expr());
      case UnaryExpr u -> unary(u);
      case VectorSelector vs -> new VectorValue(vectorSelector(vs, false));
      case MatrixSelector ms -> topLevelMatrix(matrixArg(ms));
      case SubqueryExpr sq -> topLevelMatrix(matrixArg(sq));
      case Call c -> Functions.eval(this, c);
      case AggregateExpr a -> Aggregations.eval(this, a);
      case BinaryExpr b -> BinaryOps.eval(this, b);
    };
  }

  /**
   * Evaluates a step-invariant expression (every selector pinned by {@code @}) at the first step
   * only and repeats the result at every step, as Prometheus' {@code StepInvariantExpr} does.
   */
  private Value evalOnceAndRepeat(Expr e) {
    Evaluator once = new Evaluator(storage, ctx, start, start, interval, lookback);
    once.sourceResolution = sourceResolution;
    Value v = once.eval(e);
    return switch (v) {
      case ScalarValue s -> scalar(s.values()[0]);
      case VectorValue vv -> {
        List<StepSeries> out = new ArrayList<>(vv.series().size());
        for (StepSeries s : vv.series()) {
          StepSeries r = new StepSeries(s.labels, s.dropName, numSteps);
          for (int i = 0; i < numSteps; i++) {
            r.add(i, s.values[0]);
          }
          ctx.addSamples(numSteps - 1L);
          out.add(r);
        }
        yield new VectorValue(out);
      }
      default -> v;
    };
  }

  ScalarValue scalar(double v) {
    double[] a = new double[numSteps];
    Arrays.fill(a, v);
    return new ScalarValue(a);
  }

  private Value unary(UnaryExpr u) {
    Value v = eval(u.expr());
    if (u.op().equals("+")) {
      return v;
    }
    if (v instanceof ScalarValue s) {
      double[] out = new double[numSteps];
      for (int i = 0; i < numSteps; i++) {
        out[i] = -s.values()[i];
      }
      return new ScalarValue(out);
    }
    List<StepSeries> in = ((VectorValue) v).series();
    for (StepSeries s : in) {
      for (int i = 0; i < s.size; i++) {
        s.values[i] = -s.values[i];
      }
      s.dropName = true;
    }
    // Series whose labels coincide once names are dropped stay distinct until Engine.cleanup.
    return new VectorValue(in);
  }

  private MatrixValue topLevelMatrix(MatrixArg m) {
    List<RawSeries> out = new ArrayList<>();
    long ref = m.refTime(ts(0));
    while (m.hasNext()) {
      RawSeries s = m.next();
      int lo = s.firstAfter(ref - m.rangeMs, 0);
      int hi = s.firstAfter(ref, lo);
      if (hi > lo) {
        RawSeries w = new RawSeries(s.labels, hi - lo);
        w.dropName = s.dropName;
        for (int i = lo; i < hi; i++) {
          w.add(s.ts[i], s.vals[i]);
        }
        out.add(w);
      }
    }
    return new MatrixValue(out);
  }

  // ------------------------------------------------------------------ selectors

  long atTime(AtKind kind, long atMs, long stepTs) {
    return switch (kind) {
      case NONE -> stepTs;
      case TIME -> atMs;
      case START -> ctx.queryStart;
      case END -> ctx.queryEnd;
    };
  }

  private SeriesSet select(VectorSelector vs, long mint, long maxt, String func, long range) {
    Querier q = storage.querier(mint, maxt);
    ctx.queriers.add(q);
    long step = numSteps > 1 ? interval : 0;
    SeriesSet set =
        q.select(
            new SelectHints(
                mint,
                maxt,
                step,
                func,
                range,
                sourceResolution.forSelector(func, range, step, lookback)),
            vs.matchers());
    ctx.annotations.addStorageWarnings(set.warnings());
    return set;
  }

  /**
   * Evaluates an instant vector selector at every step: the newest sample in the left-open lookback
   * window {@code (ref - lookback, ref]}, unless it is a stale marker.
   *
   * @param sampleTimes whether to return each sample's timestamp in seconds instead of its value
   *     (for {@code timestamp()})
   */
  List<StepSeries> vectorSelector(VectorSelector vs, boolean sampleTimes) {
    long refFirst = atTime(vs.atKind(), vs.atMs(), ts(0)) - vs.offsetMs();
    long refLast = atTime(vs.atKind(), vs.atMs(), ts(numSteps - 1)) - vs.offsetMs();
    SeriesSet set = select(vs, refFirst - lookback + 1, refLast, null, 0);
    List<StepSeries> out = new ArrayList<>();
    while (set.next()) {
      ctx.checkDeadline();
      var series = set.at();
      RawSeries raw =
          load(series.labels(), series.iterator(), refFirst - lookback + 1, refLast, true);
      StepSeries ss = null;
      int idx = 0;
      for (int i = 0; i < numSteps; i++) {
        ctx.checkDeadline();
        long ref = atTime(vs.atKind(), vs.atMs(), ts(i)) - vs.offsetMs();
        idx = raw.firstAfter(ref, vs.atKind() == AtKind.NONE ? idx : 0);
        int last = idx - 1;
        if (last < 0 || raw.ts[last] <= ref - lookback || StaleMarker.is(raw.vals[last])) {
          continue;
        }
        if (ss == null) {
          ss = new StepSeries(raw.labels, false, Math.min(numSteps - i, INITIAL_POINTS));
        }
        ss.add(i, sampleTimes ? raw.ts[last] / 1000.0 : raw.vals[last]);
      }
      ctx.releaseSamples(raw.size);
      if (ss != null) {
        ctx.addSamples(ss.size);
        out.add(ss);
      }
    }
    return out;
  }

  /**
   * Initial capacity of the next {@link #load}: the size of the previous one (series of one
   * selector usually hold about as many samples), so arrays are not regrown from 16 for every
   * series.
   */
  private int loadCapacity = 16;

  /** Reads one series' samples in {@code [mint, maxt]}, counting them against the limit. */
  RawSeries load(
      dev.vigil.model.Labels labels, SampleIterator it, long mint, long maxt, boolean keepStale) {
    RawSeries raw = new RawSeries(labels, loadCapacity);
    if (it.seek(mint)) {
      do {
        long t = it.timestamp();
        if (t > maxt) {
          break;
        }
        double v = it.value();
        if (keepStale || !StaleMarker.is(v)) {
          raw.add(t, v);
        }
      } while (it.next());
    }
    loadCapacity = Math.clamp(raw.size, 16, 1 << 16);
    ctx.addSamples(raw.size);
    return raw;
  }

  // ------------------------------------------------------------------ range vectors

  /**
   * A range-vector argument: its series, produced lazily one at a time, and how to find each step's
   * window {@code (ref - range, ref]}.
   */
  abstract class MatrixArg implements Iterator<RawSeries> {
    final long rangeMs;
    final long offsetMs;
    final AtKind atKind;
    final long atMs;

    MatrixArg(long rangeMs, long offsetMs, AtKind atKind, long atMs) {
      this.rangeMs = rangeMs;
      this.offsetMs = offsetMs;
      this.atKind = atKind;
      this.atMs = atMs;
    }

    long refTime(long stepTs) {
      return atTime(atKind, atMs, stepTs) - offsetMs;
    }

    /** Called when the consumer is done with the last series returned by {@link #next()}. */
    void release(RawSeries s) {
      ctx.releaseSamples(s.size);
    }
  }

  MatrixArg matrixArg(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    if (e instanceof MatrixSelector ms) {
      return matrixSelector(ms, null);
    }
    if (e instanceof SubqueryExpr sq) {
      return subquery(sq);
    }
    throw new PromqlException("expected a range vector, got " + e.type());
  }

  MatrixArg matrixSelector(MatrixSelector ms, String func) {
    VectorSelector vs = ms.selector();
    MatrixArg arg =
        new MatrixArg(ms.rangeMs(), vs.offsetMs(), vs.atKind(), vs.atMs()) {
          final long refFirst = refTime(ts(0));
          final long refLast = refTime(ts(numSteps - 1));
          final SeriesSet set = select(vs, refFirst - rangeMs + 1, refLast, func, rangeMs);
          Boolean has;

          @Override
          public boolean hasNext() {
            if (has == null) {
              has = set.next();
            }
            return has;
          }

          @Override
          public RawSeries next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            has = null;
            ctx.checkDeadline();
            var s = set.at();
            return load(s.labels(), s.iterator(), refFirst - rangeMs + 1, refLast, false);
          }
        };
    return arg;
  }

  MatrixArg subquery(SubqueryExpr sq) {
    long step = sq.stepMs() == 0 ? DEFAULT_SUBQUERY_STEP : sq.stepMs();
    MatrixArg arg =
        new MatrixArg(sq.rangeMs(), sq.offsetMs(), sq.atKind(), sq.atMs()) {
          Iterator<RawSeries> it;

          private void init() {
            if (it != null) {
              return;
            }
            long refFirst = refTime(ts(0));
            long refLast = refTime(ts(numSteps - 1));
            long lower = minus(refFirst, rangeMs);
            long innerStart = step * (lower / step);
            if (innerStart <= lower) {
              innerStart += step;
            }
            List<RawSeries> out = new ArrayList<>();
            if (innerStart <= refLast) {
              // Checked here, before the inner evaluator allocates, to name the subquery.
              ctx.checkSteps(
                  stepCount(innerStart, refLast, step),
                  "subquery ["
                      + Printer.formatDuration(sq.rangeMs())
                      + ":"
                      + Printer.formatDuration(step)
                      + "]",
                  "use a coarser subquery step or a shorter range");
              Evaluator inner = new Evaluator(storage, ctx, innerStart, refLast, step, lookback);
              inner.sourceResolution = sourceResolution;
              Value v = inner.eval(sq.expr());
              for (StepSeries s : ((VectorValue) v).series()) {
                ctx.checkDeadline();
                RawSeries r = new RawSeries(s.labels, s.size);
                r.dropName = s.dropName;
                for (int i = 0; i < s.size; i++) {
                  r.add(inner.ts(s.steps[i]), s.values[i]);
                }
                out.add(r);
              }
            }
            it = out.iterator();
          }

          @Override
          public boolean hasNext() {
            init();
            return it.hasNext();
          }

          @Override
          public RawSeries next() {
            init();
            ctx.checkDeadline();
            return it.next();
          }
        };
    return arg;
  }

  // ------------------------------------------------------------------ step-wise evaluation

  /** A function of one step: the arguments' values at that step to the output vector. */
  interface StepFunction {
    /**
     * @param args per argument: a {@code List<Sample>} for vectors, a {@code Double} for scalars, a
     *     {@code String} for strings
     */
    List<Sample> apply(int step, long ts, Object[] args);
  }

  /** Evaluates {@code f} at every step over already evaluated arguments. */
  VectorValue rangeEval(StepFunction f, Value... args) {
    @SuppressWarnings("unchecked")
    List<Sample>[][] perStep = new List[args.length][];
    for (int a = 0; a < args.length; a++) {
      if (args[a] instanceof VectorValue vv) {
        perStep[a] = byStep(vv.series());
      }
    }
    Map<dev.vigil.model.Labels, StepSeries> out = new LinkedHashMap<>();
    Object[] stepArgs = new Object[args.length];
    for (int i = 0; i < numSteps; i++) {
      ctx.checkDeadline();
      long t = ts(i);
      for (int a = 0; a < args.length; a++) {
        stepArgs[a] =
            switch (args[a]) {
              case VectorValue vv -> perStep[a][i];
              case ScalarValue sv -> sv.values()[i];
              case StringValue s -> s.value();
              case MatrixValue m -> throw new PromqlException("unexpected range vector");
            };
      }
      List<Sample> res = f.apply(i, t, stepArgs);
      for (Sample s : res) {
        StepSeries ss = out.get(s.labels());
        if (ss == null) {
          ss = new StepSeries(s.labels(), s.dropName(), Math.min(numSteps - i, INITIAL_POINTS));
          out.put(s.labels(), ss);
        } else if (ss.lastStep() == i) {
          throw new PromqlException("vector cannot contain metrics with the same labelset");
        }
        ss.dropName = s.dropName();
        ss.add(i, s.value());
      }
      ctx.addSamples(res.size());
    }
    for (Value v : args) {
      if (v instanceof VectorValue vv) {
        for (StepSeries s : vv.series()) {
          ctx.releaseSamples(s.size);
        }
      }
    }
    return new VectorValue(new ArrayList<>(out.values()));
  }

  @SuppressWarnings("unchecked")
  List<Sample>[] byStep(List<StepSeries> series) {
    List<Sample>[] per = new List[numSteps];
    for (int i = 0; i < numSteps; i++) {
      per[i] = new ArrayList<>();
    }
    for (StepSeries s : series) {
      for (int k = 0; k < s.size; k++) {
        per[s.steps[k]].add(new Sample(s.labels, ts(s.steps[k]), s.values[k], s.dropName));
      }
    }
    return per;
  }
}
