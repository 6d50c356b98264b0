package dev.vigil.server.demo;

import dev.vigil.metrics.Gauge;
import dev.vigil.metrics.MetricRegistry;

/**
 * AgentOS' "active connections" (its System Health row) in the demo: {@code
 * backend_active_connections{protocol}}, HTTP keep-alive connections following the load and the
 * sessions, and one WebSocket per active session. Drawn from the load and the time, not from the
 * demo's random sequence, so the other series stay as they were.
 */
final class DemoConnections {
  private final Gauge connections;

  DemoConnections(MetricRegistry registry) {
    connections =
        Gauge.builder()
            .name("backend_active_connections")
            .help("Open client connections to the AgentOS backend, by protocol (demo).")
            .labelNames("protocol")
            .register(registry);
  }

  void tick(double load, int sessions, long atMillis) {
    double wobble = Math.sin(atMillis / 97_000.0 * 2 * Math.PI);
    connections.labelValues("http").set(Math.round(6 * load + 1.5 * sessions + 2 * wobble + 2));
    connections.labelValues("websocket").set(sessions);
  }
}
