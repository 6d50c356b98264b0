package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.model.Labels;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.testing.TestStorage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/import} (VictoriaMetrics' JSON lines) and {@code /api/v1/import/csv} on the
 * real HTTP server: stored, bad lines named by line and column with nothing of them stored,
 * bounded, authenticated like the write API, and the real VictoriaMetrics 1.79's export imported as
 * is.
 */
class ImportEndpointsTest {
  private static final String WRITE = "write-token-0123456789";
  private static final String READ = "read-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final TestStorage store = new TestStorage();
  private final MetricRegistry registry = new MetricRegistry();
  private VigilHttpServer server;
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(List<String> read, List<String> write, IngestLimits limits) {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig("127.0.0.1", 0, read, write, List.of(), false, d.tls(), d.limits());
    IngestRoutes ingest = new IngestRoutes(store, limits, registry, () -> 1_700_000_000_000L);
    server = VigilHttpServer.start(sc, List.of(ingest, new MetricsRoutes(registry)));
  }

  private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void jsonLines_stored_204() throws Exception {
    start(List.of(), List.of(), IngestLimits.DEFAULTS);
    String body =
        """
        {"metric":{"__name__":"up","job":"node"},"values":[1,0],"timestamps":[1000,2000]}
        {"metric":{"__name__":"temp"},"values":[21.5],"timestamps":[3000]}
        """;
    assertThat(post("/api/v1/import", body.getBytes()).statusCode()).isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "up", "job", "node")))
        .containsExactly(new double[] {1000, 1}, new double[] {2000, 0});
    assertThat(store.samples(Labels.of("__name__", "temp")))
        .containsExactly(new double[] {3000, 21.5});
  }

  @Test
  void badLines_400NamingLineAndColumn_nothingOfThemStored_theRestStored() throws Exception {
    start(List.of(), List.of(), IngestLimits.DEFAULTS);
    String body =
        """
        {"metric":{"__name__":"a"},"values":[1],"timestamps":[1000]}
        {"metric":{"__name__":"b"},"values":[1,2],"timestamps":[1000,"x"]}
        {"metric":{"__name__":"c"},"values":[3],"timestamps":[1000]}
        """;
    HttpResponse<String> r = post("/api/v1/import", body.getBytes());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .startsWith("2 samples written, 1 rejected (invalid_line: 1); 1 of 3 lines had errors\n")
        .contains("line 2 column 62: a timestamp must be an integer (Unix milliseconds)");
    assertThat(store.series())
        .containsExactlyInAnyOrder(Labels.of("__name__", "a"), Labels.of("__name__", "c"));
    String csv = "timestamp,name,labels,value\n1,x,{},1\n2,y,\"{a=\"\"1\"\",a=\"\"2\"\"}\",1\n";
    r = post("/api/v1/import/csv", csv.getBytes());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("line 3 column 15: duplicate label \"a\"");
    assertThat(store.samples(Labels.of("__name__", "x"))).hasSize(1);
    assertThat(store.samples(Labels.of("__name__", "y"))).isEmpty();
  }

  @Test
  void csv_badFormatSpec_400_gzipAccepted_bodiesBounded() throws Exception {
    start(List.of(), List.of(), IngestLimits.builder().maxBodyBytes(1024).build());
    HttpResponse<String> badSpec =
        post("/api/v1/import/csv?format=1:metric:x,2:size:y", "1,2".getBytes());
    assertThat(badSpec.statusCode()).isEqualTo(400);
    assertThat(badSpec.body())
        .isEqualTo(
            "invalid format parameter: invalid format part \"2:size:y\": the type is time, label or metric\n");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
      g.write("2026-12-07T10:00:00Z,g,\"{k=\"\"v\"\"}\",7\n".getBytes());
    }
    assertThat(
            post("/api/v1/import/csv", gz.toByteArray(), "Content-Encoding", "gzip").statusCode())
        .isEqualTo(204);
    assertThat(store.samples(Labels.of("__name__", "g", "k", "v")))
        .containsExactly(new double[] {1_796_637_600_000L, 7});
    HttpResponse<String> big = post("/api/v1/import", new byte[2048]);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("over the limit of 1024 bytes");
  }

  @Test
  void withTokens_importNeedsAWriteToken() throws Exception {
    start(List.of(READ), List.of(WRITE), IngestLimits.DEFAULTS);
    byte[] line = "{\"metric\":{\"__name__\":\"a\"},\"values\":[1],\"timestamps\":[1]}".getBytes();
    assertThat(post("/api/v1/import", line).statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/import/csv", "1,a,{},1".getBytes()).statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/import", line, "Authorization", "Bearer " + READ).statusCode())
        .isEqualTo(403);
    assertThat(post("/api/v1/import", line, "Authorization", "Bearer " + WRITE).statusCode())
        .isEqualTo(204);
  }

  /** VictoriaMetrics' own export, imported unchanged: the same series and samples. */
  @Test
  void victoriaMetricsExport_importsAsIs() throws Exception {
    String vm = binary("victoria-metrics");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                vm,
                "-storageDataPath=" + tmp.resolve("vm"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-retentionPeriod=100y")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("vm.log").toFile())
            .start();
    try {
      String vmUrl = "http://127.0.0.1:" + port;
      awaitOk(vmUrl + "/health");
      StringBuilder in = new StringBuilder();
      long t0 = 1_700_000_000_000L;
      for (int s = 0; s < 5; s++) {
        List<String> values = new ArrayList<>();
        List<String> times = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          values.add(Double.toString(s * 100 + i * 0.25));
          times.add(Long.toString(t0 + i * 15_000L));
        }
        in.append("{\"metric\":{\"__name__\":\"vm_rt\",\"shard\":\"s")
            .append(s)
            .append("\",\"path\":\"/a,b \\\"q\\\"\"},\"values\":[")
            .append(String.join(",", values))
            .append("],\"timestamps\":[")
            .append(String.join(",", times))
            .append("]}\n");
      }
      HttpResponse<String> imp =
          client.send(
              HttpRequest.newBuilder(URI.create(vmUrl + "/api/v1/import"))
                  .POST(HttpRequest.BodyPublishers.ofString(in.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(imp.statusCode()).as(imp.body()).isEqualTo(204);
      client.send(
          HttpRequest.newBuilder(URI.create(vmUrl + "/internal/force_flush")).build(),
          HttpResponse.BodyHandlers.ofString());
      String export = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (export.lines().count() < 5 && System.nanoTime() < deadline) {
        export =
            client
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                vmUrl
                                    + "/api/v1/export?match[]="
                                    + URLEncoder.encode("vm_rt", StandardCharsets.UTF_8)
                                    + "&start=0"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (export.lines().count() < 5) {
          Thread.sleep(200); // VictoriaMetrics makes imports searchable asynchronously
        }
      }
      assertThat(export.lines().count()).as("VictoriaMetrics exported " + export).isEqualTo(5);

      start(List.of(), List.of(), IngestLimits.DEFAULTS);
      HttpResponse<String> r = post("/api/v1/import", export.getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      Map<Labels, List<double[]>> expected = new HashMap<>();
      for (String line : export.lines().toList()) {
        JsonNode n = JSON.readTree(line);
        Labels.Builder b = Labels.builder();
        n.path("metric").fields().forEachRemaining(e -> b.set(e.getKey(), e.getValue().asText()));
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < n.path("values").size(); i++) {
          samples.add(
              new double[] {
                n.path("timestamps").get(i).asLong(), n.path("values").get(i).asDouble()
              });
        }
        expected.put(b.build(), samples);
      }
      assertThat(store.series()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (Map.Entry<Labels, List<double[]>> e : expected.entrySet()) {
        assertThat(store.samples(e.getKey())).hasSize(50).containsExactlyElementsOf(e.getValue());
      }
      // CSV through VictoriaMetrics' column spec: the same samples in both.
      String spec = "1:time:unix_s,2:label:host,4:metric:vmcsv_cpu,5:metric:vmcsv_mem";
      String rows =
          "1700000000,web1,x,0.5,1024\n1700000015,web1,x,0.75,\n1700000000,\"web,\"\"2\"\"\",,1,2048\n";
      String q = "/api/v1/import/csv?format=" + URLEncoder.encode(spec, StandardCharsets.UTF_8);
      HttpResponse<String> vmCsv =
          client.send(
              HttpRequest.newBuilder(URI.create(vmUrl + q))
                  .POST(HttpRequest.BodyPublishers.ofString(rows))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(vmCsv.statusCode()).as(vmCsv.body()).isEqualTo(204);
      HttpResponse<String> ours = post(q, rows.getBytes(StandardCharsets.UTF_8));
      // VictoriaMetrics drops the row with an empty value (and logs it); Vigil also says so.
      assertThat(ours.statusCode()).isEqualTo(400);
      assertThat(ours.body())
          .contains("line 2 column 24: empty value in metric column 5 (vmcsv_mem)");
      client.send(
          HttpRequest.newBuilder(URI.create(vmUrl + "/internal/force_flush")).build(),
          HttpResponse.BodyHandlers.ofString());
      String csvExport = "";
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (csvExport.lines().count() < 4 && System.nanoTime() < deadline) {
        csvExport =
            client
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                vmUrl
                                    + "/api/v1/export?match[]="
                                    + URLEncoder.encode(
                                        "{__name__=~\"vmcsv_.*\"}", StandardCharsets.UTF_8)
                                    + "&start=0"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (csvExport.lines().count() < 4) {
          Thread.sleep(200); // VictoriaMetrics makes imports searchable asynchronously
        }
      }
      int csvSeries = 0;
      for (String line : csvExport.lines().toList()) {
        JsonNode n = JSON.readTree(line);
        Labels.Builder b = Labels.builder();
        n.path("metric").fields().forEachRemaining(e -> b.set(e.getKey(), e.getValue().asText()));
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i < n.path("values").size(); i++) {
          samples.add(
              new double[] {
                n.path("timestamps").get(i).asLong(), n.path("values").get(i).asDouble()
              });
        }
        assertThat(store.samples(b.build())).as(line).containsExactlyElementsOf(samples);
        csvSeries++;
      }
      assertThat(csvSeries).as(csvExport).isEqualTo(4);
      assertThat(store.series().stream().filter(l -> l.metricName().startsWith("vmcsv_")))
          .hasSize(4);
      assertThat(store.samples(Labels.of("__name__", "vmcsv_cpu", "host", "web1"))).hasSize(1);
      assertThat(store.samples(Labels.of("__name__", "vm_rt", "shard", "s3", "path", "/a,b \"q\"")))
          .element(4)
          .satisfies(s -> assertThat(s).containsExactly(t0 + 60_000, 301));
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private void awaitOk(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " did not answer 200 within 60 s");
      }
      Thread.sleep(100); // polling a child process's start, bounded above
    }
  }

  private static String binary(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    Assumptions.assumeTrue(false, name + " not installed (scripts/install-test-deps)");
    return null;
  }
}
