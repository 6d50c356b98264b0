package dev.vigil.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Routes;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of the HTTP layer, through real clients (the JDK's, and a raw socket where the JDK's
 * will not send what an attacker would) against two running Vigils on loopback: one with tokens for
 * every role, one without any (the default).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgesTest {
  private static final String READ = "read-token-0123456789";
  private static final String WRITE = "write-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";
  private static final String SECRET = "/var/lib/vigil/secret-path index 17 out of bounds";

  private final HttpClient client = HttpClient.newHttpClient();
  private Vigil guarded;
  private Vigil open;

  @BeforeAll
  void start(@TempDir Path tmp) {
    ServerConfig d = ServerConfig.defaults();
    guarded =
        start(
            tmp.resolve("guarded"),
            new ServerConfig(
                "127.0.0.1",
                0,
                List.of(READ),
                List.of(WRITE),
                List.of(ADMIN),
                false,
                d.tls(),
                d.limits()));
    open =
        start(
            tmp.resolve("open"),
            new ServerConfig(
                    "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits())
                .withAllowedHosts(List.of("vigil.internal")));
  }

  private static Vigil start(Path dir, ServerConfig sc) {
    Routes failing =
        r ->
            r.get(
                "/test/fail",
                Role.READ,
                ctx -> {
                  throw new IllegalStateException(SECRET);
                });
    return Vigil.builder(
            VigilConfig.defaults()
                .withServer(sc)
                .withStoragePath(dir)
                .withCollect(
                    new CollectConfig(Duration.ofSeconds(1), false, false, false, false, "app_")))
        .routes(failing)
        .start();
  }

  @AfterAll
  void stop() {
    for (Vigil v : new Vigil[] {guarded, open}) {
      if (v != null) {
        v.close();
      }
    }
  }

  private HttpResponse<String> send(HttpRequest r) throws Exception {
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder at(Vigil v, String path) {
    return HttpRequest.newBuilder(URI.create(v.url() + path));
  }

  /** Sends raw bytes on a fresh connection; returns the whole response (Connection: close). */
  private static String raw(Vigil v, String request) throws Exception {
    URI u = URI.create(v.url());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        got.write(buf, 0, n);
      }
      return got.toString(UTF_8);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  private static String hostPort(Vigil v) {
    URI u = URI.create(v.url());
    return u.getHost() + ":" + u.getPort();
  }

  private double count(Vigil v, String metric) throws Exception {
    HttpResponse<String> r =
        send(at(v, "/api/v1/query?query=count(" + metric + ")%20or%20vector(0)").build());
    return Json.MAPPER.readTree(r.body()).at("/data/result/0/value/1").asDouble();
  }

  @Test
  void head_needsTheSameTokenAsGet() throws Exception {
    for (String path : List.of("/api/v1/query?query=1", "/metrics")) {
      HttpRequest.Builder head =
          at(guarded, path).method("HEAD", HttpRequest.BodyPublishers.noBody());
      assertThat(send(at(guarded, path).GET().build()).statusCode())
          .as("GET " + path)
          .isEqualTo(401);
      assertThat(send(head.build()).statusCode()).as("HEAD " + path).isEqualTo(401);
      assertThat(send(head.header("Authorization", "Bearer " + READ).build()).statusCode())
          .as("HEAD " + path + " with a token")
          .isEqualTo(200);
    }
  }

  @Test
  void malformedChunkedBody_is400NamingTheProblem_andStoresNothing() throws Exception {
    String garbage = "zz-not-hex\r\nwhatever\r\n";
    for (String path : List.of("/write?db=x", "/api/v1/query")) {
      String r =
          raw(
              open,
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + hostPort(open)
                  + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                  + garbage);
      assertThat(status(r)).as(r).isEqualTo(400);
      JsonNode j = Json.MAPPER.readTree(body(r));
      assertThat(j.path("errorType").asText()).isEqualTo("bad_data");
      assertThat(j.path("error").asText()).contains("malformed request");
    }
  }

  @Test
  void unauthenticatedServer_refusesHostNamesItIsNotKnownBy() throws Exception {
    String evil =
        raw(
            open,
            "GET /api/v1/query?query=1 HTTP/1.1\r\nHost: rebind.evil.example:"
                + port(open)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(status(evil)).as(evil).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(body(evil)).path("error").asText())
        .contains("rebind.evil.example")
        .contains("server.allowed_hosts");
    for (String host :
        List.of(
            hostPort(open),
            "localhost:" + port(open),
            "LocalHost",
            "[::1]:" + port(open),
            "vigil.internal:" + port(open))) {
      String ok =
          raw(
              open,
              "GET /api/v1/query?query=1 HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(status(ok)).as(host).isEqualTo(200);
    }
    // With tokens a rebinding page has no credentials to send: any name is served.
    String withTokens =
        raw(
            guarded,
            "GET /-/healthy HTTP/1.1\r\nHost: anything.example\r\nConnection: close\r\n\r\n");
    assertThat(status(withTokens)).isEqualTo(200);
  }

  @Test
  void crossSitePosts_toWriteEndpoints_areRefused_clientsWithoutOriginAndTheDashboardAreNot()
      throws Exception {
    String line = "cross_site_probe value=1\n";
    HttpResponse<String> byOrigin =
        send(
            at(open, "/write?db=x")
                .header("Content-Type", "text/plain")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(line))
                .build());
    assertThat(byOrigin.statusCode()).as(byOrigin.body()).isEqualTo(403);
    assertThat(byOrigin.body()).contains("cross-site");
    HttpResponse<String> byFetchMetadata =
        send(
            at(open, "/-/reload")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(byFetchMetadata.statusCode()).isEqualTo(403);
    assertThat(count(open, "cross_site_probe")).isZero();

    // Telegraf, Prometheus and curl send no Origin; the dashboard sends its own.
    assertThat(
            send(at(open, "/write?db=x").POST(HttpRequest.BodyPublishers.ofString(line)).build())
                .statusCode())
        .isEqualTo(204);
    assertThat(
            send(at(open, "/write?db=x")
                    .header("Origin", open.url())
                    .header("Sec-Fetch-Site", "same-origin")
                    .POST(HttpRequest.BodyPublishers.ofString(line))
                    .build())
                .statusCode())
        .isEqualTo(204);
    // Reads are not state-changing: a cross-site Origin on a query is answered (without CORS).
    assertThat(
            send(at(open, "/api/v1/query?query=1").header("Origin", "https://evil.example").build())
                .statusCode())
        .isEqualTo(200);
  }

  /** Opens {@code /ws} with an Origin; returns the close code the server sends, or -1. */
  private int webSocketCloseCode(Vigil v, String origin) throws Exception {
    java.util.concurrent.BlockingQueue<Integer> closed =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
    java.net.http.WebSocket.Listener listener =
        new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(
              java.net.http.WebSocket ws, CharSequence data, boolean last) {
            answered.countDown();
            ws.request(1);
            return null;
          }

          @Override
          public java.util.concurrent.CompletionStage<?> onClose(
              java.net.http.WebSocket ws, int code, String reason) {
            closed.add(code);
            answered.countDown();
            return null;
          }
        };
    java.net.http.WebSocket ws =
        client
            .newWebSocketBuilder()
            .header("Origin", origin)
            .buildAsync(URI.create(v.url().replace("http", "ws") + "/ws"), listener)
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
    ws.sendText("{\"id\": \"q\", \"query\": \"1\", \"interval\": 1}", true);
    assertThat(answered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Integer code = closed.poll();
    ws.abort();
    return code == null ? -1 : code;
  }

  @Test
  void webSocket_fromAnotherOrigin_isClosed_fromTheDashboardsOwnOriginServed() throws Exception {
    assertThat(webSocketCloseCode(open, "https://evil.example")).isEqualTo(1008);
    assertThat(webSocketCloseCode(open, open.url())).isEqualTo(-1);
  }

  @Test
  void internalErrors_answerWithAnId_notTheExceptionMessage() throws Exception {
    HttpResponse<String> r =
        send(at(guarded, "/test/fail").header("Authorization", "Bearer " + READ).build());
    assertThat(r.statusCode()).isEqualTo(500);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.path("status").asText()).isEqualTo("error");
    assertThat(j.path("errorType").asText()).isEqualTo("internal");
    assertThat(j.path("error").asText())
        .doesNotContain("secret")
        .doesNotContain("IllegalStateException")
        .containsPattern("error id [0-9a-f]{16}");
  }

  @Test
  void reload_ofAServerWithoutAConfigFile_is409SayingSo_notAServerError() throws Exception {
    // Found by HttpFuzzTest: this was 500 "internal", then 503 "unavailable" (a server error
    // again, which monitoring would page about). Nothing is wrong with the server: it was started
    // without a file, so the request conflicts with how it runs; retrying cannot help.
    for (String method : List.of("POST", "PUT")) {
      HttpResponse<String> r =
          send(at(open, "/-/reload").method(method, HttpRequest.BodyPublishers.noBody()).build());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
      JsonNode j = Json.MAPPER.readTree(r.body());
      assertThat(j.path("status").asText()).isEqualTo("error");
      assertThat(j.path("errorType").asText()).isEqualTo("conflict");
      assertThat(j.path("error").asText())
          .contains("started without a configuration file")
          .contains("--config");
    }
  }

  @Test
  void unknownMethods_are405WithoutAStackTrace_andJavalinKeepsNoNewNames() throws Exception {
    java.lang.reflect.Field f = io.javalin.http.HandlerType.class.getDeclaredField("METHOD_MAP");
    f.setAccessible(true);
    int known = ((java.util.Map<?, ?>) f.get(null)).size();
    // M-SEARCH and "get" were 500 with an empty body (Javalin refuses names outside [A-Z]+; found
    // by HttpFuzzTest); every new upper-case name was kept by Javalin for ever.
    List<String> methods = new java.util.ArrayList<>(List.of("M-SEARCH", "get", "BREW", "QUERY"));
    for (int i = 0; i < 20; i++) {
      methods.add("NEWMETHOD" + (char) ('A' + i));
    }
    for (String m : methods) {
      String r =
          raw(
              open,
              m
                  + " /api/v1/query?query=1 HTTP/1.1\r\nHost: "
                  + hostPort(open)
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(status(r)).as(m + ": " + r).isEqualTo(405);
      JsonNode j = Json.MAPPER.readTree(body(r));
      assertThat(j.path("errorType").asText()).isEqualTo("method_not_allowed");
      assertThat(r).contains("Allow: GET, HEAD, POST, PUT, DELETE");
    }
    assertThat(((java.util.Map<?, ?>) f.get(null)).size()).isEqualTo(known);
  }

  @Test
  void webSocketUpgrade_withAMethodOtherThanGet_is405() throws Exception {
    // PATCH was 501 from Jetty's WebSocket servlet (found by HttpFuzzTest).
    for (String m : List.of("PATCH", "POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
      String r =
          raw(
              open,
              m
                  + " /ws HTTP/1.1\r\nHost: "
                  + hostPort(open)
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Content-Length: 0\r\n\r\n");
      assertThat(status(r)).as(m + ": " + r).isEqualTo(405);
      assertThat(body(r)).doesNotContain("Sec-WebSocket-Key");
    }
  }

  private static int port(Vigil v) {
    return URI.create(v.url()).getPort();
  }
}
