package dev.vigil.notify.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The clock and the timer of the dispatcher, injected so tests drive time by hand. */
interface Timers {
  Instant now();

  /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
  Runnable schedule(Runnable task, Duration delay);

  static Timers of(Clock clock, ScheduledExecutorService ses) {
    return new Timers() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public Runnable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f =
            ses.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }
    };
  }
}
