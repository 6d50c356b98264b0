package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.http.QueryPool;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The /ws cost budget, with an injected clock for the evaluation times. */
class SubscriptionSchedulerTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final SubscriptionScheduler scheduler = new SubscriptionScheduler(clock::get);
  private final QueryPool pool = new QueryPool(2, 8, Duration.ofSeconds(30));

  @AfterEach
  void stop() {
    scheduler.close();
    pool.close();
  }

  /** A job that records its runs and notices and costs {@code costNanos} on the clock. */
  private final class Recorder implements SubscriptionScheduler.Job {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final long costNanos;

    Recorder(long costNanos) {
      this.costNanos = costNanos;
    }

    @Override
    public void run(int skipped) {
      clock.addAndGet(costNanos);
      events.add("run");
    }

    @Override
    public void lagging(int skipped, String reason) {
      events.add("lagging: " + reason);
    }

    String next() throws InterruptedException {
      String e = events.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }
  }

  @Test
  void aConnectionOverItsBudget_isSkippedAndTold_untilItEarnsItBack_othersAreNot()
      throws Exception {
    scheduler.usePool(pool);
    SubscriptionScheduler.Share greedy = scheduler.newShare();
    SubscriptionScheduler.Share other = scheduler.newShare();
    // One evaluation of 6 s spends the 5 s burst and 1 s more.
    Recorder expensive = new Recorder(TimeUnit.SECONDS.toNanos(6));
    scheduler.schedule(greedy, 3_600_000, expensive);
    assertThat(expensive.next()).isEqualTo("run");

    Recorder second = new Recorder(0);
    scheduler.schedule(greedy, 20, second);
    assertThat(second.next()).startsWith("lagging: ").contains("budget of 0.5 s");
    assertThat(second.events).doesNotContain("run");

    Recorder cheap = new Recorder(0);
    scheduler.schedule(other, 3_600_000, cheap);
    assertThat(cheap.next()).as("another connection runs at once").isEqualTo("run");

    // 2 s at 0.5 s/s pays the debt of 1 s back: the greedy connection runs again.
    clock.addAndGet(TimeUnit.SECONDS.toNanos(2) + 1);
    String e;
    do {
      e = second.next();
    } while (!e.equals("run"));
    assertThat(scheduler.skipped()).isPositive();
  }
}
