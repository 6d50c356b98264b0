package dev.vigil.rules.history;

import dev.vigil.model.Labels;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which alerts changed state more than {@code changes} times within {@code window}: the times of
 * each alert's recent changes, pruned as they leave the window. Not thread-safe: {@link
 * AlertHistory} holds its lock around every call.
 */
final class Flapping {
  private final int changes;
  private final long windowMs;
  private final Map<Labels, ArrayDeque<Long>> recent = new HashMap<>();

  /**
   * @param changes more changes than this within the window is flapping
   * @param windowMs the window's length
   */
  Flapping(int changes, long windowMs) {
    this.changes = changes;
    this.windowMs = windowMs;
  }

  /** Counts a change at {@code t}; returns whether the alert is flapping after it. */
  boolean record(Labels alert, long t) {
    ArrayDeque<Long> times = recent.computeIfAbsent(alert, k -> new ArrayDeque<>());
    times.addLast(t);
    prune(times, t);
    return times.size() > changes;
  }

  /** Whether the alert changed more than the limit within the window ending at {@code now}. */
  boolean isFlapping(Labels alert, long now) {
    ArrayDeque<Long> times = recent.get(alert);
    if (times == null) {
      return false;
    }
    prune(times, now);
    return times.size() > changes;
  }

  /** Forgets alerts whose changes all left the window: bounds memory by the recent alerts. */
  void expire(long now) {
    for (Iterator<ArrayDeque<Long>> it = recent.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Long> times = it.next();
      prune(times, now);
      if (times.isEmpty()) {
        it.remove();
      }
    }
  }

  private void prune(ArrayDeque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
      times.pollFirst();
    }
  }
}
