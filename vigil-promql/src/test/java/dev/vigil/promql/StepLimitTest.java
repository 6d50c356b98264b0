package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.model.Labels;
import dev.vigil.model.Queryable;
import dev.vigil.promql.test.MemoryStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Step counts are checked in {@code long} against the sample limit before an evaluation allocates:
 * subqueries and range queries whose step count overflowed {@code int} (or filled the heap) are
 * refused with a {@link QueryLimitException} naming the count, and long step loops notice an
 * interrupted thread.
 */
class StepLimitTest {
  private static final long T = 40L * 86_400_000; // 40 days after the epoch

  private static MemoryStorage seed() {
    MemoryStorage db = new MemoryStorage();
    db.add(Labels.of("__name__", "seed"), T - 60_000, 1);
    db.add(Labels.of("__name__", "seed"), T, 1);
    return db;
  }

  private static void refused(Engine e, String query, String message) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> e.instantQuery(query, T))
                .isInstanceOfSatisfying(
                    QueryLimitException.class,
                    ex -> assertThat(ex.kind()).isEqualTo(QueryLimitException.Kind.SAMPLES))
                .hasMessageContaining(message));
  }

  @Test
  void subquerySteps_beyondTheSampleLimit_areRefusedBeforeAllocating() {
    Engine e = Engine.builder(seed()).build();
    refused(
        e,
        "count_over_time(vector(1)[24d:1ms])",
        "subquery [3w3d:1ms] would evaluate 2,073,600,000 steps, more than the limit of 1,000,000"
            + " steps per range query or subquery; use a coarser subquery step or a shorter range");
    refused(e, "count_over_time(vector(1)[3d:1ms])", "259,200,000 steps");
  }

  @Test
  void subquerySteps_beyondIntRange_areRefusedNotWrapped() {
    Engine e = Engine.builder(seed()).build();
    // 2,160,000,000 steps wrapped to a negative int: a NegativeArraySizeException.
    refused(e, "count_over_time(vector(1)[25d:1ms])", "2,160,000,000 steps");
    refused(e, "count_over_time(seed[25d:1ms])", "2,160,000,000 steps");
    // 31,536,000,000 steps wrapped to a positive int: a wrong answer or an OutOfMemoryError.
    refused(e, "max_over_time(seed[365d:1ms])", "31,536,000,000 steps");
  }

  @Test
  void subquerySteps_belowTheSampleLimit_areBoundedByTheStepLimit() {
    // 43,200,000 steps: under 50 million samples, but 1.4 GB and over a minute of evaluation.
    refused(
        Engine.builder(seed()).build(),
        "count_over_time(vector(1)[12h:1ms])",
        "43,200,000 steps, more than the limit of 1,000,000 steps per range query or subquery");
    Engine e = Engine.builder(seed()).maxSteps(100).build();
    refused(e, "count_over_time(seed[101s:1s])", "101 steps, more than the limit of 100 steps");
    assertThat(e.instantQuery("count_over_time(seed[100s:1s])", T).vector()).hasSize(1);
  }

  @Test
  void subquerySteps_countTheLimitOfAnEmbeddersEngine() {
    Engine e = Engine.builder(seed()).maxSamples(1_000).build();
    refused(e, "count_over_time(seed[1001s:1s])", "1,001 steps, more than the limit of 1,000");
    assertThat(e.instantQuery("count_over_time(seed[1000s:1s])", T).vector()).hasSize(1);
  }

  @Test
  void rangeQuerySteps_beyondTheLimit_areRefusedForEmbedders() {
    Engine e = Engine.builder(seed()).build();
    assertThatThrownBy(() -> e.rangeQuery("1", 0, 9_000_000_000_000_000L, 1))
        .isInstanceOf(QueryLimitException.class)
        .hasMessage(
            "the query would evaluate 9,000,000,000,000,001 steps, more than the limit of"
                + " 1,000,000 steps per range query or subquery; raise the step or narrow the time"
                + " range");
    assertThatThrownBy(() -> e.rangeQuery("1", Long.MIN_VALUE / 2 - 10, Long.MAX_VALUE / 2, 1))
        .isInstanceOf(QueryLimitException.class)
        .hasMessageContaining("would evaluate more than 2^63 steps");
  }

  @Test
  void interruptedThread_stopsASubqueryStepLoop() {
    MemoryStorage db = seed();
    // The caller gives up (interrupts the thread) once evaluation has started reading.
    Queryable interrupting =
        (mint, maxt) -> {
          Thread.currentThread().interrupt();
          return db.querier(mint, maxt);
        };
    Engine e = Engine.builder(interrupting).build();
    try {
      assertThatThrownBy(() -> e.instantQuery("count_over_time(seed[15m:1ms])", T))
          .isInstanceOfSatisfying(
              QueryLimitException.class,
              ex -> assertThat(ex.kind()).isEqualTo(QueryLimitException.Kind.CANCELED))
          .hasMessage("query was canceled in query execution");
    } finally {
      Thread.interrupted();
    }
  }
}
