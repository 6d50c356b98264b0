package dev.vigil.metrics.model;

import java.util.List;
import java.util.Objects;

/**
 * A metric family as read from a text exposition: metadata, type, and its samples in the order they
 * appeared. This is the raw form scraping works with; {@link MetricSnapshot} is the structured form
 * instruments produce.
 *
 * @param metadata family name, help and unit
 * @param type the declared type ({@link MetricType#UNKNOWN} when there was no TYPE line)
 * @param samples the samples, in exposition order
 */
public record MetricFamily(MetricMetadata metadata, MetricType type, List<Sample> samples) {
  /** Copies the sample list. */
  public MetricFamily {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(type, "type");
    samples = List.copyOf(samples);
  }

  /** The family name. */
  public String name() {
    return metadata.name();
  }
}
