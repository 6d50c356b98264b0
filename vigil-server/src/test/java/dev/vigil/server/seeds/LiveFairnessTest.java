package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.promql.Engine;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.TestStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: one {@code /ws} client whose subscriptions cannot keep up must not starve another
 * client, and is told. Its query ({@code slow_g}) blocks on a latch until the test releases it.
 */
class LiveFairnessTest {
  private static final long NOW = 1_700_000_000_000L;
  private final TestStorage store = new TestStorage();
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpClient client = HttpClient.newHttpClient();
  private VigilHttpServer server;
  private LiveRoutes live;

  @BeforeEach
  void start() {
    Appender app = store.appender();
    app.append(0, Labels.of("__name__", "app_active_sessions"), NOW - 10_000, 3);
    app.append(0, Labels.of("__name__", "slow_g"), NOW - 10_000, 1);
    app.commit();
    Queryable blocking =
        (mint, maxt) -> {
          Querier q = store.querier(mint, maxt);
          return new Querier() {
            @Override
            public SeriesSet select(SelectHints hints, List<LabelMatcher> matchers) {
              if (matchers.stream().anyMatch(m -> m.value().equals("slow_g"))) {
                slowStarted.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return q.select(hints, matchers);
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
              return q.labelNames(matchers);
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
              return q.labelValues(name, matchers);
            }

            @Override
            public void close() {
              q.close();
            }
          };
        };
    Engine engine = Engine.builder(blocking).build();
    live = new LiveRoutes(new DashboardData(engine, "app_", List::of, () -> NOW), 8, null);
    ServerConfig d = ServerConfig.defaults().withListen("127.0.0.1", 0);
    var l = d.limits();
    ServerConfig sc =
        new ServerConfig(
            d.host(),
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            d.tls(),
            new ServerConfig.Limits(
                l.maxBodyBytes(),
                l.maxHeaderBytes(),
                l.queryTimeout(),
                l.queryMaxSamples(),
                2,
                l.maxPoints(),
                8));
    server = VigilHttpServer.start(sc, List.of(live));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.close();
    live.close();
  }

  /** A client collecting text messages. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
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

    /** The next message within {@code seconds}, or null. */
    JsonNode next(long seconds) throws Exception {
      String m = messages.poll(seconds, TimeUnit.SECONDS);
      return m == null ? null : new ObjectMapper().readTree(m);
    }
  }

  private WebSocket connect(WebSocket.Listener c) throws Exception {
    return client
        .newWebSocketBuilder()
        .buildAsync(URI.create(server.baseUrl().replace("http", "ws") + "/ws"), c)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientWhoseQueriesCannotKeepUp_isToldItLags_andAnotherClientKeepsItsInterval()
      throws Exception {
    Client heavy = new Client();
    WebSocket h = connect(heavy);
    for (int k = 0; k < 10; k++) {
      h.sendText("{\"id\": \"s" + k + "\", \"query\": \"slow_g\", \"interval\": 1}", true);
    }
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).as("the heavy query runs").isTrue();

    Client light = new Client();
    WebSocket l = connect(light);
    l.sendText("{\"id\": \"q\", \"query\": \"app_active_sessions\", \"interval\": 1}", true);
    // Four pushes a second apart while the heavy client's query is stuck. Before: none, the one
    // scheduler thread was inside the heavy client's query.
    for (int i = 0; i < 4; i++) {
      JsonNode m = light.next(3);
      assertThat(m).as("push %d of the light client within 3 s", i + 1).isNotNull();
      assertThat(m.get("id").asText()).isEqualTo("q");
      assertThat(m.get("data").get(0).get("value").asDouble()).isEqualTo(3);
    }

    JsonNode lag = heavy.next(5);
    assertThat(lag).as("a lagging notice for the heavy client").isNotNull();
    assertThat(lag.get("id").asText()).matches("s\\d");
    assertThat(lag.get("lagging").asText()).contains("previous query");
    assertThat(lag.get("skipped").asInt()).isPositive();

    release.countDown();
    JsonNode push;
    do {
      push = heavy.next(10);
      assertThat(push).as("pushes resume once the query returns").isNotNull();
    } while (!push.has("data"));
    assertThat(push.get("data").get(0).get("value").asDouble()).isEqualTo(1);
  }
}
