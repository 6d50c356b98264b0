package dev.vigil.model;

import java.util.Objects;

/**
 * One exemplar: a sampled observation (usually a trace and span id) attached to a sample of a
 * series, as OpenMetrics exposes it ({@code foo_bucket{le="0.5"} 3 # {trace_id="abc"} 0.42
 * 1700000000.123}).
 *
 * <pre>{@code
 * Exemplar e = new Exemplar(Labels.of("trace_id", "abc"), 0.42, 1_700_000_000_123L);
 * app.appendExemplar(ref, null, e);
 * }</pre>
 *
 * @param labels the exemplar's own labels (not the series'); may be empty, never null
 * @param value the observed value
 * @param timestampMs when it was observed, in ms since the epoch
 */
public record Exemplar(Labels labels, double value, long timestampMs) {
  /** Longest label set in Unicode code points, names and values together (OpenMetrics 1.0). */
  public static final int MAX_LABEL_SET_CHARS = 128;

  public Exemplar {
    Objects.requireNonNull(labels, "labels");
  }

  /** Code points of all label names and values together. */
  public int labelSetLength() {
    int n = 0;
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      n += name.codePointCount(0, name.length()) + value.codePointCount(0, value.length());
    }
    return n;
  }

  /** Same labels, timestamp and value (bit-exact, so two NaN values are the same). */
  public boolean sameAs(Exemplar o) {
    return timestampMs == o.timestampMs
        && Double.doubleToLongBits(value) == Double.doubleToLongBits(o.value)
        && labels.equals(o.labels);
  }
}
