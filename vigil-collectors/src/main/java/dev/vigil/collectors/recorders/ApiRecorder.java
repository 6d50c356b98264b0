package dev.vigil.collectors.recorders;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Metric;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** API request metrics: requests, errors, duration histogram and in-flight requests. */
final class ApiRecorder {
  /** Request latency buckets: 5 ms to 60 s (model APIs answer in tens of seconds). */
  static final Buckets BUCKETS =
      Buckets.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

  final Counter requests;
  final Counter errors;
  final Histogram duration;
  final Gauge inFlight;
  private final Sampler exemplars;

  ApiRecorder(Names n, Sampler exemplars) {
    this.exemplars = exemplars;
    requests =
        Counter.builder()
            .name(n.of("api_requests_total"))
            .help("API requests by service, endpoint (route template), method and status.")
            .labelNames("service", "endpoint", "method", "status")
            .build();
    errors =
        Counter.builder()
            .name(n.of("api_errors_total"))
            .help("API requests answered with a status of 400 or more.")
            .labelNames("service", "endpoint", "method", "status")
            .build();
    duration =
        Histogram.builder()
            .name(n.of("api_request_duration_seconds"))
            .help("API request duration.")
            .labelNames("service", "endpoint", "method")
            .buckets(BUCKETS)
            .build();
    inFlight =
        Gauge.builder()
            .name(n.of("api_requests_in_flight"))
            .help("API requests being served now.")
            .labelNames("service", "endpoint")
            .build();
  }

  List<Metric> metrics() {
    return List.of(requests, errors, duration, inFlight);
  }

  void record(String service, String endpoint, String method, int statusCode, double seconds) {
    final String m = "recordApiRequest";
    Check.label(m, "service", service);
    Check.label(m, "endpoint", endpoint);
    String httpMethod = Check.httpMethod(m, method);
    String status = Check.status(m, statusCode);
    Check.seconds(m, "seconds", seconds);
    Method children = endpoints.get(service).get(endpoint).get(httpMethod);
    Counter.Child[] byStatus = children.statuses.get(status);
    // Inside a sampled OpenTelemetry span the request links to its trace (opentelemetry-api is an
    // optional dependency; without it ids() is always null).
    CurrentSpan.Ids span = CurrentSpan.ids();
    if (span == null || !exemplars.sample()) {
      byStatus[0].inc();
      if (byStatus[1] != null) {
        byStatus[1].inc();
      }
      children.duration.observe(seconds);
    } else {
      byStatus[0].incWithExemplar(1, span.traceId(), span.spanId());
      if (byStatus[1] != null) {
        byStatus[1].incWithExemplar(1, span.traceId(), span.spanId());
      }
      children.duration.observeWithExemplar(seconds, span.traceId(), span.spanId());
    }
  }

  /*
   * Children cached per service, endpoint, method and status: three hash lookups on strings whose
   * hash codes are cached, instead of three label-table lookups of 3-4 values each (JMH: the
   * per-key holders took recordWorkflowExecution from ~300 to ~30 ns under load, see
   * BENCHMARKS.md).
   */
  private final class Method {
    final String service;
    final String endpoint;
    final String method;
    final Histogram.Child duration;
    final ChildCache<Counter.Child[]> statuses;

    Method(String service, String endpoint, String method) {
      this.service = service;
      this.endpoint = endpoint;
      this.method = method;
      this.duration = ApiRecorder.this.duration.labelValues(service, endpoint, method);
      this.statuses = new ChildCache<>(this::forStatus, budget);
    }

    private Counter.Child[] forStatus(String status) {
      return new Counter.Child[] {
        requests.labelValues(service, endpoint, method, status),
        status.charAt(0) >= '4' ? errors.labelValues(service, endpoint, method, status) : null
      };
    }
  }

  private final AtomicInteger budget = new AtomicInteger(ChildCache.MAX_KEYS);
  private final ChildCache<ChildCache<ChildCache<Method>>> endpoints =
      new ChildCache<>(
          service ->
              new ChildCache<>(
                  endpoint ->
                      new ChildCache<>(method -> new Method(service, endpoint, method), budget),
                  budget),
          budget);
}
