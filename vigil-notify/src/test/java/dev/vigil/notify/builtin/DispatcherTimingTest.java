package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's flush timing on a hand-driven clock: group_wait, group_interval, repeat_interval.
 */
class DispatcherTimingTest {
  /** Timers on a manual clock; due tasks run when the test advances time. */
  static final class ManualTimers implements Timers {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    record Task(Instant at, Runnable r, boolean[] cancelled) {}

    final List<Task> tasks = new ArrayList<>();

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Runnable schedule(Runnable task, Duration delay) {
      boolean[] c = {false};
      tasks.add(new Task(now.plus(delay), task, c));
      return () -> c[0] = true;
    }

    void advance(Duration d) {
      Instant end = now.plus(d);
      while (true) {
        Task next =
            tasks.stream()
                .filter(t -> !t.cancelled[0] && !t.at.isAfter(end))
                .min(Comparator.comparing(Task::at))
                .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
        now = next.at;
        next.r.run();
      }
      now = end;
    }
  }

  /** Runs tasks on the caller's thread. */
  static final class Direct extends AbstractExecutorService {
    @Override
    public void execute(Runnable r) {
      r.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long t, TimeUnit u) {
      return true;
    }
  }

  final List<String> sent = new ArrayList<>();
  final ManualTimers timers = new ManualTimers();

  static final String YAML =
      """
      route:
        receiver: log
        group_by: [alertname]
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 1h
      receivers:
        - name: log
          webhook_configs: [{url: 'http://127.0.0.1:9/'}]
      """;

  @Test
  void groupWait_thenGroupInterval_thenRepeatInterval() {
    Dispatcher d =
        new Dispatcher(
            NotifyConfig.parse("t", YAML),
            timers,
            Map.of("log", List.of(recorder())),
            new Delivery(new Direct(), new NotifyMetrics(), DedupLog.inMemory(timers)),
            "http://x",
            (a, b) -> false);
    Instant t0 = timers.now;
    d.put(List.of(alert("A", "1", t0, null)));
    timers.advance(Duration.ofSeconds(29));
    assertThat(sent).isEmpty();
    timers.advance(Duration.ofSeconds(1));
    assertThat(sent).containsExactly("30 firing [1]");
    // A second alert joins: sent at the next group_interval, not before.
    d.put(List.of(alert("A", "2", timers.now, null)));
    timers.advance(Duration.ofMinutes(4));
    assertThat(sent).hasSize(1);
    timers.advance(Duration.ofMinutes(1));
    assertThat(sent).containsExactly("30 firing [1]", "330 firing [1, 2]");
    // Nothing changes: silence until repeat_interval has passed since the last send.
    timers.advance(Duration.ofMinutes(55));
    assertThat(sent).hasSize(2);
    // At 3930 s exactly one hour has passed, not more (Alertmanager compares strictly): the
    // flush after that one repeats.
    timers.advance(Duration.ofMinutes(5));
    assertThat(sent).hasSize(2);
    timers.advance(Duration.ofMinutes(5));
    assertThat(sent).last().isEqualTo("4230 firing [1, 2]");
  }

  @Test
  void alertOlderThanGroupWait_flushesAtOnce() {
    Dispatcher d =
        new Dispatcher(
            NotifyConfig.parse("t", YAML),
            timers,
            Map.of("log", List.of(recorder())),
            new Delivery(new Direct(), new NotifyMetrics(), DedupLog.inMemory(timers)),
            "http://x",
            (a, b) -> false);
    d.put(List.of(alert("A", "1", timers.now.minus(Duration.ofMinutes(1)), null)));
    timers.advance(Duration.ZERO);
    assertThat(sent).containsExactly("0 firing [1]");
  }

  @Test
  void muteTimeInterval_holdsNotificationsInsideIt_andTheyGoOutAfter() {
    String yaml =
        YAML.replace(
                "  repeat_interval: 1h\n",
                "  repeat_interval: 1h\n  routes:\n    - matchers: [alertname=A]\n      mute_time_intervals: [night]\n")
            + """
            time_intervals:
              - name: night
                time_intervals:
                  - times: [{start_time: '00:00', end_time: '00:10'}]
                    weekdays: ['thursday:friday']
            """;
    NotifyConfig c = NotifyConfig.parse("t", yaml);
    Dispatcher d =
        new Dispatcher(
            c,
            timers,
            Map.of("log", List.of(recorder())),
            new Delivery(new Direct(), new NotifyMetrics(), DedupLog.inMemory(timers)),
            "http://x",
            BuiltinNotifier.timeIntervals(c));
    // 2026-01-01 is a Thursday; the clock starts at 00:00 UTC, inside the interval.
    d.put(List.of(alert("A", "1", timers.now, null)));
    timers.advance(Duration.ofMinutes(9));
    assertThat(sent).isEmpty();
    timers.advance(Duration.ofMinutes(2)); // the flush at 10:30 is outside
    assertThat(sent).containsExactly("630 firing [1]");
  }

  private Integration recorder() {
    Instant start = timers.now;
    return new Integration() {
      @Override
      public String kind() {
        return "test";
      }

      @Override
      public boolean sendResolved() {
        return true;
      }

      @Override
      public Failure send(NotificationData d) {
        sent.add(
            Duration.between(start, d.now()).toSeconds()
                + " "
                + d.status()
                + " "
                + d.alerts().stream().map(a -> a.labels().get("i")).toList());
        return null;
      }
    };
  }

  static Alert alert(String name, String i, Instant start, Instant end) {
    return new Alert(
        new java.util.TreeMap<>(Map.of("alertname", name, "i", i)),
        new java.util.TreeMap<>(),
        start,
        end == null ? start.plus(Duration.ofDays(1)) : end,
        "",
        start,
        false);
  }
}
