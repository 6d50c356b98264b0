package dev.vigil.ingest;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.StorageWriteException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory {@link Appendable} with the TSDB's append semantics: transactions, out-of-order
 * rejection, identical duplicates accepted, a different value at the same timestamp refused. Can be
 * told to fail its next commit.
 */
public final class TestStorage implements Appendable {
  /** One stored sample. */
  public record Sample(long t, double v) {}

  private final Map<Labels, List<Sample>> committed = new TreeMap<>();
  private final Map<Long, Labels> byRef = new HashMap<>();
  private final Map<Labels, Long> refs = new HashMap<>();
  volatile boolean failNextCommit;
  volatile boolean noSpaceNextCommit;
  int commits;

  public Appendable appendable() {
    return this;
  }

  public void failNextCommit() {
    failNextCommit = true;
  }

  /** The next commit fails as the store's does on a full disk. */
  public void failNextCommitForLackOfSpace() {
    noSpaceNextCommit = true;
  }

  public synchronized int seriesCount() {
    return committed.size();
  }

  public synchronized Map<Labels, List<Sample>> series() {
    return new TreeMap<>(committed);
  }

  public synchronized List<Sample> samples(Labels l) {
    return List.copyOf(committed.getOrDefault(l, List.of()));
  }

  public synchronized long sampleCount() {
    return committed.values().stream().mapToLong(List::size).sum();
  }

  /** The series with this metric name and these extra labels, exactly. */
  public List<Sample> samples(String name, String... labels) {
    String[] nv = new String[labels.length + 2];
    nv[0] = Labels.METRIC_NAME;
    nv[1] = name;
    System.arraycopy(labels, 0, nv, 2, labels.length);
    return samples(Labels.of(nv));
  }

  @Override
  public Appender appender() {
    return new Appender() {
      private final List<Object[]> pending = new ArrayList<>();
      private final Map<Labels, Long> newest = new HashMap<>();

      @Override
      public long append(long ref, Labels labels, long t, double v) {
        synchronized (TestStorage.this) {
          Labels l = ref != 0 ? byRef.get(ref) : labels;
          long last = newest.getOrDefault(l, lastCommitted(l));
          if (t < last) {
            throw new OutOfOrderException(l, t, last);
          }
          if (t == last) {
            Sample prev = lastSample(l);
            if (prev != null
                && prev.t == t
                && Double.doubleToRawLongBits(prev.v) != Double.doubleToRawLongBits(v)) {
              throw new IllegalArgumentException(
                  "duplicate sample for timestamp " + t + " with a different value");
            }
          }
          newest.put(l, t);
          pending.add(new Object[] {l, t, v});
          return refs.computeIfAbsent(
              l,
              k -> {
                long r = refs.size() + 1L;
                byRef.put(r, k);
                return r;
              });
        }
      }

      private Sample lastSample(Labels l) {
        for (int i = pending.size() - 1; i >= 0; i--) {
          if (pending.get(i)[0].equals(l)) {
            return new Sample((long) pending.get(i)[1], (double) pending.get(i)[2]);
          }
        }
        List<Sample> s = committed.get(l);
        return s == null || s.isEmpty() ? null : s.get(s.size() - 1);
      }

      private long lastCommitted(Labels l) {
        List<Sample> s = committed.get(l);
        return s == null || s.isEmpty() ? Long.MIN_VALUE : s.get(s.size() - 1).t;
      }

      @Override
      public void commit() {
        synchronized (TestStorage.this) {
          if (noSpaceNextCommit) {
            noSpaceNextCommit = false;
            throw new StorageWriteException(
                StorageWriteException.Reason.NO_SPACE,
                "WAL write of 100 bytes to /data/wal/00000001 failed: no space left on device",
                new java.io.IOException("No space left on device"));
          }
          if (failNextCommit) {
            failNextCommit = false;
            throw new IllegalStateException("disk full (injected)");
          }
          for (Object[] p : pending) {
            List<Sample> s = committed.computeIfAbsent((Labels) p[0], k -> new ArrayList<>());
            Sample last = s.isEmpty() ? null : s.get(s.size() - 1);
            if (last == null || last.t != (long) p[1]) {
              s.add(new Sample((long) p[1], (double) p[2]));
            }
          }
          pending.clear();
          commits++;
        }
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }
}
