package dev.vigil.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.http.VigilHttpServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's own files as a browser fetches them: types, revalidation, gzip, not-found. */
class DashboardFilesTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static VigilHttpServer server;

  @BeforeAll
  static void start() {
    ServerConfig d = ServerConfig.defaults();
    server =
        VigilHttpServer.start(
            new ServerConfig(
                "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits()),
            List.of(DashboardRoutes.builder().build()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] resource(String path) throws Exception {
    try (InputStream in = DashboardFilesTest.class.getResourceAsStream("/dashboard/" + path)) {
      return in.readAllBytes();
    }
  }

  @Test
  void files_servedWithTheirTypes_andTheirContent() throws Exception {
    record F(String url, String file, String type) {}
    for (F f :
        List.of(
            new F("/", "index.html", "text/html"),
            new F("/index.html", "index.html", "text/html"),
            new F("/vigil.css", "vigil.css", "text/css"),
            new F("/favicon.svg", "favicon.svg", "image/svg+xml"),
            new F("/js/app.js", "js/app.js", "text/javascript"),
            new F("/js/pages/overview.js", "js/pages/overview.js", "text/javascript"))) {
      HttpResponse<byte[]> r = get(f.url());
      assertThat(r.statusCode()).as(f.url()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith(f.type());
      assertThat(r.headers().firstValue("Cache-Control")).contains("max-age=0");
      assertThat(r.headers().firstValue("ETag").orElseThrow()).startsWith("W/\"");
      assertThat(r.body()).as(f.url()).isEqualTo(resource(f.file()));
    }
  }

  @Test
  void matchingIfNoneMatch_answers304_andAChangedOne200() throws Exception {
    String etag = get("/js/app.js").headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> same = get("/js/app.js", "If-None-Match", etag);
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.headers().firstValue("ETag")).contains(etag);
    assertThat(get("/js/app.js", "If-None-Match", "W/\"other\", " + etag).statusCode())
        .isEqualTo(304);
    assertThat(get("/js/app.js", "If-None-Match", "W/\"other\"").statusCode()).isEqualTo(200);
    // Another file's tag does not match: each file has its own.
    assertThat(get("/vigil.css", "If-None-Match", etag).statusCode()).isEqualTo(200);
  }

  @Test
  void largeFiles_gzipped_whenTheClientAcceptsIt() throws Exception {
    HttpResponse<byte[]> r = get("/js/app.js", "Accept-Encoding", "gzip");
    assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(resource("js/app.js"));
    }
  }

  @Test
  void missingOrOddPaths_are4xx_withoutReadingOutsideTheFolder() throws Exception {
    for (String path :
        List.of(
            "/js/nope.js",
            "/js/",
            "/js/pages",
            "/js/../index.html",
            "/js/%2e%2e/%2e%2e/META-INF/MANIFEST.MF",
            "/js/..%2fvigil.css",
            "/js/App.JS",
            "/nope.html")) {
      HttpResponse<byte[]> r = get(path);
      // Jetty itself refuses an encoded ".." (400, ambiguous path); the rest are 404.
      assertThat(r.statusCode()).as(path).isEqualTo(path.contains("%2e") ? 400 : 404);
      assertThat(new String(r.body()))
          .as(path)
          .doesNotContain("Exception")
          .doesNotContain("Manifest-Version");
    }
  }

  @Test
  void head_answersTheHeadersWithoutABody() throws Exception {
    HttpResponse<byte[]> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/vigil.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).isPresent();
    assertThat(r.body()).isEmpty();
  }
}
