package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query.remote} over HTTPS with credentials, through the TLS and authorization binders
 * remote write and scraping use. The backend is another Vigil (it speaks the same API) serving TLS
 * with a test CA's certificate and requiring a read token.
 */
class RemoteQueryTlsTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private Vigil vigil(String name, String yaml) throws Exception {
    Path file = dir.resolve(name + ".yml");
    Files.writeString(
        file,
        yaml
            + "storage:\n  path: \""
            + dir.resolve(name + "-data").toString().replace("\\", "/")
            + "\"\ncollect: {self: false, system: false, jvm: false, gpu: false}\n");
    return Vigil.builder(ConfigLoader.load(file, Map.of())).start();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsBackendWithAToken_isRead_andWithoutTheCaOrTheTokenIsAClearError() throws Exception {
    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
    try (Vigil backend =
        vigil(
            "backend",
            "server:\n  listen: 127.0.0.1:0\n  auth:\n    read_tokens: [read-token-0123456789]\n  tls:\n"
                + "    cert_file: \""
                + pki.file("server.pem")
                + "\"\n    key_file: \""
                + pki.file("server-key.pem")
                + "\"\n")) {
      Appender a = backend.storage().appender();
      a.append(0, Labels.of("__name__", "tls_only", "where", "backend"), 1_000_000, 42);
      a.commit();
      String url = "https://localhost:" + backend.port();
      String remote = "query:\n  remote:\n    url: " + url + "\n";
      try (Vigil front =
          vigil(
              "front",
              "server:\n  listen: 127.0.0.1:0\n"
                  + remote
                  + "    tls_config: {ca_file: \""
                  + pki.file("ca.pem")
                  + "\"}\n    authorization: {credentials: read-token-0123456789}\n")) {
        HttpResponse<String> r = get(front.url() + "/api/v1/query?query=tls_only&time=1000");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = Json.MAPPER.readTree(r.body()).path("data").path("result");
        assertThat(result).hasSize(1);
        assertThat(result.get(0).path("metric").path("where").asText()).isEqualTo("backend");
        assertThat(result.get(0).path("value").get(1).asText()).isEqualTo("42");
      }
      try (Vigil noToken =
          vigil(
              "no-token",
              "server:\n  listen: 127.0.0.1:0\n"
                  + remote
                  + "    tls_config: {ca_file: \""
                  + pki.file("ca.pem")
                  + "\"}\n")) {
        HttpResponse<String> r = get(noToken.url() + "/api/v1/query?query=tls_only&time=1000");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").asText())
            .startsWith("remote query backend " + url + " answered HTTP 401");
      }
      try (Vigil noCa =
          vigil(
              "no-ca",
              "server:\n  listen: 127.0.0.1:0\n"
                  + remote
                  + "    authorization: {credentials: read-token-0123456789}\n")) {
        HttpResponse<String> r = get(noCa.url() + "/api/v1/query?query=tls_only&time=1000");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").asText())
            .startsWith("remote query backend " + url + " cannot be reached");
      }
    }
  }
}
