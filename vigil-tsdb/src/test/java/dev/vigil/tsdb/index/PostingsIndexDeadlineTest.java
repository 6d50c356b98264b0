package dev.vigil.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.QueryCanceledException;
import dev.vigil.model.QueryDeadline;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Postings selection checks the thread's deadline while it scans label values. */
class PostingsIndexDeadlineTest {
  private static final int SERIES = 10_000;

  private static PostingsIndex index() {
    PostingsIndex idx = new PostingsIndex();
    for (int i = 0; i < SERIES; i++) {
      idx.add(i, Labels.of("__name__", "m", "v", "value-" + i));
    }
    return idx;
  }

  /** A clock that moves one tick per read; the deadline is {@code reads} reads away. */
  private static QueryDeadline afterReads(AtomicLong clock, long reads) {
    return QueryDeadline.at(reads, clock::incrementAndGet);
  }

  @Test
  void select_regexScanPastDeadline_stopsInsideTheLoop() {
    PostingsIndex idx = index();
    AtomicLong clock = new AtomicLong();
    try (QueryDeadline.Scope s = afterReads(clock, 5).enter()) {
      assertThatThrownBy(() -> idx.select(List.of(LabelMatcher.regex("v", "value-.*9"))))
          .isInstanceOfSatisfying(
              QueryCanceledException.class, e -> assertThat(e.isTimeout()).isTrue());
    }
    // Stopped after 5 clock reads, one per 16 values: long before the 10,000 values were scanned.
    assertThat(clock.get()).isEqualTo(5);
  }

  @Test
  void select_negativeMatcherScanPastDeadline_stops() {
    PostingsIndex idx = index();
    AtomicLong clock = new AtomicLong();
    try (QueryDeadline.Scope s = afterReads(clock, 3).enter()) {
      assertThatThrownBy(
              () ->
                  idx.select(
                      List.of(
                          LabelMatcher.equal("__name__", "m"), LabelMatcher.notRegex("v", "x.*"))))
          .isInstanceOf(QueryCanceledException.class);
    }
  }

  @Test
  void labelValues_pastDeadline_stops() {
    PostingsIndex idx = index();
    AtomicLong clock = new AtomicLong();
    try (QueryDeadline.Scope s = afterReads(clock, 2).enter()) {
      assertThatThrownBy(() -> idx.labelValues("v", null))
          .isInstanceOf(QueryCanceledException.class);
    }
  }

  @Test
  void select_withinDeadline_andWithoutOne_answers() {
    PostingsIndex idx = index();
    try (QueryDeadline.Scope s = QueryDeadline.at(Long.MAX_VALUE, () -> 0L).enter()) {
      assertThat(idx.select(List.of(LabelMatcher.regex("v", "value-1.*"))).getCardinality())
          .isEqualTo(1_111);
    }
    assertThat(idx.select(List.of(LabelMatcher.regex("v", "value-(1|2|3)"))).getCardinality())
        .isEqualTo(3);
  }

  @Test
  void select_interruptedThread_isCanceled() {
    PostingsIndex idx = index();
    try (QueryDeadline.Scope s = QueryDeadline.at(Long.MAX_VALUE, () -> 0L).enter()) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> idx.select(List.of(LabelMatcher.regex("v", "value-.*9"))))
          .isInstanceOfSatisfying(
              QueryCanceledException.class, e -> assertThat(e.isTimeout()).isFalse());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void after_hugeTimeout_neverExpiresAndDoesNotOverflow() {
    QueryDeadline d = QueryDeadline.after(java.time.Duration.ofDays(365L * 1_000_000));
    d.check();
    QueryDeadline zero = QueryDeadline.after(java.time.Duration.ZERO);
    assertThatThrownBy(zero::check).isInstanceOf(QueryCanceledException.class);
  }
}
