package dev.vigil.rules;

import dev.vigil.model.Labels;
import java.util.Map;

/**
 * One state change of one alert, as an {@link AlertListener} receives it.
 *
 * @param group the rule group's name
 * @param file the rule group's file
 * @param labels the alert's labels (with {@code alertname})
 * @param annotations its templated annotations at the change
 * @param value the expression's value at the change (the last value seen, for a resolution)
 * @param from the state before ({@link AlertState#INACTIVE} for a new alert)
 * @param to the state after ({@link AlertState#INACTIVE} for a resolved or vanished alert)
 * @param timestampMs the evaluation time of the change, milliseconds since the epoch
 * @param activeAt when the alert became pending (after a restart: as restored)
 */
public record AlertEvent(
    String group,
    String file,
    Labels labels,
    Map<String, String> annotations,
    double value,
    AlertState from,
    AlertState to,
    long timestampMs,
    long activeAt) {}
