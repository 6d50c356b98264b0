package dev.vigil.tsdb;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads query results into plain collections. */
final class TestUtil {
  private TestUtil() {}

  /** Labels → list of (t, raw value bits), in result order. */
  static Map<Labels, List<long[]>> read(Queryable db, long mint, long maxt, LabelMatcher... ms) {
    return read(db, SelectHints.range(mint, maxt), ms);
  }

  static Map<Labels, List<long[]>> read(Queryable db, SelectHints hints, LabelMatcher... ms) {
    Map<Labels, List<long[]>> out = new LinkedHashMap<>();
    try (Querier q = db.querier(hints.start(), hints.end())) {
      SeriesSet set = q.select(hints, ms);
      while (set.next()) {
        List<long[]> samples = new ArrayList<>();
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          samples.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
        }
        out.put(set.at().labels(), samples);
      }
    }
    return out;
  }

  /**
   * The same results with samples as flat lists of (t, bits), so plain {@code equals} compares them
   * (AssertJ's recursive comparison is quadratic on long lists).
   */
  static Map<Labels, List<Long>> flat(Map<Labels, List<long[]>> m) {
    Map<Labels, List<Long>> out = new LinkedHashMap<>();
    m.forEach(
        (l, samples) -> {
          List<Long> f = new ArrayList<>(samples.size() * 2);
          for (long[] x : samples) {
            f.add(x[0]);
            f.add(x[1]);
          }
          out.put(l, f);
        });
    return out;
  }

  static LabelMatcher name(String n) {
    return LabelMatcher.equal("__name__", n);
  }
}
