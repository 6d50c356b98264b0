package dev.vigil.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load test (issue 14): push ingest of {@code series} series at one sample a second,
 * {@code loops} clients each running the heavy range query back to back, and a health probe every
 * half second, for {@code seconds}; then it reports health, write and self-scrape latencies and
 * checks them against bounds.
 *
 * <p>The suite runs it for 30 s with 2,000 series and 4 query loops, with margins for a shared
 * machine; {@code scripts/load-test [seconds] [series] [loops]} runs longer campaigns through the
 * system properties {@code vigil.loadtest.seconds}, {@code .series}, {@code .loops}, {@code
 * .query_threads} (default: the server's) and {@code .strict} (the criteria: no missed
 * deadline, every write within 1 s, no self-scrape gap of two intervals) and prints the same
 * report.
 */
class LoadTest {
  static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(1);

  @Test
  void ingestHeavyQueriesAndHealthProbes_keepHealthIngestAndScrapeWithinBounds(@TempDir Path dir)
      throws Exception {
    int seconds = Integer.getInteger("vigil.loadtest.seconds", 30);
    int series = Integer.getInteger("vigil.loadtest.series", 2_000);
    int loops = Integer.getInteger("vigil.loadtest.loops", 4);
    int threads =
        Integer.getInteger(
            "vigil.loadtest.query_threads",
            dev.vigil.server.config.ServerConfig.Limits.defaultQueryConcurrency());
    try (LoadFixture fx = new LoadFixture(dir, 2_000, threads, 32)) {
      Result r = run(fx, seconds, series, loops);
      System.out.println(r.report(seconds, series, loops) + ", " + threads + " query threads");
      assertThat(r.writeFailures).as("writes not answered 204").isZero();
      assertThat(r.queriesOk).as("heavy queries answered").isPositive();
      if (Boolean.getBoolean("vigil.loadtest.strict")) {
        // The criteria, for campaigns on a machine of its own (scripts/load-test).
        assertThat(r.healthMissed).as("health probes over 1 s or failed").isZero();
        assertThat(r.percentile(r.write, 100)).as("slowest write (ms)").isLessThan(1_000);
        assertThat(r.scrapeGapMs).as("longest self-scrape gap (ms)").isLessThan(2_000);
      } else {
        // Margins for the suite on a shared, loaded 2-core machine (load average 25 when they
        // were set: the JVM got a fraction of a core). Before the fix the query loops held both
        // virtual-thread carriers all the time, and health took seconds at the median.
        assertThat(r.percentile(r.health, 50)).as("median health (ms)").isLessThan(250);
        assertThat(r.percentile(r.health, 90)).as("p90 health (ms)").isLessThan(1_000);
        assertThat(r.percentile(r.write, 50)).as("median write (ms)").isLessThan(1_000);
        assertThat(r.scrapeGapMs).as("longest self-scrape gap (ms)").isLessThan(4_000);
      }
    }
  }

  /** What one run measured. */
  static final class Result {
    final List<Long> health = new ArrayList<>();
    final List<Long> write = new ArrayList<>();
    int healthMissed;
    int writeFailures;
    long scrapeGapMs;
    int queriesOk;
    int queriesRefused;

    synchronized void health(long nanos, boolean ok) {
      health.add(nanos);
      if (!ok || nanos >= DEADLINE_NANOS) {
        healthMissed++;
      }
    }

    synchronized void write(long nanos, boolean ok) {
      write.add(nanos);
      if (!ok) {
        writeFailures++;
      }
    }

    /** The {@code p}th percentile of {@code xs} in ms. */
    synchronized double percentile(List<Long> xs, double p) {
      if (xs.isEmpty()) {
        return 0;
      }
      long[] a = xs.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(a);
      int i = (int) Math.ceil(p / 100 * a.length) - 1;
      return a[Math.max(0, Math.min(a.length - 1, i))] / 1e6;
    }

    synchronized String report(int seconds, int series, int loops) {
      return String.format(
          "load test: %d s, %d series at 1/s, %d query loops%n"
              + "  health: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d missed the 1 s"
              + " deadline%n"
              + "  writes: %d batches, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed%n"
              + "  self-scrape (1 s interval): longest gap %d ms%n"
              + "  heavy queries: %d answered, %d refused (503)",
          seconds,
          series,
          loops,
          health.size(),
          percentile(health, 50),
          percentile(health, 99),
          percentile(health, 100),
          healthMissed,
          write.size(),
          percentile(write, 50),
          percentile(write, 99),
          percentile(write, 100),
          writeFailures,
          scrapeGapMs,
          queriesOk,
          queriesRefused);
    }
  }

  static Result run(LoadFixture fx, int seconds, int series, int loops) throws Exception {
    Result r = new Result();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ScheduledExecutorService pace = Executors.newScheduledThreadPool(2);
    ExecutorService queries = Executors.newFixedThreadPool(Math.max(1, loops));
    // Warm up outside the measurement: connections, the JIT, and the ingest series created.
    fx.health();
    if (series > 0) {
      fx.write(batch(series, System.currentTimeMillis()));
    }
    fx.heavyRangeQuery();
    long from = System.currentTimeMillis();
    try {
      for (int i = 0; i < loops; i++) {
        queries.execute(
            () -> {
              while (!stop.get()) {
                try {
                  HttpResponse<String> q = fx.heavyRangeQuery();
                  (q.statusCode() == 200 ? ok : refused).incrementAndGet();
                } catch (Exception e) {
                  refused.incrementAndGet();
                }
              }
            });
      }
      pace.scheduleAtFixedRate(
          () -> {
            try {
              long[] h = fx.health();
              r.health(h[1], h[0] == 200);
              if (h[1] >= DEADLINE_NANOS) {
                System.out.printf(
                    "slow health %.3f s at %d%n", h[1] / 1e9, System.currentTimeMillis() % 100_000);
              }
            } catch (Exception e) {
              r.health(Long.MAX_VALUE, false);
            }
          },
          0,
          500,
          TimeUnit.MILLISECONDS);
      pace.scheduleAtFixedRate(
          () -> {
            if (series == 0) {
              return;
            }
            String body = batch(series, System.currentTimeMillis());
            try {
              long[] w = fx.write(body);
              r.write(w[1], w[0] == 204);
              if (w[1] >= DEADLINE_NANOS) {
                System.out.printf(
                    "slow write %.3f s at %d%n", w[1] / 1e9, System.currentTimeMillis() % 100_000);
              }
            } catch (Exception e) {
              r.write(Long.MAX_VALUE, false);
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      // The campaign's length: waiting for it is the point of this test.
      assertThat(pace.awaitTermination(seconds, TimeUnit.SECONDS)).isFalse();
    } finally {
      stop.set(true);
      pace.shutdown();
      pace.awaitTermination(30, TimeUnit.SECONDS);
      queries.shutdown();
      queries.awaitTermination(60, TimeUnit.SECONDS);
    }
    long to = System.currentTimeMillis();
    r.scrapeGapMs = fx.longestScrapeGapMs(from + 2_000, to);
    r.queriesOk = ok.get();
    r.queriesRefused = refused.get();
    return r;
  }

  /** One sample of each of {@code series} series at {@code t}, as InfluxDB lines. */
  static String batch(int series, long t) {
    StringBuilder body = new StringBuilder(series * 32);
    for (int s = 0; s < series; s++) {
      body.append("load_g,s=").append(s).append(" v=").append(s % 97).append(' ');
      body.append(t).append('\n');
    }
    return body.toString();
  }
}
