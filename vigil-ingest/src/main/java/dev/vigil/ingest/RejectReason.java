package dev.vigil.ingest;

/**
 * Why ingest refused a request, a series or a sample: the {@code reason} label of {@code
 * vigil_ingest_rejected_total}.
 */
public enum RejectReason {
  /** The body could not be decoded (corrupt snappy, truncated protobuf, invalid JSON). */
  MALFORMED("malformed"),
  /** A required header is missing or has an unsupported value. */
  BAD_HEADERS("bad_headers"),
  /** The body (compressed or not) is larger than allowed. */
  TOO_LARGE("too_large"),
  /** Over the configured ingest rate (answered 429). */
  RATE_LIMITED("rate_limited"),
  /** A new series over the series limit. */
  CARDINALITY("cardinality"),
  /** More labels on a series than allowed. */
  TOO_MANY_LABELS("too_many_labels"),
  /** A label name or value longer than allowed. */
  LABEL_TOO_LONG("label_too_long"),
  /** An invalid label or metric name, a missing metric name or a duplicate label name. */
  INVALID_LABELS("invalid_labels"),
  /** A sample older than its series' newest, or a duplicate timestamp with another value. */
  OUT_OF_ORDER("out_of_order"),
  /** An InfluxDB line that does not parse. */
  INVALID_LINE("invalid_line"),
  /** An InfluxDB string field: Vigil stores numbers only. */
  STRING_FIELD("string_field"),
  /** A point type Vigil cannot store as floats (native or exponential histograms). */
  UNSUPPORTED_TYPE("unsupported_type"),
  /** A sample the storage refused for another reason. */
  STORAGE("storage");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }
}
