package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;

/** User sessions: active gauge, starts by agent family, duration histogram, expiry. */
final class SessionRecorder {
  /** Session durations: 1 s to a day. */
  static final Buckets BUCKETS =
      Buckets.of(1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400);

  final SessionTracker tracker;
  final CallbackGauge active;
  final Counter started;
  final Counter ended;
  final Counter rejected;
  final Histogram duration;

  SessionRecorder(Names n, SessionTracker tracker) {
    this.tracker = tracker;
    active =
        CallbackGauge.builder()
            .name(n.of("active_sessions"))
            .help("User sessions active now.")
            .callback(() -> tracker.active())
            .build();
    started =
        Counter.builder()
            .name(n.of("sessions_started_total"))
            .help("User sessions started, by user agent family.")
            .labelNames("agent_family")
            .build();
    ended =
        Counter.builder()
            .name(n.of("sessions_ended_total"))
            .help("User sessions ended, by reason (ended or expired).")
            .labelNames("reason")
            .build();
    rejected =
        Counter.builder()
            .name(n.of("sessions_rejected_total"))
            .help("Session starts refused because the session limit was reached.")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("session_duration_seconds"))
            .help("User session duration (expired sessions: start to last activity).")
            .buckets(BUCKETS)
            .build();
  }

  List<Metric> metrics() {
    return List.of(active, started, ended, rejected, duration);
  }

  void start(String id, String userAgent) {
    Check.label("startUserSession", "id", id);
    if (tracker.start(id)) {
      started.labelValues(Scratch.of(SessionTracker.agentFamily(userAgent))).inc();
    } else if (!tracker.touch(id)) {
      rejected.inc();
    }
  }

  boolean end(String id) {
    Check.label("endUserSession", "id", id);
    double seconds = tracker.end(id);
    if (Double.isNaN(seconds)) {
      return false;
    }
    ended.labelValues(Scratch.of("ended")).inc();
    duration.observe(seconds);
    return true;
  }

  void expireIdle() {
    tracker.expireIdle(
        seconds -> {
          ended.labelValues(Scratch.of("expired")).inc();
          duration.observe(seconds);
        });
  }
}
