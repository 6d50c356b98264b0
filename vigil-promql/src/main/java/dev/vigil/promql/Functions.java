package dev.vigil.promql;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.Expr.ParenExpr;
import dev.vigil.promql.parser.Expr.VectorSelector;
import dev.vigil.promql.parser.FunctionId;
import dev.vigil.promql.parser.ValueType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The function table: each PromQL function evaluated over all steps. Functions over range vectors
 * live in {@link RangeFunctions}, classic histogram functions in {@link HistogramFunctions}.
 */
final class Functions {
  private Functions() {}

  static Value eval(Evaluator ev, Call c) {
    FunctionId fn = c.function().id();
    String name = c.function().name();
    List<Expr> args = c.args();
    if (c.function().argTypes().contains(ValueType.MATRIX)) {
      return RangeFunctions.eval(ev, c);
    }
    switch (fn) {
      case TIME -> {
        double[] v = new double[ev.numSteps];
        for (int i = 0; i < v.length; i++) {
          v[i] = ev.ts(i) / 1000.0;
        }
        return new ScalarValue(v);
      }
      case PI -> {
        return ev.scalar(Math.PI);
      }
      case STEP -> {
        return ev.scalar(ev.numSteps > 1 ? ev.interval / 1000.0 : 0);
      }
      case START -> {
        return ev.scalar(ev.ctx.queryStart / 1000.0);
      }
      case END -> {
        return ev.scalar(ev.ctx.queryEnd / 1000.0);
      }
      case RANGE -> {
        return ev.scalar((ev.end - ev.start) / 1000.0);
      }
      case MIN_OF, MAX_OF -> {
        double[] a = ((ScalarValue) ev.eval(args.get(0))).values();
        double[] b = ((ScalarValue) ev.eval(args.get(1))).values();
        double[] v = new double[ev.numSteps];
        for (int i = 0; i < v.length; i++) {
          v[i] = fn == FunctionId.MIN_OF ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
        }
        return new ScalarValue(v);
      }
      case SCALAR -> {
        VectorValue vv = (VectorValue) ev.eval(args.get(0));
        double[] v = new double[ev.numSteps];
        int[] count = new int[ev.numSteps];
        java.util.Arrays.fill(v, Double.NaN);
        for (StepSeries s : vv.series()) {
          for (int k = 0; k < s.size; k++) {
            count[s.steps[k]]++;
            v[s.steps[k]] = s.values[k];
          }
        }
        for (int i = 0; i < v.length; i++) {
          if (count[i] != 1) {
            v[i] = Double.NaN;
          }
        }
        return new ScalarValue(v);
      }
      case VECTOR -> {
        Value s = ev.eval(args.get(0));
        return ev.rangeEval(
            (step, t, a) -> List.of(new Sample(Labels.EMPTY, t, (Double) a[0], false)), s);
      }
      case TIMESTAMP -> {
        Expr arg = unwrap(args.get(0));
        Value v =
            arg instanceof VectorSelector vs
                ? new VectorValue(ev.vectorSelector(vs, true))
                : ev.eval(arg);
        boolean sel = arg instanceof VectorSelector;
        return ev.rangeEval(
            (step, t, a) -> {
              List<Sample> out = new ArrayList<>();
              for (Sample s : BinaryOps.cast(a[0])) {
                out.add(new Sample(s.labels(), t, sel ? s.value() : t / 1000.0, true));
              }
              return out;
            },
            v);
      }
      case ABSENT -> {
        VectorValue v = (VectorValue) ev.eval(args.get(0));
        Labels labels = absentLabels(args.get(0));
        return absent(ev, v, labels);
      }
      case LABEL_REPLACE -> {
        return LabelFunctions.labelReplace(ev, c);
      }
      case LABEL_JOIN -> {
        return LabelFunctions.labelJoin(ev, c);
      }
      case SORT, SORT_DESC, SORT_BY_LABEL, SORT_BY_LABEL_DESC -> {
        return sort(ev, c);
      }
      case HISTOGRAM_QUANTILE, HISTOGRAM_FRACTION, HISTOGRAM_QUANTILES -> {
        return HistogramFunctions.eval(ev, c);
      }
      case HISTOGRAM_COUNT, HISTOGRAM_SUM, HISTOGRAM_AVG, HISTOGRAM_STDDEV, HISTOGRAM_STDVAR -> {
        // These read native histograms only; float samples are ignored.
        Value v = ev.eval(args.get(0));
        return ev.rangeEval((step, t, a) -> List.of(), v);
      }
      case INFO -> {
        return InfoFunction.eval(ev, c);
      }
      case ROUND -> {
        Value v = ev.eval(args.get(0));
        Value to = args.size() > 1 ? ev.eval(args.get(1)) : ev.scalar(1);
        return ev.rangeEval(
            (step, t, a) -> {
              double inv = 1.0 / (Double) a[1];
              return map(BinaryOps.cast(a[0]), t, f -> Math.floor(f * inv + 0.5) / inv);
            },
            v,
            to);
      }
      case CLAMP, CLAMP_MIN, CLAMP_MAX -> {
        Value v = ev.eval(args.get(0));
        Value lo =
            fn == FunctionId.CLAMP_MAX ? ev.scalar(Double.NEGATIVE_INFINITY) : ev.eval(args.get(1));
        Value hi =
            fn == FunctionId.CLAMP
                ? ev.eval(args.get(2))
                : fn == FunctionId.CLAMP_MAX
                    ? ev.eval(args.get(1))
                    : ev.scalar(Double.POSITIVE_INFINITY);
        return ev.rangeEval(
            (step, t, a) -> {
              double min = (Double) a[1];
              double max = (Double) a[2];
              if (fn == FunctionId.CLAMP && max < min) {
                return List.of();
              }
              return map(
                  BinaryOps.cast(a[0]),
                  t,
                  f -> {
                    if (fn == FunctionId.CLAMP_MAX) {
                      return Math.min(max, f);
                    }
                    if (fn == FunctionId.CLAMP_MIN) {
                      return Math.max(min, f);
                    }
                    return Math.max(min, Math.min(max, f));
                  });
            },
            v,
            lo,
            hi);
      }
      case DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_YEAR, DAYS_IN_MONTH, HOUR, MINUTE, MONTH, YEAR -> {
        return dateFunction(ev, fn, args);
      }
      default -> {}
    }
    DoubleUnaryOperator op = mathFunction(fn);
    if (op == null) {
      throw new PromqlException("function \"" + name + "\" is not implemented");
    }
    VectorValue v = (VectorValue) ev.eval(args.get(0));
    // Point-wise: map each series in place, no per-step objects.
    for (StepSeries s : v.series()) {
      for (int k = 0; k < s.size; k++) {
        s.values[k] = op.applyAsDouble(s.values[k]);
      }
      s.dropName = true;
    }
    return v;
  }

  static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  /** Applies {@code f} to each value, marking the metric name for removal. */
  static List<Sample> map(List<Sample> in, long t, DoubleUnaryOperator f) {
    List<Sample> out = new ArrayList<>(in.size());
    for (Sample s : in) {
      out.add(new Sample(s.labels(), t, f.applyAsDouble(s.value()), true));
    }
    return out;
  }

  private static DoubleUnaryOperator mathFunction(FunctionId fn) {
    return switch (fn) {
      case ABS -> Math::abs;
      case CEIL -> Math::ceil;
      case FLOOR -> Math::floor;
      case EXP -> Math::exp;
      case SQRT -> Math::sqrt;
      case LN -> Math::log;
      case LOG2 -> f -> Math.log(f) / Math.log(2);
      case LOG10 -> Math::log10;
      case SGN -> f -> f > 0 ? 1 : f < 0 ? -1 : f;
      case ACOS -> Math::acos;
      case ACOSH -> f -> Math.log(f + Math.sqrt(f * f - 1));
      case ASIN -> Math::asin;
      case ASINH ->
          f ->
              Double.isInfinite(f) || f == 0
                  ? f
                  : Math.copySign(Math.log(Math.abs(f) + Math.sqrt(f * f + 1)), f);
      case ATAN -> Math::atan;
      case ATANH -> f -> 0.5 * Math.log((1 + f) / (1 - f));
      case COS -> Math::cos;
      case COSH -> Math::cosh;
      case SIN -> Math::sin;
      case SINH -> Math::sinh;
      case TAN -> Math::tan;
      case TANH -> Math::tanh;
      case DEG -> f -> f * 180 / Math.PI;
      case RAD -> f -> f * Math.PI / 180;
      default -> null;
    };
  }

  private static Value dateFunction(Evaluator ev, FunctionId fn, List<Expr> args) {
    Value v;
    boolean fromTime = args.isEmpty();
    if (fromTime) {
      v = ev.scalar(0);
    } else {
      v = ev.eval(args.get(0));
    }
    return ev.rangeEval(
        (step, t, a) -> {
          List<Sample> in =
              fromTime
                  ? List.of(new Sample(Labels.EMPTY, t, t / 1000.0, false))
                  : BinaryOps.cast(a[0]);
          List<Sample> out = new ArrayList<>(in.size());
          for (Sample s : in) {
            double f = s.value();
            if (Double.isNaN(f) || Double.isInfinite(f)) {
              out.add(new Sample(s.labels(), t, Double.NaN, true));
              continue;
            }
            ZonedDateTime d =
                Instant.ofEpochMilli((long) Math.floor(f) * 1000).atZone(ZoneOffset.UTC);
            double r =
                switch (fn) {
                  case DAY_OF_MONTH -> d.getDayOfMonth();
                  case DAY_OF_WEEK -> d.getDayOfWeek().getValue() % 7;
                  case DAY_OF_YEAR -> d.getDayOfYear();
                  case DAYS_IN_MONTH -> d.toLocalDate().lengthOfMonth();
                  case HOUR -> d.getHour();
                  case MINUTE -> d.getMinute();
                  case MONTH -> d.getMonthValue();
                  default -> d.getYear();
                };
            out.add(new Sample(s.labels(), t, r, true));
          }
          return out;
        },
        v);
  }

  /** The labels of {@code absent()}'s output: the equality matchers of the selector. */
  static Labels absentLabels(Expr arg) {
    arg = unwrap(arg);
    List<LabelMatcher> ms;
    if (arg instanceof VectorSelector vs) {
      ms = vs.matchers();
    } else if (arg instanceof MatrixSelector m) {
      ms = m.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Set<String> dup = new java.util.HashSet<>();
    for (LabelMatcher m : ms) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (!seen.add(m.name())) {
        dup.add(m.name());
      }
      if (m.type() == LabelMatcher.Type.EQUAL) {
        b.set(m.name(), m.value());
      }
    }
    for (String d : dup) {
      b.delete(d);
    }
    return b.build();
  }

  static Value absent(Evaluator ev, VectorValue v, Labels labels) {
    boolean[] present = new boolean[ev.numSteps];
    for (StepSeries s : v.series()) {
      for (int k = 0; k < s.size; k++) {
        present[s.steps[k]] = true;
      }
    }
    StepSeries out = new StepSeries(labels, false, ev.numSteps);
    for (int i = 0; i < ev.numSteps; i++) {
      if (!present[i]) {
        out.add(i, 1);
      }
    }
    return new VectorValue(out.size == 0 ? List.of() : List.of(out));
  }

  private static Value sort(Evaluator ev, Call c) {
    FunctionId fn = c.function().id();
    if (ev.ctx.rangeQuery) {
      ev.annotations()
          .warn(
              "sort is ineffective for range queries since results are always ordered by labels",
              c);
    }
    Value v = ev.eval(c.args().get(0));
    List<String> by = new ArrayList<>();
    for (int i = 1; i < c.args().size(); i++) {
      by.add(((StringValue) ev.eval(c.args().get(i))).value());
    }
    Comparator<Sample> cmp =
        switch (fn) {
          case SORT -> (x, y) -> nanLast(x.value(), y.value(), false);
          case SORT_DESC -> (x, y) -> nanLast(x.value(), y.value(), true);
          default -> {
            Comparator<Sample> byLabels =
                (x, y) -> {
                  for (String l : by) {
                    String a = x.labels().getOrEmpty(l);
                    String b = y.labels().getOrEmpty(l);
                    if (!a.equals(b)) {
                      return NaturalOrder.compare(a, b);
                    }
                  }
                  return x.labels().compareTo(y.labels());
                };
            yield fn == FunctionId.SORT_BY_LABEL_DESC ? byLabels.reversed() : byLabels;
          }
        };
    return ev.rangeEval(
        (step, t, a) -> {
          List<Sample> out = new ArrayList<>(BinaryOps.cast(a[0]));
          out.sort(cmp);
          return out;
        },
        v);
  }

  private static int nanLast(double x, double y, boolean desc) {
    if (Double.isNaN(x)) {
      return Double.isNaN(y) ? 0 : 1;
    }
    if (Double.isNaN(y)) {
      return -1;
    }
    return desc ? Double.compare(y, x) : Double.compare(x, y);
  }
}
