package dev.vigil.cli;

import java.util.List;

/**
 * Twenty PromQL queries typical of the seeds' dashboards (rates, sums by label, {@code
 * histogram_quantile}, {@code *_over_time}) over the node_exporter and Prometheus series of {@code
 * ../shared/datasets/host-1s-a.om.gz}. Used by {@code vigil aot-train}, by the same-answers test
 * and by {@code scripts/bench-server} (both in vigil-bench).
 */
public final class DashboardQueries {
  private DashboardQueries() {}

  /** The queries, in a fixed order. */
  public static final List<String> ALL =
      List.of(
          "rate(node_cpu_seconds_total[1m])",
          "sum by (mode) (rate(node_cpu_seconds_total[1m]))",
          "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m]))",
          "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
          "sum by (device) (rate(node_network_receive_bytes_total[2m]))",
          "sum by (device) (rate(node_disk_read_bytes_total[1m]))",
          "histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[5m])))",
          "histogram_quantile(0.99, sum by (le, handler) (rate(prometheus_http_response_size_bytes_bucket[2m])))",
          "avg_over_time(node_load1[5m])",
          "max_over_time(go_goroutines[2m])",
          "min_over_time(node_memory_MemFree_bytes[1m])",
          "sum by (code, handler) (increase(prometheus_http_requests_total[5m]))",
          "sum by (job) (rate(process_cpu_seconds_total[1m]))",
          "topk(5, rate(node_network_transmit_bytes_total[1m]))",
          "deriv(node_memory_MemFree_bytes[2m])",
          "irate(node_context_switches_total[1m])",
          "quantile_over_time(0.5, go_goroutines[5m])",
          "count by (job) ({__name__=~\"go_.*\"})",
          "predict_linear(node_filesystem_avail_bytes[5m], 3600)",
          "stddev_over_time(process_resident_memory_bytes[2m])");
}
