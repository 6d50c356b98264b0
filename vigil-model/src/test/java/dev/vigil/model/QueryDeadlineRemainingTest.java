package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link QueryDeadline#remaining()}: what a remote request may wait, on an injected clock. */
class QueryDeadlineRemainingTest {
  @Test
  void remaining_countsDownOnTheClock_andIsZeroOncePast_andNullWithoutADeadline() {
    AtomicLong now = new AtomicLong(1_000);
    QueryDeadline d = QueryDeadline.at(1_000 + Duration.ofSeconds(5).toNanos(), now::get);
    assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(5));
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(2));
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    assertThat(d.remaining()).isEqualTo(Duration.ZERO);
    assertThat(QueryDeadline.current().remaining()).isNull();
    try (QueryDeadline.Scope s = d.enter()) {
      assertThat(QueryDeadline.current().remaining()).isEqualTo(Duration.ZERO);
    }
  }
}
