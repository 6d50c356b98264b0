package dev.vigil.metrics.model;

/**
 * One labelled series (or group of series, for histograms and summaries) of a metric snapshot.
 * Implementations are immutable.
 */
public sealed interface DataPoint
    permits CounterDataPoint,
        GaugeDataPoint,
        HistogramDataPoint,
        SummaryDataPoint,
        InfoDataPoint,
        StateSetDataPoint {

  /** Marks a data point without creation time. */
  long NO_CREATED = Long.MIN_VALUE;

  /** The labels of this data point (not including the metric name). */
  Labels labels();
}
