package dev.vigil.report;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import java.time.Instant;

/**
 * A day of deterministic data at one sample a minute, for the built-in reports: two services
 * (service "checkout" at 2 requests/s with 1 % errors, "search" at 1 request/s), two models, CPU
 * and memory gauges, network counters, sessions, errors and caches.
 */
final class Fixtures {
  /** The end of the data (and of every report in the tests): 2026-03-02T00:00:00Z. */
  static final Instant END = Instant.parse("2026-03-02T00:00:00Z");

  static final long MINUTES = 24 * 60 + 10;

  private Fixtures() {}

  static Engine engine() {
    return Engine.builder(storage()).build();
  }

  static MemoryStorage storage() {
    MemoryStorage db = new MemoryStorage();
    long end = END.toEpochMilli();
    for (long i = MINUTES; i >= 0; i--) {
      long t = end - i * 60_000;
      long n = MINUTES - i; // minutes since the first sample
      double day = 2 * Math.PI * n / 1440.0;
      db.add(name("vigil_cpu_usage_ratio"), t, 0.4 + 0.2 * Math.sin(day));
      db.add(name("vigil_memory_usage_ratio"), t, 0.6 + 0.05 * Math.cos(day));
      db.add(name("vigil_filesystem_fullest_usage_ratio"), t, 0.7);
      db.add(name("vigil_health_score"), t, 92);
      db.add(
          Labels.of("__name__", "node_network_receive_bytes_total", "device", "eth0"),
          t,
          n * 60 * 125_000.0);
      db.add(
          Labels.of("__name__", "node_network_transmit_bytes_total", "device", "eth0"),
          t,
          n * 60 * 50_000.0);
      db.add(Labels.of("__name__", "app_api_requests_total", "service", "checkout"), t, n * 120.0);
      db.add(Labels.of("__name__", "app_api_requests_total", "service", "search"), t, n * 60.0);
      db.add(Labels.of("__name__", "app_api_errors_total", "service", "checkout"), t, n * 1.2);
      db.add(Labels.of("__name__", "app_api_errors_total", "service", "search"), t, 0);
      double[] les = {0.1, 0.5, 1};
      for (double le : les) {
        db.add(
            Labels.of(
                "__name__",
                "app_api_request_duration_seconds_bucket",
                "service",
                "checkout",
                "le",
                Double.toString(le)),
            t,
            n * 120.0 * (le == 0.1 ? 0.5 : le == 0.5 ? 0.9 : 1.0));
      }
      db.add(
          Labels.of(
              "__name__",
              "app_api_request_duration_seconds_bucket",
              "service",
              "checkout",
              "le",
              "+Inf"),
          t,
          n * 120.0);
      db.add(Labels.of("__name__", "app_active_sessions"), t, 10 + (n % 60) / 10);
      db.add(
          Labels.of(
              "__name__",
              "app_errors_total",
              "type",
              "Timeout",
              "service",
              "checkout",
              "severity",
              "error"),
          t,
          n / 10);
      for (String[] m :
          new String[][] {{"openai", "gpt-4o", "0.01"}, {"anthropic", "claude", "0.02"}}) {
        double c = Double.parseDouble(m[2]);
        db.add(
            Labels.of(
                "__name__",
                "app_model_generations_total",
                "provider",
                m[0],
                "model",
                m[1],
                "status",
                "success"),
            t,
            n * 1.0);
        db.add(
            Labels.of("__name__", "app_model_cost_total", "provider", m[0], "model", m[1]),
            t,
            n * c);
        db.add(
            Labels.of(
                "__name__",
                "app_model_tokens_total",
                "provider",
                m[0],
                "model",
                m[1],
                "type",
                "prompt"),
            t,
            n * 100.0);
        db.add(
            Labels.of(
                "__name__",
                "app_model_tokens_total",
                "provider",
                m[0],
                "model",
                m[1],
                "type",
                "output"),
            t,
            n * 50.0);
      }
      db.add(
          Labels.of("__name__", "app_cache_requests_total", "cache", "pages", "result", "hit"),
          t,
          n * 8.0);
      db.add(
          Labels.of("__name__", "app_cache_requests_total", "cache", "pages", "result", "miss"),
          t,
          n * 2.0);
    }
    return db;
  }

  private static Labels name(String n) {
    return Labels.of("__name__", n);
  }

  static ReportRunner runner() {
    Engine e = engine();
    return new ReportRunner(() -> e, "app_");
  }
}
