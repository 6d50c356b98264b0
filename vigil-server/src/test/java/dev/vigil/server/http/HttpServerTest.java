package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.api.LifecycleRoutes;
import dev.vigil.server.api.ServerState;
import dev.vigil.server.api.StatusApi;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final String READ = "read-token-0123456789";
  private static final String WRITE = "write-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";
  private final HttpClient client = HttpClient.newHttpClient();
  private VigilHttpServer server;
  private final AtomicInteger reloads = new AtomicInteger();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ServerState start(ServerConfig sc) {
    VigilConfig c = VigilConfig.defaults().withServer(sc);
    ServerState state = new ServerState(c, Map.of("storage.path", "data"));
    Routes admin =
        r -> r.post("/api/v1/admin/tsdb/ping", Role.ADMIN, ctx -> Json.successObject(ctx, "pong"));
    Routes echo = r -> r.post("/echo", Role.WRITE, ctx -> ctx.result(ctx.bodyAsBytes()));
    server =
        VigilHttpServer.start(
            sc,
            List.of(
                new LifecycleRoutes(
                    state,
                    () -> {
                      reloads.incrementAndGet();
                      return null;
                    }),
                new StatusApi(state, true),
                admin,
                echo));
    return state;
  }

  private ServerConfig tokens(List<String> read, List<String> write, List<String> admin) {
    ServerConfig d = ServerConfig.defaults();
    return new ServerConfig("127.0.0.1", 0, read, write, admin, false, d.tls(), d.limits());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
  }

  @Test
  void ready_isFalseUntilSet_healthyAlways() throws Exception {
    ServerState state = start(tokens(List.of(), List.of(), List.of()));
    assertThat(send(get("/-/healthy")).statusCode()).isEqualTo(200);
    assertThat(send(get("/-/ready")).statusCode()).isEqualTo(503);
    state.setReady(true);
    HttpResponse<String> r = send(get("/-/ready"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'");
  }

  @Test
  void buildinfo_hasPrometheusFieldsAndNoFeatures() throws Exception {
    start(tokens(List.of(), List.of(), List.of()));
    HttpResponse<String> r = send(get("/api/v1/status/buildinfo"));
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("status").asText()).isEqualTo("success");
    assertThat(j.get("data").get("version").asText()).startsWith("2.42.0-vigil.");
    assertThat(j.get("data").has("goVersion")).isTrue();
    assertThat(j.get("data").has("features")).isFalse();
  }

  @Test
  void readTokens_guardQueries() throws Exception {
    start(tokens(List.of(READ), List.of(WRITE), List.of(ADMIN)));
    HttpResponse<String> none = send(get("/api/v1/status/flags"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"errorType\":\"unauthorized\"");
    assertThat(
            send(get("/api/v1/status/flags").header("Authorization", "Bearer wrong")).statusCode())
        .isEqualTo(403);
    for (String t : List.of(READ, WRITE, ADMIN)) {
      assertThat(
              send(get("/api/v1/status/flags").header("Authorization", "Bearer " + t)).statusCode())
          .isEqualTo(200);
    }
    assertThat(send(get("/-/healthy")).statusCode()).isEqualTo(200);
  }

  @Test
  void writeAndAdminRoles_needTheirTokens() throws Exception {
    start(tokens(List.of(), List.of(WRITE), List.of(ADMIN)));
    HttpRequest.BodyPublisher empty = HttpRequest.BodyPublishers.noBody();
    assertThat(send(get("/-/reload").POST(empty)).statusCode()).isEqualTo(401);
    assertThat(
            send(get("/-/reload").POST(empty).header("Authorization", "Bearer " + READ))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(get("/-/reload").POST(empty).header("Authorization", "Bearer " + WRITE))
                .statusCode())
        .isEqualTo(200);
    assertThat(reloads.get()).isEqualTo(1);
    assertThat(
            send(get("/api/v1/admin/tsdb/ping")
                    .POST(empty)
                    .header("Authorization", "Bearer " + WRITE))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(get("/api/v1/admin/tsdb/ping")
                    .POST(empty)
                    .header("Authorization", "Bearer " + ADMIN))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void adminApi_withoutAdminTokens_isDisabled() throws Exception {
    start(tokens(List.of(), List.of(), List.of()));
    HttpResponse<String> r =
        send(get("/api/v1/admin/tsdb/ping").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("admin APIs disabled");
    // With no tokens at all, write routes are open (loopback default).
    assertThat(send(get("/-/reload").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
        .isEqualTo(200);
  }

  @Test
  void oversizedBody_is413AndNotProcessed() throws Exception {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig.Limits small =
        new ServerConfig.Limits(1024, 8192, d.limits().queryTimeout(), 1000, 2, 11000, 4);
    start(new ServerConfig("127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), small));
    HttpResponse<String> ok =
        send(get("/echo").POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000))));
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> big =
        send(get("/echo").POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("larger than the limit of 1024 bytes");
    HttpResponse<String> hugeHeader = send(get("/-/healthy").header("X-Big", "y".repeat(20_000)));
    assertThat(hugeHeader.statusCode()).isEqualTo(431);
  }

  @Test
  void gzip_isUsedWhenAccepted() throws Exception {
    start(tokens(List.of(), List.of(), List.of()));
    HttpResponse<byte[]> r =
        client.send(
            get("/api/v1/status/config?pad=" + "x".repeat(10))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    // Small bodies stay plain; the header is present only when compressing.
    assertThat(r.headers().firstValue("Content-Encoding").orElse("identity"))
        .isIn("gzip", "identity");
  }
}
