package dev.vigil.server.api;

import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.server.http.RequestObserver;

/**
 * Vigil's own HTTP metrics: {@code vigil_http_requests_total{handler,code}} and {@code
 * vigil_http_request_duration_seconds{handler}}, as Prometheus' {@code
 * prometheus_http_requests_total}. Handlers are route patterns, so cardinality is bounded.
 */
public final class SelfMetrics implements RequestObserver {
  private final Counter requests;
  private final Histogram duration;

  /** Registers the metrics in {@code registry}. */
  public SelfMetrics(MetricRegistry registry) {
    requests =
        Counter.builder()
            .name("vigil_http_requests_total")
            .help("HTTP requests served by Vigil, by route pattern and status code.")
            .labelNames("handler", "code")
            .register(registry);
    duration =
        Histogram.builder()
            .name("vigil_http_request_duration_seconds")
            .help("Time to serve HTTP requests, by route pattern.")
            .labelNames("handler")
            .buckets(0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 60)
            .register(registry);
  }

  @Override
  public void observe(String method, String route, int status, double seconds) {
    requests.labelValues(route, Integer.toString(status)).inc();
    duration.labelValues(route).observe(seconds);
  }
}
