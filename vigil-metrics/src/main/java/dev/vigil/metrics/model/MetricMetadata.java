package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * Name, help and unit of a metric family. The name is the family name as OpenMetrics defines it:
 * without the {@code _total} suffix of counters or the {@code _info} suffix of info metrics (the
 * writers add them).
 *
 * @param name the family name
 * @param help the help text, possibly empty, never null
 * @param unit the unit (e.g. {@code seconds}), possibly empty, never null
 */
public record MetricMetadata(String name, String help, String unit) {
  /** Rejects null name; turns null help and unit into empty strings. */
  public MetricMetadata {
    Objects.requireNonNull(name, "name");
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
  }

  /** Metadata without help or unit. */
  public static MetricMetadata of(String name) {
    return new MetricMetadata(name, "", "");
  }
}
