package dev.vigil.promql;

import dev.vigil.model.Labels;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.BinaryOp;
import dev.vigil.promql.parser.Expr.BinaryExpr;
import dev.vigil.promql.parser.Expr.VectorMatching;
import dev.vigil.promql.parser.Expr.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators: arithmetic, comparison and set operators with vector matching. */
final class BinaryOps {
  private BinaryOps() {}

  static Value eval(Evaluator ev, BinaryExpr b) {
    Value l = ev.eval(b.lhs());
    Value r = ev.eval(b.rhs());
    BinaryOp op = b.kind();
    if (op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER) {
      // Trim operators apply to native histogram samples only; float samples yield nothing.
      return ev.rangeEval((step, t, a) -> List.of(), l, r);
    }
    if (l instanceof ScalarValue ls && r instanceof ScalarValue rs) {
      double[] out = new double[ev.numSteps];
      for (int i = 0; i < out.length; i++) {
        double lv = ls.values()[i];
        double rv = rs.values()[i];
        double v = arith(op, lv, rv);
        if (b.isComparison()) {
          v = compare(op, lv, rv) ? 1 : 0;
        }
        out[i] = v;
      }
      return new ScalarValue(out);
    }
    if (l instanceof VectorValue && r instanceof VectorValue) {
      Sigs m = new Sigs(b.matching());
      return switch (op) {
        case AND -> ev.rangeEval((step, t, a) -> and(cast(a[0]), cast(a[1]), m), l, r);
        case OR -> ev.rangeEval((step, t, a) -> or(cast(a[0]), cast(a[1]), m), l, r);
        case UNLESS -> ev.rangeEval((step, t, a) -> unless(cast(a[0]), cast(a[1]), m), l, r);
        default -> {
          VectorValue fast = oneToOne(ev, b, (VectorValue) l, (VectorValue) r, m);
          yield fast != null
              ? fast
              : ev.rangeEval(
                  (step, t, a) -> vectorBinop(op, cast(a[0]), cast(a[1]), m, b.returnBool(), t),
                  l,
                  r);
        }
      };
    }
    boolean swap = l instanceof ScalarValue;
    return vectorScalar(b, (VectorValue) (swap ? r : l), (ScalarValue) (swap ? l : r), swap);
  }

  /**
   * One-to-one matching (no {@code group_left/right}) where each side's series have distinct
   * signatures, the common case ({@code a / b}, {@code x > on(job) y}): series are paired once and
   * combined point by point, instead of per step with a sample object, a signature lookup and a
   * result label set per point. With distinct signatures no step can hold a duplicate match, so the
   * answer is the per-step evaluation's; anything else returns null and goes that way (which
   * reports duplicate matches as Prometheus does).
   */
  private static VectorValue oneToOne(
      Evaluator ev, BinaryExpr b, VectorValue lhs, VectorValue rhs, Sigs sigs) {
    VectorMatching m = sigs.m;
    if (m.card() != Cardinality.ONE_TO_ONE || !m.include().isEmpty()) {
      return null;
    }
    Map<Labels, StepSeries> right = new HashMap<>();
    for (StepSeries s : rhs.series()) {
      if (right.putIfAbsent(sigs.of(s.labels), s) != null) {
        return null;
      }
    }
    Set<Labels> left = new HashSet<>();
    for (StepSeries s : lhs.series()) {
      if (!left.add(sigs.of(s.labels))) {
        return null;
      }
    }
    BinaryOp op = b.kind();
    boolean cmp = b.isComparison();
    boolean bool = b.returnBool();
    List<StepSeries> out = new ArrayList<>();
    long points = 0;
    for (StepSeries ls : lhs.series()) {
      StepSeries rs = right.get(sigs.of(ls.labels));
      if (rs == null) {
        continue;
      }
      ev.ctx.checkDeadline();
      StepSeries o =
          new StepSeries(
              resultMetric(ls.labels, rs.labels, m),
              ls.dropName || !cmp || bool,
              Math.min(ls.size, rs.size));
      for (int i = 0, j = 0; i < ls.size && j < rs.size; ) {
        int li = ls.steps[i];
        int rj = rs.steps[j];
        if (li != rj) {
          if (li < rj) {
            i++;
          } else {
            j++;
          }
          continue;
        }
        double fl = ls.values[i++];
        double fr = rs.values[j++];
        if (!cmp) {
          o.add(li, arith(op, fl, fr));
        } else if (bool) {
          o.add(li, compare(op, fl, fr) ? 1 : 0);
        } else if (compare(op, fl, fr)) {
          o.add(li, fl);
        }
      }
      if (o.size > 0) {
        out.add(o);
        points += o.size;
      }
    }
    ev.ctx.addSamples(points);
    for (VectorValue v : List.of(lhs, rhs)) {
      for (StepSeries s : v.series()) {
        ev.ctx.releaseSamples(s.size);
      }
    }
    return new VectorValue(out);
  }

  /*
   * Vector-scalar operations map each series point by point: no per-step objects. Comparisons
   * without bool drop points; the output keeps the vector's value, as in Prometheus.
   */
  private static Value vectorScalar(BinaryExpr b, VectorValue vec, ScalarValue sc, boolean swap) {
    BinaryOp op = b.kind();
    boolean cmp = b.isComparison();
    double[] svals = sc.values();
    List<StepSeries> out = new ArrayList<>(vec.series().size());
    for (StepSeries s : vec.series()) {
      StepSeries o = new StepSeries(s.labels, s.dropName || !cmp || b.returnBool(), s.size);
      for (int k = 0; k < s.size; k++) {
        double sv = svals[s.steps[k]];
        double lv = swap ? sv : s.values[k];
        double rv = swap ? s.values[k] : sv;
        if (cmp) {
          boolean keep = compare(op, lv, rv);
          if (b.returnBool()) {
            o.add(s.steps[k], keep ? 1 : 0);
          } else if (keep) {
            o.add(s.steps[k], s.values[k]);
          }
        } else {
          o.add(s.steps[k], arith(op, lv, rv));
        }
      }
      if (o.size > 0) {
        out.add(o);
      }
    }
    return new VectorValue(out);
  }

  @SuppressWarnings("unchecked")
  static List<Sample> cast(Object o) {
    return (List<Sample>) o;
  }

  /** Arithmetic on two floats, as Go computes it. */
  static double arith(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r;
      case POW -> pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> l;
    };
  }

  /** Go's math.Pow, which differs from Java's for 1^NaN and (-1)^±Inf. */
  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> false;
    };
  }

  /** Per-expression cache of signatures: series keep their Labels object across steps. */
  private static final class Sigs {
    final VectorMatching m;
    final Map<Labels, Labels> cache = new java.util.IdentityHashMap<>();

    Sigs(VectorMatching m) {
      this.m = m;
    }

    Labels of(Labels l) {
      Labels s = cache.get(l);
      if (s == null) {
        s = signature(l, m);
        cache.put(l, s);
      }
      return s;
    }
  }

  /** The matching signature of a series: the {@code on} labels, or all but the ignored ones. */
  static Labels signature(Labels l, VectorMatching m) {
    if (m.on()) {
      return l.keep(m.matchingLabels());
    }
    List<String> drop = new ArrayList<>(m.matchingLabels());
    drop.add(Labels.METRIC_NAME);
    return l.without(drop);
  }

  private static List<Sample> and(List<Sample> lhs, List<Sample> rhs, Sigs m) {
    Set<Labels> sigs = new HashSet<>();
    for (Sample s : rhs) {
      sigs.add(m.of(s.labels()));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (sigs.contains(m.of(s.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> or(List<Sample> lhs, List<Sample> rhs, Sigs m) {
    Set<Labels> sigs = new HashSet<>();
    List<Sample> out = new ArrayList<>(lhs);
    for (Sample s : lhs) {
      sigs.add(m.of(s.labels()));
    }
    for (Sample s : rhs) {
      if (!sigs.contains(m.of(s.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, Sigs m) {
    Set<Labels> sigs = new HashSet<>();
    for (Sample s : rhs) {
      sigs.add(m.of(s.labels()));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (!sigs.contains(m.of(s.labels()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<Sample> vectorBinop(
      BinaryOp op, List<Sample> lhs, List<Sample> rhs, Sigs sigs, boolean returnBool, long t) {
    VectorMatching m = sigs.m;
    boolean comparison = op.isComparison();
    boolean swap = m.card() == Cardinality.ONE_TO_MANY;
    if (swap) {
      List<Sample> tmp = lhs;
      lhs = rhs;
      rhs = tmp;
    }
    // The "one" side, by signature; duplicates there are an error.
    Map<Labels, Sample> right = new HashMap<>();
    for (Sample s : rhs) {
      Labels sig = sigs.of(s.labels());
      Sample dup = right.putIfAbsent(sig, s);
      if (dup != null) {
        Sample first = dup;
        Sample second = s;
        if (first.labels().compareTo(second.labels()) > 0) {
          Sample x = first;
          first = second;
          second = x;
        }
        throw new PromqlException(
            "found duplicate series for the match group "
                + Format.labels(sig)
                + " on the "
                + (swap ? "left" : "right")
                + " hand-side of the operation: ["
                + Format.labels(first.labels())
                + ", "
                + Format.labels(second.labels())
                + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Set<Labels> matchedSigs = new HashSet<>();
    Set<Labels> outLabels = new HashSet<>();
    List<Sample> out = new ArrayList<>();
    for (Sample ls : lhs) {
      Labels sig = sigs.of(ls.labels());
      Sample rs = right.get(sig);
      if (rs == null) {
        continue;
      }
      Labels metric = resultMetric(ls.labels(), rs.labels(), m);
      if (m.card() == Cardinality.ONE_TO_ONE) {
        if (!matchedSigs.add(sig)) {
          throw new PromqlException(
              "multiple matches for labels: many-to-one matching must be explicit"
                  + " (group_left/group_right)");
        }
      } else if (!outLabels.add(metric)) {
        throw new PromqlException(
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      double fl = ls.value();
      double fr = rs.value();
      if (swap) {
        double x = fl;
        fl = fr;
        fr = x;
      }
      double v;
      boolean keep = true;
      if (comparison) {
        keep = compare(op, fl, fr);
        v = fl;
      } else {
        v = arith(op, fl, fr);
      }
      if (returnBool) {
        v = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) {
        continue;
      }
      boolean drop = ls.dropName() || !comparison || returnBool;
      if (swap && comparison && !returnBool) {
        drop = ls.dropName();
      }
      out.add(new Sample(metric, t, v, drop));
    }
    return out;
  }

  private static Labels resultMetric(Labels lhs, Labels rhs, VectorMatching m) {
    Labels.Builder b = lhs.toBuilder();
    if (m.card() == Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Labels kept = lhs.keep(m.matchingLabels());
        b = kept.toBuilder();
      } else {
        for (String n : m.matchingLabels()) {
          b.delete(n);
        }
      }
    }
    for (String n : m.include()) {
      String v = rhs.get(n);
      if (v != null) {
        b.set(n, v);
      } else {
        b.delete(n);
      }
    }
    return b.build();
  }
}
