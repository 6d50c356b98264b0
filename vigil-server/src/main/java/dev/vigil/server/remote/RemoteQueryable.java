package dev.vigil.server.remote;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Queryable} over a remote Prometheus HTTP API: each select asks the backend for the
 * selector's raw samples (or, for {@code /api/v1/series}, only its series), so Vigil's own PromQL
 * engine computes every function over them, exactly as over the local store.
 *
 * <p>Each select is one request, bounded as {@link RemoteQueryClient} says; failures are {@code
 * ApiError}s naming the backend. Thread-safe; its queriers are not (one per query, as any).
 */
final class RemoteQueryable implements Queryable {
  /** {@link SelectHints#func()} of a select that needs only labels, as Prometheus marks it. */
  static final String SERIES_ONLY = "series";

  private final RemoteQueryClient client;

  RemoteQueryable(RemoteQueryClient client) {
    this.client = client;
  }

  RemoteQueryClient client() {
    return client;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
          throw new IllegalArgumentException(
              "match[] must contain at least one non-empty matcher: " + matchers);
        }
        long from = Math.max(mint, hints.start());
        long to = Math.min(maxt, hints.end());
        if (to < from) {
          return SeriesSet.empty();
        }
        if (SERIES_ONLY.equals(hints.func())) {
          List<Series> out = new ArrayList<>();
          for (Labels l : client.series(matchers, from, to)) {
            out.add(new ArraySeries(l, new long[0], new double[0], 0));
          }
          return SeriesSet.of(out);
        }
        List<Series> out = new ArrayList<>();
        for (RemoteQueryClient.RemoteSeries s : client.samples(matchers, from, to)) {
          out.add(new ArraySeries(s.labels(), s.ts(), s.vals(), s.size()));
        }
        return SeriesSet.of(out);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        return client.labelNames(matchers, mint, maxt).stream().sorted().toList();
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return client.labelValues(name, matchers, mint, maxt).stream().sorted().toList();
      }

      @Override
      public void close() {
        // nothing held: every answer was read whole
      }
    };
  }

  /** A series over samples in memory, in time order. */
  record ArraySeries(Labels labels, long[] ts, double[] vals, int size) implements Series {
    @Override
    public SampleIterator iterator() {
      return new SampleIterator() {
        private int i = -1;

        @Override
        public boolean next() {
          if (i < size) {
            i++;
          }
          return i < size;
        }

        @Override
        public boolean seek(long t) {
          if (i < 0) {
            i = 0;
          }
          while (i < size && ts[i] < t) {
            i++;
          }
          return i < size;
        }

        @Override
        public long timestamp() {
          return ts[i];
        }

        @Override
        public double value() {
          return vals[i];
        }
      };
    }
  }
}
