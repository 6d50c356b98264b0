package dev.vigil.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Tsdb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output datadog:URL} at a local sink: every payload is valid against Datadog's series API
 * v2 schema (as its documentation gives it: {@code series[]} of {@code metric}, {@code type} 0-3,
 * {@code points[]} of integer {@code timestamp} and numeric {@code value}, {@code tags[]} of {@code
 * key:value}), with the API key header, under the size limit; together they carry every source
 * sample.
 */
class DatadogDestinationTest {
  private static final long T0 = 1_765_100_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void payloads_followTheSchema_andCarryEverySample() throws Exception {
    Path store = dir.resolve("data");
    int n = 20_000;
    Map<String, TreeMap<Long, Double>> source = new TreeMap<>();
    try (Tsdb db = Tsdb.builder(store).backgroundInterval(Duration.ZERO).log(m -> {}).open()) {
      Appender app = db.appender();
      for (int i = 0; i < n; i++) {
        for (String job : List.of("a", "b", "c")) {
          double v = i * 0.5 + job.charAt(0);
          app.append(0, Labels.of("__name__", "app:requests", "job", job), T0 + i * 1000L, v);
          source
              .computeIfAbsent("app_requests|job:" + job, k -> new TreeMap<>())
              .put(T0 / 1000 + i, v);
        }
      }
      app.commit();
    }
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/api/v2/series",
        ex -> {
          bodies.add(ex.getRequestBody().readAllBytes());
          keys.add(
              ex.getRequestHeaders().getFirst("DD-API-KEY")
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type"));
          byte[] ok = "{\"errors\":[]}".getBytes();
          ex.sendResponseHeaders(202, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    sink.start();
    try {
      ExportRequest req =
          new ExportRequest(
              List.of("{__name__=~\".+\"}"),
              null,
              T0,
              T0 + n * 1000L,
              0,
              ExportFormat.JSONL,
              ExportWriters.Layout.LONG,
              "datadog:http://127.0.0.1:" + sink.getAddress().getPort() + "/api/v2/series",
              null,
              null,
              store);
      long written =
          ExportRun.run(
              req,
              new ByteArrayOutputStream(),
              new PrintStream(new ByteArrayOutputStream()),
              c -> {},
              Map.of("DD_API_KEY", "secret"));
      assertThat(written).isEqualTo(3L * n);
    } finally {
      sink.stop(0);
    }
    assertThat(bodies.size()).as("split into several payloads").isGreaterThan(1);
    assertThat(keys).allMatch(k -> k.equals("secret application/json"));
    Map<String, TreeMap<Long, Double>> back = new TreeMap<>();
    for (byte[] body : bodies) {
      assertThat(body.length).isLessThan(5_000_000);
      JsonNode root = JSON.readTree(body);
      assertThat(fields(root)).containsExactly("series");
      for (JsonNode s : root.get("series")) {
        assertThat(
                Set.of(
                    "metric",
                    "type",
                    "points",
                    "tags",
                    "unit",
                    "resources",
                    "interval",
                    "source_type_name",
                    "metadata"))
            .containsAll(fields(s));
        assertThat(s.get("metric").isTextual()).isTrue();
        assertThat(s.get("metric").asText()).matches("[A-Za-z][A-Za-z0-9_.]*");
        assertThat(s.get("type").isInt()).isTrue();
        assertThat(s.get("type").asInt()).isBetween(0, 3);
        List<String> tags = new ArrayList<>();
        s.get("tags").forEach(t -> tags.add(t.asText()));
        assertThat(tags).allMatch(t -> t.contains(":"));
        TreeMap<Long, Double> m =
            back.computeIfAbsent(
                s.get("metric").asText() + "|" + String.join(",", tags), k -> new TreeMap<>());
        assertThat(s.get("points").size()).isPositive();
        for (JsonNode p : s.get("points")) {
          assertThat(fields(p)).containsExactlyInAnyOrder("timestamp", "value");
          assertThat(p.get("timestamp").isIntegralNumber()).isTrue();
          assertThat(p.get("value").isNumber()).isTrue();
          m.put(p.get("timestamp").asLong(), p.get("value").asDouble());
        }
      }
    }
    assertThat(back).isEqualTo(source);
  }

  @Test
  void datadogWithoutAKey_isRefusedNamingTheVariable() {
    assertThatThrownBy(() -> DatadogWriter.open("datadog", Map.of()))
        .hasMessageContaining("DD_API_KEY");
    assertThatThrownBy(() -> DatadogWriter.open("datadog:ftp://x", Map.of()))
        .hasMessageContaining("datadog:https://host/api/v2/series");
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
