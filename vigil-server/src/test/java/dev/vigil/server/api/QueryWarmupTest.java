package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.Engine;
import dev.vigil.promql.parser.Parser;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryWarmupTest {
  private static final long END = 1_700_000_000_000L;

  @Test
  void expressions_coverCountersBucketsAndGauges_andAllParse() {
    List<String> exprs =
        QueryWarmup.expressions(
            List.of(
                "go_goroutines",
                "http_request_duration_seconds_bucket",
                "http_request_duration_seconds_count",
                "http_request_duration_seconds_sum",
                "node_cpu_seconds_total",
                "node_load1",
                "not a legacy name"));
    assertThat(exprs)
        .contains(
            "sum by (job) (rate(node_cpu_seconds_total[1m]))",
            "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
            "avg_over_time(node_load1[5m])",
            "go_goroutines / node_load1")
        .noneMatch(e -> e.contains("_sum") || e.contains("_count") || e.contains("not a"));
    for (String e : exprs) {
      Parser.parse(e); // throws on a malformed expression
    }
  }

  @Test
  void evaluatesNothingWhileARequestRuns_thenQueriesTheStoresData(@TempDir Path dir)
      throws Exception {
    try (Tsdb db = Tsdb.builder(dir).open()) {
      Appender app = db.appender();
      long ref1 = 0;
      long ref2 = 0;
      for (long t = END - 900_000; t <= END; t += 15_000) {
        ref1 =
            app.append(
                ref1,
                Labels.of("__name__", "requests_total", "job", "a"),
                t,
                (t - END + 900_000) / 1000.0);
        ref2 = app.append(ref2, Labels.of("__name__", "temperature", "job", "a"), t, 20);
      }
      app.commit();
      AtomicInteger selects = new AtomicInteger();
      Queryable counting =
          (mint, maxt) -> {
            Querier q = db.querier(mint, maxt);
            return new Querier() {
              @Override
              public SeriesSet select(
                  dev.vigil.model.SelectHints hints, List<dev.vigil.model.LabelMatcher> m) {
                selects.incrementAndGet();
                return q.select(hints, m);
              }

              @Override
              public List<String> labelNames(List<dev.vigil.model.LabelMatcher> m) {
                return q.labelNames(m);
              }

              @Override
              public List<String> labelValues(String name, List<dev.vigil.model.LabelMatcher> m) {
                return q.labelValues(name, m);
              }

              @Override
              public void close() {
                q.close();
              }
            };
          };
      AtomicInteger busy = new AtomicInteger(1);
      CountDownLatch polledWhileBusy = new CountDownLatch(3);
      AtomicLong cpu = new AtomicLong(-1);
      Thread t =
          QueryWarmup.start(
              Engine.builder(counting).build(),
              counting,
              END,
              () -> {
                int b = busy.get();
                if (b > 0) {
                  polledWhileBusy.countDown();
                }
                return b;
              },
              Duration.ofMillis(200),
              cpu::set);
      assertThat(polledWhileBusy.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(selects).hasValue(0);
      busy.set(0);
      t.join(60_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(selects.get()).isGreaterThan(0);
      assertThat(cpu.get()).isGreaterThan(0);
    }
  }
}
