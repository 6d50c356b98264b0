package dev.vigil.promql.test;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-memory store for tests, the promqltest runner and benchmarks: series kept in sorted
 * arrays, no compression, no persistence.
 *
 * <pre>{@code
 * MemoryStorage db = new MemoryStorage();
 * db.add(Labels.of("__name__", "up", "job", "api"), 0, 1);
 * Engine engine = Engine.builder(db).build();
 * }</pre>
 *
 * <p>Thread-safe: writers and readers synchronize on the store; a querier sees a snapshot of the
 * sample counts taken when it was opened. Samples may arrive in any order; a sample at an existing
 * timestamp replaces the old value.
 */
public final class MemoryStorage implements Queryable, Appendable {
  private final TreeMap<Labels, MemSeries> series = new TreeMap<>();
  private final AtomicLong selects = new AtomicLong();

  private static final class MemSeries {
    long[] ts = new long[8];
    double[] vals = new double[8];
    int size;

    void add(long t, double v) {
      int pos = Arrays.binarySearch(ts, 0, size, t);
      if (pos >= 0) {
        vals[pos] = v;
        return;
      }
      int ins = -pos - 1;
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        vals = Arrays.copyOf(vals, size * 2);
      }
      System.arraycopy(ts, ins, ts, ins + 1, size - ins);
      System.arraycopy(vals, ins, vals, ins + 1, size - ins);
      ts[ins] = t;
      vals[ins] = v;
      size++;
    }
  }

  /** Adds one sample; the labels must be non-empty. */
  public synchronized void add(Labels labels, long t, double v) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
    series.computeIfAbsent(labels, k -> new MemSeries()).add(t, v);
  }

  /** Removes every series. */
  public synchronized void clear() {
    series.clear();
  }

  /** Number of series stored. */
  public synchronized int seriesCount() {
    return series.size();
  }

  /** How many selects queriers have served (for tests that check reads are not repeated). */
  public long selectCount() {
    return selects.get();
  }

  @Override
  public Appender appender() {
    return new Appender() {
      private final List<Object[]> pending = new ArrayList<>();
      private final List<Labels> refs = new ArrayList<>();

      @Override
      public long append(long ref, Labels labels, long t, double v) {
        if (ref > 0) {
          labels = refs.get((int) ref - 1);
        } else {
          refs.add(labels);
          ref = refs.size();
        }
        pending.add(new Object[] {labels, t, v});
        return ref;
      }

      @Override
      public void commit() {
        synchronized (MemoryStorage.this) {
          for (Object[] p : pending) {
            add((Labels) p[0], (Long) p[1], (Double) p[2]);
          }
        }
        pending.clear();
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        boolean nonEmpty = false;
        for (LabelMatcher m : matchers) {
          nonEmpty |= !m.matchesEmpty();
        }
        if (!nonEmpty) {
          throw new IllegalArgumentException(
              "at least one matcher must not match the empty string");
        }
        selects.incrementAndGet();
        long lo = Math.max(mint, hints == null ? mint : hints.start());
        long hi = Math.min(maxt, hints == null ? maxt : hints.end());
        List<Series> out = new ArrayList<>();
        synchronized (MemoryStorage.this) {
          for (Map.Entry<Labels, MemSeries> e : series.entrySet()) {
            if (!matchesAll(e.getKey(), matchers)) {
              continue;
            }
            MemSeries s = e.getValue();
            int from = lowerBound(s.ts, s.size, lo);
            int to = lowerBound(s.ts, s.size, hi + 1);
            if (to <= from) {
              continue;
            }
            long[] ts = Arrays.copyOfRange(s.ts, from, to);
            double[] vs = Arrays.copyOfRange(s.vals, from, to);
            Labels labels = e.getKey();
            out.add(
                new Series() {
                  @Override
                  public Labels labels() {
                    return labels;
                  }

                  @Override
                  public SampleIterator iterator() {
                    return new ArrayIterator(ts, vs);
                  }
                });
          }
        }
        return SeriesSet.of(out);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> names = new TreeSet<>();
        synchronized (MemoryStorage.this) {
          for (Labels l : series.keySet()) {
            if (matchesAll(l, matchers)) {
              l.forEach((n, v) -> names.add(n));
            }
          }
        }
        return new ArrayList<>(names);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        synchronized (MemoryStorage.this) {
          for (Labels l : series.keySet()) {
            if (matchesAll(l, matchers) && l.has(name)) {
              values.add(l.get(name));
            }
          }
        }
        return new ArrayList<>(values);
      }

      @Override
      public void close() {}
    };
  }

  private static boolean matchesAll(Labels l, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(l)) {
        return false;
      }
    }
    return true;
  }

  private static int lowerBound(long[] a, int n, long t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static final class ArrayIterator implements SampleIterator {
    private final long[] ts;
    private final double[] vs;
    private int i = -1;

    ArrayIterator(long[] ts, double[] vs) {
      this.ts = ts;
      this.vs = vs;
    }

    @Override
    public boolean next() {
      if (i < ts.length) {
        i++;
      }
      return i < ts.length;
    }

    @Override
    public boolean seek(long t) {
      if (i < 0) {
        i = 0;
      }
      if (i < ts.length && ts[i] >= t) {
        return true;
      }
      i = lowerBound(ts, ts.length, t);
      return i < ts.length;
    }

    @Override
    public long timestamp() {
      return ts[i];
    }

    @Override
    public double value() {
      return vs[i];
    }
  }
}
