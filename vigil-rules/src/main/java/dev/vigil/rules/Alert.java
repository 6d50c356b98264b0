package dev.vigil.rules;

import dev.vigil.model.Labels;
import java.util.Map;

/**
 * A snapshot of one alert of an alerting rule. Times are milliseconds since the epoch, {@link
 * #NONE} when unset.
 *
 * @param labels the alert's identity: the result's labels without {@code __name__}, the rule's
 *     templated labels and {@code alertname}
 * @param annotations the rule's templated annotations
 * @param value the expression's value at the last evaluation that returned the alert
 * @param activeAt when the alert became pending (restored after a restart)
 * @param firedAt when it became firing
 * @param resolvedAt when it became inactive
 * @param keepFiringSince since when {@code keep_firing_for} keeps it firing without a result
 */
public record Alert(
    Labels labels,
    Map<String, String> annotations,
    AlertState state,
    double value,
    long activeAt,
    long firedAt,
    long resolvedAt,
    long keepFiringSince) {
  /** An unset time. */
  public static final long NONE = Long.MIN_VALUE;
}
