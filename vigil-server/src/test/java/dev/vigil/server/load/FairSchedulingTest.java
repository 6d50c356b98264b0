package dev.vigil.server.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: two heavy range queries running at once must not delay {@code /-/healthy}, a write or
 * the self-scrape. The probes run back to back for as long as both queries are in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FairSchedulingTest {
  /** A bound that holds on a loaded 2-core machine; before the fix health took 3-7 s. */
  static final Duration BOUND = Duration.ofSeconds(1);

  /** 61 steps over 30 minutes: seconds of evaluation even on an idle machine. */
  static final int STEP_SECONDS = 30;

  LoadFixture fx;
  final ExecutorService queries = Executors.newFixedThreadPool(2);

  @BeforeAll
  void start(@TempDir Path dir) {
    fx = new LoadFixture(dir, 10_000, 2, 8); // as the issue: 10k series
  }

  @AfterAll
  void stop() {
    queries.shutdownNow();
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void twoHeavyQueries_doNotDelayHealthWritesOrTheSelfScrape() throws Exception {
    fx.heavyRangeQuery(STEP_SECONDS); // warm up the engine's code paths
    long from = System.currentTimeMillis();
    long t0 = System.nanoTime();
    // Each worker runs heavy queries back to back for at least twice the bound, so the probes
    // meet busy query threads however fast the machine is (one query took 0.95 s on an idle one).
    long busyUntil = t0 + 2 * BOUND.toNanos();
    List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      running.add(CompletableFuture.supplyAsync(() -> heavy(busyUntil), queries));
    }
    long maxHealth = 0;
    long maxWrite = 0;
    int probes = 0;
    int i = 0;
    while (running.stream().noneMatch(CompletableFuture::isDone)) {
      long[] h = fx.health();
      assertThat(h[0]).isEqualTo(200);
      maxHealth = Math.max(maxHealth, h[1]);
      long[] w = fx.write("probe_w,i=" + (i++ % 10) + " v=1 " + System.currentTimeMillis());
      assertThat(w[0]).isEqualTo(204);
      maxWrite = Math.max(maxWrite, w[1]);
      probes++;
    }
    long to = System.currentTimeMillis();
    long queriesNs = System.nanoTime() - t0;
    for (CompletableFuture<HttpResponse<String>> f : running) {
      assertThat(f.join().statusCode()).as(f.join().body()).isEqualTo(200);
    }
    long gap = fx.longestScrapeGapMs(from, to);
    System.out.printf(
        "two heavy queries %.1f s; %d probes; slowest health %.3f s, write %.3f s; longest"
            + " self-scrape gap %.3f s%n",
        queriesNs / 1e9, probes, maxHealth / 1e9, maxWrite / 1e9, gap / 1e3);
    assertThat(Duration.ofNanos(maxHealth)).as("slowest /-/healthy").isLessThan(BOUND);
    assertThat(Duration.ofNanos(maxWrite)).as("slowest write").isLessThan(BOUND);
    assertThat(probes).isGreaterThan(1);
    // The self-scrape keeps its 1 s interval: no gap of two intervals.
    assertThat(gap)
        .as("longest gap between self-scrapes while the queries ran")
        .isLessThan(2 * LoadFixture.SCRAPE_INTERVAL.toMillis());
  }

  /** Heavy range queries, one after another, until {@code untilNanos}; the last answer. */
  private HttpResponse<String> heavy(long untilNanos) {
    try {
      HttpResponse<String> last;
      do {
        last = fx.heavyRangeQuery(STEP_SECONDS);
      } while (last.statusCode() == 200 && System.nanoTime() < untilNanos);
      return last;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
