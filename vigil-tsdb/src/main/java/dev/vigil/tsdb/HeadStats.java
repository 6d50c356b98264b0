package dev.vigil.tsdb;

import java.util.Map;

/**
 * Statistics of the head, the in-memory part of the store, as Prometheus' {@code
 * /api/v1/status/tsdb} reports them. A snapshot: each figure is exact for the instant it was read,
 * though series may come and go between the figures.
 *
 * <pre>{@code
 * HeadStats s = db.headStats();
 * System.out.println(s.numSeries() + " series in " + s.chunkCount() + " chunks");
 * }</pre>
 *
 * @param numSeries series in the head
 * @param numLabelPairs distinct label name-value pairs among them
 * @param chunkCount chunks in the head: each series' full chunks, its open chunk, and its
 *     out-of-order buffer when it holds samples (one chunk, as Prometheus' out-of-order head chunk)
 * @param minTime the head's first sample time (ms), {@link Long#MAX_VALUE} when empty, as
 *     Prometheus
 * @param maxTime the head's last sample time (ms), {@link Long#MIN_VALUE} when empty
 * @param seriesByLabelPair series count by {@code name=value}: the postings of the head's index
 *     (Prometheus derives its cardinality tables from the same lists)
 */
public record HeadStats(
    long numSeries,
    long numLabelPairs,
    long chunkCount,
    long minTime,
    long maxTime,
    Map<String, Map<String, Long>> seriesByLabelPair) {

  public HeadStats {
    seriesByLabelPair = Map.copyOf(seriesByLabelPair);
  }
}
