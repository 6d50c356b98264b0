package dev.vigil.collectors.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns resource pressure, error rate and firing alerts into one score from 0 (failing) to 100
 * (healthy), and says how many points each input took away.
 *
 * {@snippet :
 * HealthScore health = HealthScore.builder().build();
 * HealthScore.Result r = health.compute(new HealthScore.Inputs(0.82, 0.60, 0.91, 2.0, 0));
 * r.score();         // 100 - penalties
 * r.contributions(); // which input pulled it down, and by how much
 * }
 *
 * <h2>Formula</h2>
 *
 * Each input {@code i} has a weight {@code w_i} (points it can take away; the weights sum to 100)
 * and a pressure {@code p_i} in [0, 1] that rises linearly from 0 at its <em>warn</em> level to 1
 * at its <em>critical</em> level:
 *
 * <pre>
 *   p_i   = clamp((x_i - warn_i) / (critical_i - warn_i), 0, 1)
 *   score = 100 - sum_i(w_i * p_i)
 * </pre>
 *
 * <table>
 *   <caption>Default inputs</caption>
 *   <tr><th>input</th><th>x</th><th>warn</th><th>critical</th><th>weight</th></tr>
 *   <tr><td>cpu</td><td>CPU busy ratio</td><td>0.70</td><td>0.95</td><td>25</td></tr>
 *   <tr><td>memory</td><td>used / total memory</td><td>0.75</td><td>0.95</td><td>25</td></tr>
 *   <tr><td>disk</td><td>fullest filesystem's used ratio</td><td>0.80</td><td>0.95</td><td>20</td></tr>
 *   <tr><td>errors</td><td>errors per minute</td><td>1</td><td>10</td><td>20</td></tr>
 *   <tr><td>alerts</td><td>firing alerts</td><td>0</td><td>5</td><td>10</td></tr>
 * </table>
 *
 * <p>An input that is NaN (not measured, e.g. no filesystem) takes nothing away. Immutable and
 * thread-safe.
 */
public final class HealthScore {

  /** Input names, in {@link Result#contributions()} order. */
  public static final List<String> INPUTS = List.of("cpu", "memory", "disk", "errors", "alerts");

  private final double[] warn;
  private final double[] critical;
  private final double[] weight;

  private HealthScore(Builder b) {
    this.warn = b.warn.clone();
    this.critical = b.critical.clone();
    this.weight = b.weight.clone();
  }

  /** Returns a builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The measured inputs.
   *
   * @param cpuRatio CPU busy ratio 0–1, NaN when unknown
   * @param memoryRatio used memory ratio 0–1, NaN when unknown
   * @param diskRatio the fullest filesystem's used ratio 0–1, NaN when unknown
   * @param errorsPerMinute recorded errors per minute, NaN when unknown
   * @param firingAlerts alerts currently firing
   */
  public record Inputs(
      double cpuRatio,
      double memoryRatio,
      double diskRatio,
      double errorsPerMinute,
      double firingAlerts) {

    double get(int i) {
      return switch (i) {
        case 0 -> cpuRatio;
        case 1 -> memoryRatio;
        case 2 -> diskRatio;
        case 3 -> errorsPerMinute;
        default -> firingAlerts;
      };
    }
  }

  /**
   * One input's part of the score.
   *
   * @param input the input name
   * @param value the measured value
   * @param pressure 0–1, how far between warn and critical it is
   * @param penalty points taken from 100 ({@code weight * pressure})
   */
  public record Contribution(String input, double value, double pressure, double penalty) {}

  /**
   * The computed score.
   *
   * @param score 0–100
   * @param contributions one per input in {@link #INPUTS} order
   */
  public record Result(double score, List<Contribution> contributions) {
    public Result {
      contributions = List.copyOf(contributions);
    }

    /** Returns the input that took away most points, or null when none took any. */
    public Contribution worst() {
      Contribution worst = null;
      for (Contribution c : contributions) {
        if (c.penalty() > 0 && (worst == null || c.penalty() > worst.penalty())) {
          worst = c;
        }
      }
      return worst;
    }
  }

  /** Computes the score for the given inputs. */
  public Result compute(Inputs in) {
    Objects.requireNonNull(in, "inputs");
    double score = 100;
    List<Contribution> parts = new ArrayList<>(INPUTS.size());
    for (int i = 0; i < INPUTS.size(); i++) {
      double x = in.get(i);
      double p = 0;
      if (!Double.isNaN(x)) {
        p = Math.max(0, Math.min(1, (x - warn[i]) / (critical[i] - warn[i])));
      }
      double penalty = weight[i] * p;
      score -= penalty;
      parts.add(new Contribution(INPUTS.get(i), x, p, penalty));
    }
    return new Result(Math.max(0, Math.min(100, score)), parts);
  }

  /** Configures thresholds and weights; weights must sum to 100. */
  public static final class Builder {
    private final double[] warn = {0.70, 0.75, 0.80, 1, 0};
    private final double[] critical = {0.95, 0.95, 0.95, 10, 5};
    private final double[] weight = {25, 25, 20, 20, 10};

    private Builder() {}

    /**
     * Sets one input's thresholds and weight.
     *
     * @param input one of {@link #INPUTS}
     * @throws IllegalArgumentException for an unknown input, critical not above warn, or a negative
     *     weight
     */
    public Builder input(String input, double warnAt, double criticalAt, double weightPoints) {
      int i = INPUTS.indexOf(input);
      if (i < 0) {
        throw new IllegalArgumentException(
            "unknown health input '" + input + "'; known: " + INPUTS);
      }
      if (!(criticalAt > warnAt)) {
        throw new IllegalArgumentException(
            "health input "
                + input
                + ": critical ("
                + criticalAt
                + ") must exceed warn ("
                + warnAt
                + ")");
      }
      if (!(weightPoints >= 0)) {
        throw new IllegalArgumentException("health input " + input + ": weight must be >= 0");
      }
      warn[i] = warnAt;
      critical[i] = criticalAt;
      weight[i] = weightPoints;
      return this;
    }

    /**
     * Builds the score.
     *
     * @throws IllegalArgumentException when the weights do not sum to 100
     */
    public HealthScore build() {
      double sum = 0;
      for (double w : weight) {
        sum += w;
      }
      if (Math.abs(sum - 100) > 1e-9) {
        throw new IllegalArgumentException("health weights must sum to 100, got " + sum);
      }
      return new HealthScore(this);
    }
  }
}
