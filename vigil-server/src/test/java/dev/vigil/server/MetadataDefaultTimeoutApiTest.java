package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without a {@code timeout} parameter, the metadata and federation endpoints are bounded by the
 * server's {@code query_timeout}: here 1 ns, which every request overruns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataDefaultTimeoutApiTest {
  Vigil vigil;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path dir) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig.Limits l = d.limits();
    ServerConfig.Limits tiny =
        new ServerConfig.Limits(
            l.maxBodyBytes(),
            l.maxHeaderBytes(),
            Duration.ofNanos(1),
            l.queryMaxSamples(),
            l.queryMaxConcurrency(),
            l.maxPoints(),
            l.queryQueueLength());
    ServerConfig sc =
        new ServerConfig("127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), tiny);
    vigil =
        Vigil.start(
            VigilConfig.defaults()
                .withServer(sc)
                .withStoragePath(dir.resolve("data"))
                .withCollect(
                    new CollectConfig(Duration.ofSeconds(60), false, false, false, false, "")));
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/series?match[]=",
        "/api/v1/labels?match[]=",
        "/api/v1/label/job/values?match[]=",
        "/federate?match[]="
      })
  void endpoint_pastServerQueryTimeout_is503Timeout(String path) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        vigil.url()
                            + path
                            + URLEncoder.encode("{__name__=~\".+\"}", StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    JsonNode j = Json.MAPPER.readTree(r.body());
    assertThat(j.get("errorType").asText()).isEqualTo("timeout");
  }
}
