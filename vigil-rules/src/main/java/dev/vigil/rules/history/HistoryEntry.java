package dev.vigil.rules.history;

import dev.vigil.model.Labels;
import dev.vigil.rules.AlertState;
import java.util.List;
import java.util.Map;

/**
 * One recorded state change of one alert, as {@link AlertHistory#query} returns it.
 *
 * @param id the change's number, unique in one data directory and increasing with each record (what
 *     a later record, such as a notification, refers to)
 * @param labels the alert's labels (with {@code alertname})
 * @param annotations its templated annotations at the change
 * @param value the expression's value at the change
 * @param from the state before
 * @param to the state after ({@link AlertState#INACTIVE}: resolved)
 * @param timestampMs the evaluation time of the change, milliseconds since the epoch
 * @param activeAt when the alert became pending, milliseconds since the epoch
 * @param group the rule group's name
 * @param file the rule group's file
 * @param flapping whether the alert was flapping after this change
 * @param notified who was notified of this change (empty until notifications exist)
 */
public record HistoryEntry(
    long id,
    Labels labels,
    Map<String, String> annotations,
    double value,
    AlertState from,
    AlertState to,
    long timestampMs,
    long activeAt,
    String group,
    String file,
    boolean flapping,
    List<String> notified) {
  public HistoryEntry {
    annotations = Map.copyOf(annotations);
    notified = List.copyOf(notified);
  }

  /** The alert's name: its {@code alertname} label. */
  public String alertname() {
    return labels.getOrEmpty("alertname");
  }
}
