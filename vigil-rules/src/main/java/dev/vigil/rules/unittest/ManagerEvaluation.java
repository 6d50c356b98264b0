package dev.vigil.rules.unittest;

import dev.vigil.model.Appendable;
import dev.vigil.model.Queryable;
import dev.vigil.rules.Alert;
import dev.vigil.rules.AlertState;
import dev.vigil.rules.GroupStatus;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleManager;
import dev.vigil.rules.RuleStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Evaluation} on the rules module's {@link RuleManager}: the groups loaded in test order
 * (one file entry per group keeps that order), evaluated with {@link RuleManager#evaluateAt} on a
 * clock that reads the evaluation time.
 */
final class ManagerEvaluation implements Evaluation {
  private final RuleManager manager;
  private final StepClock clock;

  private ManagerEvaluation(RuleManager manager, StepClock clock) {
    this.manager = manager;
    this.clock = clock;
  }

  /** The factory the runner uses; templates are the rule manager's (Prometheus' language). */
  static Factory factory() {
    return (groups, storage, engine, intervalMs, externalLabels, externalUrl) -> {
      StepClock clock = new StepClock();
      RuleManager m =
          RuleManager.builder((Queryable) storage, (Appendable) storage)
              .clock(clock)
              .evaluationInterval(Duration.ofMillis(intervalMs))
              .externalLabels(externalLabels)
              .externalUrl(externalUrl)
              .build();
      List<RuleFile> files = new ArrayList<>();
      for (Map.Entry<String, RuleGroupSpec> g : groups) {
        files.add(new RuleFile(g.getKey(), List.of(g.getValue())));
      }
      // promtool marks every alerting rule restored, so ALERTS and ALERTS_FOR_STATE are written
      // from the first evaluation. A manager restores 'for' state only for the groups of its
      // first load: loading nothing first makes the test's groups those of a reload.
      m.update(List.of());
      m.update(files);
      return new ManagerEvaluation(m, clock);
    };
  }

  @Override
  public List<Failure> evaluate(long ts) {
    clock.now = ts;
    manager.evaluateAt(ts);
    List<Failure> out = new ArrayList<>();
    for (GroupStatus g : manager.groups()) {
      for (RuleStatus r : g.rules()) {
        if ("err".equals(r.health())) {
          out.add(new Failure(r.name(), r.lastError()));
        }
      }
    }
    return out;
  }

  @Override
  public List<Firing> firing(String alertname) {
    List<Firing> out = new ArrayList<>();
    for (GroupStatus g : manager.groups()) {
      for (RuleStatus r : g.rules()) {
        if (!r.alerting() || !r.name().equals(alertname)) {
          continue;
        }
        for (Alert a : r.alerts()) {
          if (a.state() == AlertState.FIRING) {
            out.add(new Firing(a.labels(), a.annotations()));
          }
        }
      }
    }
    return out;
  }

  /** Reads the time of the evaluation under way, so nothing depends on the wall clock. */
  private static final class StepClock extends Clock {
    volatile long now;

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
      return Instant.ofEpochMilli(now);
    }

    @Override
    public long millis() {
      return now;
    }
  }
}
