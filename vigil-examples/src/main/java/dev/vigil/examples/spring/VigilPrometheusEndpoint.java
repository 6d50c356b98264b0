package dev.vigil.examples.spring;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.ExpositionFormat;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The actuator's {@code prometheus} endpoint served from a vigil-metrics registry (Spring Boot's
 * own needs a {@code PrometheusMeterRegistry}): the Prometheus text format, as Vigil's {@code
 * /metrics} serves it.
 */
@WebEndpoint(id = "prometheus")
public class VigilPrometheusEndpoint {
  private final MetricRegistry registry;

  /** Serves {@code registry}. */
  public VigilPrometheusEndpoint(MetricRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The registry in the Prometheus text format. */
  @ReadOperation(produces = "text/plain; version=0.0.4; charset=utf-8")
  public String scrape() {
    return ExpositionFormat.PROMETHEUS.writer().toString(registry.scrape());
  }
}
