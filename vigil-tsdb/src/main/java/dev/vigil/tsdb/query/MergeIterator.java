package dev.vigil.tsdb.query;

import dev.vigil.model.SampleIterator;
import java.util.List;

/**
 * Merges several iterators of one series (blocks, head) by timestamp. When two hold the same
 * timestamp the earlier iterator in the list wins, so the result never repeats a timestamp.
 */
public final class MergeIterator implements SampleIterator {
  private final SampleIterator[] its;
  private final boolean[] has;
  private boolean started;
  private long t;
  private double v;

  public MergeIterator(List<SampleIterator> its) {
    this.its = its.toArray(new SampleIterator[0]);
    this.has = new boolean[this.its.length];
  }

  /** One iterator as is, several merged. */
  public static SampleIterator of(List<SampleIterator> its) {
    return switch (its.size()) {
      case 0 -> SampleIterator.EMPTY;
      case 1 -> its.get(0);
      default -> new MergeIterator(its);
    };
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      for (int i = 0; i < its.length; i++) {
        has[i] = its[i].next();
      }
    } else {
      advancePast(t);
    }
    return pick();
  }

  private void advancePast(long ts) {
    for (int i = 0; i < its.length; i++) {
      if (has[i] && its[i].timestamp() <= ts) {
        has[i] = its[i].next();
      }
    }
  }

  private boolean pick() {
    int best = -1;
    for (int i = 0; i < its.length; i++) {
      if (has[i] && (best < 0 || its[i].timestamp() < its[best].timestamp())) {
        best = i;
      }
    }
    if (best < 0) {
      return false;
    }
    t = its[best].timestamp();
    v = its[best].value();
    return true;
  }

  @Override
  public boolean seek(long target) {
    if (started && pickable() && t >= target) {
      return true;
    }
    started = true;
    for (int i = 0; i < its.length; i++) {
      has[i] = its[i].seek(target);
    }
    return pick();
  }

  private boolean pickable() {
    for (boolean h : has) {
      if (h) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long timestamp() {
    return t;
  }

  @Override
  public double value() {
    return v;
  }
}
