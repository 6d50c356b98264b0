package dev.vigil.rules.template;

import dev.vigil.model.Labels;
import java.util.Objects;

/**
 * One element of what a template's {@code query} returns: the labels (with {@code __name__}) and
 * the value of a sample, as Prometheus' template {@code sample} type.
 */
public record QueryResultSample(Labels labels, double value) {
  /** Requires labels. */
  public QueryResultSample {
    Objects.requireNonNull(labels, "labels");
  }
}
