package dev.vigil.metrics;

import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.InfoDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricType;

/**
 * Static information as labels with value 1: build version, model names, configuration.
 *
 * <pre>{@code
 * Info build = Info.builder().name("vigil_build_info").labelNames("version", "commit")
 *     .register(registry);                      // stored as vigil_build, exposed as _info
 * build.set("0.1.0", "1a2b3c");
 * }</pre>
 *
 * <p>Thread safe.
 */
public final class Info extends LabelledMetric<Info.Child> {
  private Info(Builder b) {
    super(b, MetricType.INFO);

    initNoLabels();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  Child newChild() {
    return new Child();
  }

  @Override
  DataPoint dataPoint(Labels labels, Child child) {
    return new InfoDataPoint(labels);
  }

  /** Replaces whatever info was there with these label values. */
  public void set(String... labelValues) {
    synchronized (this) {
      clear();
      labelValues(labelValues);
    }
  }

  /** Adds one more info series (keeping the others). */
  public void add(String... labelValues) {
    labelValues(labelValues);
  }

  /** The marker of one info series. */
  public static final class Child {
    Child() {}
  }

  /** Builds an {@link Info}. */
  public static final class Builder extends Metric.Builder<Builder, Info> {
    private Builder() {}

    @Override
    public Info build() {
      return new Info(this);
    }
  }
}
