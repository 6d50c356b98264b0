package dev.vigil.ingest.otlp;

import java.util.List;
import java.util.Map;

/**
 * The parts of an OTLP {@code ExportMetricsServiceRequest} Vigil uses, decoded from protobuf
 * ({@link OtlpProtoDecoder}) or JSON ({@link OtlpJsonDecoder}) into one shape. Attribute values are
 * already rendered as strings (arrays and maps as JSON, as Prometheus does).
 */
final class OtlpModel {
  private OtlpModel() {}

  /** {@code AggregationTemporality}: the OTLP enum numbers. */
  public static final int DELTA = 1;

  public static final int CUMULATIVE = 2;

  /** {@code DataPointFlags.FLAG_NO_RECORDED_VALUE}: the point marks the series as gone. */
  public static final int FLAG_NO_RECORDED_VALUE = 1;

  /** One resource (service) and its metrics. */
  public record ResourceMetrics(Map<String, String> attributes, List<ScopeMetrics> scopes) {}

  /** The metrics of one instrumentation scope. */
  public record ScopeMetrics(String name, String version, List<Metric> metrics) {}

  /** The metric's data kind. */
  public enum Kind {
    GAUGE,
    SUM,
    HISTOGRAM,
    EXPONENTIAL_HISTOGRAM,
    SUMMARY,
    NONE
  }

  /**
   * One metric. Only the point list of its kind is non-empty.
   *
   * @param temporality {@link #DELTA} or {@link #CUMULATIVE} for sums and histograms, else 0
   * @param exponentialPoints number of exponential-histogram points (not stored)
   */
  public record Metric(
      String name,
      String description,
      String unit,
      Kind kind,
      boolean monotonic,
      int temporality,
      List<NumberPoint> numbers,
      List<HistogramPoint> histograms,
      List<SummaryPoint> summaries,
      int exponentialPoints) {}

  /** A gauge or sum point; times in nanoseconds since the epoch. */
  public record NumberPoint(
      Map<String, String> attributes, long startNanos, long timeNanos, double value, int flags) {}

  /**
   * An explicit-bucket histogram point: {@code bucketCounts[i]} counts values in {@code
   * (bounds[i-1], bounds[i]]}, the last bucket up to +Inf. {@code sum} is NaN when absent.
   */
  public record HistogramPoint(
      Map<String, String> attributes,
      long startNanos,
      long timeNanos,
      long count,
      double sum,
      long[] bucketCounts,
      double[] bounds,
      int flags) {}

  /** A summary point with its quantiles. */
  public record SummaryPoint(
      Map<String, String> attributes,
      long startNanos,
      long timeNanos,
      long count,
      double sum,
      double[] quantiles,
      double[] values,
      int flags) {}
}
