package dev.vigil.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.function.Function;

/** Mounts ingest handlers on the JDK's HTTP server at 127.0.0.1, port 0, for real-peer tests. */
public final class TestHttpServer implements AutoCloseable {
  private final HttpServer server;

  public TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.start();
  }

  public TestHttpServer mount(String path, Function<IngestRequest, IngestResponse> handler) {
    server.createContext(path, ex -> serve(ex, handler));
    return this;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void serve(HttpExchange ex, Function<IngestRequest, IngestResponse> handler)
      throws IOException {
    try (ex) {
      IngestRequest.Builder b = IngestRequest.builder();
      ex.getRequestHeaders().forEach((k, v) -> b.header(k, v.get(0)));
      String q = ex.getRequestURI().getRawQuery();
      if (q != null) {
        for (String kv : q.split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0) {
            b.param(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), "UTF-8"));
          }
        }
      }
      try (InputStream in = ex.getRequestBody()) {
        b.body(in.readAllBytes());
      }
      IngestResponse r = handler.apply(b.build());
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      if (r.contentType() != null) {
        ex.getResponseHeaders().add("Content-Type", r.contentType());
      }
      ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
      if (r.body().length > 0) {
        ex.getResponseBody().write(r.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
