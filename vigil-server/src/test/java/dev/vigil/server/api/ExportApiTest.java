package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.tsdb.Tsdb;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/export} and {@code /api/v1/export/csv} over a real server and store: the body in
 * VictoriaMetrics' formats, the range, the series bound checked before any sample is sent, the read
 * token, and 4xx naming what is wrong.
 */
class ExportApiTest {
  private static final long T0 = 1_765_100_000_000L;
  private static final String TOKEN = "read-secret";

  @TempDir Path dir;
  private Tsdb db;
  private VigilHttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).open();
    Appender app = db.appender();
    for (int i = 0; i < 4; i++) {
      app.append(0, Labels.of("__name__", "up", "job", "a"), T0 + i * 15_000L, i % 2);
      app.append(0, Labels.of("__name__", "up", "job", "b"), T0 + i * 15_000L, 1);
      app.append(0, Labels.of("__name__", "temp", "room", "x,y"), T0 + i * 15_000L, 20.5 + i);
    }
    app.commit();
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(TOKEN), List.of(), List.of(), false, d.tls(), d.limits());
    server = VigilHttpServer.start(sc, List.of(new ExportApi(() -> db, Duration.ofMinutes(1), 2)));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    db.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .header("Authorization", "Bearer " + TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void export_isVictoriaMetricsJsonLines_onePerSeries() throws Exception {
    HttpResponse<String> r = get("/api/v1/export?match[]=" + q("up"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[0,1,0,1],\"timestamps\":["
                + T0
                + ","
                + (T0 + 15_000)
                + ","
                + (T0 + 30_000)
                + ","
                + (T0 + 45_000)
                + "]}\n"
                + "{\"metric\":{\"__name__\":\"up\",\"job\":\"b\"},\"values\":[1,1,1,1],\"timestamps\":["
                + T0
                + ","
                + (T0 + 15_000)
                + ","
                + (T0 + 30_000)
                + ","
                + (T0 + 45_000)
                + "]}\n");
  }

  @Test
  void export_honoursStartEndAndMaxRowsPerLine() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/export?match[]="
                + q("up{job=\"a\"}")
                + "&start="
                + (T0 + 15_000) / 1000
                + "&end="
                + (T0 + 30_000) / 1000
                + "&max_rows_per_line=1");
    assertThat(r.body())
        .isEqualTo(
            "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[1],\"timestamps\":["
                + (T0 + 15_000)
                + "]}\n"
                + "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[0],\"timestamps\":["
                + (T0 + 30_000)
                + "]}\n");
  }

  @Test
  void export_severalMatchers_exportEachSeriesOnce() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/export?match[]=" + q("up{job=\"a\"}") + "&match[]=" + q("{job=\"a\"}"));
    assertThat(r.body().lines()).hasSize(1);
  }

  @Test
  void csv_withoutFormat_isVigilsLongLayout() throws Exception {
    HttpResponse<String> r = get("/api/v1/export/csv?match[]=temp&end=" + T0 / 1000);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(r.body())
        .isEqualTo(
            "timestamp,name,labels,value\n"
                + "2025-12-07T09:33:20.000Z,temp,\"{room=\"\"x,y\"\"}\",20.5\n");
  }

  @Test
  void csv_withVictoriaMetricsFormat_hasItsColumns() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/export/csv?match[]=temp&end="
                + T0 / 1000
                + "&format="
                + q("__name__,room,__value__,__timestamp__:unix_s"));
    assertThat(r.body()).isEqualTo("temp,\"x,y\",20.5," + T0 / 1000 + "\n");
  }

  @Test
  void tooManySeries_refused422BeforeAnySample() throws Exception {
    HttpResponse<String> r = get("/api/v1/export?match[]=" + q("{__name__=~\".+\"}"));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("matches 3 series, more than the 2").doesNotContain("timestamps");
  }

  @Test
  void badInput_is400NamingTheProblem() throws Exception {
    HttpResponse<String> none = get("/api/v1/export");
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("missing match[]");
    HttpResponse<String> sel = get("/api/v1/export?match[]=" + q("up{"));
    assertThat(sel.statusCode()).isEqualTo(400);
    HttpResponse<String> rows = get("/api/v1/export?match[]=up&max_rows_per_line=0");
    assertThat(rows.statusCode()).isEqualTo(400);
    assertThat(rows.body()).contains("max_rows_per_line");
    HttpResponse<String> fmt = get("/api/v1/export/csv?match[]=up&format=" + q("__timestamp__:x"));
    assertThat(fmt.statusCode()).isEqualTo(400);
    assertThat(fmt.body()).contains("format").contains("\\\"x\\\"");
    HttpResponse<String> start = get("/api/v1/export?match[]=up&start=yesterday");
    assertThat(start.statusCode()).isEqualTo(400);
    assertThat(start.body()).contains("start");
  }

  @Test
  void withoutTheReadToken_is401() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/export?match[]=up"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }
}
