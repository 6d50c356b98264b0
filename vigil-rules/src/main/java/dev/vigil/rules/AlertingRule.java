package dev.vigil.rules;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import dev.vigil.promql.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alert:}: every result of the expression is an alert, pending until it has been returned
 * for {@code for}, then firing; it stays firing {@code keep_firing_for} after the results stop,
 * then is resolved and kept {@link #RESOLVED_RETENTION_MS} (for notifiers to send the resolution).
 */
final class AlertingRule extends Rule {
  /* Prometheus' rules/alerting.go Eval, step for step: results become pending alerts keyed by
   * their labels; a returned alert that is already pending or firing keeps its activeAt and takes
   * the new value and annotations; an alert not returned is dropped when pending, resolved when
   * firing (after keep_firing_for), and deleted 15 minutes after its resolution. ALERTS and
   * ALERTS_FOR_STATE samples are produced only once the rule is "restored" (after the 'for' state
   * restoration that follows a start), as Prometheus does. */

  /** How long a resolved alert is kept: Prometheus' {@code resolvedRetention}. */
  static final long RESOLVED_RETENTION_MS = 15 * 60_000;

  static final String ALERTS = "ALERTS";
  static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";

  private static final long NONE = Alert.NONE;

  private static final class Active {
    Labels labels;
    Map<String, String> annotations;
    AlertState state = AlertState.PENDING;
    double value;
    long activeAt;
    long firedAt = NONE;
    long resolvedAt = NONE;
    long keepFiringSince = NONE;

    Alert snapshot() {
      return new Alert(
          labels, annotations, state, value, activeAt, firedAt, resolvedAt, keepFiringSince);
    }
  }

  final long holdMs;
  final long keepFiringForMs;
  final Map<String, String> annotations;
  private final java.time.Duration forDuration;
  private final java.time.Duration keepFiringFor;

  /** Guarded by this. */
  private Map<Labels, Active> active = new HashMap<>();

  /** Guarded by this. Whether ALERTS series are written (false until the start's restoration). */
  private boolean restored;

  AlertingRule(AlertingRuleSpec spec, boolean restored) {
    super(spec);
    this.forDuration = spec.forDuration();
    this.keepFiringFor = spec.keepFiringFor();
    this.holdMs = spec.forDuration().toMillis();
    this.keepFiringForMs = spec.keepFiringFor().toMillis();
    this.annotations = spec.annotations();
    this.restored = restored;
  }

  @Override
  List<Out> eval(long ts, long queryTs, QueryFunction q, int limit, Context ctx) {
    List<Sample> res = q.query(query, queryTs);
    Map<Labels, Active> results = new LinkedHashMap<>();
    String tmplName = "__alert_" + name;
    for (Sample s : res) {
      AnnotationExpander.Data data =
          new AnnotationExpander.Data(
              s.labels().toMap(), s.value(), ctx.externalLabels(), ctx.externalUrl(), ts);
      Labels.Builder lb = s.labels().toBuilder().delete(Labels.METRIC_NAME);
      labels.forEach((k, v) -> lb.set(k, expand(ctx, tmplName, v, data)));
      lb.set("alertname", name);
      Map<String, String> ann = new LinkedHashMap<>();
      annotations.forEach((k, v) -> ann.put(k, expand(ctx, tmplName, v, data)));
      Labels l = lb.build();
      Active a = new Active();
      a.labels = l;
      a.annotations = Collections.unmodifiableMap(ann);
      a.activeAt = ts;
      a.value = s.value();
      if (results.put(l, a) != null) {
        throw new EvalException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
    }
    List<Out> out = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<Labels, Active> e : results.entrySet()) {
        Active old = active.get(e.getKey());
        if (old != null && old.state != AlertState.INACTIVE) {
          old.value = e.getValue().value;
          old.annotations = e.getValue().annotations;
          continue;
        }
        active.put(e.getKey(), e.getValue());
        event(ctx, e.getValue(), AlertState.INACTIVE, AlertState.PENDING, ts);
      }
      int numActivePending = 0;
      var it = active.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Labels, Active> e = it.next();
        Active a = e.getValue();
        if (!results.containsKey(e.getKey())) {
          boolean keepFiring = false;
          if (a.state == AlertState.FIRING && keepFiringForMs > 0) {
            if (a.keepFiringSince == NONE) {
              a.keepFiringSince = ts;
            }
            keepFiring = ts - a.keepFiringSince < keepFiringForMs;
          }
          if (a.state == AlertState.PENDING
              || (a.resolvedAt != NONE && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
            it.remove();
          }
          if (a.state != AlertState.INACTIVE && !keepFiring) {
            AlertState from = a.state;
            a.state = AlertState.INACTIVE;
            a.resolvedAt = ts;
            event(ctx, a, from, AlertState.INACTIVE, ts);
          }
          if (!keepFiring) {
            continue;
          }
        } else {
          a.keepFiringSince = NONE;
        }
        numActivePending++;
        if (a.state == AlertState.PENDING && ts - a.activeAt >= holdMs) {
          a.state = AlertState.FIRING;
          a.firedAt = ts;
          event(ctx, a, AlertState.PENDING, AlertState.FIRING, ts);
        }
        if (restored) {
          out.add(new Out(alertsLabels(a), queryTs, 1));
          out.add(new Out(forStateLabels(a), queryTs, Math.floorDiv(a.activeAt, 1000)));
        }
      }
      if (limit > 0 && numActivePending > limit) {
        // Prometheus forgets every alert of the rule; listeners hear that they ended.
        for (Active a : active.values()) {
          if (a.state != AlertState.INACTIVE) {
            event(ctx, a, a.state, AlertState.INACTIVE, ts);
          }
        }
        active = new HashMap<>();
        throw new EvalException(
            "exceeded limit of " + limit + " with " + numActivePending + " alerts");
      }
    }
    return out;
  }

  private static String expand(
      Context ctx, String tmplName, String text, AnnotationExpander.Data data) {
    try {
      return ctx.templates().expand(tmplName, text, data);
    } catch (RuntimeException e) {
      return "<error expanding template: " + e.getMessage() + ">";
    }
  }

  private static void event(Context ctx, Active a, AlertState from, AlertState to, long ts) {
    ctx.events()
        .add(
            new AlertEvent(
                ctx.group(),
                ctx.file(),
                a.labels,
                a.annotations,
                a.value,
                from,
                to,
                ts,
                a.activeAt));
  }

  private Labels alertsLabels(Active a) {
    Labels.Builder b = Labels.builder();
    labels.forEach(b::set);
    a.labels.forEach(b::set);
    return b.set(Labels.METRIC_NAME, ALERTS)
        .set("alertname", name)
        .set("alertstate", a.state.apiName())
        .build();
  }

  private Labels forStateLabels(Active a) {
    Labels.Builder b = Labels.builder();
    labels.forEach(b::set);
    a.labels.forEach(b::set);
    return b.set(Labels.METRIC_NAME, ALERTS_FOR_STATE).set("alertname", name).build();
  }

  /**
   * Restores the {@code activeAt} of this rule's alerts from the last {@code ALERTS_FOR_STATE}
   * sample within {@code outageToleranceMs} before {@code ts}, as Prometheus' {@code
   * RestoreForState}: an alert firing when the server stopped keeps its activeAt (it fires again at
   * the next evaluation, not as new); a pending one resumes its wait, shifted by the downtime, or
   * waits at least {@code gracePeriodMs}. Rules whose {@code for} is shorter than the grace period
   * are not restored.
   */
  void restoreForState(Queryable storage, long ts, long outageToleranceMs, long gracePeriodMs) {
    synchronized (this) {
      if (holdMs < gracePeriodMs) {
        restored = true;
        return;
      }
    }
    List<Active> alerts;
    synchronized (this) {
      alerts = new ArrayList<>(active.values());
    }
    try (Querier q = storage.querier(ts - outageToleranceMs, ts)) {
      for (Active a : alerts) {
        Labels want = forStateLabels(a);
        List<LabelMatcher> ms = new ArrayList<>();
        want.forEach((k, v) -> ms.add(LabelMatcher.equal(k, v)));
        SeriesSet set = q.select(SelectHints.range(ts - outageToleranceMs, ts), ms);
        long t = NONE;
        double v = Double.NaN;
        while (set.next()) {
          if (set.at().labels().size() != want.size()) {
            continue;
          }
          SampleIterator it = set.at().iterator();
          while (it.next()) {
            t = it.timestamp();
            v = it.value();
          }
          break;
        }
        if (t == NONE || StaleMarker.is(v)) {
          continue;
        }
        long downAt = Math.floorDiv(t, 1000) * 1000;
        long restoredActiveAt = (long) v * 1000;
        long remaining = holdMs - (downAt - restoredActiveAt);
        if (remaining <= 0) {
          // Firing when the server went down: it fires again at the next evaluation.
        } else if (remaining < gracePeriodMs) {
          restoredActiveAt = ts + gracePeriodMs - holdMs;
        } else {
          restoredActiveAt += ts - downAt;
        }
        synchronized (this) {
          a.activeAt = restoredActiveAt;
        }
      }
    }
    synchronized (this) {
      restored = true;
    }
  }

  /** Takes over the alerts of {@code from} (a reload that keeps this rule). */
  void copyAlerts(AlertingRule from) {
    Map<Labels, Active> copy;
    synchronized (from) {
      copy = new HashMap<>(from.active);
    }
    synchronized (this) {
      active.putAll(copy);
    }
  }

  /** Alerts kept, resolved ones included (tests). */
  synchronized int activeCount() {
    return active.size();
  }

  /** Every alert kept: pending, firing and resolved within the retention. */
  synchronized List<Alert> keptAlerts() {
    List<Alert> out = new ArrayList<>(active.size());
    for (Active a : active.values()) {
      out.add(a.snapshot());
    }
    return out;
  }

  synchronized List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>();
    for (Active a : active.values()) {
      if (a.state != AlertState.INACTIVE) {
        out.add(a.snapshot());
      }
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return out;
  }

  @Override
  RuleStatus status() {
    List<Alert> alerts = activeAlerts();
    AlertState state = AlertState.INACTIVE;
    for (Alert a : alerts) {
      if (a.state().compareTo(state) > 0) {
        state = a.state();
      }
    }
    return new RuleStatus(
        true,
        name,
        query,
        forDuration,
        keepFiringFor,
        labels,
        annotations,
        alerts,
        state,
        health(),
        lastError(),
        evaluationSeconds(),
        lastEvaluation());
  }
}
