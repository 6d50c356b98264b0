package dev.vigil.server.api;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.exposition.OpenMetricsTextWriter;
import dev.vigil.metrics.exposition.PrometheusTextWriter;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Router;
import dev.vigil.server.http.Routes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code /metrics}: the registry (Vigil's own metrics, the collectors, the embedding application's
 * metrics) in the format the Accept header asks for: OpenMetrics, Prometheus text or JSON.
 */
public final class MetricsRoutes implements Routes {
  private final MetricRegistry registry;

  public MetricsRoutes(MetricRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(Router r) {
    r.get(
        "/metrics",
        Role.READ,
        ctx -> {
          ExpositionFormat f = ExpositionFormat.negotiate(ctx.header("Accept"));
          ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
          f.writer().write(out, registry.scrape());
          ctx.contentType(f.contentType()).result(out.toByteArray());
        });
  }

  private static final OpenMetricsTextWriter SELF_SCRAPE = OpenMetricsTextWriter.withoutCreated();

  /**
   * The registry in OpenMetrics 1.0 for the self-scrape loop: exemplars included, {@code _created}
   * left out (they would be stored as series of their own).
   */
  public static byte[] openMetrics(MetricRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
    SELF_SCRAPE.write(out, registry.scrape());
    return out.toByteArray();
  }

  /** The registry in Prometheus text 0.0.4 (the demo's backfill). */
  public static byte[] text(MetricRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
    PrometheusTextWriter.INSTANCE.write(out, registry.scrape());
    return out.toByteArray();
  }
}
