package dev.vigil.server.remote;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.Series;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.http.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code query.remote.mode: merge}: the local store and the remote backend read as one. A series in
 * both is one series; at a timestamp in both the local sample wins (it is what this Vigil scraped;
 * the backend's copy came through remote write, or from another writer). A backend that fails
 * leaves the local answer with a warning naming it, as Prometheus treats a failing remote read.
 *
 * <p>This Vigil's {@code global.external_labels} are removed from the backend's series that carry
 * exactly them, as Prometheus does with remote read: its own samples came back through remote write
 * with them added, and must merge with the local series they came from (a sum would otherwise count
 * them twice, and {@code ALERTS_FOR_STATE} would not be found at a restart). Thread-safe; its
 * queriers are not.
 */
final class MergedQueryable implements Queryable {
  private final Queryable local;
  private final Queryable remote;
  private final Map<String, String> externalLabels;

  MergedQueryable(Queryable local, Queryable remote) {
    this(local, remote, Map.of());
  }

  MergedQueryable(Queryable local, Queryable remote, Map<String, String> externalLabels) {
    this.local = local;
    this.remote = remote;
    this.externalLabels = Map.copyOf(externalLabels);
  }

  /** The backend's set with this Vigil's external labels removed, sorted and merged again. */
  private SeriesSet withoutExternalLabels(SeriesSet set) {
    if (externalLabels.isEmpty()) {
      return set;
    }
    List<Series> out = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      Labels l = s.labels();
      boolean own = true;
      for (Map.Entry<String, String> e : externalLabels.entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          own = false;
          break;
        }
      }
      out.add(own ? new Relabeled(l.without(externalLabels.keySet()), s) : s);
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    List<Series> merged = new ArrayList<>();
    for (Series s : out) {
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).labels().equals(s.labels())) {
        merged.set(last, new MergedSeries(merged.get(last), s));
      } else {
        merged.add(s);
      }
    }
    List<String> warnings = set.warnings();
    SeriesSet of = SeriesSet.of(merged);
    return new SeriesSet() {
      @Override
      public boolean next() {
        return of.next();
      }

      @Override
      public Series at() {
        return of.at();
      }

      @Override
      public List<String> warnings() {
        return warnings;
      }
    };
  }

  /** A series under other labels. */
  private record Relabeled(Labels labels, Series series) implements Series {
    @Override
    public SampleIterator iterator() {
      return series.iterator();
    }
  }

  @Override
  public Querier querier(long mint, long maxt) {
    Querier l = local.querier(mint, maxt);
    Querier r;
    try {
      r = remote.querier(mint, maxt);
    } catch (RuntimeException e) {
      l.close();
      throw e;
    }
    return new Querier() {
      @Override
      public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
        SeriesSet a = l.select(hints, matchers);
        SeriesSet b;
        String warning = null;
        try {
          b = withoutExternalLabels(r.select(hints, matchers));
        } catch (ApiError e) {
          b = SeriesSet.empty();
          warning = e.getMessage() + " (the answer holds the local store's data only)";
        }
        return new MergedSet(a, b, warning);
      }

      @Override
      public List<String> labelNames(List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>(l.labelNames(matchers));
        try {
          out.addAll(r.labelNames(matchers));
        } catch (ApiError e) {
          // the local names alone, as a select answers without the backend
        }
        return new ArrayList<>(out);
      }

      @Override
      public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        TreeSet<String> out = new TreeSet<>(l.labelValues(name, matchers));
        try {
          out.addAll(r.labelValues(name, matchers));
        } catch (ApiError e) {
          // the local values alone
        }
        return new ArrayList<>(out);
      }

      @Override
      public void close() {
        try {
          r.close();
        } finally {
          l.close();
        }
      }
    };
  }

  /** Two label-sorted sets as one, a series in both merged. */
  private static final class MergedSet implements SeriesSet {
    private final SeriesSet a;
    private final SeriesSet b;
    private final String warning;
    private Series nextA;
    private Series nextB;
    private boolean started;
    private Series cur;

    MergedSet(SeriesSet a, SeriesSet b, String warning) {
      this.a = a;
      this.b = b;
      this.warning = warning;
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        nextA = a.next() ? a.at() : null;
        nextB = b.next() ? b.at() : null;
      }
      if (nextA == null && nextB == null) {
        cur = null;
        return false;
      }
      int c = nextA == null ? 1 : nextB == null ? -1 : nextA.labels().compareTo(nextB.labels());
      if (c < 0) {
        cur = nextA;
        nextA = a.next() ? a.at() : null;
      } else if (c > 0) {
        cur = nextB;
        nextB = b.next() ? b.at() : null;
      } else {
        cur = new MergedSeries(nextA, nextB);
        nextA = a.next() ? a.at() : null;
        nextB = b.next() ? b.at() : null;
      }
      return true;
    }

    @Override
    public Series at() {
      return cur;
    }

    @Override
    public List<String> warnings() {
      List<String> out = new ArrayList<>(a.warnings());
      out.addAll(b.warnings());
      if (warning != null) {
        out.add(warning);
      }
      return out;
    }
  }

  /** One series from both sides; the first (local) wins at equal timestamps. */
  record MergedSeries(Series first, Series second) implements Series {
    @Override
    public Labels labels() {
      return first.labels();
    }

    @Override
    public SampleIterator iterator() {
      return new MergedIterator(first.iterator(), second.iterator());
    }
  }

  /** Two time-ordered iterators as one, deduplicated by timestamp, {@code a} first. */
  static final class MergedIterator implements SampleIterator {
    private final SampleIterator a;
    private final SampleIterator b;
    private boolean started;
    private boolean hasA;
    private boolean hasB;
    private SampleIterator cur;

    MergedIterator(SampleIterator a, SampleIterator b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        hasA = a.next();
        hasB = b.next();
      } else if (cur != null) {
        long t = cur.timestamp();
        // Step past the current timestamp on both sides: an equal one on the other is a duplicate.
        if (hasA && a.timestamp() <= t) {
          hasA = a.next();
        }
        if (hasB && b.timestamp() <= t) {
          hasB = b.next();
        }
      } else {
        return false;
      }
      return pick();
    }

    @Override
    public boolean seek(long t) {
      if (started && cur != null && cur.timestamp() >= t) {
        return true;
      }
      if (started && cur == null) {
        return false;
      }
      started = true;
      hasA = a.seek(t);
      hasB = b.seek(t);
      return pick();
    }

    private boolean pick() {
      if (!hasA && !hasB) {
        cur = null;
        return false;
      }
      if (!hasB || hasA && a.timestamp() <= b.timestamp()) {
        cur = a;
      } else {
        cur = b;
      }
      return true;
    }

    @Override
    public long timestamp() {
      return cur.timestamp();
    }

    @Override
    public double value() {
      return cur.value();
    }
  }
}
