package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a {@link SeriesWriter} on a thread of its own: the caller's thread (decoding blocks) hands
 * samples over in batches of {@link #BATCH} through a bounded queue, so decoding the next chunks
 * and formatting the last ones overlap on two cores. Memory is bounded: {@link #BATCHES} batches
 * are allocated once and recycled (about 0.5 MB).
 *
 * <p>{@link #close} drains the queue and stops the thread without closing or finishing the delegate
 * (the caller owns it); a failure of the delegate is thrown by the next call of the caller's
 * thread, at the latest by {@link #close}. Not thread-safe: one thread drives it.
 */
final class PipelinedWriter implements SeriesWriter {
  /*
   * Two queues: full batches go to the writer thread, empty ones come back. The writer thread
   * keeps taking (and recycling) batches after a failure, so the caller never blocks on a dead
   * consumer; it stops at the END batch. join() gives the caller's thread a happens-before edge
   * on everything the writer thread did, so the delegate may be finished and closed afterwards.
   */
  static final int BATCH = 8192;
  static final int BATCHES = 4;

  private static final class Batch {
    final long[] ts = new long[BATCH];
    final double[] vs = new double[BATCH];
    Labels begin;
    int n;
    boolean end;
    boolean last;
  }

  private final SeriesWriter w;
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
  private final Thread thread;
  private volatile Throwable failure;
  private Batch cur;
  private boolean closed;

  /** Whether the failure was thrown already (close does not throw it again: self-suppression). */
  private boolean reported;

  PipelinedWriter(SeriesWriter w) {
    this.w = w;
    for (int i = 0; i < BATCHES; i++) {
      empty.add(new Batch());
    }
    thread = Thread.ofPlatform().name("vigil-export-writer").daemon().unstarted(this::drain);
    thread.start();
  }

  private void drain() {
    try {
      while (true) {
        Batch b = full.take();
        boolean last = b.last;
        if (failure == null) {
          try {
            if (b.begin != null) {
              w.beginSeries(b.begin);
            }
            for (int i = 0; i < b.n; i++) {
              w.sample(b.ts[i], b.vs[i]);
            }
            if (b.end) {
              w.endSeries();
            }
          } catch (Throwable e) {
            failure = e;
          }
        }
        b.begin = null;
        b.n = 0;
        b.end = false;
        b.last = false;
        empty.put(b);
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      failure = e;
    }
  }

  private Batch batch() throws IOException {
    if (cur == null) {
      check();
      try {
        cur = empty.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("export interrupted");
      }
    }
    return cur;
  }

  private void send() throws IOException {
    try {
      full.put(cur);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("export interrupted");
    }
    cur = null;
  }

  private void check() throws IOException {
    Throwable f = failure;
    if (f == null || reported) {
      return;
    }
    reported = true;
    switch (f) {
      case IOException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      case InterruptedException e -> throw new InterruptedIOException("export interrupted");
      default -> throw new UncheckedIOException(new IOException(f));
    }
  }

  @Override
  public void beginSeries(Labels labels) throws IOException {
    Batch b = batch();
    if (b.begin != null || b.n > 0) {
      send();
      b = batch();
    }
    b.begin = labels;
  }

  @Override
  public void sample(long t, double v) throws IOException {
    Batch b = batch();
    b.ts[b.n] = t;
    b.vs[b.n] = v;
    if (++b.n == BATCH) {
      send();
    }
  }

  @Override
  public void endSeries() throws IOException {
    batch().end = true;
    send();
  }

  /** Drains, then finishes the delegate. */
  @Override
  public void finish() throws IOException {
    close();
    w.finish();
  }

  /** Drains what was handed over and stops the writer thread; the delegate stays open. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (cur == null) {
        cur = empty.take();
      }
      cur.last = true;
      full.put(cur);
      cur = null;
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("export interrupted");
    }
    check();
  }
}
