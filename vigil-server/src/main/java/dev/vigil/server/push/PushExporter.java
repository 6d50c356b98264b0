package dev.vigil.server.push;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.Queryable;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.config.PushConfig;
import dev.vigil.server.push.Families.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Pushes one target: each {@link #pushOnce} reads the newest sample of every matching series that
 * is newer than what the target already took, encodes them (OTLP, line protocol or DogStatsD) and
 * posts one request (UDP datagrams for StatsD). Called by one thread at a time (the manager's
 * scheduler); the counters are thread-safe.
 */
final class PushExporter {
  /*
   * Why not remote write's WAL queue: a WAL record carries a series reference and samples, with
   * no metric type; OTLP needs families (a histogram is its _bucket, _sum and _count series
   * together, at one time) and both OTLP and InfluxDB readers expect a value per interval, not
   * every scrape. So this is a periodic exporter over the query interface, as a federation
   * scrape is: the position is the timestamp of the newest sample each series sent, kept in
   * memory. A failed push leaves the positions, so the next interval sends the then-newest
   * samples (intermediate ones are not replayed); after a restart the newest samples are sent
   * again once, which both receivers take as a duplicate of the same point.
   */

  /** Prometheus' lookback: older samples are not "current" and are not pushed. */
  static final long LOOKBACK_MS = 5 * 60_000;

  static final String USER_AGENT = "Vigil-push/1";

  private final PushConfig.Target target;
  private final Supplier<Queryable> storage;
  private final Supplier<Map<String, String>> external;
  private final List<List<LabelMatcher>> match = new ArrayList<>();
  private final HttpClient http;
  private final URI uri;
  private final String auth;
  private Map<Labels, Long> sent = new HashMap<>();

  final LongAdder samplesSent = new LongAdder();
  final LongAdder samplesDropped = new LongAdder();
  final LongAdder requestsFailed = new LongAdder();
  final AtomicLong lastSuccessMs = new AtomicLong();

  PushExporter(
      PushConfig.Target target,
      Supplier<Queryable> storage,
      Supplier<Map<String, String>> external,
      SSLContext ssl,
      SSLParameters params) {
    this.target = target;
    this.storage = storage;
    this.external = external;
    for (String m : target.match()) {
      try {
        match.add(dev.vigil.promql.parser.Parser.parseMatchers(m));
      } catch (dev.vigil.promql.parser.ParseException e) {
        throw new IllegalArgumentException(e.getMessage(), e); // checked by PushConfig
      }
    }
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(target.timeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    if (params != null) {
      b.sslParameters(params);
    }
    this.http = b.build();
    this.uri = target.kind().equals(PushConfig.INFLUXDB) ? influxUri(target) : target.url();
    // statsd: no HTTP client use; the URI is udp://host:port.
    this.auth = target.authorizationHeader();
  }

  PushConfig.Target target() {
    return target;
  }

  /** The outcome of one push, for logs and tests. */
  record Result(int samples, int status, String error) {
    boolean ok() {
      return error == null;
    }
  }

  /**
   * Pushes the samples newer than the last push, as of {@code nowMs}.
   *
   * @throws InterruptedException when interrupted while waiting for the receiver
   */
  Result pushOnce(long nowMs) throws InterruptedException {
    Map<Labels, Long> next = new HashMap<>();
    List<Sample> samples = read(nowMs, next);
    if (samples.isEmpty()) {
      sent = next;
      return new Result(0, 0, null);
    }
    if (target.kind().equals(PushConfig.STATSD)) {
      return sendStatsd(samples, next, nowMs);
    }
    byte[] body;
    String contentType;
    int count;
    if (target.kind().equals(PushConfig.OTLP)) {
      body = OtlpEncoder.encode(Families.group(samples), external.get(), target.serviceName());
      contentType = "application/x-protobuf";
      count = samples.size();
    } else {
      LineProtocol.Body lp = LineProtocol.encode(samples, external.get(), target.precision());
      samplesDropped.add(lp.dropped());
      body = lp.text().getBytes(StandardCharsets.UTF_8);
      contentType = "text/plain; charset=utf-8";
      count = lp.lines();
      if (count == 0) {
        sent = next;
        return new Result(0, 0, null);
      }
    }
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(uri)
            .timeout(target.timeout())
            .header("Content-Type", contentType)
            .header("User-Agent", USER_AGENT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    target.headers().forEach(rb::header);
    if (auth != null) {
      rb.header("Authorization", auth);
    }
    HttpResponse<String> r;
    try {
      r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      requestsFailed.increment();
      return new Result(count, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    int code = r.statusCode();
    if (code / 100 == 2) {
      samplesSent.add(count);
      lastSuccessMs.set(nowMs);
      sent = next;
      return new Result(count, code, null);
    }
    requestsFailed.increment();
    String text = r.body() == null ? "" : r.body().strip();
    String detail =
        "HTTP "
            + code
            + (text.isEmpty() ? "" : ": " + text.substring(0, Math.min(200, text.length())));
    if (code / 100 == 4 && code != 429) {
      // The receiver will never take these: counted as dropped and not sent again.
      samplesDropped.add(count);
      sent = next;
    }
    return new Result(count, code, detail);
  }

  private Result sendStatsd(List<Sample> samples, Map<Labels, Long> next, long nowMs) {
    StatsdLines.Packets p = StatsdLines.encode(samples, external.get());
    samplesDropped.add(p.dropped());
    try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
      java.net.InetSocketAddress to =
          new java.net.InetSocketAddress(target.url().getHost(), target.url().getPort());
      for (byte[] d : p.datagrams()) {
        ch.send(java.nio.ByteBuffer.wrap(d), to);
      }
    } catch (IOException e) {
      requestsFailed.increment();
      return new Result(p.lines(), 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    // UDP has no answer: sent means handed to the network.
    samplesSent.add(p.lines());
    lastSuccessMs.set(nowMs);
    sent = next;
    return new Result(p.lines(), 0, null);
  }

  /** The newest sample of each matching series newer than its position; fills {@code next}. */
  private List<Sample> read(long nowMs, Map<Labels, Long> next) {
    long mint = nowMs - LOOKBACK_MS;
    List<Sample> out = new ArrayList<>();
    try (Querier q = storage.get().querier(mint, nowMs)) {
      for (List<LabelMatcher> set : match) {
        SeriesSet s = q.select(SelectHints.range(mint, nowMs), set);
        while (s.next()) {
          Labels l = s.at().labels();
          if (next.containsKey(l)) {
            continue;
          }
          SampleIterator it = s.at().iterator();
          long t = Long.MIN_VALUE;
          double v = 0;
          while (it.next()) {
            if (it.timestamp() > nowMs) {
              break;
            }
            t = it.timestamp();
            v = it.value();
          }
          if (t == Long.MIN_VALUE || StaleMarker.is(v)) {
            continue;
          }
          Long prev = sent.get(l);
          next.put(l, prev == null ? t : Math.max(prev, t));
          if (prev == null || t > prev) {
            out.add(new Sample(l, t, v));
          }
        }
      }
    }
    return out;
  }

  private static URI influxUri(PushConfig.Target t) {
    String base = t.url().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    StringBuilder q = new StringBuilder(base).append("/write?db=").append(enc(t.database()));
    q.append("&precision=").append(t.precision());
    if (t.retentionPolicy() != null) {
      q.append("&rp=").append(enc(t.retentionPolicy()));
    }
    return URI.create(q.toString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
