package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.StorageWriteException;
import dev.vigil.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A storage write that fails under any endpoint (e.g. {@code delete_series} on a full disk) is
 * answered in Prometheus' envelope: 507 {@code unavailable} with {@code Retry-After} for a full
 * disk, 500 otherwise, and never with the server's file paths.
 */
class StorageWriteErrorTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private VigilHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(StorageWriteException.Reason reason) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    Routes failing =
        r ->
            r.post(
                "/store",
                Role.WRITE,
                ctx -> {
                  throw new StorageWriteException(
                      reason,
                      "WAL write of 90 bytes to /srv/vigil/wal/00000003 failed: no space left",
                      new IOException("No space left on device"));
                });
    server = VigilHttpServer.start(sc, List.of(failing));
  }

  private HttpResponse<String> post() throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/store"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fullDisk_is507WithRetryAfter_andNoServerPaths() throws Exception {
    start(StorageWriteException.Reason.NO_SPACE);
    HttpResponse<String> r = post();
    assertThat(r.statusCode()).isEqualTo(507);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(r.body())
        .contains("\"errorType\":\"unavailable\"")
        .contains("no space left on device")
        .doesNotContain("/srv/vigil");
  }

  @Test
  void otherStorageFailure_is500WithTheReason_andNoServerPaths() throws Exception {
    start(StorageWriteException.Reason.IO_ERROR);
    HttpResponse<String> r = post();
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("I/O error").doesNotContain("/srv/vigil");
  }
}
