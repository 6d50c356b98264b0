package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveRoutesTest {
  private static final long NOW = 1_700_000_000_000L;
  private final TestStorage store = new TestStorage();
  private final MetricRegistry registry = new MetricRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private VigilHttpServer server;
  private LiveRoutes live;

  @BeforeEach
  void start() {
    Appender app = store.appender();
    app.append(0, Labels.of("__name__", "vigil_cpu_usage_ratio"), NOW - 10_000, 0.25);
    app.append(0, Labels.of("__name__", "app_active_sessions"), NOW - 10_000, 3);
    app.commit();
    Engine engine = Engine.builder(store).build();
    DashboardData d = new DashboardData(engine, "app_", List::of, () -> NOW);
    live = new LiveRoutes(d, 2, registry);
    server =
        VigilHttpServer.start(
            ServerConfig.defaults().withListen("127.0.0.1", 0),
            List.of(live, new MetricsRoutes(registry)));
  }

  @AfterEach
  void stop() {
    server.close();
    live.close();
  }

  /** A client collecting text messages and its close code. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        messages.add(part.toString());
        part.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.add(code);
      return null;
    }

    JsonNode next() throws Exception {
      String m = messages.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a message within 10 s").isNotNull();
      return new ObjectMapper().readTree(m);
    }
  }

  private WebSocket connect(WebSocket.Listener c) throws Exception {
    return client
        .newWebSocketBuilder()
        .buildAsync(URI.create(server.baseUrl().replace("http", "ws") + "/ws"), c)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void subscriptionsToQueriesAndWidgets_arePushedRepeatedly() throws Exception {
    Client c = new Client();
    WebSocket ws = connect(c);
    ws.sendText(
        "{\"id\": \"q\", \"query\": \"vigil_cpu_usage_ratio * 100\", \"interval\": 1}", true);
    JsonNode first = c.next();
    assertThat(first.get("id").asText()).isEqualTo("q");
    assertThat(first.get("data").get(0).get("value").asDouble()).isEqualTo(25);
    assertThat(c.next().get("id").asText()).isEqualTo("q"); // pushed again a second later
    ws.sendText("{\"unsubscribe\": \"q\"}", true);
    ws.sendText("{\"id\": \"o\", \"widget\": \"overview\", \"interval\": 60}", true);
    JsonNode o;
    do {
      o = c.next();
    } while (!o.get("id").asText().equals("o"));
    assertThat(o.get("data").get("resources").get("cpu").asDouble()).isEqualTo(25);
    assertThat(o.get("data").get("active_sessions").asLong()).isEqualTo(3);
  }

  @Test
  void badSubscriptions_getAnErrorNamingTheProblem() throws Exception {
    Client c = new Client();
    WebSocket ws = connect(c);
    ws.sendText("{\"id\": \"w\", \"widget\": \"nope\"}", true);
    assertThat(c.next().get("error").asText()).contains("unknown widget \"nope\"");
    ws.sendText("{\"id\": \"i\", \"query\": \"up\", \"interval\": 0}", true);
    assertThat(c.next().get("error").asText()).contains("interval must be 1-3600");
    ws.sendText("{\"id\": \"p\", \"query\": \"sum(\", \"interval\": 1}", true);
    JsonNode e = c.next();
    assertThat(e.get("id").asText()).isEqualTo("p");
    assertThat(e.get("error").asText()).contains("parse error");
    ws.sendText("not json", true);
    assertThat(c.next().get("error").asText()).contains("not JSON");
  }

  @Test
  void connectionsOverTheLimit_areClosedAndCounted() throws Exception {
    Client a = new Client();
    Client b = new Client();
    Client over = new Client();
    connect(a);
    connect(b);
    connect(over);
    assertThat(over.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(1013);
    assertThat(live.connections()).isEqualTo(2);
    String metrics =
        client
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains("vigil_ws_connections 2")
        .contains("vigil_ws_dropped_total{reason=\"limit\"} 1");
  }

  @Test
  void withReadTokens_theWebSocketNeedsOne() throws Exception {
    server.close();
    ServerConfig d = ServerConfig.defaults();
    server =
        VigilHttpServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                List.of("read-token-0123456789"),
                List.of(),
                List.of(),
                false,
                d.tls(),
                d.limits()),
            List.of(live));
    Client denied = new Client();
    WebSocket ws = connect(denied);
    ws.sendText("{\"id\": \"q\", \"query\": \"1\", \"interval\": 1}", true);
    assertThat(denied.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(denied.messages).isEmpty();
    assertThat(live.connections()).isZero();
    Client c = new Client();
    WebSocket ok =
        client
            .newWebSocketBuilder()
            .header("Authorization", "Bearer read-token-0123456789")
            .buildAsync(URI.create(server.baseUrl().replace("http", "ws") + "/ws"), c)
            .get(10, TimeUnit.SECONDS);
    ok.sendText("{\"id\": \"q\", \"query\": \"1\", \"interval\": 1}", true);
    assertThat(c.next().get("data").asDouble()).isEqualTo(1);
  }

  @Test
  void withReadTokens_theDashboardsTokenQueryParameterIsAccepted_aWrongOneRefused()
      throws Exception {
    server.close();
    ServerConfig d = ServerConfig.defaults();
    server =
        VigilHttpServer.start(
            new ServerConfig(
                "127.0.0.1",
                0,
                List.of("read-token-0123456789"),
                List.of(),
                List.of(),
                false,
                d.tls(),
                d.limits()),
            List.of(live));
    String base = server.baseUrl().replace("http", "ws") + "/ws?token=";
    Client wrong = new Client();
    WebSocket bad =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(base + "nope"), wrong)
            .get(10, TimeUnit.SECONDS);
    bad.sendText("{\"id\": \"q\", \"query\": \"1\", \"interval\": 1}", true);
    assertThat(wrong.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(wrong.messages).isEmpty();
    Client c = new Client();
    WebSocket ok =
        client
            .newWebSocketBuilder()
            .buildAsync(URI.create(base + "read-token-0123456789"), c)
            .get(10, TimeUnit.SECONDS);
    ok.sendText("{\"id\": \"q\", \"query\": \"2\", \"interval\": 1}", true);
    assertThat(c.next().get("data").asDouble()).isEqualTo(2);
    assertThat(live.connections()).isEqualTo(1);
  }

  /** A client that reads its first message and then nothing more: the socket backs up. */
  private static final class Stalled implements WebSocket.Listener {
    final BlockingQueue<String> first = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      first.add(data.toString());
      return null; // no ws.request(n): the client stops reading here
    }
  }

  @Test
  void aClientThatStopsReading_isDropped_whileAnotherKeepsGettingPushes() throws Exception {
    // Big answers fill the socket buffers quickly and cheaply: 1,000 series with 2,000-character
    // labels, about 2 MB a push.
    Appender app = store.appender();
    String pad = "x".repeat(2_000);
    for (int i = 0; i < 1_000; i++) {
      app.append(0, Labels.of("__name__", "big", "i", i + pad), NOW - 10_000, i);
    }
    app.commit();
    Stalled slow = new Stalled();
    WebSocket stalled = connect(slow);
    for (int k = 0; k < 4; k++) {
      stalled.sendText("{\"id\": \"s" + k + "\", \"query\": \"big\", \"interval\": 1}", true);
    }
    assertThat(slow.first.poll(10, TimeUnit.SECONDS)).as("first push").isNotNull();
    Client healthy = new Client();
    WebSocket ok = connect(healthy);
    ok.sendText("{\"id\": \"q\", \"query\": \"app_active_sessions\", \"interval\": 1}", true);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String metrics = "";
    while (System.nanoTime() < deadline
        && !metrics.contains("vigil_ws_dropped_total{reason=\"slow\"} 1")) {
      Thread.sleep(250);
      metrics =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    }
    assertThat(metrics).contains("vigil_ws_dropped_total{reason=\"slow\"} 1");
    // The healthy client was not held up: it still gets fresh pushes after the drop.
    healthy.messages.clear();
    assertThat(healthy.next().get("id").asText()).isEqualTo("q");
    assertThat(healthy.next().get("data").get(0).get("value").asDouble()).isEqualTo(3);
    // Its slot is free at once, though a stalled client never takes the close frame.
    assertThat(live.connections()).isEqualTo(1);
    stalled.abort();
  }
}
