package dev.vigil.metrics.exposition;

import dev.vigil.metrics.CallbackGauge;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.Info;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.StateSet;
import dev.vigil.metrics.Summary;
import dev.vigil.metrics.Timer;
import dev.vigil.metrics.Units;

/** A registry with every metric type, labels (with characters that need escaping) and exemplars. */
final class FullRegistry {
  private FullRegistry() {}

  static MetricRegistry create() {
    MetricRegistry r = new MetricRegistry();
    Counter requests =
        Counter.builder()
            .name("test_http_requests_total")
            .help("HTTP requests served, by \"method\" and status.\nSecond line.")
            .labelNames("method", "status")
            .register(r);
    requests.labelValues("GET", "200").inc(41);
    requests
        .labelValues("GET", "200")
        .incWithExemplar(1, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    requests.labelValues("POST", "500").inc();
    Counter.builder()
        .name("test_sent_bytes_total")
        .help("Bytes sent.")
        .unit(Units.BYTES)
        .labelNames("path")
        .register(r)
        .labelValues("/a \"quoted\" \\ path\nnewline ☃")
        .inc(1024.5);
    Gauge g =
        Gauge.builder()
            .name("test_queue_length")
            .help("Queued jobs.")
            .labelNames("queue")
            .register(r);
    g.labelValues("high").set(7);
    g.labelValues("low").set(-2.5);
    CallbackGauge.builder()
        .name("test_temperature")
        .unit(Units.CELSIUS)
        .help("Temperature read at scrape time.")
        .callback(() -> 36.6)
        .register(r);
    Histogram h =
        Histogram.builder()
            .name("test_request_duration_seconds")
            .help("Request latency.")
            .labelNames("route")
            .register(r);
    h.labelValues("/api").observe(0.003);
    h.labelValues("/api")
        .observeWithExemplar(0.2, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    h.labelValues("/api").observe(42);
    h.labelValues("/health").observe(0.0001);
    Timer t = Timer.builder().name("test_generation").help("Model generation time.").register(r);
    t.observe(1.5);
    Summary s =
        Summary.builder()
            .name("test_tokens")
            .help("Tokens per generation.")
            .quantiles(0.5, 0.9, 0.99)
            .labelNames("model")
            .register(r);
    for (int i = 1; i <= 100; i++) {
      s.labelValues("llama").observe(i);
    }
    Info.builder()
        .name("test_build_info")
        .help("Build information.")
        .labelNames("version", "commit")
        .register(r)
        .set("0.1.0", "abc123");
    StateSet.builder()
        .name("test_agent_phase")
        .help("Agent phase.")
        .states("plan", "act", "idle")
        .labelNames("agent")
        .register(r)
        .labelValues("a1")
        .setOnly("act");
    return r;
  }
}
