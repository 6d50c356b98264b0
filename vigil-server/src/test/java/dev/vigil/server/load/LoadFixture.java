package dev.vigil.server.load;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.CollectConfig;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Vigil (HTTP on port 0, self-scrape every second) holding {@code heavy_g}: series with
 * 40 minutes of samples every 15 s, so that {@link #HEAVY_QUERY} over 30 minutes takes seconds.
 * With the probes the scheduling tests and the load test measure health, ingest and scraping.
 */
public final class LoadFixture implements AutoCloseable {
  /** The query of issue 14: a quantile over 30 minutes of every series, summed. */
  public static final String HEAVY_QUERY = "sum(quantile_over_time(0.9, heavy_g[30m]))";

  /** The self-scrape interval. */
  public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

  private final Vigil vigil;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final long loadedAt;

  /**
   * @param series the number of {@code heavy_g} series
   * @param queryThreads {@code server.limits.query_max_concurrency}
   * @param queryQueue {@code server.limits.query_queue_length}
   */
  public LoadFixture(Path dir, int series, int queryThreads, int queryQueue) {
    ServerConfig d = ServerConfig.defaults();
    var dl = d.limits();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1",
            0,
            List.of(),
            List.of(),
            List.of(),
            false,
            d.tls(),
            new ServerConfig.Limits(
                dl.maxBodyBytes(),
                dl.maxHeaderBytes(),
                dl.queryTimeout(),
                dl.queryMaxSamples(),
                queryThreads,
                dl.maxPoints(),
                queryQueue));
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(sc)
            .withStoragePath(dir.resolve("data"))
            .withCollect(new CollectConfig(SCRAPE_INTERVAL, false, true, false, true, "app_"));
    vigil = Vigil.start(c);
    long now = System.currentTimeMillis();
    long start = (now - 40 * 60_000L) / 15_000 * 15_000;
    Appender app = vigil.storage().appender();
    for (int s = 0; s < series; s++) {
      Labels l = Labels.of("__name__", "heavy_g", "i", Integer.toString(s));
      long ref = 0;
      for (long t = start, k = 0; t <= now; t += 15_000, k++) {
        ref = app.append(ref, l, t, (s * 7919 + k * 104_729) % 1000);
      }
    }
    app.commit();
    loadedAt = now;
  }

  /** The running server. */
  public Vigil vigil() {
    return vigil;
  }

  /** When the data ends (ms since the epoch). */
  public long loadedAt() {
    return loadedAt;
  }

  /** A GET of {@code path} (with its query string), answered as a string. */
  public HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(vigil.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The heavy query as a range query over the last 30 minutes, one step a minute. */
  public HttpResponse<String> heavyRangeQuery() throws Exception {
    return heavyRangeQuery(60);
  }

  /** The heavy query as a range query over the last 30 minutes, one step every {@code step} s. */
  public HttpResponse<String> heavyRangeQuery(int step) throws Exception {
    long end = loadedAt / 1000;
    return get(
        "/api/v1/query_range?query="
            + URLEncoder.encode(HEAVY_QUERY, StandardCharsets.UTF_8)
            + "&start="
            + (end - 1800)
            + "&end="
            + end
            + "&step="
            + step);
  }

  /** {@code GET /-/healthy}: its status and its latency in nanoseconds. */
  public long[] health() throws Exception {
    long t = System.nanoTime();
    HttpResponse<String> r = get("/-/healthy");
    return new long[] {r.statusCode(), System.nanoTime() - t};
  }

  /** InfluxDB lines to {@code /write}: its status and its latency in nanoseconds. */
  public long[] write(String line) throws Exception {
    long t = System.nanoTime();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(vigil.url() + "/write?precision=ms"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(line))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new long[] {r.statusCode(), System.nanoTime() - t};
  }

  /**
   * The timestamps of Vigil's self-scrapes ({@code up{job="vigil"}}) in {@code [fromMs, toMs]},
   * read from the store.
   */
  public List<Long> selfScrapes(long fromMs, long toMs) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Querier q = vigil.storage().querier(fromMs, toMs)) {
      SeriesSet set =
          q.select(
              SelectHints.range(fromMs, toMs),
              List.of(
                  LabelMatcher.equal("__name__", "up"), LabelMatcher.equal("job", Vigil.SELF_JOB)));
      while (set.next()) {
        SampleIterator it = set.at().iterator();
        while (it.next()) {
          if (it.timestamp() >= fromMs && it.timestamp() <= toMs) {
            out.add(it.timestamp());
          }
        }
      }
    }
    return out;
  }

  /** The longest time between consecutive self-scrapes in {@code [fromMs, toMs]}, and the edges. */
  public long longestScrapeGapMs(long fromMs, long toMs) throws Exception {
    List<Long> ts = selfScrapes(fromMs, toMs);
    long prev = fromMs;
    long gap = 0;
    for (long t : ts) {
      gap = Math.max(gap, t - prev);
      prev = t;
    }
    return Math.max(gap, toMs - prev);
  }

  @Override
  public void close() {
    vigil.close();
  }
}
