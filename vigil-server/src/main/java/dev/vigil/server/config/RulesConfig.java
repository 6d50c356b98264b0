package dev.vigil.server.config;

import java.time.Duration;

/**
 * How rules are evaluated: {@code global.evaluation_interval} and the {@code rules} section.
 *
 * @param evaluationInterval the interval of rule groups that set none (default 1 m, as Prometheus'
 *     {@code global.evaluation_interval})
 * @param forOutageTolerance how long Vigil may have been down for an alert's {@code for} state to
 *     be restored from {@code ALERTS_FOR_STATE} at start (default 1 h, Prometheus' {@code
 *     --rules.alert.for-outage-tolerance})
 * @param forGracePeriod the minimum wait between a start and a restored alert firing, for rules
 *     whose {@code for} is at least this long (default 10 m, Prometheus' {@code
 *     --rules.alert.for-grace-period})
 * @param resendDelay how long to wait before re-sending a firing alert to Alertmanager (default 1
 *     m, Prometheus' {@code --rules.alert.resend-delay})
 */
public record RulesConfig(
    Duration evaluationInterval,
    Duration forOutageTolerance,
    Duration forGracePeriod,
    Duration resendDelay) {
  /** Prometheus' defaults. */
  public static final RulesConfig DEFAULTS =
      new RulesConfig(
          Duration.ofMinutes(1),
          Duration.ofHours(1),
          Duration.ofMinutes(10),
          Duration.ofMinutes(1));
}
