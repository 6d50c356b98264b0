package dev.vigil.server.http;

import dev.vigil.metrics.CallbackCounter;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.MetricRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The threads that evaluate queries: a fixed number of platform threads and a bounded queue in
 * front of them, like Prometheus' {@code --query.max-concurrency} gate but with a queue that
 * refuses instead of growing.
 *
 * <pre>{@code
 * QueryPool pool = new QueryPool(2, 32, Duration.ofMinutes(2));
 * QueryResult r = pool.call(() -> engine.instantQuery("up", now)); // 503 ApiError when full
 * pool.close();
 * }</pre>
 *
 * <p>{@link #call} runs a task on a pool thread and waits for it. When every thread is busy and the
 * queue holds {@code queueLength} tasks, it fails at once with {@link Rejected} (to be answered
 * {@code unavailable}, 503, with {@code Retry-After: }{@link #RETRY_AFTER_SECONDS}); a task that
 * waited in the queue longer than {@code maxWait} is dropped and fails with {@code timeout} (503).
 * Exceptions of the task reach the caller unchanged. Thread-safe.
 */
public final class QueryPool implements AutoCloseable {
  /*
   * Why platform threads. Javalin ran every handler on virtual threads, whose carriers are as many
   * platform threads as there are cores. A virtual thread gives its carrier back only when it
   * blocks, and a PromQL evaluation never blocks: two 3.6 s range queries held both carriers of a
   * 2-core machine, and /-/healthy, a one-line write and the self-scrape waited up to 7.5 s, 6.9 s
   * and 9.2 s behind them. Platform threads are scheduled by the OS, which preempts them: a query
   * on this pool takes CPU time from health checks and ingest, never the thread they need. The
   * caller (a Jetty platform thread, see VigilHttpServer) only blocks in Future.get.
   *
   * Why a size of the core count (server.limits.query_max_concurrency). One evaluation is
   * single-threaded and CPU-bound; more queries running than cores only stretches each one and
   * multiplies the memory held (each may hold query_max_samples), so Prometheus' 20 would hold 20
   * results on a 2-core machine to finish them all 10 times later. At least 2, so one slow query
   * cannot block all the others.
   *
   * Why a bounded queue. A queued request holds an HTTP thread and its parsed parameters while it
   * waits; past queueLength a client is better told at once to come back (503, Retry-After) than
   * left waiting for the query timeout.
   */

  /** The {@code Retry-After} a refused request is given, in seconds. */
  public static final int RETRY_AFTER_SECONDS = 2;

  /**
   * The failure of a task refused because the pool and its queue are full; HTTP routes answer it as
   * {@code unavailable} (503) with {@code Retry-After}.
   */
  public static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message);
    }
  }

  /** A task that may throw anything; for handlers. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private final int threads;
  private final int queueLength;
  private final Duration maxWait;
  private final ThreadPoolExecutor executor;
  private final Semaphore slots;
  private final AtomicInteger running = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder completed = new LongAdder();

  /**
   * @param threads queries evaluating at once (platform threads), at least 1
   * @param queueLength queries waiting for a thread before more are refused, at least 0
   * @param maxWait the longest a query waits in the queue before it fails with {@code timeout}
   */
  public QueryPool(int threads, int queueLength, Duration maxWait) {
    if (threads < 1) {
      throw new IllegalArgumentException("query pool threads must be at least 1, got " + threads);
    }
    if (queueLength < 0) {
      throw new IllegalArgumentException("query queue length must be >= 0, got " + queueLength);
    }
    this.threads = threads;
    this.queueLength = queueLength;
    this.maxWait = maxWait;
    AtomicInteger n = new AtomicInteger();
    this.slots = new Semaphore(threads + queueLength);
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            // Unbounded here: admission is the semaphore's (threads + queueLength), which a
            // SynchronousQueue could not give: right after a query ended its thread was not yet
            // back at the queue, and the next query was refused with nothing running.
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "vigil-query-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code task} on a pool thread and returns its result, waiting for it.
   *
   * @throws Rejected when all threads are busy and the queue is full
   * @throws ApiError {@code timeout} when the task waited in the queue longer than {@code maxWait};
   *     {@code canceled} when the calling thread is interrupted
   */
  public <T> T call(Callable<T> task) {
    if (executor.isShutdown()) {
      throw new ApiError(ApiError.Type.UNAVAILABLE, "Vigil is shutting down");
    }
    Job<T> job;
    try {
      job =
          admit(
              task,
              () ->
                  new Rejected(
                      "too many queries: "
                          + threads
                          + " running and "
                          + queueLength
                          + " waiting (server.limits.query_max_concurrency, query_queue_length);"
                          + " retry in "
                          + RETRY_AFTER_SECONDS
                          + " s"));
    } catch (Rejected e) {
      if (executor.isShutdown()) {
        throw new ApiError(ApiError.Type.UNAVAILABLE, "Vigil is shutting down");
      }
      throw e;
    }
    return await(job);
  }

  /**
   * Takes a slot (a thread or a place in the queue) and hands {@code task} to the executor. The
   * slot is given back when the task's own code ends, before its result is visible, so a caller
   * that saw the result can run the next query at once.
   */
  private <T> Job<T> admit(Callable<T> task, java.util.function.Supplier<Rejected> full) {
    if (!slots.tryAcquire()) {
      rejected.increment();
      throw full.get();
    }
    Job<T> job = new Job<>(task);
    try {
      executor.execute(job);
    } catch (RejectedExecutionException e) {
      job.release();
      rejected.increment();
      throw full.get();
    }
    return job;
  }

  /** A task with its slot, given back exactly once: by the task, or when it never runs. */
  private final class Job<T> implements Runnable {
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    final FutureTask<T> future;

    Job(Callable<T> task) {
      future =
          new FutureTask<>(
              () -> {
                running.incrementAndGet();
                try {
                  return task.call();
                } finally {
                  running.decrementAndGet();
                  completed.increment();
                  release();
                }
              });
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        slots.release();
      }
    }

    @Override
    public void run() {
      try {
        future.run();
      } finally {
        release(); // canceled before it ran: the task's own finally never came
      }
    }
  }

  /** Like {@link #call}, for a task without a result (an HTTP handler). */
  public void run(Task task) {
    call(
        () -> {
          task.run();
          return null;
        });
  }

  private <T> T await(Job<T> job) {
    FutureTask<T> f = job.future;
    try {
      try {
        return f.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // Still queued: drop it. Already running: the engine's own deadline ends it; wait.
        if (executor.remove(job)) {
          job.release();
          throw new ApiError(
              ApiError.Type.TIMEOUT,
              "query timed out after waiting "
                  + maxWait.toMillis()
                  + " ms in the queue for one of "
                  + threads
                  + " query threads");
        }
        return f.get();
      }
    } catch (InterruptedException e) {
      if (executor.remove(job)) {
        job.release();
      }
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new ApiError(ApiError.Type.CANCELED, "query canceled");
    } catch (CancellationException e) {
      throw new ApiError(ApiError.Type.CANCELED, "query canceled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new WrappedException(c);
    }
  }

  /** A checked exception of a task, carried to the caller; its cause is the original. */
  public static final class WrappedException extends RuntimeException {
    WrappedException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Submits {@code task} without waiting: for schedulers that run their own work on the pool (the
   * {@code /ws} subscriptions). The task counts against the threads and the queue like any query.
   *
   * @throws Rejected when all threads are busy and the queue is full
   */
  public Future<?> submit(Runnable task) {
    return admit(
            () -> {
              task.run();
              return null;
            },
            () -> new Rejected("too many queries: the query pool and its queue are full"))
        .future;
  }

  /** Queries evaluating now. */
  public int running() {
    return running.get();
  }

  /** Queries waiting for a thread. */
  public int queued() {
    return executor.getQueue().size();
  }

  /** Queries refused since start because the queue was full. */
  public long rejected() {
    return rejected.sum();
  }

  /** The number of threads. */
  public int threads() {
    return threads;
  }

  /** The queue length. */
  public int queueLength() {
    return queueLength;
  }

  /**
   * Registers {@code vigil_query_pool_running}, {@code _queued}, {@code _threads}, {@code
   * _queue_length} (gauges), {@code vigil_query_pool_rejected_total} and {@code
   * vigil_query_pool_completed_total} in {@code registry}.
   */
  public void register(MetricRegistry registry) {
    CallbackGauge.builder()
        .name("vigil_query_pool_running")
        .help("Queries evaluating now on the query threads.")
        .callback(this::running)
        .register(registry);
    CallbackGauge.builder()
        .name("vigil_query_pool_queued")
        .help("Queries waiting for a query thread.")
        .callback(this::queued)
        .register(registry);
    CallbackGauge.builder()
        .name("vigil_query_pool_threads")
        .help("Query threads (server.limits.query_max_concurrency).")
        .callback(() -> threads)
        .register(registry);
    CallbackGauge.builder()
        .name("vigil_query_pool_queue_length")
        .help("Queries that may wait before more are refused (server.limits.query_queue_length).")
        .callback(() -> queueLength)
        .register(registry);
    CallbackCounter.builder()
        .name("vigil_query_pool_rejected_total")
        .help("Queries refused with 503 because every query thread was busy and the queue full.")
        .callback(rejected::sum)
        .register(registry);
    CallbackCounter.builder()
        .name("vigil_query_pool_completed_total")
        .help("Queries that ran on the query threads (answered or failed).")
        .callback(completed::sum)
        .register(registry);
  }

  /** Stops the threads; running queries are interrupted, queued ones dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
