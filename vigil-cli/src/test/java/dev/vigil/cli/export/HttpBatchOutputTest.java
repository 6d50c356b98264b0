package dev.vigil.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches to an HTTP sink: every request holds whole lines and at most about one batch, all of them
 * together are the bytes written, and a refusal is an error naming the answer.
 */
class HttpBatchOutputTest {
  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();
  private volatile int status = 204;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/write",
        ex -> {
          bodies.add(ex.getRequestBody().readAllBytes());
          auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          byte[] msg = "{\"error\":\"database not found\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, status == 204 ? -1 : msg.length);
          if (status != 204) {
            ex.getResponseBody().write(msg);
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void batchesOfWholeLines_togetherAreTheStream() throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    HttpBatchOutput out =
        InfluxDestination.open("influxdb://u:p@127.0.0.1:" + server.getAddress().getPort() + "/db");
    for (int i = 0; i < 100_000; i++) {
      byte[] line =
          ("m,i=" + i + " value=" + i + " " + i + "000000000\n").getBytes(StandardCharsets.UTF_8);
      all.write(line);
      // Split across writes, as a buffered writer splits lines.
      out.write(line, 0, 3);
      out.write(line, 3, line.length - 3);
    }
    out.flush();
    assertThat(bodies.size()).isGreaterThan(1);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (byte[] b : bodies) {
      assertThat(b[b.length - 1]).isEqualTo((byte) '\n');
      assertThat(b.length).isLessThan(HttpBatchOutput.BATCH_BYTES + 64 * 1024);
      got.write(b);
    }
    assertThat(got.toByteArray()).isEqualTo(all.toByteArray());
    assertThat(out.requests()).isEqualTo(bodies.size());
    assertThat(auth).allMatch(a -> a.equals("Basic dTpw"));
  }

  @Test
  void aRefusal_isAnErrorNamingTheAnswer() {
    status = 404;
    HttpBatchOutput out =
        new HttpBatchOutput(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/write?db=x"),
            Map.of());
    assertThatThrownBy(
            () -> {
              out.write("m value=1 1\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
            })
        .hasMessageContaining("answered 404")
        .hasMessageContaining("database not found");
  }

  @Test
  void badUrls_areNamed() {
    assertThatThrownBy(() -> InfluxDestination.open("influxdb://h:8086/"))
        .hasMessageContaining("influxdb://host:8086/DATABASE");
    assertThatThrownBy(() -> InfluxDestination.open("http://h:8086/api/v2/write"))
        .hasMessageContaining("write?db=DATABASE");
    assertThatThrownBy(() -> InfluxDestination.open("http://h:8086/write?db=x&precision=ms"))
        .hasMessageContaining("nanoseconds");
  }
}
