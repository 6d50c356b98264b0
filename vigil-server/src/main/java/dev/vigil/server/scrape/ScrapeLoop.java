package dev.vigil.server.scrape;

import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.relabel.Relabeler;
import dev.vigil.tsdb.Appendable;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Exemplar;
import dev.vigil.tsdb.ExemplarException;
import dev.vigil.tsdb.Labels;
import dev.vigil.tsdb.OutOfOrderException;
import dev.vigil.tsdb.StaleMarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one {@link Target} every interval on its own virtual thread, so a slow or broken target
 * never delays another.
 *
 * <p>Each scrape: GET with Prometheus' Accept header (OpenMetrics preferred, text 0.0.4 accepted)
 * and gzip; parse; add target labels (clashing exposed labels become {@code exported_<name>} unless
 * {@code honor_labels}); metric relabeling; sample and label limits (exceeding one fails the whole
 * scrape, as in Prometheus); append in one transaction; stale markers for series that disappeared;
 * then the report series {@code up}, {@code scrape_duration_seconds}, {@code
 * scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling}, {@code
 * scrape_series_added}. A failed scrape marks every series of the last one stale.
 */
/*
 * Series cache: the raw "name{labels}" text of a line maps to its final labels and storage ref,
 * so a steady target costs no relabeling, no label sorting and no index lookups after its first
 * scrape (the same idea as Prometheus' scrapeCache). Entries not seen in a scrape are dropped.
 */
final class ScrapeLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

  private final Target target;
  private final Appendable db;
  private final HttpClient client;
  private final String authHeader;
  private final long offsetMs;
  private final LocalSource local;
  private final String setupError;

  private final Map<String, Entry> cache = new HashMap<>();
  private Map<Entry, Boolean> lastSeen = new IdentityHashMap<>();
  private final Map<String, MetricMetadata> metadata = new ConcurrentHashMap<>();
  private final long[] reportRefs = new long[5];

  private volatile boolean stopped;
  private Thread thread;

  /** A cached series: its final labels (null when metric relabeling drops it) and storage ref. */
  private static final class Entry {
    final Labels labels;
    long ref;
    boolean explicitTimestamp;

    Entry(Labels labels) {
      this.labels = labels;
    }
  }

  ScrapeLoop(Target target, Appendable db, HttpClient client, long offsetMs) {
    this(target, db, client, offsetMs, null);
  }

  /** A loop over an in-process source instead of HTTP when {@code local} is not null. */
  ScrapeLoop(Target target, Appendable db, HttpClient client, long offsetMs, LocalSource local) {
    this(target, db, client, offsetMs, local, null);
  }

  /**
   * A loop whose every scrape fails with {@code setupError} when it is not null (a job whose HTTP
   * client could not be made).
   */
  ScrapeLoop(
      Target target,
      Appendable db,
      HttpClient client,
      long offsetMs,
      LocalSource local,
      String setupError) {
    this.setupError = setupError;
    this.local = local;
    this.target = target;
    this.db = db;
    this.client = client;
    this.offsetMs = offsetMs;
    ScrapeConfig job = target.job();
    if (job.bearerToken() != null) {
      authHeader = "Bearer " + job.bearerToken();
    } else if (job.basicAuth() != null) {
      authHeader =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (job.basicAuth().username() + ":" + job.basicAuth().password())
                          .getBytes(StandardCharsets.UTF_8));
    } else {
      authHeader = null;
    }
  }

  Target target() {
    return target;
  }

  /** Metadata of the metric families of the last scrapes, by family name. */
  Map<String, MetricMetadata> metadata() {
    return metadata;
  }

  /** Starts scraping on a virtual thread, the first scrape at this target's offset slot. */
  void start() {
    thread = Thread.ofVirtual().name("scrape-" + target.url()).start(this::run);
  }

  private void run() {
    long interval = target.job().interval().toMillis();
    while (!stopped) {
      long now = System.currentTimeMillis();
      long next = Math.floorDiv(now - offsetMs, interval) * interval + offsetMs + interval;
      try {
        Thread.sleep(Math.max(0, next - now));
      } catch (InterruptedException e) {
        if (stopped) {
          return;
        }
        continue;
      }
      if (stopped) {
        return;
      }
      try {
        scrapeOnce(System.currentTimeMillis());
      } catch (RuntimeException e) {
        LOG.warn("scrape of {} failed unexpectedly", target.url(), e);
      }
    }
  }

  /**
   * Stops the loop and waits for a running scrape to finish.
   *
   * @param markStale append stale markers for every series of the last scrape (the target went
   *     away); false on shutdown, where the data simply ends
   */
  void stop(boolean markStale) {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(target.job().timeout().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (markStale) {
      synchronized (this) {
        long t = System.currentTimeMillis();
        Appender app = db.appender();
        try {
          for (Entry e : lastSeen.keySet()) {
            appendStale(app, e, t);
          }
          for (int i = 0; i < reportRefs.length; i++) {
            if (reportRefs[i] != 0) {
              app.append(reportRefs[i], reportLabels(i), t, StaleMarker.VALUE);
            }
          }
          app.commit();
        } catch (RuntimeException ex) {
          app.rollback();
          LOG.warn("cannot write stale markers for {}: {}", target.url(), ex.getMessage());
        }
        lastSeen = new IdentityHashMap<>();
      }
    }
  }

  private static final String[] REPORT_NAMES = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added"
  };

  private Labels reportLabels(int i) {
    return target.labels().toBuilder().set(Labels.METRIC_NAME, REPORT_NAMES[i]).build();
  }

  /** One scrape, started at {@code startMs}. Package-private for tests. */
  synchronized void scrapeOnce(long startMs) {
    long t0 = System.nanoTime();
    Appender app = db.appender();
    Counts counts = new Counts();
    Map<Entry, Boolean> seen = new IdentityHashMap<>();
    String error = null;
    try {
      Fetched body = fetch();
      ScrapeParser.parse(
          body.bytes, body.length, body.format, new Sink(app, startMs, counts, seen));
      // Series of the last scrape that are gone now: mark them stale.
      for (Entry e : lastSeen.keySet()) {
        if (!seen.containsKey(e)) {
          appendStale(app, e, startMs);
        }
      }
      app.commit();
      cache.values().removeIf(e -> !seen.containsKey(e));
      lastSeen = seen;
    } catch (IOException e) {
      String tls = ScrapeTls.describe(e);
      error =
          tls != null
              ? tls
              : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (tls == null && target.url().startsWith("https:")) {
        error = ScrapeTls.hintClosedConnection(error, target.job().tls());
      }
    } catch (ScrapeParser.ParseException | LimitException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (InterruptedException e) {
      error = "scrape interrupted";
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      error = e.toString();
    }
    if (error != null) {
      app.rollback();
      counts.scraped = 0;
      counts.post = 0;
      counts.added = 0;
      Appender stale = db.appender();
      try {
        for (Entry e : lastSeen.keySet()) {
          appendStale(stale, e, startMs);
        }
        stale.commit();
      } catch (RuntimeException ex) {
        stale.rollback();
      }
      lastSeen = new IdentityHashMap<>();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    report(startMs, seconds, error == null ? 1 : 0, counts);
    target.report(Instant.ofEpochMilli(startMs), seconds, error);
    if (error != null) {
      LOG.debug("scrape of {} failed: {}", target.url(), error);
    }
  }

  private void appendStale(Appender app, Entry e, long t) {
    if (e.labels == null || e.explicitTimestamp || e.ref == 0) {
      return;
    }
    try {
      app.append(e.ref, e.labels, t, StaleMarker.VALUE);
    } catch (OutOfOrderException ignored) {
      // A newer sample exists already: nothing to mark.
    }
  }

  private void report(long t, double seconds, double up, Counts c) {
    double[] values = {up, seconds, c.scraped, c.post, c.added};
    Appender app = db.appender();
    try {
      for (int i = 0; i < values.length; i++) {
        reportRefs[i] = app.append(reportRefs[i], reportLabels(i), t, values[i]);
      }
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      LOG.warn("cannot append scrape report of {}: {}", target.url(), e.getMessage());
    }
  }

  private static final class Counts {
    long scraped;
    long post;
    long added;
  }

  /** A scrape that broke a limit; fails the whole scrape. */
  private static final class LimitException extends RuntimeException {
    LimitException(String m) {
      super(m, null, false, false);
    }
  }

  private record Fetched(byte[] bytes, int length, ScrapeFormat format) {}

  private Fetched fetch() throws IOException, InterruptedException {
    if (local != null) {
      byte[] b = local.scrape();
      return new Fetched(b, b.length, local.format());
    }
    if (setupError != null) {
      throw new IOException(setupError);
    }
    ScrapeConfig job = target.job();
    Duration timeout = job.timeout();
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(URI.create(target.url()))
            .timeout(timeout)
            .header("Accept", ScrapeFormat.ACCEPT)
            .header("Accept-Encoding", "gzip")
            .header("User-Agent", "Vigil/" + dev.vigil.server.api.StatusApi.vigilVersion())
            .header(
                "X-Prometheus-Scrape-Timeout-Seconds", Double.toString(timeout.toMillis() / 1000.0))
            .GET();
    if (authHeader != null) {
      rb.header("Authorization", authHeader);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<InputStream> resp =
        client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream raw = resp.body()) {
      if (resp.statusCode() != 200) {
        throw new IOException("server returned HTTP status " + resp.statusCode());
      }
      boolean gzip =
          resp.headers()
              .firstValue("Content-Encoding")
              .map(v -> v.equalsIgnoreCase("gzip"))
              .orElse(false);
      InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw;
      long limit = job.bodySizeLimit() > 0 ? job.bodySizeLimit() : Long.MAX_VALUE;
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
      byte[] buf = new byte[32 << 10];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limit) {
          throw new IOException(
              "body size limit exceeded ("
                  + limit
                  + " bytes, body_size_limit of job "
                  + job.jobName()
                  + ")");
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "context deadline exceeded (scrape_timeout " + timeout.toMillis() + "ms)");
        }
        out.write(buf, 0, n);
      }
      byte[] bytes = out.toByteArray();
      return new Fetched(
          bytes,
          bytes.length,
          ScrapeFormat.of(resp.headers().firstValue("Content-Type").orElse(null)));
    }
  }

  /** Turns parsed samples into appends. */
  private final class Sink implements ScrapeParser.Sink {
    private final Appender app;
    private final long start;
    private final Counts counts;
    private final Map<Entry, Boolean> seen;
    private final Map<String, String[]> meta = new HashMap<>();
    private Entry lastEntry;
    private long lastTime;

    Sink(Appender app, long start, Counts counts, Map<Entry, Boolean> seen) {
      this.app = app;
      this.start = start;
      this.counts = counts;
      this.seen = seen;
    }

    @Override
    public void type(String name, String type) {
      meta(name)[0] = type;
      publish(name);
    }

    @Override
    public void help(String name, String help) {
      meta(name)[1] = help;
      publish(name);
    }

    @Override
    public void unit(String name, String unit) {
      meta(name)[2] = unit;
      publish(name);
    }

    private String[] meta(String name) {
      return meta.computeIfAbsent(name, k -> new String[] {"unknown", "", ""});
    }

    private void publish(String name) {
      String[] m = meta.get(name);
      metadata.put(name, new MetricMetadata(m[0], m[1], m[2]));
    }

    @Override
    public void sample(String key, String name, List<String> labels, double value, long ts) {
      ScrapeConfig job = target.job();
      counts.scraped++;
      Entry e = cache.get(key);
      if (e == null) {
        e = new Entry(buildLabels(name, labels));
        cache.put(key, e);
        if (e.labels != null) {
          counts.added++;
        }
      }
      lastEntry = null;
      if (e.labels == null) {
        return;
      }
      counts.post++;
      if (job.sampleLimit() > 0 && counts.post > job.sampleLimit()) {
        throw new LimitException("sample_limit exceeded (" + job.sampleLimit() + ")");
      }
      boolean explicit = job.honorTimestamps() && ts != Long.MIN_VALUE;
      e.explicitTimestamp = explicit;
      long t = explicit ? ts : start;
      seen.put(e, Boolean.TRUE);
      lastEntry = e;
      lastTime = t;
      try {
        e.ref = app.append(e.ref, e.labels, t, value);
      } catch (OutOfOrderException ex) {
        // Prometheus skips out-of-order samples and counts them; the scrape still succeeds.
      }
    }

    /**
     * Appends an exemplar to the series of the sample just appended (after metric relabeling, so a
     * dropped series drops its exemplars); without its own timestamp it takes the sample's. Refused
     * exemplars (out of order, labels too long) are skipped, as in Prometheus.
     */
    @Override
    public void exemplar(List<String> labels, double value, long ts) {
      Entry e = lastEntry;
      lastEntry = null;
      if (e == null) {
        return;
      }
      try {
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < labels.size(); i += 2) {
          b.set(labels.get(i), labels.get(i + 1));
        }
        long t = ts != Long.MIN_VALUE ? ts : lastTime;
        e.ref = app.appendExemplar(e.ref, e.labels, new Exemplar(b.build(), value, t));
      } catch (ExemplarException ex) {
        LOG.debug("exemplar of {} from {} skipped: {}", e.labels, target.url(), ex.getMessage());
      }
    }

    private Labels buildLabels(String name, List<String> labels) {
      ScrapeConfig job = target.job();
      Labels.Builder b = Labels.builder();
      for (int i = 0; i < labels.size(); i += 2) {
        b.set(labels.get(i), labels.get(i + 1));
      }
      b.set(Labels.METRIC_NAME, name);
      Labels tl = target.labels();
      for (int i = 0; i < tl.size(); i++) {
        String n = tl.name(i);
        String exposed = b.get(n);
        if (exposed != null) {
          if (job.honorLabels()) {
            continue;
          }
          b.set("exported_" + n, exposed);
        }
        b.set(n, tl.value(i));
      }
      Labels l = Relabeler.process(b.build(), job.metricRelabelConfigs());
      if (l == null || l.metricName() == null) {
        return null;
      }
      if (job.labelLimit() > 0 && l.size() > job.labelLimit()) {
        throw new LimitException(
            "label_limit exceeded (metric: "
                + name
                + ", number of labels: "
                + l.size()
                + ", limit: "
                + job.labelLimit()
                + ")");
      }
      for (int i = 0; i < l.size(); i++) {
        if (job.labelNameLengthLimit() > 0 && l.name(i).length() > job.labelNameLengthLimit()) {
          throw new LimitException(
              "label_name_length_limit exceeded (metric: "
                  + name
                  + ", label name: "
                  + l.name(i)
                  + ", limit: "
                  + job.labelNameLengthLimit()
                  + ")");
        }
        if (job.labelValueLengthLimit() > 0 && l.value(i).length() > job.labelValueLengthLimit()) {
          throw new LimitException(
              "label_value_length_limit exceeded (metric: "
                  + name
                  + ", label name: "
                  + l.name(i)
                  + ", limit: "
                  + job.labelValueLengthLimit()
                  + ")");
        }
      }
      return l;
    }
  }
}
