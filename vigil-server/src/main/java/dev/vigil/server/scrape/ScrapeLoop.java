package dev.vigil.server.scrape;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Exemplar;
import dev.vigil.model.ExemplarException;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.model.StaleMarker;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.relabel.Relabeler;
import dev.vigil.server.scrape.ScrapeCache.Entry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one {@link Target} every interval on its own virtual thread, so a slow or broken target
 * never delays another.
 *
 * <p>Each scrape: fetch through a {@link TargetScraper} (one {@code scrape_timeout} deadline over
 * connect, headers and body); parse; add target labels (clashing exposed labels become {@code
 * exported_<name>} unless {@code honor_labels}); metric relabeling; sample and label limits
 * (exceeding one fails the whole scrape, as in Prometheus); append in one transaction; stale
 * markers for series that disappeared; then the report series {@code up}, {@code
 * scrape_duration_seconds}, {@code scrape_samples_scraped}, {@code
 * scrape_samples_post_metric_relabeling}, {@code scrape_series_added}. A failed scrape marks every
 * series of the last one stale and reports {@code up 0}.
 *
 * <p>{@link #stop(boolean)} aborts a scrape in flight: the abandoned scrape writes nothing (no
 * stale markers, no {@code up 0}); only {@code stop(true)} marks the last scrape's series stale.
 * Thread-safe.
 */
final class ScrapeLoop {
  /*
   * Split as Prometheus' scrape.go is: the client with its deadline (TargetScraper), what scrapes
   * remember (ScrapeCache), and this loop, which owns the schedule and the writes. The loop never
   * interrupts its thread: stop() cancels the HTTP exchange and opens a latch the loop waits on
   * between scrapes. An interrupt could land in a storage commit, where it would close the WAL's
   * file channel for every writer (FileChannel is interruptible).
   */
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

  static final String[] REPORT_NAMES = {
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added"
  };

  private final Target target;
  private final Appendable db;
  private final TargetScraper scraper;
  private final long offsetMs;
  private final LongSupplier clock;
  private final ScrapeCache cache = new ScrapeCache();
  private final CountDownLatch stopSignal = new CountDownLatch(1);

  private volatile boolean stopped;
  private Thread thread;

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
    this(
        target,
        db,
        local != null
            ? TargetScraper.local(local)
            : setupError != null
                ? TargetScraper.failing(setupError)
                : TargetScraper.http(target, client),
        offsetMs,
        System::currentTimeMillis);
  }

  /**
   * A loop fetching through {@code scraper}.
   *
   * @param offsetMs this target's slot within the interval
   * @param clock wall time in milliseconds: the schedule and the timestamps of samples
   */
  ScrapeLoop(
      Target target, Appendable db, TargetScraper scraper, long offsetMs, LongSupplier clock) {
    this.target = target;
    this.db = db;
    this.scraper = scraper;
    this.offsetMs = offsetMs;
    this.clock = clock;
  }

  Target target() {
    return target;
  }

  /** Metadata of the metric families of the last scrapes, by family name. */
  Map<String, MetricMetadata> metadata() {
    return cache.metadata();
  }

  /** Starts scraping on a virtual thread, the first scrape at this target's offset slot. */
  void start() {
    thread = Thread.ofVirtual().name("scrape-" + target.url()).start(this::run);
  }

  /** Whether the loop's thread is still alive. */
  boolean running() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  private void run() {
    long interval = target.job().interval().toMillis();
    while (!stopped) {
      long now = clock.getAsLong();
      long next = Math.floorDiv(now - offsetMs, interval) * interval + offsetMs + interval;
      try {
        if (stopSignal.await(Math.max(0, next - now), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return; // only the JVM's shutdown interrupts this thread
      }
      try {
        scrapeOnce(clock.getAsLong());
      } catch (RuntimeException e) {
        LOG.warn("scrape of {} failed unexpectedly", target.url(), e);
      }
    }
  }

  /**
   * Stops the loop: aborts a scrape in flight (which then writes nothing) and waits for the loop's
   * thread to end.
   *
   * @param markStale append stale markers for every series of the last scrape and the report series
   *     (the target went away); false on shutdown, where the data simply ends
   */
  void stop(boolean markStale) {
    stopped = true;
    stopSignal.countDown();
    scraper.abort();
    if (thread != null) {
      try {
        // An aborted scrape returns at once; one past its fetch finishes its appends.
        thread.join(target.job().timeout().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        LOG.warn("scrape loop of {} did not stop within its timeout", target.url());
      }
    }
    if (markStale) {
      synchronized (this) {
        long t = clock.getAsLong();
        Appender app = db.appender();
        try {
          for (Entry e : cache.lastScrape()) {
            appendStale(app, e, t);
          }
          long[] refs = cache.reportRefs();
          for (int i = 0; i < refs.length; i++) {
            if (refs[i] != 0) {
              app.append(refs[i], reportLabels(i), t, StaleMarker.VALUE);
            }
          }
          app.commit();
        } catch (RuntimeException ex) {
          app.rollback();
          LOG.warn("cannot write stale markers for {}: {}", target.url(), ex.getMessage());
        }
        cache.forgetLastScrape();
      }
    }
  }

  private Labels reportLabels(int i) {
    return target.labels().toBuilder().set(Labels.METRIC_NAME, REPORT_NAMES[i]).build();
  }

  /** One scrape, started at {@code startMs}. Package-private for tests. */
  synchronized void scrapeOnce(long startMs) {
    if (stopped) {
      return;
    }
    long t0 = System.nanoTime();
    Appender app = db.appender();
    Counts counts = new Counts();
    String error = null;
    try {
      TargetScraper.Body body = scraper.scrape();
      try {
        ScrapeParser.parse(
            body.bytes(),
            body.length(),
            body.format(),
            new Sink(app, startMs, counts, body.format() == ScrapeFormat.OPENMETRICS));
      } finally {
        scraper.release(body);
      }
      // Series of the last scrape that are gone now: mark them stale.
      for (Entry e : cache.vanished()) {
        appendStale(app, e, startMs);
      }
      app.commit();
      cache.commit();
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
    if (error != null && stopped) {
      // Aborted by stop(): the target did not fail, the loop ended. Nothing is written.
      app.rollback();
      cache.abandon();
      return;
    }
    if (error != null) {
      app.rollback();
      counts.scraped = 0;
      counts.post = 0;
      counts.added = 0;
      Appender stale = db.appender();
      try {
        for (Entry e : cache.lastScrape()) {
          appendStale(stale, e, startMs);
        }
        stale.commit();
      } catch (RuntimeException ex) {
        stale.rollback();
      }
      cache.forgetLastScrape();
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
    long[] refs = cache.reportRefs();
    Appender app = db.appender();
    try {
      for (int i = 0; i < values.length; i++) {
        refs[i] = app.append(refs[i], reportLabels(i), t, values[i]);
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

  /** Turns parsed samples into appends. */
  private final class Sink implements ScrapeParser.Sink {
    private final Appender app;
    private final long start;
    private final Counts counts;
    private final Map<String, String[]> meta = new HashMap<>();
    private final boolean openMetrics;
    private Entry lastEntry;
    private long lastTime;
    // The line known() did not know: its entry in the other format, or its text for sample().
    private Entry pending;
    private byte[] pendingText;
    private int pendingFrom;
    private int pendingTo;

    Sink(Appender app, long start, Counts counts, boolean openMetrics) {
      this.app = app;
      this.start = start;
      this.counts = counts;
      this.openMetrics = openMetrics;
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
      cache.metadata().put(name, new MetricMetadata(name, m[0], m[1], m[2]));
    }

    @Override
    public boolean known(byte[] text, int from, int to) {
      Entry e = cache.get(text, from, to);
      if (e != null && e.openMetrics == openMetrics) {
        pending = e;
        return true;
      }
      // Unknown, or first seen in the other format (the same bytes may not be valid in both):
      // the full parse checks it, then sample() reuses the entry.
      pending = e;
      pendingText = text;
      pendingFrom = from;
      pendingTo = to;
      return false;
    }

    @Override
    public void sampleKnown(double value, long ts) {
      Entry e = pending;
      pending = null;
      record(e, value, ts);
    }

    @Override
    public void sample(String key, String name, List<String> labels, double value, long ts) {
      Entry e = pending;
      pending = null;
      if (e == null) {
        byte[] text = pendingText;
        int from = pendingFrom;
        int to = pendingTo;
        if (text == null) { // known() was not asked: the key is the same text, as Latin-1
          text = key.getBytes(StandardCharsets.ISO_8859_1);
          from = 0;
          to = text.length;
          e = cache.get(text, from, to);
        }
        if (e == null) {
          e = cache.add(text, from, to, buildLabels(name, labels));
          if (e.labels != null) {
            counts.added++;
          }
        }
      }
      pendingText = null;
      e.openMetrics = openMetrics;
      record(e, value, ts);
    }

    private void record(Entry e, double value, long ts) {
      ScrapeConfig job = target.job();
      counts.scraped++;
      lastEntry = null;
      cache.seen(e); // dropped series too: their relabeling is cached like the others'
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
      // The parser makes new strings for every line; a new series keeps the JVM's one copy of
      // each name and value instead (String.intern), shared with every other series, the scrape
      // cache and the head's postings. Per-series copies were most of the heap at 20,000 series
      // (docs/BENCHMARKS.md, "Resident memory").
      Labels.Builder b = Labels.builder();
      for (int i = 0; i < labels.size(); i += 2) {
        b.set(labels.get(i).intern(), labels.get(i + 1).intern());
      }
      b.set(Labels.METRIC_NAME, name.intern());
      Labels tl = target.labels();
      for (int i = 0; i < tl.size(); i++) {
        String n = tl.name(i);
        String exposed = b.get(n);
        if (exposed != null) {
          if (job.honorLabels()) {
            continue;
          }
          b.set(("exported_" + n).intern(), exposed);
        }
        // Interned too: the head keeps the labels it is given only when every string is the
        // interned copy, else it makes a second Labels per series (2 per series at 20,000).
        b.set(n.intern(), tl.value(i).intern());
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
