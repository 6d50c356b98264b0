package dev.vigil.collectors.recorders;

import static dev.vigil.collectors.Snapshots.histogram;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.exposition.MetricsHttpHandler;
import dev.vigil.metrics.model.HistogramDataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Incidents and recoveries per service and per agent, on an injected monotonic clock. */
class IncidentRecorderTest {
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final Recorders rec =
      Recorders.builder().namespace("dreamos").nanoClock(nanos::get).build();

  private void advanceSeconds(double s) {
    nanos.addAndGet((long) (s * 1e9));
  }

  @Test
  void serviceIncident_countsStartOpenRecoveryAndItsDuration() {
    assertThat(rec.recordIncidentStart("service", "comfyui")).isTrue();
    assertThat(rec.recordIncidentStart("service", "comfyui")).as("already open").isFalse();
    List<MetricSnapshot> during = rec.collect();
    assertThat(value(during, "dreamos_incidents", "scope", "service", "name", "comfyui"))
        .isEqualTo(1);
    assertThat(value(during, "dreamos_incidents_open", "scope", "service", "name", "comfyui"))
        .isEqualTo(1);
    assertThat(rec.openIncidents()).isEqualTo(1);
    // The recovery series start at 0, so increase() over them counts the first recovery.
    assertThat(value(during, "dreamos_incidents_recovered", "scope", "service", "name", "comfyui"))
        .isZero();
    assertThat(
            histogram(
                    during,
                    "dreamos_incident_recovery_duration_seconds",
                    "scope",
                    "service",
                    "name",
                    "comfyui")
                .count())
        .isZero();

    advanceSeconds(90);
    assertThat(rec.recordRecovered("service", "comfyui")).isEqualTo(90.0);
    assertThat(rec.recordRecovered("service", "comfyui")).as("none open").isNaN();
    rec.recordIncidentStart("service", "comfyui");
    advanceSeconds(30);
    rec.recordRecovered("service", "comfyui");

    List<MetricSnapshot> s = rec.collect();
    assertThat(value(s, "dreamos_incidents", "scope", "service", "name", "comfyui")).isEqualTo(2);
    assertThat(value(s, "dreamos_incidents_recovered", "scope", "service", "name", "comfyui"))
        .isEqualTo(2);
    assertThat(value(s, "dreamos_incidents_open", "scope", "service", "name", "comfyui")).isZero();
    HistogramDataPoint h =
        histogram(
            s, "dreamos_incident_recovery_duration_seconds", "scope", "service", "name", "comfyui");
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.sum() / h.count()).as("MTTR").isEqualTo(60.0);
    assertThat(rec.openIncidents()).isZero();
  }

  @Test
  void agentRecovery_alsoFeedsTheAgentRecoveryMetrics() {
    rec.recordIncidentStart("agent", "indexer");
    advanceSeconds(12.5);
    assertThat(rec.recordRecovered("agent", "indexer")).isEqualTo(12.5);
    List<MetricSnapshot> s = rec.collect();
    assertThat(value(s, "dreamos_agent_recoveries", "agent", "indexer")).isEqualTo(1);
    assertThat(histogram(s, "dreamos_agent_recovery_duration_seconds", "agent", "indexer").sum())
        .isEqualTo(12.5);
    assertThat(value(s, "dreamos_incidents_recovered", "scope", "agent", "name", "indexer"))
        .isEqualTo(1);
  }

  @Test
  void badInput_isRefusedWithTheMethodAndArgument_beforeAnythingIsRecorded() {
    assertThatThrownBy(() -> rec.recordIncidentStart("host", "db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recordIncidentStart: scope must be \"service\" or \"agent\"");
    assertThatThrownBy(() -> rec.recordIncidentStart("service", ""))
        .hasMessageContaining("recordIncidentStart: name is null or empty");
    assertThatThrownBy(() -> rec.recordRecovered(null, "db"))
        .hasMessageContaining("recordRecovered: scope");
    assertThat(rec.openIncidents()).isZero();
    assertThat(value(rec.collect(), "dreamos_incidents", "scope", "service", "name", "")).isNaN();
  }

  @Test
  void metricsEndpoint_exposesIncidentsAndRecoveryHistogram() throws Exception {
    MetricRegistry registry = new MetricRegistry();
    registry.register(rec);
    rec.recordIncidentStart("service", "api");
    advanceSeconds(45);
    rec.recordRecovered("service", "api");
    rec.recordIncidentStart("agent", "planner");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", new MetricsHttpHandler(registry));
    server.start();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("# TYPE dreamos_incidents_total counter")
          .contains("dreamos_incidents_total{name=\"api\",scope=\"service\"} 1")
          .contains("dreamos_incidents_open{name=\"planner\",scope=\"agent\"} 1")
          .contains("dreamos_incidents_open{name=\"api\",scope=\"service\"} 0")
          .contains("# TYPE dreamos_incident_recovery_duration_seconds histogram")
          .contains(
              "dreamos_incident_recovery_duration_seconds_bucket{name=\"api\",scope=\"service\","
                  + "le=\"60.0\"} 1")
          .contains(
              "dreamos_incident_recovery_duration_seconds_sum{name=\"api\",scope=\"service\"}"
                  + " 45\n");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void concurrentStartsAndRecoveries_ofOneName_countEachRecoveryOnce_andEndClosed()
      throws Exception {
    int threads = 4;
    java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(threads);
    List<Thread> all = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      all.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < 5_000; i++) {
                      rec.recordIncidentStart("service", "db");
                      rec.recordRecovered("service", "db");
                    }
                  }));
    }
    for (Thread t : all) {
      t.join();
    }
    List<MetricSnapshot> s = rec.collect();
    assertThat(rec.openIncidents()).isZero();
    assertThat(value(s, "dreamos_incidents_open", "scope", "service", "name", "db")).isZero();
    double started = value(s, "dreamos_incidents", "scope", "service", "name", "db");
    assertThat(started).isPositive();
    assertThat(value(s, "dreamos_incidents_recovered", "scope", "service", "name", "db"))
        .isEqualTo(started);
    assertThat(
            histogram(
                    s,
                    "dreamos_incident_recovery_duration_seconds",
                    "scope",
                    "service",
                    "name",
                    "db")
                .count())
        .isEqualTo((long) started);
  }
}
