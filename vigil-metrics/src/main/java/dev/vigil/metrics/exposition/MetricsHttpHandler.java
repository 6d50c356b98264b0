package dev.vigil.metrics.exposition;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.model.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Serves a registry's scrape over the JDK's {@code HttpServer}: the format comes from the {@code
 * Accept} header (or {@code ?format=prometheus|openmetrics|json}), {@code ?name[]=x} keeps only the
 * named families, and the body is gzipped when the client accepts it.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 9400), 0);
 * server.createContext("/metrics", new MetricsHttpHandler(registry));
 * server.start();
 * }</pre>
 */
public final class MetricsHttpHandler implements HttpHandler {
  private final MetricRegistry registry;

  /** A handler scraping {@code registry} on every request. */
  public MetricsHttpHandler(MetricRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      ExpositionFormat format;
      Set<String> names = new HashSet<>();
      String formatParam = null;
      if (query != null) {
        for (String kv : query.split("&")) {
          int eq = kv.indexOf('=');
          String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
          String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
          if (k.equals("name[]")) {
            names.add(v);
          } else if (k.equals("format")) {
            formatParam = v;
          }
        }
      }
      try {
        format =
            formatParam != null
                ? ExpositionFormat.fromName(formatParam)
                : ExpositionFormat.negotiate(exchange.getRequestHeaders().getFirst("Accept"));
      } catch (IllegalArgumentException e) {
        byte[] msg = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(400, msg.length);
        exchange.getResponseBody().write(msg);
        return;
      }
      MetricSnapshots snapshots = names.isEmpty() ? registry.scrape() : registry.scrape(names);
      ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
      String enc = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      boolean gzip = enc != null && enc.contains("gzip");
      if (gzip) {
        try (OutputStream gz = new GZIPOutputStream(body)) {
          format.writer().write(gz, snapshots);
        }
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      } else {
        format.writer().write(body, snapshots);
      }
      exchange.getResponseHeaders().set("Content-Type", format.contentType());
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.size());
      body.writeTo(exchange.getResponseBody());
    }
  }
}
