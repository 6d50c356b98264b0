package dev.vigil.metrics.model;

import java.util.Objects;

/**
 * A sample observation linked to a trace: the value observed, the labels identifying the trace
 * (usually {@code trace_id} and {@code span_id}) and when it was observed.
 *
 * <p>OpenMetrics limits the combined length of exemplar label names and values to 128 UTF-8
 * characters; the constructor enforces it.
 *
 * @param value the observed value
 * @param labels the exemplar labels, e.g. {@code trace_id} and {@code span_id}
 * @param timestampMillis when it was observed, or {@link #NO_TIMESTAMP}
 */
public record Exemplar(double value, Labels labels, long timestampMillis) {
  /** Marks an exemplar without timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** Label name for the trace id. */
  public static final String TRACE_ID = "trace_id";

  /** Label name for the span id. */
  public static final String SPAN_ID = "span_id";

  /** Maximum combined length of exemplar label names and values (OpenMetrics 1.0). */
  public static final int MAX_LABEL_CHARS = 128;

  /** Validates the label length limit. */
  public Exemplar {
    Objects.requireNonNull(labels, "labels");
    int chars = 0;
    for (int i = 0; i < labels.size(); i++) {
      chars += labels.name(i).codePointCount(0, labels.name(i).length());
      chars += labels.value(i).codePointCount(0, labels.value(i).length());
    }
    if (chars > MAX_LABEL_CHARS) {
      throw new IllegalArgumentException(
          "exemplar labels are "
              + chars
              + " characters long, more than the OpenMetrics limit of "
              + MAX_LABEL_CHARS
              + ": "
              + labels);
    }
  }

  /** An exemplar for a trace and span id (either may be null to leave it out). */
  public static Exemplar of(double value, String traceId, String spanId, long timestampMillis) {
    Labels l;
    if (traceId != null && spanId != null) {
      l = Labels.of(SPAN_ID, spanId, TRACE_ID, traceId);
    } else if (traceId != null) {
      l = Labels.of(TRACE_ID, traceId);
    } else if (spanId != null) {
      l = Labels.of(SPAN_ID, spanId);
    } else {
      l = Labels.EMPTY;
    }
    return new Exemplar(value, l, timestampMillis);
  }

  /** True when the exemplar carries a timestamp. */
  public boolean hasTimestamp() {
    return timestampMillis != NO_TIMESTAMP;
  }

  /** The trace id label, or null. */
  public String traceId() {
    return labels.get(TRACE_ID);
  }

  /** The span id label, or null. */
  public String spanId() {
    return labels.get(SPAN_ID);
  }
}
