package dev.vigil.notify.builtin;

import static dev.vigil.notify.builtin.DispatcherTimingTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.notify.builtin.DispatcherTimingTest.Direct;
import dev.vigil.notify.builtin.DispatcherTimingTest.ManualTimers;
import dev.vigil.notify.nflog.NotificationLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher deduplicates against the persisted notification log as Alertmanager's DedupStage
 * does: a notifier restarted on the same log neither repeats what it delivered nor re-sends a
 * resolved notification.
 */
class NotificationLogDedupTest {
  @TempDir Path dir;
  final ManualTimers timers = new ManualTimers();
  final List<String> sent = new ArrayList<>();
  boolean failing;

  final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return timers.now;
        }
      };

  @Test
  void restartOnSameLog_sendsNoDuplicate_andNoResolvedAgain() throws Exception {
    Path file = dir.resolve("nflog.log");
    Instant t0 = timers.now;
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      timers.advance(Duration.ofSeconds(30));
      assertThat(sent).containsExactly("firing [1]");
      d.close();
    }
    assertThat(entry(file).firingAlerts()).hasSize(1);

    // Restarted: the rule engine posts the same firing alert again; nothing changed, so nothing
    // is sent until repeat_interval (1h) has passed since the delivery before the restart.
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      timers.advance(Duration.ofMinutes(30));
      assertThat(sent).containsExactly("firing [1]");
      // A new alert in the group is news: sent at the next flush.
      Instant t2 = timers.now;
      d.put(List.of(alert("A", "2", t2, null)));
      timers.advance(Duration.ofMinutes(5));
      assertThat(sent).containsExactly("firing [1]", "firing [1, 2]");
      // Both resolve: the resolved notification goes out.
      d.put(List.of(alert("A", "1", t0, timers.now), alert("A", "2", t2, timers.now)));
      timers.advance(Duration.ofMinutes(5));
      assertThat(sent).containsExactly("firing [1]", "firing [1, 2]", "resolved [1, 2]");
      d.close();
    }
    assertThat(entry(file).allResolved()).isTrue();

    // Restarted again: the resolved alerts posted once more are not notified a second time.
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      Instant end = timers.now.minusSeconds(1);
      d.put(List.of(alert("A", "1", t0, end), alert("A", "2", t0, end)));
      timers.advance(Duration.ofHours(2));
      assertThat(sent).containsExactly("firing [1]", "firing [1, 2]", "resolved [1, 2]");
      d.close();
    }
  }

  @Test
  void repeatInterval_countsFromTheDeliveryBeforeTheRestart() throws Exception {
    Path file = dir.resolve("nflog.log");
    Instant t0 = timers.now;
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      timers.advance(Duration.ofSeconds(30));
      d.close();
    }
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      // Flushes at once (the alert is older than group_wait), then every 5 min; the first more
      // than 1 h after the delivery at 30 s before the restart is the one at 3930 s.
      timers.advance(Duration.ofMinutes(64));
      assertThat(sent).containsExactly("firing [1]");
      timers.advance(Duration.ofMinutes(2));
      assertThat(sent).containsExactly("firing [1]", "firing [1]");
      d.close();
    }
  }

  @Test
  void failedSendBeforeTheRestart_isSentAfterIt() throws Exception {
    Path file = dir.resolve("nflog.log");
    Instant t0 = timers.now;
    failing = true;
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      timers.advance(Duration.ofSeconds(30));
      d.close();
    }
    NotificationLog.Entry e = entry(file);
    assertThat(e.lastError()).isEqualTo("500 from the sink");
    assertThat(e.delivered()).isNull();
    failing = false;
    try (NotificationLog log = open(file)) {
      Dispatcher d = dispatcher(log);
      d.put(List.of(alert("A", "1", t0, null)));
      timers.advance(Duration.ZERO);
      assertThat(sent).containsExactly("firing [1]");
      d.close();
    }
    assertThat(entry(file).succeeded()).isTrue();
  }

  private NotificationLog open(Path file) throws Exception {
    return NotificationLog.open(file, clock, NotificationLog.DEFAULT_RETENTION);
  }

  private NotificationLog.Entry entry(Path file) throws Exception {
    try (NotificationLog log = open(file)) {
      return log.query("{}:{alertname=\"A\"}", "log/test/0").orElseThrow();
    }
  }

  private Dispatcher dispatcher(NotificationLog log) {
    return new Dispatcher(
        NotifyConfig.parse("t", DispatcherTimingTest.YAML),
        timers,
        Map.of("log", List.of(recorder())),
        new Delivery(new Direct(), new NotifyMetrics(), DedupLog.of(log)),
        "http://x",
        (a, b) -> false);
  }

  private Integration recorder() {
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
        if (failing) {
          return new Failure("500 from the sink", false);
        }
        sent.add(d.status() + " " + d.alerts().stream().map(a -> a.labels().get("i")).toList());
        return null;
      }
    };
  }
}
