package dev.vigil.server.testing;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/** A small in-memory store for tests of the server's own code, before the real TSDB. */
public final class TestStorage implements Appendable, Queryable {
  private final Map<Labels, List<double[]>> data = new ConcurrentSkipListMap<>();

  @Override
  public synchronized Appender appender() {
    List<Object[]> pending = new ArrayList<>();
    return new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        List<double[]> s = data.get(labels);
        if (s != null && !s.isEmpty() && s.get(s.size() - 1)[0] > t) {
          throw new OutOfOrderException(labels, t, (long) s.get(s.size() - 1)[0]);
        }
        pending.add(new Object[] {labels, t, v});
        return labels.hash64() == 0 ? 1 : labels.hash64();
      }

      @Override
      public void commit() {
        synchronized (TestStorage.this) {
          for (Object[] p : pending) {
            data.computeIfAbsent((Labels) p[0], k -> new ArrayList<>())
                .add(new double[] {(long) p[1], (double) p[2]});
          }
          pending.clear();
        }
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  /** All samples of the series with exactly these labels ({t, v} pairs). */
  public synchronized List<double[]> samples(Labels l) {
    return new ArrayList<>(data.getOrDefault(l, List.of()));
  }

  /** Every series' labels. */
  public synchronized List<Labels> series() {
    return new ArrayList<>(data.keySet());
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        List<Series> out = new ArrayList<>();
        synchronized (TestStorage.this) {
          for (Map.Entry<Labels, List<double[]>> e : data.entrySet()) {
            if (matchers.stream().allMatch(m -> m.matches(e.getKey()))) {
              List<double[]> in = new ArrayList<>();
              for (double[] s : e.getValue()) {
                if (s[0] >= mint && s[0] <= maxt) {
                  in.add(s);
                }
              }
              if (!in.isEmpty()) {
                Labels l = e.getKey();
                out.add(
                    new Series() {
                      @Override
                      public Labels labels() {
                        return l;
                      }

                      @Override
                      public SampleIterator iterator() {
                        return iter(in);
                      }
                    });
              }
            }
          }
        }
        return SeriesSet.of(out);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> names = new TreeSet<>();
        SeriesSet s = select(SelectHints.range(mint, maxt), matchers);
        while (s.next()) {
          s.at().labels().forEach((n, v) -> names.add(n));
        }
        return new ArrayList<>(names);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        SeriesSet s = select(SelectHints.range(mint, maxt), matchers);
        while (s.next()) {
          String v = s.at().labels().get(name);
          if (v != null) {
            values.add(v);
          }
        }
        return new ArrayList<>(values);
      }

      @Override
      public void close() {}
    };
  }

  private static SampleIterator iter(List<double[]> samples) {
    return new SampleIterator() {
      int i = -1;

      @Override
      public boolean next() {
        return ++i < samples.size();
      }

      @Override
      public boolean seek(long t) {
        if (i < 0) {
          i = 0;
        }
        while (i < samples.size() && samples.get(i)[0] < t) {
          i++;
        }
        return i < samples.size();
      }

      @Override
      public long timestamp() {
        return (long) samples.get(i)[0];
      }

      @Override
      public double value() {
        return samples.get(i)[1];
      }
    };
  }

  /** Labels by metric name and pairs, for assertions. */
  public static Labels labels(String name, String... pairs) {
    TreeMap<String, String> m = new TreeMap<>();
    m.put(Labels.METRIC_NAME, name);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return Labels.of(m);
  }
}
