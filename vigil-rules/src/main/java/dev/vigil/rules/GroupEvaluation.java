package dev.vigil.rules;

import java.util.List;

/**
 * One finished evaluation of a rule group, as an {@link AlertListener} receives it: the alerts of
 * its alerting rules, for a notifier that sends them as Prometheus' {@code sendAlerts} does after
 * each evaluation.
 *
 * @param file the group's file
 * @param group the group's name
 * @param timestampMs the evaluation time, milliseconds since the epoch
 * @param intervalMs the group's interval
 * @param rules each alerting rule of the group with its alerts
 */
public record GroupEvaluation(
    String file, String group, long timestampMs, long intervalMs, List<RuleAlerts> rules) {

  /**
   * One alerting rule's alerts after the evaluation.
   *
   * @param name the rule's {@code alert} name
   * @param expr its expression, printed as Prometheus prints it (for {@code generatorURL})
   * @param alerts its pending and firing alerts and the resolved ones still kept (Prometheus keeps
   *     them 15 minutes so that notifiers send the resolution): {@link Alert#resolvedAt()} is set
   *     on those
   */
  public record RuleAlerts(String name, String expr, List<Alert> alerts) {}
}
