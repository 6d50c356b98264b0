package dev.vigil.server.remote;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The remote query backend's self-metrics: {@code vigil_remote_query_requests_total{code}} (the
 * HTTP status, or {@code error} for a network failure, {@code timeout} past {@code remote_timeout})
 * and {@code vigil_remote_query_request_duration_seconds}, plus the last failure for the dashboard.
 * Kept across reloads. Thread-safe.
 */
final class RemoteQueryMetrics {
  /** Prometheus' default buckets, with 30 s and 60 s for slow backends. */
  static final double[] BUCKETS = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, Double.POSITIVE_INFINITY
  };

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
  private final DoubleAdder seconds = new DoubleAdder();
  private volatile String lastError;

  void request(String code, double secs) {
    requests.computeIfAbsent(code, k -> new LongAdder()).increment();
    for (int i = 0; i < BUCKETS.length; i++) {
      if (secs <= BUCKETS[i]) {
        buckets.incrementAndGet(i);
        break;
      }
    }
    seconds.add(secs);
  }

  void failed(String message) {
    lastError = message;
  }

  /** Requests by code, sorted by code. */
  Map<String, Long> requests() {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  String lastError() {
    return lastError;
  }

  Collector collector() {
    return () -> {
      List<CounterDataPoint> cs = new ArrayList<>();
      requests().forEach((code, n) -> cs.add(CounterDataPoint.of(Labels.of("code", code), n)));
      long[] counts = new long[BUCKETS.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = buckets.get(i);
      }
      return List.of(
          new MetricSnapshot(
              new MetricMetadata(
                  "vigil_remote_query_requests",
                  "Requests to the query.remote backend, by HTTP status (error: not reached,"
                      + " timeout: past remote_timeout).",
                  ""),
              MetricType.COUNTER,
              cs),
          new MetricSnapshot(
              new MetricMetadata(
                  "vigil_remote_query_request_duration_seconds",
                  "Seconds one request to the query.remote backend took, its answer read.",
                  ""),
              MetricType.HISTOGRAM,
              List.of(
                  new HistogramDataPoint(
                      Labels.EMPTY, BUCKETS, counts, seconds.sum(), null, DataPoint.NO_CREATED))));
    };
  }
}
