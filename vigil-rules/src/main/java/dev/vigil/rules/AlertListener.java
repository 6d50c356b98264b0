package dev.vigil.rules;

/**
 * Receives every state change of every alert: the seam for notifications and alert history.
 *
 * <pre>{@code
 * RuleManager m = RuleManager.builder(db, db).listener(e -> history.record(e)).build();
 * }</pre>
 *
 * <p>Changes are: inactive → pending (a new alert; with {@code for: 0} the next change to firing
 * comes in the same evaluation), pending → firing, pending → inactive (the condition went away
 * before {@code for} passed), firing → inactive (resolved, after {@code keep_firing_for} if set). A
 * reload that keeps a rule keeps its alerts and sends nothing. After a start, an alert that was
 * active before appears as a new pending one at the first evaluation ({@code activeAt} = that
 * evaluation); its {@code activeAt} is restored from {@code ALERTS_FOR_STATE} after the second
 * evaluation, and the pending → firing change that follows carries the restored {@code activeAt}:
 * match an alert across restarts by its labels and {@code activeAt}.
 *
 * <p>Called on the evaluating group's thread after the rule's evaluation, in the order the changes
 * happened; groups evaluate concurrently, so an implementation must be thread-safe. It must return
 * quickly (queue slow work): the group's next rule waits for it. An exception it throws is logged
 * and ignored.
 */
@FunctionalInterface
public interface AlertListener {
  /** One state change. */
  void onStateChange(AlertEvent event);

  /**
   * After each evaluation of a group that has alerting rules, on the group's thread, with every
   * alert those rules keep (resolved ones included): where a notifier sends and re-sends alerts, as
   * Prometheus' rule manager calls its notifier. Same contract as {@link #onStateChange}: quick,
   * thread-safe. Does nothing by default.
   */
  default void onGroupEvaluated(GroupEvaluation evaluation) {}

  /** Ignores every change. */
  AlertListener NONE = e -> {};
}
