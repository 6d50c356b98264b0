package dev.vigil.promql;

import dev.vigil.model.Labels;
import dev.vigil.promql.Evaluator.MatrixArg;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.FunctionId;
import dev.vigil.promql.parser.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Functions over range vectors ({@code rate}, {@code *_over_time}, …). Each series is read once and
 * every step's left-open window {@code (ref - range, ref]} is answered from it.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /** The window a function sees: samples {@code [lo, hi)} of a series. */
  record Window(RawSeries s, int lo, int hi, long ref, long rangeMs, long stepTs) {
    int count() {
      return hi - lo;
    }

    double first() {
      return s.vals[lo];
    }

    double last() {
      return s.vals[hi - 1];
    }
  }

  static Value eval(Evaluator ev, Call c) {
    FunctionId fn = c.function().id();
    String name = c.function().name();
    List<Expr> args = c.args();
    int matIdx = c.function().argTypes().indexOf(ValueType.MATRIX);
    double[][] scalars = new double[args.size()][];
    for (int i = 0; i < args.size(); i++) {
      if (i != matIdx) {
        scalars[i] = ((ScalarValue) ev.eval(args.get(i))).values();
      }
    }
    Expr matExpr = Functions.unwrap(args.get(matIdx));
    if (fn == FunctionId.QUANTILE_OVER_TIME) {
      for (double q : scalars[0]) {
        if (Double.isNaN(q) || q < 0 || q > 1) {
          ev.annotations()
              .warn(
                  "quantile value should be between 0 and 1, got " + Format.plain(q), args.get(0));
          break;
        }
      }
    }
    if (fn == FunctionId.DOUBLE_EXPONENTIAL_SMOOTHING) {
      for (int i = 0; i < ev.numSteps; i++) {
        checkFactor("smoothing", scalars[1][i]);
        checkFactor("trend", scalars[2][i]);
      }
    }
    MatrixArg m =
        matExpr instanceof MatrixSelector ms ? ev.matrixSelector(ms, name) : ev.matrixArg(matExpr);
    boolean keepName = fn == FunctionId.LAST_OVER_TIME || fn == FunctionId.FIRST_OVER_TIME;
    boolean absent = fn == FunctionId.ABSENT_OVER_TIME;
    boolean counterCheck = fn == FunctionId.RATE || fn == FunctionId.INCREASE;
    boolean[] present = absent ? new boolean[ev.numSteps] : null;
    boolean stepInvariant =
        m.atKind != Expr.AtKind.NONE && fn != FunctionId.PREDICT_LINEAR && constant(scalars);
    List<StepSeries> out = new ArrayList<>();
    boolean extreme = fn == FunctionId.MAX_OVER_TIME || fn == FunctionId.MIN_OVER_TIME;
    boolean max = fn == FunctionId.MAX_OVER_TIME;
    while (m.hasNext()) {
      RawSeries s = m.next();
      StepSeries o = null;
      int lo = 0;
      boolean fixed = m.atKind != Expr.AtKind.NONE;
      boolean annotated = false;
      // max/min_over_time over windows that only move forward: a monotonic queue of the indices
      // of candidate extremes (NaN skipped; the earliest of equal values kept, as the scan does).
      int[] queue = extreme && !fixed ? new int[s.size] : null;
      int head = 0;
      int tail = 0;
      int pushed = 0;
      for (int i = 0; i < ev.numSteps; i++) {
        ev.ctx.checkDeadline();
        long ref = m.refTime(ev.ts(i));
        lo = s.firstAfter(ref - m.rangeMs, fixed ? 0 : lo);
        int hi = s.firstAfter(ref, lo);
        if (hi == lo) {
          continue;
        }
        if (absent) {
          present[i] = true;
          continue;
        }
        if (counterCheck && !annotated) {
          annotated = true;
          String metric = s.labels.metricName();
          if (metric != null
              && !metric.endsWith("_total")
              && !metric.endsWith("_sum")
              && !metric.endsWith("_count")
              && !metric.endsWith("_bucket")) {
            ev.annotations()
                .info(
                    "metric might not be a counter, name does not end in"
                        + " _total/_sum/_count/_bucket: \""
                        + metric
                        + "\"",
                    args.get(matIdx));
          }
        }
        double v;
        if (queue != null) {
          for (pushed = Math.max(pushed, lo); pushed < hi; pushed++) {
            double f = s.vals[pushed];
            if (Double.isNaN(f)) {
              continue;
            }
            while (tail > head
                && (max ? s.vals[queue[tail - 1]] < f : s.vals[queue[tail - 1]] > f)) {
              tail--;
            }
            queue[tail++] = pushed;
          }
          while (tail > head && queue[head] < lo) {
            head++;
          }
          v = tail > head ? s.vals[queue[head]] : Double.NaN;
        } else if (stepInvariant && o != null && o.size > 0) {
          // With @ the window is the same at every step: compute once, repeat the value.
          v = o.values[0];
        } else {
          v = compute(fn, new Window(s, lo, hi, ref, m.rangeMs, ev.ts(i)), scalars, i);
        }
        if (Double.doubleToRawLongBits(v) == NONE_BITS) {
          continue;
        }
        if (o == null) {
          o =
              new StepSeries(
                  s.labels,
                  keepName ? s.dropName : true,
                  Math.min(ev.numSteps - i, Evaluator.INITIAL_POINTS));
        }
        o.add(i, v);
      }
      m.release(s);
      if (o != null) {
        ev.ctx.addSamples(o.size);
        out.add(o);
      }
    }
    if (absent) {
      StepSeries a = new StepSeries(Functions.absentLabels(matExpr), false, ev.numSteps);
      for (int i = 0; i < ev.numSteps; i++) {
        if (!present[i]) {
          a.add(i, 1);
        }
      }
      return new VectorValue(a.size == 0 ? List.of() : List.of(a));
    }
    return new VectorValue(out);
  }

  private static boolean constant(double[][] scalars) {
    for (double[] a : scalars) {
      if (a == null) {
        continue;
      }
      for (double x : a) {
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(a[0])) {
          return false;
        }
      }
    }
    return true;
  }

  private static void checkFactor(String what, double f) {
    if (!(f > 0 && f < 1)) {
      throw new PromqlException(
          "invalid "
              + what
              + " factor. Expected: 0 < "
              + (what.equals("smoothing") ? "sf" : "tf")
              + " < 1, got: "
              + String.format("%f", f));
    }
  }

  /* "No output at this step", as a NaN payload no arithmetic produces: avoids boxing per step. */
  private static final long NONE_BITS = 0x7ff8_dead_0000_0001L;
  private static final double NONE = Double.longBitsToDouble(NONE_BITS);

  private static double compute(FunctionId fn, Window w, double[][] sc, int step) {
    RawSeries s = w.s();
    int lo = w.lo();
    int hi = w.hi();
    int n = w.count();
    switch (fn) {
      case RATE -> {
        return extrapolatedRate(w, true, true);
      }
      case INCREASE -> {
        return extrapolatedRate(w, true, false);
      }
      case DELTA -> {
        return extrapolatedRate(w, false, false);
      }
      case IRATE, IDELTA -> {
        if (n < 2) {
          return NONE;
        }
        double last = s.vals[hi - 1];
        double prev = s.vals[hi - 2];
        boolean rate = fn == FunctionId.IRATE;
        double r = rate && last < prev ? last : last - prev;
        if (rate) {
          long dt = s.ts[hi - 1] - s.ts[hi - 2];
          if (dt == 0) {
            return NONE;
          }
          r /= dt / 1000.0;
        }
        return r;
      }
      case DERIV -> {
        if (n < 2) {
          return NONE;
        }
        return Stats.linearRegression(s.ts, s.vals, lo, hi, s.ts[lo])[0];
      }
      case PREDICT_LINEAR -> {
        if (n < 2) {
          return NONE;
        }
        double[] r = Stats.linearRegression(s.ts, s.vals, lo, hi, w.stepTs());
        return r[0] * sc[1][step] + r[1];
      }
      case CHANGES, RESETS -> {
        int count = 0;
        for (int i = lo + 1; i < hi; i++) {
          double prev = s.vals[i - 1];
          double cur = s.vals[i];
          if (fn == FunctionId.CHANGES
              ? (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev)))
              : cur < prev) {
            count++;
          }
        }
        return count;
      }
      case COUNT_OVER_TIME -> {
        return n;
      }
      case PRESENT_OVER_TIME -> {
        return 1.0;
      }
      case LAST_OVER_TIME -> {
        return w.last();
      }
      case FIRST_OVER_TIME -> {
        return w.first();
      }
      case TS_OF_LAST_OVER_TIME -> {
        return s.ts[hi - 1] / 1000.0;
      }
      case TS_OF_FIRST_OVER_TIME -> {
        return s.ts[lo] / 1000.0;
      }
      case SUM_OVER_TIME -> {
        return sum(s.vals, lo, hi);
      }
      case AVG_OVER_TIME -> {
        return avg(s.vals, lo, hi);
      }
      case MIN_OVER_TIME, MAX_OVER_TIME, TS_OF_MIN_OVER_TIME, TS_OF_MAX_OVER_TIME -> {
        return extreme(fn, s, lo, hi);
      }
      case STDDEV_OVER_TIME -> {
        return Math.sqrt(variance(s.vals, lo, hi));
      }
      case STDVAR_OVER_TIME -> {
        return variance(s.vals, lo, hi);
      }
      case QUANTILE_OVER_TIME -> {
        return Stats.quantile(sc[0][step], Arrays.copyOfRange(s.vals, lo, hi));
      }
      case MAD_OVER_TIME -> {
        double[] v = Arrays.copyOfRange(s.vals, lo, hi);
        for (double x : v) {
          if (Double.isNaN(x)) {
            return Double.NaN;
          }
        }
        double median = Stats.quantile(0.5, v.clone());
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.abs(v[i] - median);
        }
        return Stats.quantile(0.5, v);
      }
      case DOUBLE_EXPONENTIAL_SMOOTHING -> {
        if (n < 2) {
          return NONE;
        }
        double sf = sc[1][step];
        double tf = sc[2][step];
        double s0 = 0;
        double s1 = s.vals[lo];
        double b = s.vals[lo + 1] - s.vals[lo];
        for (int i = 1; i < n; i++) {
          double x = sf * s.vals[lo + i];
          if (i > 1) {
            b = tf * (s1 - s0) + (1 - tf) * b;
          }
          double y = (1 - sf) * (s1 + b);
          s0 = s1;
          s1 = x + y;
        }
        return s1;
      }
      default ->
          throw new PromqlException(
              "function \""
                  + fn.name().toLowerCase(java.util.Locale.ROOT)
                  + "\" is not implemented");
    }
  }

  /* The window's extreme or its time: its own small method, so the JIT compiles the loop tight. */
  private static double extreme(FunctionId fn, RawSeries s, int lo, int hi) {
    boolean max = fn == FunctionId.MAX_OVER_TIME || fn == FunctionId.TS_OF_MAX_OVER_TIME;
    boolean tsOf = fn == FunctionId.TS_OF_MIN_OVER_TIME || fn == FunctionId.TS_OF_MAX_OVER_TIME;
    double best = s.vals[lo];
    long bestT = s.ts[lo];
    for (int i = lo + 1; i < hi; i++) {
      double f = s.vals[i];
      boolean better = max ? (f > best || Double.isNaN(best)) : (f < best || Double.isNaN(best));
      if (tsOf) {
        better = better || (f == best);
      }
      if (better) {
        best = f;
        bestT = s.ts[i];
      }
    }
    return tsOf ? bestT / 1000.0 : best;
  }

  /* Compensated Welford variance of a window, as Prometheus computes stdvar_over_time. */
  private static double variance(double[] vals, int lo, int hi) {
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = lo; i < hi; i++) {
      double f = vals[i];
      count++;
      double delta = f - (mean + cMean);
      double incMean = delta / count;
      cMean = Kahan.comp(incMean, mean, cMean);
      mean += incMean;
      double incAux = delta * (f - (mean + cMean));
      cAux = Kahan.comp(incAux, aux, cAux);
      aux += incAux;
    }
    return (aux + cAux) / count;
  }

  /* Compensated sum of a window: a small method the JIT inlines Kahan.comp into (in the big
   * switch it did not: sum_over_time over 1 h windows took 2.3x avg_over_time's time). */
  static double sum(double[] vals, int lo, int hi) {
    double sum = 0;
    double comp = 0;
    for (int i = lo; i < hi; i++) {
      comp = Kahan.comp(vals[i], sum, comp);
      sum += vals[i];
    }
    return Double.isInfinite(sum) ? sum : sum + comp;
  }

  /** Mean with Kahan summation, switching to an incremental mean if the sum overflows. */
  static double avg(double[] vals, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return vals[lo];
    }
    double sum = vals[lo];
    double comp = 0;
    double mean = 0;
    boolean incremental = false;
    for (int i = lo + 1; i < hi; i++) {
      double f = vals[i];
      int count = i - lo + 1;
      if (!incremental) {
        if (!Double.isInfinite(sum + f)) {
          comp = Kahan.comp(f, sum, comp);
          sum += f;
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        comp = comp / (count - 1);
      }
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(f) && (mean > 0) == (f > 0)) {
          continue;
        }
        if (!Double.isInfinite(f) && !Double.isNaN(f)) {
          continue;
        }
      }
      double q = (count - 1) / (double) count;
      double inc = f / count;
      comp = Kahan.comp(inc, q * mean, q * comp);
      mean = q * mean + inc;
    }
    if (incremental) {
      return mean + comp;
    }
    return sum / n + comp / n;
  }

  /** Prometheus' {@code extrapolatedRate} for rate, increase and delta. */
  private static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
    RawSeries s = w.s();
    int lo = w.lo();
    int hi = w.hi();
    int n = hi - lo;
    if (n < 2) {
      return NONE;
    }
    long rangeStart = w.ref() - w.rangeMs();
    long rangeEnd = w.ref();
    double result = s.vals[hi - 1] - s.vals[lo];
    if (isCounter && s.nextDrop(lo + 1) < hi) {
      double prev = s.vals[lo];
      for (int i = lo + 1; i < hi; i++) {
        double cur = s.vals[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    long firstT = s.ts[lo];
    long lastT = s.ts[hi - 1];
    double durationToStart = (firstT - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double avgBetween = sampledInterval / (n - 1);
    double threshold = avgBetween * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = avgBetween / 2;
    }
    if (isCounter) {
      double durationToZero = durationToStart;
      if (result > 0 && s.vals[lo] >= 0) {
        durationToZero = sampledInterval * (s.vals[lo] / result);
      }
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = avgBetween / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) {
      factor /= w.rangeMs() / 1000.0;
    }
    return result * factor;
  }

  static Labels labelsOf(RawSeries s) {
    return s.labels;
  }
}
