package dev.vigil.server.scrape;

import dev.vigil.model.Appendable;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.config.ScrapeConfig.FileSdConfig;
import dev.vigil.server.config.ScrapeConfig.TargetGroup;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scrape jobs of the configuration: discovers targets (static and file_sd), keeps one
 * {@link ScrapeLoop} per target, and applies new configurations without losing data.
 *
 * <pre>{@code
 * ScrapeManager m = new ScrapeManager(tsdb);
 * m.apply(config.scrapeConfigs());   // start
 * m.apply(reloaded.scrapeConfigs()); // reload: unchanged targets keep scraping
 * m.close();                         // shutdown
 * }</pre>
 *
 * <p>Scrapes of one job are spread over its interval by a hash of each target, so a hundred targets
 * do not fire at once. A target that disappears (file_sd change, reload) gets stale markers for its
 * series; on shutdown the data simply ends. Thread-safe.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);

  /** How often file_sd files are checked for changes. */
  static final Duration FILE_SD_POLL = Duration.ofSeconds(1);

  private final Appendable db;
  private HttpClient client;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Map<String, ScrapeLoop> locals = new LinkedHashMap<>();
  private final Thread discovery;
  private volatile boolean closed;

  private static final class Job {
    final ScrapeConfig config;
    final List<FileSd> fileSds = new ArrayList<>();
    final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
    List<Labels> dropped = List.of();

    /** The job's own client when it has a {@code tls_config}, else null (the shared one). */
    HttpClient tlsClient;

    /** Why the TLS client could not be made, or null; every scrape of the job then fails so. */
    String tlsError;

    Job(ScrapeConfig config) {
      this.config = config;
      for (FileSdConfig f : config.fileSdConfigs()) {
        fileSds.add(new FileSd(f));
      }
      if (config.tls() != null) {
        try {
          tlsClient =
              HttpClient.newBuilder()
                  .executor(Executors.newVirtualThreadPerTaskExecutor())
                  .followRedirects(HttpClient.Redirect.NORMAL)
                  .connectTimeout(Duration.ofSeconds(10))
                  .sslContext(ScrapeTls.context(config.tls()))
                  .sslParameters(ScrapeTls.parameters(config.tls()))
                  .build();
        } catch (GeneralSecurityException | RuntimeException e) {
          tlsError = "tls_config of job " + config.jobName() + " is unusable: " + e.getMessage();
          LOG.warn("{}", tlsError);
        }
      }
    }

    /** Stops every loop and the job's own client. */
    void stop(boolean markStale) {
      loops.values().forEach(l -> l.stop(markStale));
      if (tlsClient != null) {
        tlsClient.shutdown();
      }
    }
  }

  /** A manager appending to {@code db}; it scrapes nothing until {@link #apply}. */
  public ScrapeManager(Appendable db) {
    this.db = db;
    this.discovery = Thread.ofVirtual().name("scrape-discovery").start(this::discoveryLoop);
  }

  /** The HTTP client, made on first use: building one costs ~0.3 s (TLS setup) at start-up. */
  private synchronized HttpClient client() {
    if (client == null) {
      client =
          HttpClient.newBuilder()
              .executor(Executors.newVirtualThreadPerTaskExecutor())
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }
    return client;
  }

  /** Starts, keeps, restarts or stops loops so that exactly the given jobs run. */
  public synchronized void apply(List<ScrapeConfig> configs) {
    Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
    for (ScrapeConfig c : configs) {
      wanted.put(c.jobName(), c);
    }
    for (var it = jobs.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      ScrapeConfig now = wanted.get(e.getKey());
      if (now == null) {
        e.getValue().stop(true);
        it.remove();
      } else if (!now.equals(e.getValue().config)) {
        e.getValue().stop(false);
        it.remove();
      }
    }
    long now = System.currentTimeMillis();
    for (ScrapeConfig c : configs) {
      Job job = jobs.get(c.jobName());
      if (job == null) {
        job = new Job(c);
        jobs.put(c.jobName(), job);
        for (FileSd f : job.fileSds) {
          f.poll(now);
        }
        sync(job);
      }
    }
  }

  /**
   * Adds (or replaces) an in-process target, scraped every {@code interval} like an HTTP target,
   * with labels {@code job} and {@code instance}. It is kept across {@link #apply} calls.
   */
  public synchronized void addLocal(
      String jobName, String instance, Duration interval, LocalSource source) {
    ScrapeLoop old = locals.remove(jobName);
    if (old != null) {
      old.stop(false);
    }
    ScrapeConfig c = ScrapeConfig.of(jobName, interval, instance);
    Target t = Target.build(c, instance, Map.of(), new ArrayList<>());
    ScrapeLoop loop = new ScrapeLoop(t, db, null, 0, source);
    locals.put(jobName, loop);
    loop.start();
  }

  private void discoveryLoop() {
    while (!closed) {
      try {
        Thread.sleep(FILE_SD_POLL.toMillis());
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        long now = System.currentTimeMillis();
        for (Job job : jobs.values()) {
          boolean changed = false;
          for (FileSd f : job.fileSds) {
            changed |= f.poll(now);
          }
          if (changed) {
            sync(job);
          }
        }
      }
    }
  }

  /** Brings the loops of a job in line with its discovered targets. */
  private void sync(Job job) {
    List<TargetGroup> groups = new ArrayList<>(job.config.staticConfigs());
    for (FileSd f : job.fileSds) {
      groups.addAll(f.groups());
    }
    Map<String, Target> desired = new LinkedHashMap<>();
    List<Labels> dropped = new ArrayList<>();
    for (TargetGroup g : groups) {
      for (String address : g.targets()) {
        Target t = Target.build(job.config, address, g.labels(), dropped);
        if (t != null) {
          desired.putIfAbsent(t.key(), t);
        }
      }
    }
    job.dropped = List.copyOf(dropped);
    for (var it = job.loops.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!desired.containsKey(e.getKey())) {
        e.getValue().stop(true);
        it.remove();
      }
    }
    long interval = job.config.interval().toMillis();
    for (var e : desired.entrySet()) {
      if (!job.loops.containsKey(e.getKey())) {
        Target t = e.getValue();
        long offset = Math.floorMod(t.labels().hash64() ^ t.url().hashCode(), interval);
        ScrapeLoop loop =
            job.config.tls() == null
                ? new ScrapeLoop(t, db, client(), offset)
                : new ScrapeLoop(t, db, job.tlsClient, offset, null, job.tlsError);
        job.loops.put(e.getKey(), loop);
        loop.start();
      }
    }
    LOG.debug(
        "job {}: {} targets, {} dropped", job.config.jobName(), job.loops.size(), dropped.size());
  }

  /** The targets being scraped, job by job. */
  public synchronized List<Target> activeTargets() {
    List<Target> out = new ArrayList<>();
    locals.values().forEach(l -> out.add(l.target()));
    for (Job j : jobs.values()) {
      j.loops.values().forEach(l -> out.add(l.target()));
    }
    return out;
  }

  /** Discovered labels of targets dropped by relabeling, by job. */
  public synchronized Map<String, List<Labels>> droppedTargets() {
    Map<String, List<Labels>> out = new LinkedHashMap<>();
    jobs.forEach((k, j) -> out.put(k, j.dropped));
    return out;
  }

  /** One active target and the metadata of the families its scrapes announced. */
  public record TargetMetadata(Target target, Map<String, MetricMetadata> metadata) {}

  /** Every active target (in-process ones first) with its metadata, families sorted by name. */
  public synchronized List<TargetMetadata> targetMetadata() {
    List<ScrapeLoop> loops = new ArrayList<>(locals.values());
    jobs.values().forEach(j -> loops.addAll(j.loops.values()));
    List<TargetMetadata> out = new ArrayList<>(loops.size());
    for (ScrapeLoop l : loops) {
      out.add(new TargetMetadata(l.target(), new TreeMap<>(l.metadata())));
    }
    return out;
  }

  /** Metadata of every scraped metric family, by name, distinct across targets. */
  public synchronized Map<String, List<MetricMetadata>> metadata() {
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    List<ScrapeLoop> loops = new ArrayList<>(locals.values());
    jobs.values().forEach(j -> loops.addAll(j.loops.values()));
    {
      for (ScrapeLoop l : loops) {
        l.metadata()
            .forEach(
                (name, m) -> {
                  List<MetricMetadata> list = out.computeIfAbsent(name, k -> new ArrayList<>());
                  if (!list.contains(m)) {
                    list.add(m);
                  }
                });
      }
    }
    return out;
  }

  /** Stops every loop (no stale markers: the data simply ends) and the discovery thread. */
  @Override
  public void close() {
    List<ScrapeLoop> all = new ArrayList<>();
    List<HttpClient> tlsClients = new ArrayList<>();
    synchronized (this) {
      closed = true;
      jobs.values().forEach(j -> all.addAll(j.loops.values()));
      jobs.values().stream()
          .filter(j -> j.tlsClient != null)
          .forEach(j -> tlsClients.add(j.tlsClient));
      all.addAll(locals.values());
      jobs.clear();
      locals.clear();
    }
    discovery.interrupt();
    all.forEach(l -> l.stop(false));
    tlsClients.forEach(HttpClient::shutdown);
    synchronized (this) {
      if (client != null) {
        client.close();
      }
    }
  }
}
