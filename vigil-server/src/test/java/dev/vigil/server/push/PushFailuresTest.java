package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.PushConfig;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push the receiver fails (5xx) keeps its positions, so the next push sends the samples again; a
 * push it refuses for good (4xx) is counted as dropped and not sent again.
 */
class PushFailuresTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private HttpServer server;
  private Vigil source;
  private final AtomicInteger status = new AtomicInteger(200);
  private final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/metrics",
        ex -> {
          bodies.add(ex.getRequestBody().readAllBytes());
          ex.sendResponseHeaders(status.get(), -1);
          ex.close();
        });
    server.start();
    source =
        Vigil.builder(
                ConfigLoader.parse(
                    "s.yml",
                    "storage:\n  path: "
                        + dir.resolve("src")
                        + "\ncollect:\n  system: false\n  jvm: false\n  gpu: false\n"
                        + "  self: false\n",
                    Map.of()))
            .http(false)
            .start();
    Appender a = source.storage().appender();
    a.append(0, Labels.of("__name__", "g", "job", "j"), T0, 5);
    a.commit();
  }

  @AfterEach
  void stop() {
    source.close();
    server.stop(0);
  }

  private PushManager push() {
    String yaml =
        "push:\n  otlp:\n    - url: http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/v1/metrics\n";
    return new PushManager(
        PushConfig.bind(ConfigLoader.parse("p.yml", yaml, Map.of()).push(), null),
        source::storage,
        Map::of,
        () -> T0 + 10_000);
  }

  private static double counter(PushManager p, String name) {
    List<MetricSnapshot> snap = p.collector().collect();
    MetricSnapshot m = snap.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    return ((CounterDataPoint) m.dataPoints().get(0)).value();
  }

  private static double gaugeValue(byte[] body) throws Exception {
    return ExportMetricsServiceRequest.parseFrom(body)
        .getResourceMetrics(0)
        .getScopeMetrics(0)
        .getMetrics(0)
        .getGauge()
        .getDataPoints(0)
        .getAsDouble();
  }

  @Test
  void a5xx_isCountedAsFailed_andTheSamplesAreSentAgainNextTime() throws Exception {
    try (PushManager p = push()) {
      status.set(503);
      p.pushAll();
      assertThat(counter(p, "vigil_push_requests_failed")).isEqualTo(1);
      assertThat(counter(p, "vigil_push_samples_sent")).isZero();
      status.set(200);
      p.pushAll();
      assertThat(counter(p, "vigil_push_samples_sent")).isEqualTo(1);
      p.pushAll(); // taken: nothing newer to send
    }
    assertThat(bodies).hasSize(2);
    for (byte[] b : bodies) {
      assertThat(gaugeValue(b)).isEqualTo(5);
    }
  }

  @Test
  void a4xx_dropsTheSamples_whichAreNotSentAgain() throws Exception {
    try (PushManager p = push()) {
      status.set(400);
      p.pushAll();
      status.set(200);
      p.pushAll();
      assertThat(counter(p, "vigil_push_samples_dropped")).isEqualTo(1);
      assertThat(counter(p, "vigil_push_requests_failed")).isEqualTo(1);
      assertThat(counter(p, "vigil_push_samples_sent")).isZero();
    }
    assertThat(bodies).hasSize(1);
  }
}
