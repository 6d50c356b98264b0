package dev.vigil.promql;

import dev.vigil.model.Labels;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.AggregateOp;
import dev.vigil.promql.parser.Expr.AggregateExpr;
import dev.vigil.promql.parser.Lexer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Aggregation operators ({@code sum}, {@code topk}, {@code count_values}, …) per step. */
final class Aggregations {
  private Aggregations() {}

  static Value eval(Evaluator ev, AggregateExpr a) {
    Value param = a.param() == null ? null : ev.eval(a.param());
    Value inner = ev.eval(a.expr());
    AggregateOp op = a.kind();
    if (param instanceof ScalarValue sv) {
      for (double p : sv.values()) {
        if (Double.isNaN(p)) {
          if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.LIMITK) {
            throw new PromqlException("Parameter value is NaN");
          }
          if (op == AggregateOp.LIMIT_RATIO) {
            throw new PromqlException("Ratio value is NaN");
          }
        }
        if (op == AggregateOp.QUANTILE && (Double.isNaN(p) || p < 0 || p > 1)) {
          ev.annotations()
              .warn("quantile value should be between 0 and 1, got " + Format.plain(p), a.param());
        }
        if (op == AggregateOp.LIMIT_RATIO && (p < -1 || p > 1)) {
          ev.annotations()
              .warn(
                  "ratio value should be between -1 and 1, got "
                      + Format.plain(p)
                      + ", capping to "
                      + (p < 0 ? "-1" : "1"),
                  a.param());
        }
      }
    }
    if (param instanceof StringValue s && op == AggregateOp.COUNT_VALUES) {
      if (!Lexer.validUtf8(s.value()) || s.value().isEmpty()) {
        throw new PromqlException("invalid label name " + Lexer.goQuote(s.value()));
      }
    }
    if (param == null && inner instanceof VectorValue vv) {
      switch (op) {
        case SUM, COUNT, GROUP, MIN, MAX -> {
          return columnar(ev, a, vv);
        }
        default -> {}
      }
    }
    Value[] args = param == null ? new Value[] {inner} : new Value[] {inner, param};
    // Input series keep their Labels object across steps: compute each group key once.
    Map<Labels, Labels> keys = new IdentityHashMap<>();
    return ev.rangeEval(
        (step, t, x) -> {
          @SuppressWarnings("unchecked")
          List<Sample> vec = (List<Sample>) x[0];
          Object p = x.length > 1 ? x[1] : null;
          return aggregate(a, vec, p, t, keys);
        },
        args);
  }

  /*
   * Columnar path for sum, count, group, min and max: each input series is mapped to its group
   * once, then its points are folded into per-group arrays indexed by step. No per-step objects;
   * the fold order (series order within a step) is the one the step-wise path uses, so Kahan sums
   * come out bit-identical.
   */
  private static Value columnar(Evaluator ev, AggregateExpr a, VectorValue in) {
    AggregateOp op = a.kind();
    int steps = ev.numSteps;
    Map<Labels, Integer> index = new LinkedHashMap<>();
    List<double[]> vals = new ArrayList<>();
    List<double[]> comps = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<boolean[]> drop = new ArrayList<>();
    for (StepSeries s : in.series()) {
      Labels key = groupKey(a, s.labels);
      Integer gi = index.get(key);
      if (gi == null) {
        gi = index.size();
        index.put(key, gi);
        vals.add(new double[steps]);
        comps.add(op == AggregateOp.SUM ? new double[steps] : null);
        counts.add(new int[steps]);
        drop.add(new boolean[1]);
      }
      if (s.dropName && key.has(Labels.METRIC_NAME)) {
        drop.get(gi)[0] = true;
      }
      double[] v = vals.get(gi);
      double[] c = comps.get(gi);
      int[] n = counts.get(gi);
      for (int k = 0; k < s.size; k++) {
        int i = s.steps[k];
        double f = s.values[k];
        boolean first = n[i]++ == 0;
        switch (op) {
          case SUM -> {
            double t = v[i] + f;
            if (Double.isInfinite(t)) {
              c[i] = 0;
            } else if (Math.abs(v[i]) >= Math.abs(f)) {
              c[i] += (v[i] - t) + f;
            } else {
              c[i] += (f - t) + v[i];
            }
            v[i] = t;
          }
          case COUNT -> v[i] = n[i];
          case GROUP -> v[i] = 1;
          case MIN -> {
            if (first || v[i] > f || Double.isNaN(v[i])) {
              v[i] = f;
            }
          }
          default -> {
            if (first || v[i] < f || Double.isNaN(v[i])) {
              v[i] = f;
            }
          }
        }
      }
      ev.ctx.releaseSamples(s.size);
    }
    List<StepSeries> out = new ArrayList<>(index.size());
    for (Map.Entry<Labels, Integer> e : index.entrySet()) {
      int gi = e.getValue();
      double[] v = vals.get(gi);
      double[] c = comps.get(gi);
      int[] n = counts.get(gi);
      StepSeries o = new StepSeries(e.getKey(), drop.get(gi)[0], steps);
      for (int i = 0; i < steps; i++) {
        if (n[i] > 0) {
          o.add(i, c == null || Double.isInfinite(v[i]) ? v[i] : v[i] + c[i]);
        }
      }
      if (o.size > 0) {
        ev.ctx.addSamples(o.size);
        out.add(o);
      }
    }
    return new VectorValue(out);
  }

  private static Labels groupKey(AggregateExpr a, Labels l, Map<Labels, Labels> cache) {
    Labels k = cache.get(l);
    if (k == null) {
      k = groupKey(a, l);
      cache.put(l, k);
    }
    return k;
  }

  private static Labels groupKey(AggregateExpr a, Labels l) {
    if (a.without()) {
      List<String> drop = new ArrayList<>(a.grouping());
      drop.add(Labels.METRIC_NAME);
      return l.without(drop);
    }
    return l.keep(a.grouping());
  }

  /** Running state of one group. */
  private static final class Group {
    final Labels labels;
    int count;
    double value;
    double comp;
    double mean;
    boolean incremental;
    boolean dropName;
    List<Sample> members;

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  private static List<Sample> aggregate(
      AggregateExpr a, List<Sample> vec, Object param, long t, Map<Labels, Labels> keys) {
    AggregateOp op = a.kind();
    switch (op) {
      case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> {
        return aggregateK(a, vec, (Double) param, t, keys);
      }
      case COUNT_VALUES -> {
        return countValues(a, vec, (String) param, t);
      }
      default -> {}
    }
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (Sample s : vec) {
      Labels key = groupKey(a, s.labels(), keys);
      Group g = groups.get(key);
      boolean first = g == null;
      if (first) {
        g = new Group(key);
        groups.put(key, g);
      }
      if (s.dropName() && key.has(Labels.METRIC_NAME)) {
        g.dropName = true;
      }
      double f = s.value();
      g.count++;
      switch (op) {
        case SUM -> {
          g.comp = Kahan.comp(f, g.value, g.comp);
          g.value += f;
        }
        case AVG -> avg(g, f);
        case COUNT -> g.value = g.count;
        case GROUP -> g.value = 1;
        case MIN -> {
          if (first || g.value > f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case MAX -> {
          if (first || g.value < f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case STDDEV, STDVAR -> {
          double delta = f - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (f - g.mean);
        }
        case QUANTILE -> {
          if (g.members == null) {
            g.members = new ArrayList<>();
          }
          g.members.add(s);
        }
        default -> throw new PromqlException("unknown aggregation " + op);
      }
    }
    List<Sample> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      double v =
          switch (op) {
            case SUM -> Double.isInfinite(g.value) ? g.value : g.value + g.comp;
            case AVG ->
                g.incremental
                    ? g.mean + g.comp
                    : (Double.isInfinite(g.value) || Double.isNaN(g.value)
                        ? g.value / g.count
                        : g.value / g.count + g.comp / g.count);
            case STDDEV -> Math.sqrt(g.value / g.count);
            case STDVAR -> g.value / g.count;
            case QUANTILE -> {
              double[] vals = new double[g.members.size()];
              for (int i = 0; i < vals.length; i++) {
                vals[i] = g.members.get(i).value();
              }
              yield Stats.quantile((Double) param, vals);
            }
            default -> g.value;
          };
      out.add(new Sample(g.labels, t, v, g.dropName));
    }
    return out;
  }

  /* Mean by Kahan-compensated sum; switches to an incremental mean once the sum would overflow. */
  private static void avg(Group g, double f) {
    if (g.count == 1) {
      g.value = f;
      g.comp = 0;
      return;
    }
    if (!g.incremental) {
      if (!Double.isInfinite(g.value + f)) {
        g.comp = Kahan.comp(f, g.value, g.comp);
        g.value += f;
        return;
      }
      g.incremental = true;
      g.mean = g.value / (g.count - 1);
      g.comp = g.comp / (g.count - 1);
    }
    if (Double.isInfinite(g.mean)) {
      if (Double.isInfinite(f) && (g.mean > 0) == (f > 0)) {
        return;
      }
      if (!Double.isInfinite(f) && !Double.isNaN(f)) {
        return;
      }
    }
    double q = (g.count - 1) / (double) g.count;
    double inc = f / g.count;
    g.comp = Kahan.comp(inc, q * g.mean, q * g.comp);
    g.mean = q * g.mean + inc;
  }

  private static List<Sample> countValues(AggregateExpr a, List<Sample> vec, String label, long t) {
    Map<Labels, double[]> counts = new LinkedHashMap<>();
    for (Sample s : vec) {
      Labels l = s.labels().toBuilder().set(label, Format.plain(s.value())).build();
      Labels key = groupKey(a, l);
      if (!a.without() && !a.grouping().contains(label)) {
        key = key.toBuilder().set(label, Format.plain(s.value())).build();
      }
      counts.computeIfAbsent(key, k -> new double[1])[0]++;
    }
    List<Sample> out = new ArrayList<>();
    counts.forEach((k, c) -> out.add(new Sample(k, t, c[0], false)));
    return out;
  }

  private static List<Sample> aggregateK(
      AggregateExpr a, List<Sample> vec, double p, long t, Map<Labels, Labels> keys) {
    AggregateOp op = a.kind();
    Map<Labels, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : vec) {
      groups.computeIfAbsent(groupKey(a, s.labels(), keys), k -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    if (op == AggregateOp.LIMIT_RATIO) {
      double ratio = Math.max(-1, Math.min(1, p));
      for (List<Sample> g : groups.values()) {
        for (Sample s : g) {
          double off = ratioOf(s);
          if ((ratio >= 0 && off < ratio) || (ratio < 0 && off >= 1 + ratio)) {
            out.add(new Sample(s.labels(), t, s.value(), s.dropName()));
          }
        }
      }
      return out;
    }
    long k = p >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) p;
    if (k < 1) {
      return out;
    }
    for (List<Sample> g : groups.values()) {
      List<Sample> sel;
      if (op == AggregateOp.LIMITK) {
        sel = g.subList(0, (int) Math.min(k, g.size()));
      } else {
        Comparator<Sample> cmp =
            op == AggregateOp.TOPK
                ? (x, y) -> compareDesc(x.value(), y.value())
                : (x, y) -> compareDesc(y.value(), x.value());
        if (op == AggregateOp.BOTTOMK) {
          cmp = (x, y) -> compareAsc(x.value(), y.value());
        }
        sel = firstK(g, cmp, (int) Math.min(k, g.size()));
      }
      for (Sample s : sel) {
        out.add(new Sample(s.labels(), t, s.value(), s.dropName()));
      }
    }
    return out;
  }

  /**
   * The first {@code k} of {@code g} in {@code cmp} order, ties in input order: what a stable sort
   * of the whole group then its first {@code k} give, without sorting the group. The candidates are
   * kept sorted in an array of k; a sample enters only if it beats the last one, after every
   * candidate it does not beat, so equal values keep their input order.
   */
  /*
   * topk(5, rate(x[5m])) over 2,500 series at 1,440 steps sorted 2,500 samples per step: 3.6 million
   * comparisons of a sort per step against ~2,500 for this scan (heavy server bench, query 6).
   */
  static List<Sample> firstK(List<Sample> g, Comparator<Sample> cmp, int k) {
    if (k >= g.size()) {
      Sample[] arr = g.toArray(new Sample[0]);
      Arrays.sort(arr, cmp);
      return Arrays.asList(arr);
    }
    Sample[] top = new Sample[k];
    int n = 0;
    for (Sample s : g) {
      if (n == k && cmp.compare(s, top[k - 1]) >= 0) {
        continue;
      }
      // Insert after every candidate that s does not beat (compare <= 0 keeps input order).
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cmp.compare(top[mid], s) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int len = Math.min(n, k - 1) - lo;
      if (len > 0) {
        System.arraycopy(top, lo, top, lo + 1, len);
      }
      top[lo] = s;
      n = Math.min(n + 1, k);
    }
    return Arrays.asList(top).subList(0, n);
  }

  /**
   * A series' position in [0, 1] for limit_ratio: as Prometheus, its label hash (XXH64) over the
   * largest unsigned 64-bit value, so both pick the same series.
   */
  private static double ratioOf(Sample s) {
    long h = s.labels().prometheusHash();
    // Unsigned to double with round-to-nearest, as Go's float64(uint64); 2^64 is
    // float64(MaxUint64).
    double u = h >= 0 ? (double) h : ((double) ((h >>> 1) | (h & 1))) * 2.0;
    return u / 0x1p64;
  }

  /** Descending, NaN last. */
  private static int compareDesc(double x, double y) {
    if (Double.isNaN(x)) {
      return Double.isNaN(y) ? 0 : 1;
    }
    if (Double.isNaN(y)) {
      return -1;
    }
    return Double.compare(y, x);
  }

  /** Ascending, NaN last. */
  private static int compareAsc(double x, double y) {
    if (Double.isNaN(x)) {
      return Double.isNaN(y) ? 0 : 1;
    }
    if (Double.isNaN(y)) {
      return -1;
    }
    return Double.compare(x, y);
  }
}
