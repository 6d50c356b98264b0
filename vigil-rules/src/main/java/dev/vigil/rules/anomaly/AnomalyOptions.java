package dev.vigil.rules.anomaly;

import java.time.Duration;

/**
 * How one mark's series are modelled.
 *
 * <pre>{@code
 * AnomalyOptions o = AnomalyOptions.DEFAULT; // 5 m slots, 4 weeks, threshold 3.5, window 1 h
 * }</pre>
 *
 * @param step the width of one slot of the seasonal model: observations within a slot are averaged
 * @param weeks how many past weeks the seasonal median looks at (1 to 8)
 * @param threshold the score beyond which a value is anomalous; the band is baseline ± threshold ×
 *     scale
 * @param window the rolling window of the fallback model, used while a slot has fewer than {@link
 *     #MIN_WEEKS} weeks of history
 */
public record AnomalyOptions(Duration step, int weeks, double threshold, Duration window) {
  /** Weeks of history a slot needs before the seasonal model replaces the rolling window. */
  public static final int MIN_WEEKS = 2;

  public static final AnomalyOptions DEFAULT =
      new AnomalyOptions(Duration.ofMinutes(5), 4, 3.5, Duration.ofHours(1));

  public AnomalyOptions {
    if (step.toMillis() < 1000 || Duration.ofDays(7).toMillis() % step.toMillis() != 0) {
      throw new IllegalArgumentException(
          "step must be at least 1s and divide a week evenly (e.g. 1m, 5m, 15m), got " + step);
    }
    if (Duration.ofDays(7).toMillis() / step.toMillis() > 20_160) {
      throw new IllegalArgumentException("step must be at least 30s, got " + step);
    }
    if (weeks < 1 || weeks > 8) {
      throw new IllegalArgumentException("weeks must be between 1 and 8, got " + weeks);
    }
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a positive number, got " + threshold);
    }
    if (window.toMillis() < 3 * step.toMillis()
        || window.toMillis() > Duration.ofDays(1).toMillis()) {
      throw new IllegalArgumentException(
          "window must be at least 3 steps and at most 1d, got " + window);
    }
  }

  /** Slots in one week. */
  int slotsPerWeek() {
    return (int) (Duration.ofDays(7).toMillis() / step.toMillis());
  }

  /** Slots in the rolling window. */
  int windowSlots() {
    return (int) (window.toMillis() / step.toMillis());
  }
}
