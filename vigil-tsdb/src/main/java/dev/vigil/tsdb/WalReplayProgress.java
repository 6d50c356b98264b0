package dev.vigil.tsdb;

/**
 * How far the WAL replay at start-up has come, in segment numbers as Prometheus' {@code
 * /api/v1/status/walreplay} reports them: the first and last segment to replay (those after the
 * checkpoint) and the one being read. All 0 before replay starts and for an empty WAL; {@code
 * current == max} once done. Written by the opening thread, read by any: safe to poll while a large
 * WAL replays.
 */
public final class WalReplayProgress {
  private volatile int min;
  private volatile int max;
  private volatile int current;
  private volatile boolean done;

  /** The first segment replayed. */
  public int min() {
    return min;
  }

  /** The last segment to replay. */
  public int max() {
    return max;
  }

  /** The segment being replayed (the last one once {@link #done()}). */
  public int current() {
    return current;
  }

  /** Whether the replay has finished. */
  public boolean done() {
    return done;
  }

  void range(int first, int last) {
    min = first;
    max = last;
    current = first;
  }

  void reading(int segment) {
    current = segment;
  }

  void finished() {
    current = max;
    done = true;
  }
}
