package dev.vigil.metrics.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One state set: a list of states, each enabled or not. Written as one series per state with the
 * metric name as the label name.
 */
public final class StateSetDataPoint implements DataPoint {
  private final Labels labels;
  private final String[] states;
  private final boolean[] enabled;

  /** Copies and validates: as many flags as states, state names unique. */
  public StateSetDataPoint(Labels labels, String[] states, boolean[] enabled) {
    this.labels = Objects.requireNonNull(labels, "labels");
    if (states.length != enabled.length) {
      throw new IllegalArgumentException(
          "state set: " + states.length + " states but " + enabled.length + " flags");
    }
    this.states = states.clone();
    this.enabled = enabled.clone();
    for (int i = 0; i < this.states.length; i++) {
      for (int j = 0; j < i; j++) {
        if (this.states[i].equals(this.states[j])) {
          throw new IllegalArgumentException("state set: duplicate state " + this.states[i]);
        }
      }
    }
  }

  @Override
  public Labels labels() {
    return labels;
  }

  /** Number of states. */
  public int size() {
    return states.length;
  }

  /** Name of the i-th state. */
  public String state(int i) {
    return states[i];
  }

  /** Whether the i-th state is enabled. */
  public boolean enabled(int i) {
    return enabled[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateSetDataPoint s
        && labels.equals(s.labels)
        && Arrays.equals(states, s.states)
        && Arrays.equals(enabled, s.enabled);
  }

  @Override
  public int hashCode() {
    return labels.hashCode() * 31 + Arrays.hashCode(states);
  }

  @Override
  public String toString() {
    return "StateSet" + labels + Arrays.toString(states) + Arrays.toString(enabled);
  }
}
