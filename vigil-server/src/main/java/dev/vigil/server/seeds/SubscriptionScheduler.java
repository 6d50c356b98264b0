package dev.vigil.server.seeds;

import dev.vigil.server.http.QueryPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Runs the {@code /ws} subscriptions: a timer marks each one due at its interval, and its
 * evaluation runs on the {@link QueryPool}, fairly between connections and within a cost budget per
 * connection. A subscription that comes due while its previous evaluation has not run yet is
 * skipped, and its client is told once per lag ({@link Job#lagging}).
 *
 * <pre>{@code
 * SubscriptionScheduler s = new SubscriptionScheduler();
 * s.usePool(router.queryPool());
 * SubscriptionScheduler.Share client = s.newShare();
 * SubscriptionScheduler.Sub sub = s.schedule(client, 1000, job);
 * s.cancel(sub);
 * s.close(client);
 * }</pre>
 *
 * <p>Thread-safe: one lock (this object) guards every share and subscription; jobs run and clients
 * are told outside it.
 */
final class SubscriptionScheduler implements AutoCloseable {
  /*
   * Before: one timer thread ran every subscription of every client in turn. One client with 10
   * subscriptions to a 1.7 s query held it for 17 s of every 10, and another client's 1 s
   * subscription got 3 pushes in 20 s (a 14.5 s gap).
   *
   * Fair share. A connection has at most one evaluation running, and connections with due work
   * wait in one ring, served round-robin: with T query threads, a client waits for at most the
   * evaluations of the other clients ahead of it in the ring, never for another client's backlog.
   * At most T evaluations of /ws run at once, so they take their turn in the query pool's queue
   * like HTTP queries and never fill it.
   *
   * Cost budget. Each connection has a token bucket of evaluation time: it refills at
   * BUDGET_PER_SECOND seconds per second up to BUDGET_BURST seconds, and every evaluation takes
   * its measured duration. A connection in debt is not served until the bucket is back at zero;
   * its subscriptions come due meanwhile and are skipped. So one client takes at most half a query
   * thread on average, however many subscriptions it has, and others do not notice it.
   *
   * Lag. A subscription is "pending" from when it comes due until its evaluation ends; coming due
   * again while pending is a skipped push. The first skip of a lag sends a notice naming the
   * subscription and why; the next push carries the number skipped and ends the lag.
   */

  /** Seconds of evaluation a connection earns per second (half of one query thread). */
  static final double BUDGET_PER_SECOND = 0.5;

  /** The most a connection may save up, in seconds of evaluation. */
  static final double BUDGET_BURST = 5.0;

  /** What a subscription does. */
  interface Job {
    /**
     * Evaluates and pushes; runs on a query thread.
     *
     * @param skipped pushes skipped since the previous one
     */
    void run(int skipped);

    /** Tells the client this subscription is lagging and why; runs on the timer thread. */
    void lagging(int skipped, String reason);
  }

  /** One connection's share: its due subscriptions, its budget, whether one of its runs. */
  static final class Share {
    private final ArrayDeque<Sub> due = new ArrayDeque<>();
    private boolean running;
    private boolean inRing;
    private boolean waking;
    private boolean closed;
    private double tokens = BUDGET_BURST;
    private long refilledNanos;
    private boolean started;
    private final List<Sub> subs = new ArrayList<>();
  }

  /** One subscription. */
  static final class Sub {
    private final Share share;
    private final Job job;
    private ScheduledFuture<?> timer;
    private boolean pending;
    private boolean cancelled;
    private boolean notified;
    private int skipped;

    private Sub(Share share, Job job) {
      this.share = share;
      this.job = job;
    }
  }

  private final ScheduledThreadPoolExecutor timer;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Share> ring = new ArrayDeque<>();
  private final LongAdder skippedTotal = new LongAdder();
  private QueryPool pool;
  private int inFlight;

  SubscriptionScheduler() {
    this(System::nanoTime);
  }

  /** With a clock for the budgets, in nanoseconds ({@link System#nanoTime()} in production). */
  SubscriptionScheduler(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              // A platform thread: it only marks subscriptions due, but it must not wait for a
              // carrier behind computing virtual threads.
              Thread t = new Thread(r, "vigil-ws-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** The pool evaluations run on (set when the routes are registered with a server). */
  synchronized void usePool(QueryPool p) {
    this.pool = p;
  }

  /** A share for a new connection. */
  Share newShare() {
    return new Share();
  }

  /** Runs {@code r} once after {@code delayMs} on the timer thread. */
  void later(Runnable r, long delayMs) {
    timer.schedule(r, delayMs, TimeUnit.MILLISECONDS);
  }

  /** Schedules {@code job} every {@code intervalMs}, the first time at once. */
  Sub schedule(Share share, long intervalMs, Job job) {
    Sub s = new Sub(share, job);
    synchronized (this) {
      if (share.closed) {
        return s;
      }
      share.subs.add(s);
      s.timer = timer.scheduleAtFixedRate(() -> due(s), 0, intervalMs, TimeUnit.MILLISECONDS);
    }
    return s;
  }

  /** Stops one subscription; an evaluation already running finishes. */
  synchronized void cancel(Sub s) {
    s.cancelled = true;
    if (s.timer != null) {
      s.timer.cancel(false);
    }
    s.share.due.remove(s);
    s.share.subs.remove(s);
  }

  /** Stops every subscription of a connection. */
  synchronized void close(Share share) {
    share.closed = true;
    for (Sub s : List.copyOf(share.subs)) {
      cancel(s);
    }
  }

  /** Pushes skipped since start because a subscription was still pending. */
  long skipped() {
    return skippedTotal.sum();
  }

  private void due(Sub s) {
    String notice = null;
    int skipped = 0;
    List<Sub> start;
    synchronized (this) {
      if (s.cancelled || s.share.closed) {
        return;
      }
      if (s.pending) {
        skippedTotal.increment();
        skipped = ++s.skipped;
        if (!s.notified) {
          s.notified = true;
          notice = reason(s.share);
        }
      } else {
        s.pending = true;
        s.share.due.add(s);
        enqueue(s.share);
      }
      start = dispatch();
    }
    if (notice != null) {
      s.job.lagging(skipped, notice);
    }
    submit(start);
  }

  private String reason(Share share) {
    refill(share);
    if (share.tokens < 0) {
      return String.format(
          "this connection's queries need more than its budget of %.1f s of evaluation per"
              + " second; subscribe to fewer or cheaper queries, or at longer intervals",
          BUDGET_PER_SECOND);
    }
    if (share.running) {
      return "waiting for this connection's previous query (one runs at a time per connection)";
    }
    return "waiting for a query thread: the server is busy";
  }

  private void enqueue(Share sh) {
    if (!sh.inRing && !sh.running && !sh.closed && !sh.due.isEmpty()) {
      ring.add(sh);
      sh.inRing = true;
    }
  }

  private void refill(Share sh) {
    long now = nanoTime.getAsLong();
    if (!sh.started) {
      sh.started = true;
      sh.refilledNanos = now;
    }
    sh.tokens =
        Math.min(BUDGET_BURST, sh.tokens + (now - sh.refilledNanos) / 1e9 * BUDGET_PER_SECOND);
    sh.refilledNanos = now;
  }

  /** Takes due work round-robin while threads are free; the caller submits it. */
  private List<Sub> dispatch() {
    List<Sub> out = new ArrayList<>();
    if (pool == null) {
      return out;
    }
    int max = pool.threads();
    for (int n = ring.size(); n > 0 && inFlight < max; n--) {
      Share sh = ring.poll();
      sh.inRing = false;
      if (sh.closed || sh.due.isEmpty() || sh.running) {
        continue;
      }
      refill(sh);
      if (sh.tokens < 0) {
        if (!sh.waking) {
          sh.waking = true;
          long waitNanos = (long) (-sh.tokens / BUDGET_PER_SECOND * 1e9) + 1;
          timer.schedule(() -> wake(sh), waitNanos, TimeUnit.NANOSECONDS);
        }
        continue;
      }
      sh.running = true;
      inFlight++;
      out.add(sh.due.poll());
    }
    return out;
  }

  private void wake(Share sh) {
    List<Sub> start;
    synchronized (this) {
      sh.waking = false;
      enqueue(sh);
      start = dispatch();
    }
    submit(start);
  }

  private void submit(List<Sub> subs) {
    for (Sub s : subs) {
      QueryPool p;
      synchronized (this) {
        p = pool;
      }
      try {
        p.submit(() -> run(s));
      } catch (QueryPool.Rejected e) {
        String notice = null;
        int skipped;
        synchronized (this) {
          skippedTotal.increment();
          skipped = ++s.skipped;
          if (!s.notified) {
            s.notified = true;
            notice = "waiting for a query thread: the server is busy (" + e.getMessage() + ")";
          }
          // No new dispatch here: the pool is full; the next end of a run or tick retries.
          finish(s, 0);
        }
        if (notice != null && !s.cancelled) {
          s.job.lagging(skipped, notice);
        }
      }
    }
  }

  private void run(Sub s) {
    int skipped;
    synchronized (this) {
      skipped = s.skipped;
      s.skipped = 0;
      s.notified = false;
    }
    long t = nanoTime.getAsLong();
    try {
      if (!s.cancelled) {
        s.job.run(skipped);
      }
    } finally {
      List<Sub> start;
      synchronized (this) {
        finish(s, nanoTime.getAsLong() - t);
        start = dispatch();
      }
      submit(start);
    }
  }

  private void finish(Sub s, long costNanos) {
    Share sh = s.share;
    s.pending = false;
    sh.running = false;
    inFlight--;
    refill(sh);
    sh.tokens -= costNanos / 1e9;
    enqueue(sh);
  }

  /** Stops the timer; evaluations running finish. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
