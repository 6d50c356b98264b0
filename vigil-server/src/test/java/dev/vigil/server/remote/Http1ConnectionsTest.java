package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Http1ConnectionsTest {
  private HttpServer server;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int status = 204;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/write",
        x -> {
          clientPorts.add(x.getRemoteAddress().getPort());
          bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          contentTypes.add(x.getRequestHeaders().getFirst("Content-Type"));
          int n = calls.incrementAndGet();
          if (status == 204) {
            x.sendResponseHeaders(204, -1);
          } else if (n % 2 == 0) { // chunked
            x.getResponseHeaders().set("Retry-After", "7");
            x.sendResponseHeaders(status, 0);
            x.getResponseBody().write("chunked answer".getBytes(StandardCharsets.UTF_8));
          } else {
            byte[] b = "too busy".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Retry-After", "7");
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
          }
          x.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Http1Connections client() {
    return new Http1Connections(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write"),
        Map.of("Content-Type", "application/x-protobuf"),
        Duration.ofSeconds(30));
  }

  @Test
  void requestsInSequence_shareOneKeptAliveConnection() throws Exception {
    try (Http1Connections c = client()) {
      for (int i = 0; i < 5; i++) {
        byte[] b = ("body " + i + " and some padding").getBytes(StandardCharsets.UTF_8);
        assertThat(c.post(b, 6).status()).isEqualTo(204);
      }
    }
    assertThat(bodies).containsExactly("body 0", "body 1", "body 2", "body 3", "body 4");
    assertThat(contentTypes).containsOnly("application/x-protobuf");
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void errorAnswers_giveStatusRetryAfterAndBody_withContentLengthOrChunked() throws Exception {
    status = 503;
    try (Http1Connections c = client()) {
      Http1Connections.Response a = c.post(new byte[] {1}, 1);
      Http1Connections.Response b = c.post(new byte[] {2}, 1);
      Http1Connections.Response d = c.post(new byte[] {3}, 1);
      assertThat(a).isEqualTo(new Http1Connections.Response(503, "7", "too busy"));
      assertThat(b).isEqualTo(new Http1Connections.Response(503, "7", "chunked answer"));
      assertThat(d).isEqualTo(new Http1Connections.Response(503, "7", "too busy"));
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void aConnectionTheReceiverClosed_isReplacedWithoutAnError() throws Exception {
    try (Http1Connections c = client()) {
      assertThat(c.post(new byte[] {1}, 1).status()).isEqualTo(204);
      int port = server.getAddress().getPort();
      server.stop(0); // closes the kept-alive connection
      HttpServer again = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      again.createContext(
          "/api/v1/write",
          x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, -1);
            x.close();
          });
      again.start();
      try {
        assertThat(c.post(new byte[] {2}, 1).status()).isEqualTo(200);
      } finally {
        again.stop(0);
      }
    }
  }

  @Test
  void aReceiverThatIsDown_isAnIoError() {
    Http1Connections c = client();
    server.stop(0);
    assertThatThrownBy(() -> c.post(new byte[] {1}, 1)).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void headersWithLineBreaks_areRefused() {
    assertThatThrownBy(
            () ->
                new Http1Connections(
                    URI.create("http://127.0.0.1:1/"),
                    Map.of("X-A", "1\r\nX-Injected: 2"),
                    Duration.ofSeconds(1)))
        .hasMessageContaining("line breaks");
  }
}
