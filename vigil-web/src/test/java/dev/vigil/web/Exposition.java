package dev.vigil.web;

import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.exposition.ExpositionFormat;
import dev.vigil.metrics.model.MetricSnapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Test helpers: a real HTTP client, and the recorders' exposition as scraped. */
final class Exposition {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  private Exposition() {}

  static String text(Recorders rec) {
    return ExpositionFormat.PROMETHEUS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  static String openMetrics(Recorders rec) {
    return ExpositionFormat.OPENMETRICS.writer().toString(new MetricSnapshots(rec.collect()));
  }

  static int send(String method, String url) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
