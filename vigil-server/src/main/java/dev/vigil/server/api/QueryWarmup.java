package dev.vigil.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Runs the query path on the server's own data right after it is ready, so that the first dashboard
 * requests find it compiled: typical dashboard expressions (rates, sums by label, {@code
 * histogram_quantile}, {@code *_over_time}, a binary operation, {@code topk}) over metric names the
 * store holds, evaluated by the engine and rendered as the API renders them (into nothing).
 *
 * <pre>{@code
 * Thread t = QueryWarmup.start(engine, queryable, dataEnd, pool::running, Duration.ofSeconds(2),
 *     cpuNanos -> log.info("warmed in {} ms of CPU", cpuNanos / 1_000_000));
 * }</pre>
 *
 * <p>Off the request path: one daemon thread, which evaluates nothing while a request is running
 * ({@code busy} above zero: it waits and goes on once the server is idle), stops once it has used
 * its CPU budget or after a minute, whichever comes first, and stops at the first error (a store
 * closing under it). Queries it runs are not counted as requests.
 */
public final class QueryWarmup {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  // Five minutes: the code runs as for any window, with a third of the garbage of 15 (a burst of
  // garbage at start grows the heap, and the resident memory with it, for good).
  private static final long WINDOW_MS = 5 * 60_000L;
  private static final long WALL_LIMIT_NS = Duration.ofMinutes(1).toNanos();

  private QueryWarmup() {}

  /**
   * Starts the warm-up thread.
   *
   * @param dataEnd the end of the window queried, in epoch milliseconds (the newest data)
   * @param busy requests running now; the warm-up evaluates only while it is zero
   * @param cpuBudget the thread CPU time the warm-up may use
   * @param done called with the CPU nanoseconds used when the warm-up ends
   */
  public static Thread start(
      Engine engine,
      Queryable store,
      long dataEnd,
      IntSupplier busy,
      Duration cpuBudget,
      LongConsumer done) {
    Thread t =
        new Thread(
            () -> run(engine, store, dataEnd, busy, cpuBudget.toNanos(), done),
            "vigil-query-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }

  private static void run(
      Engine engine,
      Queryable store,
      long end,
      IntSupplier busy,
      long budgetNs,
      LongConsumer done) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long wallEnd = System.nanoTime() + WALL_LIMIT_NS;
    try {
      List<String> exprs = expressions(names(store, end));
      long start = end - WINDOW_MS;
      while (!exprs.isEmpty()) {
        for (String q : exprs) {
          for (long step : new long[] {5_000, 1_000}) {
            while (busy.getAsInt() > 0) {
              if (Thread.interrupted() || System.nanoTime() > wallEnd) {
                return;
              }
              LockSupport.parkNanos(1_000_000);
            }
            if (Thread.currentThread().isInterrupted()
                || System.nanoTime() > wallEnd
                || mx.getCurrentThreadCpuTime() - cpu0 > budgetNs) {
              return;
            }
            render(engine.rangeQuery(q, start, end, step));
          }
        }
      }
    } catch (RuntimeException | IOException e) {
      // The store closed or refused (the server stopping): nothing to warm any more.
    } finally {
      long used = mx.getCurrentThreadCpuTime() - cpu0;
      // The heap the warm-up's garbage made the collector grow is given back (-XX:MaxHeapFreeRatio
      // of ./vigil serve) by one full collection: 199 MiB resident after the warm-up against 124
      // without it, 77 MiB of heap committed against 20, before this. Only when no request runs
      // (it stops the world for some milliseconds) and not when stopped (the server is closing).
      if (!Thread.currentThread().isInterrupted() && busy.getAsInt() == 0) {
        System.gc();
      }
      done.accept(used);
    }
  }

  /** Renders the answer as {@code /api/v1/query_range} does, into nothing. */
  private static void render(QueryResult res) throws IOException {
    try (JsonGenerator g =
        Json.MAPPER.getFactory().createGenerator(OutputStream.nullOutputStream())) {
      QueryApi.writeResult(g, res);
    }
  }

  /** The metric names of the hour before {@code end}. */
  static List<String> names(Queryable store, long end) {
    Querier q = store.querier(end - 3_600_000L, end);
    try {
      return q.labelValues(Labels.METRIC_NAME, List.of());
    } finally {
      q.close();
    }
  }

  /**
   * Dashboard expressions over a few of {@code names}: counters ({@code _total}), histogram buckets
   * ({@code _bucket}) and gauges (the rest but {@code _sum} and {@code _count}), spread over the
   * sorted list.
   */
  static List<String> expressions(List<String> names) {
    List<String> counters = new ArrayList<>();
    List<String> buckets = new ArrayList<>();
    List<String> gauges = new ArrayList<>();
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        continue;
      }
      if (n.endsWith("_total")) {
        counters.add(n);
      } else if (n.endsWith("_bucket")) {
        buckets.add(n);
      } else if (!n.endsWith("_sum") && !n.endsWith("_count")) {
        gauges.add(n);
      }
    }
    List<String> out = new ArrayList<>();
    for (String c : spread(counters, 3)) {
      out.add("rate(" + c + "[1m])");
      out.add("sum by (job) (rate(" + c + "[1m]))");
      out.add("sum by (instance) (increase(" + c + "[5m]))");
      out.add("irate(" + c + "[1m])");
      out.add("topk(5, rate(" + c + "[1m]))");
    }
    for (String b : spread(buckets, 2)) {
      out.add("histogram_quantile(0.9, sum by (le) (rate(" + b + "[5m])))");
      out.add("histogram_quantile(0.99, sum by (le, instance) (rate(" + b + "[2m])))");
    }
    List<String> gs = spread(gauges, 3);
    for (String g : gs) {
      out.add("avg_over_time(" + g + "[5m])");
      out.add("max_over_time(" + g + "[2m])");
      out.add("min_over_time(" + g + "[1m])");
      out.add("deriv(" + g + "[2m])");
      out.add("predict_linear(" + g + "[5m], 3600)");
      out.add("stddev_over_time(" + g + "[2m])");
      out.add("quantile_over_time(0.5, " + g + "[5m])");
      out.add("1 - avg by (instance) (" + g + ")");
    }
    if (gs.size() >= 2) {
      out.add(gs.get(0) + " / " + gs.get(1));
      String prefix = gs.get(0).substring(0, Math.min(3, gs.get(0).length()));
      out.add("count by (job) ({__name__=~\"" + prefix + ".*\"})");
    }
    return out;
  }

  /** Up to {@code n} elements spread evenly over {@code list}. */
  private static List<String> spread(List<String> list, int n) {
    if (list.size() <= n) {
      return list;
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(list.get(i * (list.size() - 1) / (n - 1)));
    }
    return out;
  }
}
