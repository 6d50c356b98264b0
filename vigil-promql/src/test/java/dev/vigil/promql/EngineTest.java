package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.promql.test.MemoryStorage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineTest {
  private static MemoryStorage counters(int series, int samples, long stepMs) {
    MemoryStorage db = new MemoryStorage();
    for (int s = 0; s < series; s++) {
      Labels l = Labels.of("__name__", "req_total", "job", "j" + (s % 10), "instance", "i" + s);
      for (int i = 0; i < samples; i++) {
        db.add(l, i * stepMs, i * (s + 1));
      }
    }
    return db;
  }

  @Test
  void instantQuery_returnsEachResultType() {
    Engine e = Engine.builder(counters(2, 10, 60_000)).build();
    assertThat(e.instantQuery("1 + 2", 0).type()).isEqualTo(QueryResult.Type.SCALAR);
    assertThat(e.instantQuery("1 + 2", 0).scalar()).isEqualTo(3);
    assertThat(e.instantQuery("\"s\"", 0).string()).isEqualTo("s");
    QueryResult v = e.instantQuery("req_total", 300_000);
    assertThat(v.type()).isEqualTo(QueryResult.Type.VECTOR);
    assertThat(v.vector()).hasSize(2);
    assertThat(v.vector().get(0).timestamp()).isEqualTo(300_000);
    QueryResult m = e.instantQuery("req_total{instance=\"i0\"}[3m]", 300_000);
    assertThat(m.type()).isEqualTo(QueryResult.Type.MATRIX);
    assertThat(m.matrix().get(0).timestamps()).containsExactly(180_000L, 240_000L, 300_000L);
  }

  @Test
  void rangeQuery_readsEachSelectorOnceNotPerStep() {
    MemoryStorage db = counters(5, 200, 15_000);
    Engine e = Engine.builder(db).build();
    long before = db.selectCount();
    QueryResult r = e.rangeQuery("sum by (job) (rate(req_total[5m]))", 600_000, 2_400_000, 15_000);
    assertThat(db.selectCount() - before).isEqualTo(1);
    assertThat(r.matrix()).hasSize(5);
    assertThat(r.matrix().get(0).size()).isEqualTo(121);
  }

  @Test
  void rangeQuery_ofRangeVector_isRejectedWithPrometheusMessage() {
    Engine e = Engine.builder(new MemoryStorage()).build();
    assertThatThrownBy(() -> e.rangeQuery("x[5m]", 0, 60_000, 15_000))
        .isInstanceOf(PromqlException.class)
        .hasMessage(
            "invalid expression type \"range vector\" for range query, must be Scalar or instant"
                + " Vector");
  }

  @Test
  void lookback_isLeftOpenAndStaleMarkersEndSeries() {
    MemoryStorage db = new MemoryStorage();
    Labels l = Labels.of("__name__", "m");
    db.add(l, 0, 1);
    Engine e = Engine.builder(db).build();
    assertThat(e.instantQuery("m", 299_999).vector()).hasSize(1);
    assertThat(e.instantQuery("m", 300_000).vector()).isEmpty();
    db.add(l, 10_000, dev.vigil.model.StaleMarker.VALUE);
    assertThat(e.instantQuery("m", 10_000).vector()).isEmpty();
  }

  @Test
  void rateOnNonCounterName_reportsInfoWithPosition() {
    MemoryStorage db = new MemoryStorage();
    for (int i = 0; i < 10; i++) {
      db.add(Labels.of("__name__", "temperature"), i * 15_000, i);
    }
    QueryResult r = Engine.builder(db).build().instantQuery("rate(temperature[1m])", 120_000);
    assertThat(r.infos())
        .containsExactly(
            "PromQL info: metric might not be a counter, name does not end in"
                + " _total/_sum/_count/_bucket: \"temperature\" (1:6)");
  }

  @Test
  void maxSamples_exceeded_failsWithLimitError() {
    Engine e = Engine.builder(counters(20, 100, 15_000)).maxSamples(500).build();
    assertThatThrownBy(() -> e.rangeQuery("rate(req_total[5m])", 0, 1_500_000, 15_000))
        .isInstanceOf(QueryLimitException.class)
        .hasMessageContaining("too many samples")
        .extracting(x -> ((QueryLimitException) x).kind())
        .isEqualTo(QueryLimitException.Kind.SAMPLES);
    // The engine stays usable after a limit error.
    assertThat(e.instantQuery("count(req_total)", 60_000).vector().get(0).value()).isEqualTo(20);
  }

  @Test
  void timeout_exceeded_failsWithLimitError() {
    Engine e = Engine.builder(counters(500, 50, 15_000)).timeout(Duration.ofNanos(1)).build();
    assertThatThrownBy(() -> e.rangeQuery("sum(rate(req_total[1m]))", 0, 700_000, 15_000))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage("query timed out in query execution");
  }

  @Test
  void timeout_exceeded_byACheapQuery_isStillReported() {
    // Too little work for the sampled per-series check: the check at the end must catch it.
    Engine e = Engine.builder(counters(1, 2, 15_000)).timeout(Duration.ofNanos(1)).build();
    assertThatThrownBy(() -> e.instantQuery("vector(1)", 0))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage("query timed out in query execution");
  }

  @Test
  void perQueryTimeout_shorterThanTheEngines_applies_andLongerOneDoesNot() {
    Engine e = Engine.builder(counters(5, 50, 15_000)).timeout(Duration.ofMinutes(1)).build();
    // A zero timeout has expired before evaluation starts, as Prometheus' timeout=0.
    assertThatThrownBy(
            () -> e.instantQuery("vector(1)", 0, QueryOptions.DEFAULT.withTimeout(Duration.ZERO)))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage("query timed out in query execution");
    assertThatThrownBy(
            () ->
                e.rangeQuery(
                    "rate(req_total[1m])",
                    0,
                    700_000,
                    15_000,
                    QueryOptions.DEFAULT.withTimeout(Duration.ofNanos(1))))
        .isInstanceOf(QueryLimitException.class)
        .extracting(x -> ((QueryLimitException) x).kind())
        .isEqualTo(QueryLimitException.Kind.TIMEOUT);
    // A longer request timeout than the engine's is capped, not an error; null is the engine's.
    assertThat(
            e.instantQuery(
                    "count(req_total)",
                    60_000,
                    QueryOptions.DEFAULT.withTimeout(Duration.ofDays(1)))
                .vector()
                .get(0)
                .value())
        .isEqualTo(5);
    assertThat(
            e.instantQuery("count(req_total)", 60_000, QueryOptions.DEFAULT)
                .vector()
                .get(0)
                .value())
        .isEqualTo(5);
    Engine tight = Engine.builder(counters(5, 50, 15_000)).timeout(Duration.ofNanos(1)).build();
    assertThatThrownBy(
            () ->
                tight.instantQuery(
                    "vector(1)", 0, QueryOptions.DEFAULT.withTimeout(Duration.ofDays(1))))
        .isInstanceOf(QueryLimitException.class);
  }

  @Test
  void concurrencyCap_blocksExtraQueriesUntilTimeout() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemoryStorage db = counters(1, 5, 15_000);
    Queryable blocking =
        (mint, maxt) -> {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          Querier q = db.querier(mint, maxt);
          return q;
        };
    Engine e = Engine.builder(blocking).maxConcurrent(1).timeout(Duration.ofMillis(300)).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<QueryResult> first = pool.submit(() -> e.instantQuery("req_total", 60_000));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> e.instantQuery("req_total", 60_000))
          .isInstanceOf(QueryLimitException.class)
          .extracting(x -> ((QueryLimitException) x).kind())
          .isEqualTo(QueryLimitException.Kind.CONCURRENCY);
      release.countDown();
      // The first query held its slot past its own 300 ms deadline: it is not answered either.
      assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(QueryLimitException.class)
          .cause()
          .extracting(x -> ((QueryLimitException) x).kind())
          .isEqualTo(QueryLimitException.Kind.TIMEOUT);
      // With the slot free again, a query runs.
      assertThat(e.instantQuery("req_total", 60_000).vector()).hasSize(1);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void delayedNameRemoval_collidingSeriesAreAnError() {
    MemoryStorage db = new MemoryStorage();
    db.add(Labels.of("__name__", "a", "x", "1"), 0, 1);
    db.add(Labels.of("__name__", "b", "x", "1"), 0, 2);
    Engine e = Engine.builder(db).build();
    assertThatThrownBy(() -> e.instantQuery("abs({x=\"1\"})", 0))
        .hasMessage("vector cannot contain metrics with the same labelset");
    assertThat(e.instantQuery("sum by (__name__) ({x=\"1\"})", 0).vector()).hasSize(2);
  }

  @Test
  void builder_rejectsNonPositiveLimits() {
    MemoryStorage db = new MemoryStorage();
    assertThatThrownBy(() -> Engine.builder(db).maxSamples(0))
        .hasMessage("max samples must be positive, got 0");
    assertThatThrownBy(() -> Engine.builder(db).maxConcurrent(0))
        .hasMessage("max concurrent queries must be positive, got 0");
  }

  @Test
  void info_addsDataLabelsOfTargetInfoWithSameJobAndInstance() {
    MemoryStorage db = new MemoryStorage();
    db.add(Labels.of("__name__", "up", "job", "api", "instance", "a"), 0, 1);
    db.add(Labels.of("__name__", "target_info", "job", "api", "instance", "a", "k8s", "c1"), 0, 1);
    db.add(Labels.of("__name__", "target_info", "job", "web", "instance", "a", "k8s", "c2"), 0, 1);
    QueryResult r = Engine.builder(db).build().instantQuery("info(up)", 0);
    assertThat(r.vector())
        .extracting(Sample::labels)
        .containsExactly(Labels.of("__name__", "up", "job", "api", "instance", "a", "k8s", "c1"));
  }

  @Test
  void atEnd_inRangeQuery_isTheSameAtEveryStep() {
    Engine e = Engine.builder(counters(1, 100, 15_000)).build();
    QueryResult r = e.rangeQuery("rate(req_total[1m] @ end())", 300_000, 600_000, 60_000);
    double[] v = r.matrix().get(0).values();
    assertThat(v).hasSize(6).containsOnly(v[5]);
    QueryResult direct = e.instantQuery("rate(req_total[1m])", 600_000);
    assertThat(v[5]).isEqualTo(direct.vector().get(0).value());
  }

  @Test
  void subquery_inRangeQuery_matchesInstantQueriesAtEachStep() {
    Engine e = Engine.builder(counters(3, 200, 15_000)).build();
    String q = "max_over_time(sum(rate(req_total[2m]))[10m:1m])";
    QueryResult r = e.rangeQuery(q, 900_000, 1_800_000, 300_000);
    QueryResult.Series s = r.matrix().get(0);
    for (int i = 0; i < s.size(); i++) {
      double instant = e.instantQuery(q, s.timestamps()[i]).vector().get(0).value();
      assertThat(s.values()[i]).isEqualTo(instant);
    }
  }

  @Test
  void stepInvariantExpression_isEvaluatedOnceAndRepeated() {
    MemoryStorage db = counters(4, 100, 15_000);
    Engine e = Engine.builder(db).build();
    long before = db.selectCount();
    QueryResult r =
        e.rangeQuery("sum by (job) (rate(req_total[2m] @ 900))", 300_000, 1_200_000, 60_000);
    assertThat(db.selectCount() - before).isEqualTo(1);
    double once =
        e.instantQuery("sum by (job) (rate(req_total[2m]))", 900_000).vector().stream()
            .filter(x -> x.labels().get("job").equals("j0"))
            .findFirst()
            .orElseThrow()
            .value();
    QueryResult.Series j0 =
        r.matrix().stream()
            .filter(x -> x.labels().get("job").equals("j0"))
            .findFirst()
            .orElseThrow();
    assertThat(j0.values()).hasSize(16).containsOnly(once);
  }
}
