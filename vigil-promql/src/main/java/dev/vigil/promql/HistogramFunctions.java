package dev.vigil.promql;

import dev.vigil.model.Labels;
import dev.vigil.promql.Value.ScalarValue;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.FunctionId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code histogram_quantile}, {@code histogram_quantiles} and {@code histogram_fraction} over
 * classic histograms: series of one metric with an {@code le} label per bucket.
 */
final class HistogramFunctions {
  private HistogramFunctions() {}

  private static final double SMALL_DELTA_TOLERANCE = 1e-12;
  private static final Pattern GO_FLOAT =
      Pattern.compile("[+-]?(\\d[\\d]*\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");

  /** One bucket: upper bound and cumulative count. */
  private static final class Bucket {
    final double upper;
    double count;

    Bucket(double upper, double count) {
      this.upper = upper;
      this.count = count;
    }
  }

  private static final class Group {
    final Labels out;
    final String metricName;
    final List<Bucket> buckets = new ArrayList<>();

    Group(Labels out, String metricName) {
      this.out = out;
      this.metricName = metricName;
    }
  }

  static Value eval(Evaluator ev, Call c) {
    FunctionId fn = c.function().id();
    List<Expr> args = c.args();
    Expr vecArg;
    List<Value> scalars = new ArrayList<>();
    String qLabel = null;
    switch (fn) {
      case HISTOGRAM_QUANTILE -> {
        scalars.add(ev.eval(args.get(0)));
        vecArg = args.get(1);
      }
      case HISTOGRAM_FRACTION -> {
        scalars.add(ev.eval(args.get(0)));
        scalars.add(ev.eval(args.get(1)));
        vecArg = args.get(2);
      }
      default -> {
        vecArg = args.get(0);
        qLabel = ((StringValue) ev.eval(args.get(1))).value();
        for (int i = 2; i < args.size(); i++) {
          scalars.add(ev.eval(args.get(i)));
        }
      }
    }
    if (fn != FunctionId.HISTOGRAM_FRACTION) {
      int from = fn == FunctionId.HISTOGRAM_QUANTILE ? 0 : 2;
      for (int i = 0; i < scalars.size(); i++) {
        for (double q : ((ScalarValue) scalars.get(i)).values()) {
          if (Double.isNaN(q) || q < 0 || q > 1) {
            ev.annotations()
                .warn(
                    "quantile value should be between 0 and 1, got " + Format.plain(q),
                    args.get(from + i));
            break;
          }
        }
      }
    }
    Value vec = ev.eval(vecArg);
    Value[] all = new Value[scalars.size() + 1];
    all[0] = vec;
    for (int i = 0; i < scalars.size(); i++) {
      all[i + 1] = scalars.get(i);
    }
    String label = qLabel;
    Map<Labels, Object[]> cache = new IdentityHashMap<>();
    return ev.rangeEval(
        (step, t, a) -> {
          Map<Labels, Group> groups = group(ev, BinaryOps.cast(a[0]), vecArg, label, cache);
          List<Sample> out = new ArrayList<>();
          for (Group g : groups.values()) {
            switch (fn) {
              case HISTOGRAM_QUANTILE -> {
                double q = (Double) a[1];
                double v = quantile(q, g, ev, vecArg);
                out.add(new Sample(g.out, t, v, true));
              }
              case HISTOGRAM_FRACTION -> {
                double v = fraction((Double) a[1], (Double) a[2], g);
                out.add(new Sample(g.out, t, v, true));
              }
              default -> {
                for (int i = 1; i < a.length; i++) {
                  double q = (Double) a[i];
                  double v = quantile(q, g, ev, vecArg);
                  Labels l = g.out.toBuilder().set(label, quantileLabel(q)).build();
                  out.add(new Sample(l, t, v, true));
                }
              }
            }
          }
          return out;
        },
        all);
  }

  private static String quantileLabel(double q) {
    String s = Format.plain(q);
    if (!s.contains(".") && !s.contains("e") && !s.contains("Inf") && !s.contains("NaN")) {
      s += ".0";
    }
    return s;
  }

  /**
   * Groups bucket samples by their labels without {@code le}; {@code cache} keeps each input
   * series' parsed bound and key across steps (series keep their Labels object).
   */
  private static Map<Labels, Group> group(
      Evaluator ev, List<Sample> in, Expr at, String qLabel, Map<Labels, Object[]> cache) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (Sample s : in) {
      Object[] c = cache.get(s.labels());
      if (c == null) {
        String le0 = s.labels().getOrEmpty("le");
        c = new Object[] {le0, parseGoFloat(le0), s.labels().without(List.of("le"))};
        cache.put(s.labels(), c);
      }
      String le = (String) c[0];
      double upper = (Double) c[1];
      String metric = s.labels().getOrEmpty(Labels.METRIC_NAME);
      if (Double.isNaN(upper) && !le.equalsIgnoreCase("nan")) {
        ev.annotations()
            .warn(
                "bucket label \"le\" is missing or has a malformed value of \""
                    + le
                    + "\" for metric name \""
                    + metric
                    + "\"",
                at);
        continue;
      }
      Labels key = (Labels) c[2];
      Group g = groups.get(key);
      if (g == null) {
        Labels out = key.withoutMetricName();
        if (qLabel != null && out.has(qLabel)) {
          throw new PromqlException(
              "label \"" + qLabel + "\" already exists in the input vector of histogram_quantiles");
        }
        g = new Group(out, metric);
        groups.put(key, g);
      }
      g.buckets.add(new Bucket(upper, s.value()));
    }
    return groups;
  }

  /** Go's {@code strconv.ParseFloat}; NaN when the text is not a number. */
  static double parseGoFloat(String s) {
    String l = s.toLowerCase();
    switch (l) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    if (!GO_FLOAT.matcher(s).matches()) {
      return Double.NaN;
    }
    return Double.parseDouble(s);
  }

  private static List<Bucket> prepare(Group g) {
    List<Bucket> b = new ArrayList<>();
    for (Bucket x : g.buckets) {
      b.add(new Bucket(x.upper, x.count));
    }
    b.sort((x, y) -> Double.compare(x.upper, y.upper));
    // Coalesce buckets with the same upper bound.
    List<Bucket> out = new ArrayList<>();
    for (Bucket x : b) {
      if (!out.isEmpty() && out.get(out.size() - 1).upper == x.upper) {
        out.get(out.size() - 1).count += x.count;
      } else {
        out.add(x);
      }
    }
    return out;
  }

  /** Returns whether monotonicity had to be forced (small float noise is fixed silently). */
  private static boolean ensureMonotonic(List<Bucket> b) {
    boolean forced = false;
    double prev = b.get(0).count;
    for (int i = 1; i < b.size(); i++) {
      double cur = b.get(i).count;
      if (cur == prev) {
        continue;
      }
      if (almostEqual(prev, cur, SMALL_DELTA_TOLERANCE)) {
        b.get(i).count = prev;
        continue;
      }
      if (cur < prev) {
        b.get(i).count = prev;
        forced = true;
        continue;
      }
      prev = cur;
    }
    return forced;
  }

  static boolean almostEqual(double a, double b, double eps) {
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < eps * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < eps;
  }

  private static double quantile(double q, Group g, Evaluator ev, Expr at) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> b = prepare(g);
    if (b.isEmpty() || !(b.get(b.size() - 1).upper == Double.POSITIVE_INFINITY)) {
      return Double.NaN;
    }
    if (ensureMonotonic(b)) {
      ev.annotations()
          .info(
              "input to histogram_quantile needed to be fixed for monotonicity (see"
                  + " https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                  + " for metric name \""
                  + g.metricName
                  + "\"",
              at);
    }
    if (b.size() < 2) {
      return Double.NaN;
    }
    double observations = b.get(b.size() - 1).count;
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int idx = 0;
    while (idx < b.size() - 1 && !(b.get(idx).count >= rank)) {
      idx++;
    }
    if (idx == b.size() - 1) {
      return b.get(b.size() - 2).upper;
    }
    if (idx == 0 && b.get(0).upper <= 0) {
      return b.get(0).upper;
    }
    double start = 0;
    double end = b.get(idx).upper;
    double count = b.get(idx).count;
    if (idx > 0) {
      start = b.get(idx - 1).upper;
      count -= b.get(idx - 1).count;
      rank -= b.get(idx - 1).count;
    }
    return start + (end - start) * (rank / count);
  }

  private static double fraction(double lower, double upper, Group g) {
    List<Bucket> b = prepare(g);
    if (b.isEmpty() || !(b.get(b.size() - 1).upper == Double.POSITIVE_INFINITY)) {
      return Double.NaN;
    }
    ensureMonotonic(b);
    double count = b.get(b.size() - 1).count;
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < b.size(); i++) {
      double lowerBound = i > 0 ? b.get(i - 1).upper : Double.NEGATIVE_INFINITY;
      double upperBound = b.get(i).upper;
      double bc = b.get(i).count;
      if (i == 0 && upperBound > 0) {
        lowerBound = 0; // the first bucket of a classic histogram starts at 0 when positive
      }
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(rank, bc, lowerBound, upperBound, lower);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = interpolate(rank, bc, lowerBound, upperBound, upper);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = bc;
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double rank, double count, double lo, double hi, double v) {
    if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
      return Double.isInfinite(hi) ? rank : count;
    }
    return rank + (count - rank) * (v - lo) / (hi - lo);
  }
}
