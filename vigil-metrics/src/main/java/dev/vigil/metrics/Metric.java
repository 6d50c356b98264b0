package dev.vigil.metrics;

import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Base of every metric type: name, help, unit and label names, frozen at build time. A metric is a
 * {@link Collector} producing one snapshot.
 */
public abstract class Metric implements Collector {
  private final MetricMetadata metadata;
  private final MetricType type;
  final String[] labelNames;
  final InstantSource clock;

  Metric(Builder<?, ?> b, MetricType type) {
    this.type = type;
    String name = MetricNames.familyName(b.name, type, b.unit);
    this.metadata = new MetricMetadata(name, b.help, b.unit);
    this.labelNames = b.labelNames.clone();
    for (int i = 0; i < labelNames.length; i++) {
      MetricNames.validateLabelName(name, labelNames[i]);
      for (int j = 0; j < i; j++) {
        if (labelNames[i].equals(labelNames[j])) {
          throw new IllegalArgumentException(
              "metric " + name + ": label name '" + labelNames[i] + "' given twice");
        }
      }
      if (type == MetricType.HISTOGRAM && labelNames[i].equals("le")) {
        throw new IllegalArgumentException("metric " + name + ": 'le' is reserved in histograms");
      }
      if (type == MetricType.SUMMARY && labelNames[i].equals("quantile")) {
        throw new IllegalArgumentException(
            "metric " + name + ": 'quantile' is reserved in summaries");
      }
      if (type == MetricType.STATESET && labelNames[i].equals(name)) {
        throw new IllegalArgumentException(
            "metric " + name + ": a state set may not have a label named like itself");
      }
    }
    this.clock = b.clock;
  }

  /** The family name (without {@code _total} for counters, without {@code _info} for info). */
  public final String name() {
    return metadata.name();
  }

  /** Name, help and unit. */
  public final MetricMetadata metadata() {
    return metadata;
  }

  /** The metric type. */
  public final MetricType type() {
    return type;
  }

  /** Label names in declaration order. */
  public final List<String> labelNames() {
    return List.of(labelNames);
  }

  /** The current state as an immutable snapshot. */
  public abstract MetricSnapshot snapshot();

  @Override
  public final List<MetricSnapshot> collect() {
    return List.of(snapshot());
  }

  @Override
  public final List<String> metricNames() {
    return List.of(name());
  }

  /** Every series name this metric writes, for duplicate detection. */
  final List<String> exposedNames() {
    String n = name();
    List<String> out = new ArrayList<>();
    out.add(n);
    switch (type) {
      case COUNTER -> out.addAll(List.of(n + "_total", n + "_created"));
      case INFO -> out.add(n + "_info");
      case HISTOGRAM, SUMMARY ->
          out.addAll(List.of(n + "_bucket", n + "_count", n + "_sum", n + "_created"));
      default -> {}
    }
    return out;
  }

  @Override
  public String toString() {
    return type.openMetricsName() + " " + name();
  }

  /**
   * Settings shared by every metric builder.
   *
   * @param <B> the concrete builder
   * @param <M> the metric it builds
   */
  public abstract static class Builder<B extends Builder<B, M>, M extends Metric> {
    String name;
    String help = "";
    String unit = "";
    String[] labelNames = new String[0];
    int cardinalityLimit = -1;
    Duration expireAfterIdle;
    InstantSource clock = InstantSource.system();

    Builder() {}

    @SuppressWarnings("unchecked")
    B self() {
      return (B) this;
    }

    /** The metric name (required), e.g. {@code http_requests_total}. */
    public B name(String name) {
      this.name = name;
      return self();
    }

    /** The help text shown in the exposition. */
    public B help(String help) {
      this.help = Objects.requireNonNull(help, "help");
      return self();
    }

    /** The base unit, e.g. {@link Units#SECONDS}; appended to the name when missing. */
    public B unit(String unit) {
      this.unit = Objects.requireNonNull(unit, "unit");
      return self();
    }

    /** Label names; each {@code labelValues(...)} call gives values in this order. */
    public B labelNames(String... labelNames) {
      for (String l : labelNames) {
        Objects.requireNonNull(l, "label name");
      }
      this.labelNames = labelNames.clone();
      return self();
    }

    /**
     * The most label sets this metric keeps (default: the registry's, normally {@value
     * MetricRegistry#DEFAULT_CARDINALITY_LIMIT}). Past it, new label sets share one overflow series
     * whose label values are all {@value LabelledMetric#OVERFLOW_VALUE}.
     */
    public B cardinalityLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("cardinality limit must be at least 1, got " + limit);
      }
      this.cardinalityLimit = limit;
      return self();
    }

    /**
     * Drops a labelled child not looked up through {@code labelValues(...)} for longer than this;
     * the check runs at scrape time. Hold no references to children of such a metric: an expired
     * child no longer reports.
     */
    public B expireAfterIdle(Duration idle) {
      if (idle.isNegative() || idle.isZero()) {
        throw new IllegalArgumentException("expireAfterIdle must be positive, got " + idle);
      }
      this.expireAfterIdle = idle;
      return self();
    }

    /** The clock for timestamps (exemplars, created time, expiry, summary windows). */
    public B clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return self();
    }

    /** Builds the metric without registering it. */
    public abstract M build();

    /** Builds and registers in {@code registry}. */
    public M register(MetricRegistry registry) {
      M m = build();
      registry.register(m);
      return m;
    }

    /** Builds and registers in {@link MetricRegistry#defaultRegistry()}. */
    public M register() {
      return register(MetricRegistry.defaultRegistry());
    }
  }
}
