package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.metrics.model.StateSetDataPoint;
import java.util.Arrays;

/**
 * A set of named states, each on or off: feature flags, or the one current state of a state
 * machine.
 *
 * <pre>{@code
 * StateSet phase = StateSet.builder().name("agent_phase")
 *     .states("planning", "acting", "idle").labelNames("agent")
 *     .register(registry);
 * phase.labelValues("a1").setOnly("acting");
 * }</pre>
 *
 * <p>Exposed as one series per state, labelled with the metric name: {@code
 * agent_phase{agent="a1",agent_phase="acting"} 1}. All states start off. Thread safe.
 */
public final class StateSet extends LabelledMetric<StateSet.Child> {
  private final String[] states;

  private StateSet(Builder b) {
    super(b, MetricType.STATESET);
    if (b.states.length == 0) {
      throw new IllegalArgumentException("state set " + name() + ": states(...) is required");
    }
    this.states = b.states.clone();

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new Child(states);
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    return new StateSetDataPoint(labels, states, child.flags());
  }

  /** Turns one state on or off (unlabelled state sets only). */
  public void set(String state, boolean on) {
    noLabelsChild().set(state, on);
  }

  /** Turns this state on and every other off (unlabelled state sets only). */
  public void setOnly(String state) {
    noLabelsChild().setOnly(state);
  }

  /** One state set series. Thread safe. */
  public static final class Child {
    private final String[] states;
    private final boolean[] on; // guarded by this

    Child(String[] states) {
      this.states = states;
      this.on = new boolean[states.length];
    }

    private int index(String state) {
      for (int i = 0; i < states.length; i++) {
        if (states[i].equals(state)) {
          return i;
        }
      }
      throw new IllegalArgumentException(
          "unknown state '" + state + "', expected one of " + Arrays.toString(states));
    }

    /** Turns {@code state} on or off. */
    public synchronized void set(String state, boolean value) {
      on[index(state)] = value;
    }

    /** Turns {@code state} on and every other state off. */
    public synchronized void setOnly(String state) {
      int i = index(state);
      Arrays.fill(on, false);
      on[i] = true;
    }

    /** Whether {@code state} is on. */
    public synchronized boolean get(String state) {
      return on[index(state)];
    }

    synchronized boolean[] flags() {
      return on.clone();
    }
  }

  /** Builds a {@link StateSet}. */
  public static final class Builder extends Metric.Builder<Builder, StateSet> {
    private String[] states = new String[0];

    private Builder() {}

    /** The state names (required, unique). */
    public Builder states(String... states) {
      for (int i = 0; i < states.length; i++) {
        if (states[i] == null || states[i].isEmpty()) {
          throw new IllegalArgumentException("state names must be non-empty");
        }
        for (int j = 0; j < i; j++) {
          if (states[i].equals(states[j])) {
            throw new IllegalArgumentException("state given twice: " + states[i]);
          }
        }
      }
      this.states = states.clone();
      return this;
    }

    /** Enum constants as states. */
    public Builder states(Class<? extends Enum<?>> type) {
      Enum<?>[] values = type.getEnumConstants();
      String[] s = new String[values.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = values[i].name();
      }
      return states(s);
    }

    @Override
    public StateSet build() {
      return new StateSet(this);
    }
  }
}
