package dev.vigil.collectors.health;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Exports {@code vigil_health_score} (0-100) and, per input, the points it took away ({@code
 * vigil_health_score_penalty{input}}) and its measured value ({@code vigil_health_input{input}}),
 * so a user sees why the score dropped.
 *
 * {@snippet :
 * registry.register(new HealthCollector(HealthScore.builder().build(), () -> inputs()));
 * }
 *
 * <p>The inputs come from a supplier called at each collection (the system collector's latest
 * summary, the recorders' error rate, the alerting engine's firing count). Thread-safe when the
 * supplier is.
 */
public final class HealthCollector implements Collector {

  private final HealthScore score;
  private final Supplier<HealthScore.Inputs> inputs;
  private volatile HealthScore.Result last;

  /** Creates a collector computing {@code score} from {@code inputs}. */
  public HealthCollector(HealthScore score, Supplier<HealthScore.Inputs> inputs) {
    this.score = Objects.requireNonNull(score, "score");
    this.inputs = Objects.requireNonNull(inputs, "inputs");
  }

  /** Computes the score now (also what {@link #collect()} exports). */
  public HealthScore.Result compute() {
    HealthScore.Result r = score.compute(inputs.get());
    last = r;
    return r;
  }

  /** Returns the last computed result, computing one when there is none yet. */
  public HealthScore.Result last() {
    HealthScore.Result r = last;
    return r != null ? r : compute();
  }

  @Override
  public List<MetricSnapshot> collect() {
    HealthScore.Result r = compute();
    SnapshotList out = new SnapshotList();
    out.gauge(
        "vigil_health_score",
        "Overall health 0-100 (docs/collectors.md gives the formula).",
        r.score());
    SnapshotList.Family penalty =
        out.gaugeFamily("vigil_health_score_penalty", "Points an input took away from 100.");
    SnapshotList.Family value =
        out.gaugeFamily("vigil_health_input", "The measured value of a health input.");
    for (HealthScore.Contribution c : r.contributions()) {
      penalty.add("input", c.input(), c.penalty());
      if (!Double.isNaN(c.value())) {
        value.add("input", c.input(), c.value());
      }
    }
    return out.build();
  }
}
