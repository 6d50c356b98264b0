package dev.vigil.server;

import dev.vigil.collectors.HostCollectors;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.promql.Engine;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleManager;
import dev.vigil.rules.history.AlertHistory;
import dev.vigil.server.api.AdminApi;
import dev.vigil.server.api.AlertHistoryApi;
import dev.vigil.server.api.ExportApi;
import dev.vigil.server.api.FederateRoutes;
import dev.vigil.server.api.LifecycleRoutes;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.api.QueryApi;
import dev.vigil.server.api.RulesApi;
import dev.vigil.server.api.SelfMetrics;
import dev.vigil.server.api.SeriesApi;
import dev.vigil.server.api.ServerState;
import dev.vigil.server.api.SilencesApiV2;
import dev.vigil.server.api.SlosApi;
import dev.vigil.server.api.StatusApi;
import dev.vigil.server.api.TargetsApi;
import dev.vigil.server.api.TsdbStatusApi;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.QueryPool;
import dev.vigil.server.http.RequestObserver;
import dev.vigil.server.http.Routes;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.scrape.LocalSource;
import dev.vigil.server.scrape.ScrapeManager;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.WalReplayProgress;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole monitoring system in one handle: storage, query engine, scraping, self-collection of
 * the host, the JVM and Vigil itself, and (optionally) the HTTP server. {@code ./vigil serve} runs
 * exactly this; an application embeds it the same way.
 *
 * <pre>{@code
 * try (Vigil vigil = Vigil.start(VigilConfig.defaults().withStoragePath(Path.of("data")))) {
 *   vigil.recorders().api().record("/chat", "POST", 200, 0.120);
 *   QueryResult r = vigil.engine().instantQuery("up", System.currentTimeMillis());
 *   System.out.println(vigil.url());
 * }
 * }</pre>
 *
 * <p>Start order: the HTTP server listens first (so {@code /-/healthy} answers and {@code /-/ready}
 * says 503), then the store opens and replays its WAL, then scraping and collection start, then
 * {@code /-/ready} turns 200, or, with {@link Builder#holdReady} gates, once the last of them is
 * opened (the demo's backfill). {@link #close()} stops scraping, stops the server, flushes the WAL
 * and closes the store. Thread-safe.
 */
public final class Vigil implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Vigil.class);

  /** The job label of Vigil's own in-process scrape. */
  public static final String SELF_JOB = "vigil";

  private final ServerState state;
  private final MetricRegistry registry;
  private final Recorders recorders;

  /** Whether the recorders were built from {@code collect} (a reload re-rates their sampling). */
  private final boolean recordersFollowConfig;

  private final HostCollectors host;
  private final Path configFile;
  private final Map<String, String> configEnv;
  private final java.util.function.Consumer<dev.vigil.server.config.LogLevel> logLevels;
  private final List<VigilPlugin> plugins = new ArrayList<>();
  private volatile Tsdb tsdb;
  private final Engine engine;
  private final LongSupplier clock;
  private volatile ScrapeManager scrapes;
  private volatile RuleManager rules;

  /** The SLOs whose rules run, replaced at each successful rule load. */
  private volatile List<dev.vigil.rules.slo.Slo> slos = List.of();

  private volatile AlertHistory alertHistory;
  private volatile NotifyStores notifyStores;

  /** The remote write queues, once the store is open. */
  private volatile dev.vigil.server.remote.RemoteWriteManager remoteWrite;

  /** {@code query.remote}: what queries read (the local store, a backend, or both). */
  private final dev.vigil.server.remote.RemoteQueryBackend remoteQuery =
      new dev.vigil.server.remote.RemoteQueryBackend();

  /** The push targets ({@code push}), once the store is open. */
  private volatile dev.vigil.server.push.PushManager push;

  private final java.time.Instant startedAt = java.time.Instant.now();

  /** Alerts to Alertmanagers ({@code alerting}), fed by the rules after each group evaluation. */
  private final dev.vigil.notify.sender.AlertmanagerSender alertSender =
      new dev.vigil.notify.sender.AlertmanagerSender(
          dev.vigil.notify.sender.AlertmanagerSender.DEFAULT_CAPACITY);

  private volatile dev.vigil.notify.sender.AlertFeed alertFeed;
  private VigilHttpServer http;
  private volatile boolean closed;
  private final java.time.Duration queryWarmup;
  private volatile Thread warmup;
  private boolean storedAtOpen;

  /** The built-in notifier when vigil.yml has a {@code notify} section; else null. */
  private volatile dev.vigil.notify.builtin.BuiltinNotifier notifier;

  private volatile RuleAlertsToNotifier ruleAlertsFeed;

  /**
   * Anomaly detection ({@code anomaly} in vigil.yml and marks from charts), once the store is open.
   */
  private volatile dev.vigil.server.anomaly.AnomalyService anomaly;

  private Vigil(Builder b) {
    this.state = new ServerState(b.config, b.flags);
    this.registry = b.registry != null ? b.registry : new MetricRegistry();
    this.configFile = b.configFile;
    this.configEnv = b.configEnv;
    this.logLevels = b.logLevels;
    logLevels.accept(b.config.logLevel());
    this.clock = b.clock;
    this.queryWarmup = b.queryWarmup;
    for (ReadyGate g : b.gates) {
      state.holdReady("waiting for " + g.what(), () -> !g.isOpen());
    }
    this.recorders =
        b.recorders != null
            ? b.recorders
            : b.config.collect().recorders(Recorders.builder()).build();
    this.recordersFollowConfig = b.recorders == null || b.recordersFollowConfig;
    var c = b.config.collect();
    this.host =
        HostCollectors.builder()
            .system(c.system())
            .process(c.self())
            .jvm(c.jvm())
            .gpu(c.gpu())
            .recorders(recorders)
            .maxThreadGroups(b.config.threadGroups().maxGroups())
            .firingAlerts(
                () -> {
                  RuleManager r = rules;
                  return r == null ? 0 : r.firingAlerts();
                })
            .build();
    host.threadGroups().matchThreadNames(b.config.threadGroups().patterns());
    // The engine and every route are built before the store opens; they reach it through these
    // lazy views, which answer 503 (unavailable) until the WAL is replayed.
    var limits = b.config.server().limits();
    this.engine =
        Engine.builder((mint, maxt) -> readyQueryable().querier(mint, maxt))
            .timeout(limits.queryTimeout())
            .maxSamples(limits.queryMaxSamples())
            .maxConcurrent(limits.queryMaxConcurrency())
            .build();
  }

  /** Starts everything, with the HTTP server. */
  public static Vigil start(VigilConfig config) {
    return builder(config).start();
  }

  /** A builder for finer choices (no HTTP, an existing registry, the config file to reload). */
  public static Builder builder(VigilConfig config) {
    return new Builder(config);
  }

  private void startAll(boolean withHttp, List<Routes> extraRoutes) {
    VigilConfig config = state.config();
    // The store opens (WAL replay) while the HTTP server starts: /-/ready says 503 until both
    // are done. With the lazy scrape HTTP client, "ready in" went from 2.06 s to 0.67 s on the
    // shared 2-core machine (two single runs at different loads: indicative only).
    CompletableFuture<Tsdb> opening = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("vigil-storage-open")
        .start(
            () -> {
              try {
                opening.complete(openStorage(config, state.walReplay(), clock));
              } catch (Throwable e) {
                opening.completeExceptionally(e);
              }
            });
    try {
      host.registerAll(registry);
      if (withHttp) {
        RequestObserver observer = new SelfMetrics(registry);
        List<Routes> areas = new ArrayList<>(coreRoutes());
        // Always routed: a reload may add or remove the notify section (404 while there is none).
        areas.add(new dev.vigil.server.api.NotifyApiV2(this::notifierOr404));
        areas.add(new dev.vigil.server.api.NotificationsApi(() -> notifier, alertSender));
        areas.addAll(extraRoutes);
        for (VigilPlugin p : ServiceLoader.load(VigilPlugin.class)) {
          plugins.add(p);
          areas.addAll(p.routes(this));
        }
        // The seeds' API and /ws come from the ingest plugin; without plugins the dashboard polls.
        areas.add(
            dev.vigil.server.dashboard.DashboardRoutes.fromConfig(
                config.dashboard(), !plugins.isEmpty()));
        http = VigilHttpServer.start(config.server(), areas, observer);
        registry.register(new NotifyCollector(() -> notifier));
        if (!config.notifySection().entries().isEmpty()) {
          // Started once the port is known: webhooks carry it as externalURL.
          notifier =
              dev.vigil.notify.builtin.BuiltinNotifier.start(
                  dev.vigil.notify.builtin.NotifyConfig.bind(
                      dev.vigil.server.config.NotifyYaml.tree(config.notifySection()), "notify"),
                  http.baseUrl());
        }
        http.queryPool().register(registry);
      }
      Tsdb db;
      try {
        db = opening.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw new UncheckedIOException(
              "cannot open storage in " + config.storage().path() + ": " + io.getMessage(), io);
        }
        throw cause instanceof RuntimeException re ? re : e;
      }
      tsdb = db;
      // What the store held when it opened (before scraping adds to it): the warm-up needs data.
      storedAtOpen = !db.blocks().isEmpty() || db.headSeries() > 0;
      try {
        notifyStores = NotifyStores.open(config.storage().path(), clock);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot open silences and notification log in "
                + config.storage().path()
                + ": "
                + e.getMessage(),
            e);
      }
      if (notifier != null) {
        wireStores(notifier, notifyStores);
      }
      registry.register(new TsdbCollector(db.metrics()));
      remoteQuery.apply(remoteQueryConfig(config), config.global().externalLabels());
      registry.register(remoteQuery.collector());
      // Before the scrapes: a new queue starts at the WAL's end, so it sends every scrape.
      var rw = new dev.vigil.server.remote.RemoteWriteManager(db.dir(), System::nanoTime);
      remoteWrite = rw;
      rw.apply(remoteWriteConfigs(config), config.global().externalLabels());
      registry.register(rw.collector());
      var pm =
          new dev.vigil.server.push.PushManager(
              dev.vigil.server.config.PushConfig.bind(
                  config.push(),
                  configFile == null ? null : configFile.toAbsolutePath().getParent()),
              () -> db,
              () -> state.config().global().externalLabels(),
              clock);
      push = pm;
      registry.register(pm.collector());
      pm.start();
      ScrapeManager m = new ScrapeManager(db);
      scrapes = m;
      String instance = http != null ? config.server().host() + ":" + http.port() : "embedded";
      var cc = config.collect();
      if (cc.self() || cc.system() || cc.jvm() || cc.gpu()) {
        // OpenMetrics, so that exemplars recorded in the registry are stored and queryable.
        m.addLocal(
            SELF_JOB,
            instance,
            cc.interval(),
            LocalSource.openMetrics(() -> MetricsRoutes.openMetrics(registry)));
      }
      m.apply(config.scrapeConfigs());
      anomaly = startAnomaly(config, db);
      rules = startRules(config, db);
      anomaly.start(config.rules().evaluationInterval());
    } catch (RuntimeException e) {
      close();
      if (tsdb == null) {
        // Wait for the store still opening and close it before reporting the failure: closed
        // asynchronously, its directory lock was still held when a retry with the same
        // directory started (found by DocumentedKeysAgreeTest).
        try {
          closeQuietly(opening.join());
        } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
          // it failed to open: nothing to close
        }
      }
      throw e;
    }
    // Before ready: /-/ready must not turn 200 before the warm-up's hold is in place.
    startQueryWarmup();
    state.setReady(true);
  }

  /**
   * Runs typical dashboard queries over the store's own newest data in the background, for at most
   * {@link #WARMUP_CPU} of CPU and never while a request is running, so that the first dashboard
   * requests after a start find the query path compiled (docs/server.md). {@code /-/ready} waits
   * for it, at most the builder's hold (queries are answered meanwhile). Not over a {@code
   * query.remote} backend, nor on a store that held nothing when it opened (a first start).
   */
  private void startQueryWarmup() {
    Tsdb db = tsdb;
    if (queryWarmup == null
        || !storedAtOpen
        || http == null
        || db == null
        || remoteQuery.enabled()) {
      return;
    }
    long end = clock.getAsLong();
    if (db.headSeries() == 0) {
      end = Long.MIN_VALUE;
      for (var b : db.blocks()) {
        end = Math.max(end, b.meta().maxTime());
      }
      if (end == Long.MIN_VALUE) {
        return; // nothing stored: nothing to warm on
      }
    }
    var limits = state.config().server().limits();
    Engine local =
        Engine.builder(db)
            .timeout(limits.queryTimeout())
            .maxSamples(limits.queryMaxSamples())
            .build();
    QueryPool pool = http.queryPool();
    warmup =
        dev.vigil.server.api.QueryWarmup.start(
            local,
            db,
            end,
            pool::running,
            WARMUP_CPU,
            ns -> LOG.debug("query warm-up done: {} ms of CPU", ns / 1_000_000));
    if (queryWarmup.isPositive()) {
      long holdUntil = System.nanoTime() + queryWarmup.toNanos();
      Thread w = warmup;
      state.holdReady("warming the query path", () -> w.isAlive() && System.nanoTime() < holdUntil);
    }
  }

  /** The CPU the query warm-up may use. */
  static final java.time.Duration WARMUP_CPU = java.time.Duration.ofSeconds(2);

  /**
   * Loads the rule files and starts evaluating them. A broken file at start is a clear error: the
   * server does not start without the rules it was given.
   */
  /**
   * The rules' alerts go to the built-in notifier's feed while there is one (a reload may add or
   * remove it).
   */
  private dev.vigil.rules.AlertListener ruleAlertsListener(VigilConfig config) {
    if (notifier != null) {
      ruleAlertsFeed =
          new RuleAlertsToNotifier(
              notifier, config.rules().evaluationInterval(), http != null ? http.baseUrl() : "");
    }
    return e -> {
      RuleAlertsToNotifier f = ruleAlertsFeed;
      if (f != null) {
        f.onStateChange(e);
      }
    };
  }

  /** Silences mute the notifier's alerts; its deliveries are deduplicated against the log. */
  private static void wireStores(dev.vigil.notify.builtin.BuiltinNotifier n, NotifyStores stores) {
    dev.vigil.notify.silence.Silences sil = stores.silences;
    n.silencer((labels, at) -> sil.mutes(dev.vigil.model.Labels.of(labels), at));
    n.notificationLog(stores.nflog);
  }

  /** Who was notified of each rule alert's latest change (alerts posted to the API have none). */
  private static void wireHistory(
      dev.vigil.notify.builtin.BuiltinNotifier n, AlertHistory history) {
    n.onDelivered(
        d -> {
          for (Map<String, String> labels : d.alerts()) {
            history.notified(
                dev.vigil.model.Labels.of(labels),
                d.receiver(),
                d.integration(),
                d.at().toEpochMilli());
          }
        });
  }

  /** The notifier for API v2: 404 while vigil.yml has no notify section, 503 while it starts. */
  private dev.vigil.notify.builtin.BuiltinNotifier notifierOr404() {
    dev.vigil.notify.builtin.BuiltinNotifier n = notifier;
    if (n == null && state.config().notifySection().entries().isEmpty()) {
      throw new ApiError(
          ApiError.Type.NOT_FOUND, "the built-in notifier is off: vigil.yml has no notify section");
    }
    return n;
  }

  /**
   * Starts the built-in notifier at a reload that adds the notify section: wired to the silences,
   * the notification log and the alert history, and fed the alerts firing now.
   */
  private void startNotifierAtReload(dev.vigil.notify.builtin.NotifyConfig nc, VigilConfig next) {
    dev.vigil.notify.builtin.BuiltinNotifier n =
        dev.vigil.notify.builtin.BuiltinNotifier.start(nc, http != null ? http.baseUrl() : "");
    NotifyStores stores = notifyStores;
    if (stores != null) {
      wireStores(n, stores);
    }
    AlertHistory h = alertHistory;
    if (h != null) {
      wireHistory(n, h);
    }
    RuleAlertsToNotifier feed =
        new RuleAlertsToNotifier(
            n, next.rules().evaluationInterval(), http != null ? http.baseUrl() : "");
    notifier = n;
    RuleManager r = rules;
    if (r != null) {
      feed.seed(r.alerts());
    }
    ruleAlertsFeed = feed;
    LOG.info("reload: the built-in notifier started (notify section added)");
  }

  /** Stops the built-in notifier at a reload that removes the notify section. */
  private void stopNotifierAtReload() {
    RuleAlertsToNotifier feed = ruleAlertsFeed;
    dev.vigil.notify.builtin.BuiltinNotifier n = notifier;
    ruleAlertsFeed = null;
    notifier = null;
    if (feed != null) {
      feed.close();
    }
    if (n != null) {
      n.close();
    }
    LOG.info("reload: the built-in notifier stopped (notify section removed)");
  }

  /**
   * The anomaly detector over the store, with its own engine (own concurrency slots), its marks and
   * state in {@code <storage.path>/anomaly}.
   */
  private dev.vigil.server.anomaly.AnomalyService startAnomaly(VigilConfig config, Tsdb db) {
    dev.vigil.server.anomaly.AnomalyService a =
        new dev.vigil.server.anomaly.AnomalyService(
            dev.vigil.server.config.AnomalyConfig.of(config),
            Engine.builder(db).timeout(config.server().limits().queryTimeout()).build(),
            db,
            config.storage().path().resolve("anomaly"),
            clock,
            this::anomalyRulesChanged);
    registry.register(new RulesCollector(a.detector()::metrics));
    return a;
  }

  /** A mark asking for an alert came or went through the API: the rules are loaded again. */
  private synchronized void anomalyRulesChanged() {
    RuleManager r = rules;
    if (r == null || closed) {
      return;
    }
    try {
      loadRules(r, state.config(), anomalyRules());
    } catch (RuleFileException e) {
      LOG.warn("anomaly: rules not reloaded: {}", e.getMessage());
    }
  }

  private List<dev.vigil.rules.RuleFile> anomalyRules() {
    dev.vigil.server.anomaly.AnomalyService a = anomaly;
    return a == null ? List.of() : a.generatedRules();
  }

  private dev.vigil.server.anomaly.AnomalyService readyAnomaly() {
    dev.vigil.server.anomaly.AnomalyService a = anomaly;
    if (a == null || !state.ready()) {
      throw notReady();
    }
    return a;
  }

  private RuleManager startRules(VigilConfig config, Tsdb db) {
    var rc = config.rules();
    AlertHistory history = openAlertHistory(config);
    alertHistory = history;
    dev.vigil.notify.builtin.BuiltinNotifier n = notifier;
    if (n != null) {
      wireHistory(n, history);
    }
    alertFeed =
        new dev.vigil.notify.sender.AlertFeed(
            rc.resendDelay(), http != null ? http.baseUrl() : "", alertSender::send);
    AlertmanagerWiring.apply(config, configFile, alertSender, alertFeed);
    registry.register(new RulesCollector(alertSender::metrics));
    alertSender.start();
    RuleManager rm =
        // The rules read what queries read (query.remote, as vmalert does); their output goes
        // to the local store, and from its WAL through remote_write like every sample.
        RuleManager.builder((mint, maxt) -> remoteQuery.queryable(db).querier(mint, maxt), db)
            .restoreFrom((mint, maxt) -> remoteQuery.restoreQueryable(db).querier(mint, maxt))
            .listener(history)
            .evaluationInterval(rc.evaluationInterval())
            .outageTolerance(rc.forOutageTolerance())
            .forGracePeriod(rc.forGracePeriod())
            .queryTimeout(config.server().limits().queryTimeout())
            .externalUrl(http != null ? http.baseUrl() : "")
            .externalLabels(config.global().externalLabels())
            // Both methods forwarded: a lambda here forwarded only the changes, and with notify and
            // alerting.alertmanagers both set nothing reached the Alertmanagers, whose feed works
            // on group evaluations (found by NotificationsBrowserTest).
            .listener(dev.vigil.rules.AlertListener.both(alertFeed, ruleAlertsListener(config)))
            .build();
    try {
      loadRules(rm, config, anomalyRules());
    } catch (RuleFileException e) {
      throw new ConfigException(
          config.source() + ": rule_files: invalid rule files:\n" + e.getMessage(), e);
    }
    registry.register(new RulesCollector(rm.metrics()));
    registry.register(new AlertHistoryCollector(history));
    rm.start();
    return rm;
  }

  /**
   * The alert history in {@code <storage.path>/alert-history}: kept for {@code
   * storage.retention_time}, fsynced as the WAL ({@code storage.wal_fsync}), at most {@code
   * rules.history.max_size}.
   */
  private static AlertHistory openAlertHistory(VigilConfig config) {
    var s = config.storage();
    var rc = config.rules();
    Path dir = s.path().resolve("alert-history");
    try {
      return AlertHistory.builder(dir)
          .retention(s.retentionTime())
          .fsyncInterval(s.walFsync())
          .maxBytes(rc.historyMaxBytes())
          .flapping(rc.flappingChanges(), rc.flappingWindow())
          .messages(m -> LOG.warn("{}", m))
          .open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the alert history in " + dir + ": " + e, e);
    }
  }

  private AlertHistory readyAlertHistory() {
    AlertHistory h = alertHistory;
    if (h == null || !state.ready()) {
      throw notReady();
    }
    return h;
  }

  private boolean flapping(dev.vigil.model.Labels alert) {
    AlertHistory h = alertHistory;
    return h != null && h.isFlapping(alert);
  }

  /**
   * Applies {@code rule_files} and, after them, the enabled rule packs ({@code pack:NAME}) and the
   * {@code alerts} thresholds ({@code vigil.yml#thresholds}), then the anomaly marks' alerts
   * ({@code vigil.yml#anomaly}). On a broken rule file nothing changes.
   */
  private void loadRules(
      RuleManager rm, VigilConfig config, List<dev.vigil.rules.RuleFile> anomalyRules)
      throws RuleFileException {
    List<dev.vigil.rules.RuleFile> files;
    List<dev.vigil.rules.slo.Slo> nextSlos;
    try {
      files =
          new ArrayList<>(
              dev.vigil.rules.RuleFiles.load(config.ruleFiles(), Path.of("").toAbsolutePath()));
      nextSlos = slos(config);
    } catch (RuleFileException e) {
      rm.reloadFailed(e);
      throw e;
    }
    files.addAll(dev.vigil.server.config.RulePacksConfig.of(config).ruleFiles());
    files.addAll(dev.vigil.server.config.SlosConfig.ruleFiles(nextSlos));
    files.addAll(anomalyRules);
    rm.update(files);
    slos = List.copyOf(nextSlos);
  }

  /** The configuration's SLOs ({@code slo_files} and inline {@code slos}), read again. */
  private static List<dev.vigil.rules.slo.Slo> slos(VigilConfig config) throws RuleFileException {
    try {
      return dev.vigil.server.config.SlosConfig.of(config);
    } catch (ConfigException e) {
      if (e.getCause() instanceof RuleFileException rfe) {
        throw rfe;
      }
      throw e;
    }
  }

  private RuleManager readyRules() {
    RuleManager r = rules;
    if (r == null || !state.ready()) {
      throw notReady();
    }
    return r;
  }

  private List<dev.vigil.server.config.RemoteWriteConfig> remoteWriteConfigs(VigilConfig c) {
    Path baseDir = configFile == null ? null : configFile.toAbsolutePath().getParent();
    return dev.vigil.server.config.RemoteWriteConfig.bindAll(c.remoteWrite(), baseDir);
  }

  private dev.vigil.server.config.RemoteQueryConfig remoteQueryConfig(VigilConfig c) {
    Path baseDir = configFile == null ? null : configFile.toAbsolutePath().getParent();
    return dev.vigil.server.config.RemoteQueryConfig.bind(c.query(), baseDir);
  }

  /** The {@code query.remote} backend's state (url null when there is none). */
  public dev.vigil.server.remote.RemoteQueryBackend.Status remoteQueryStatus() {
    return remoteQuery.status();
  }

  /** The remote write queues' state (empty before the store is open). */
  public List<dev.vigil.server.remote.RemoteWriteManager.QueueStatus> remoteWriteStatus() {
    var rw = remoteWrite;
    return rw == null ? List.of() : rw.status();
  }

  private static Tsdb openStorage(
      VigilConfig config, WalReplayProgress walReplay, LongSupplier clock) throws IOException {
    var s = config.storage();
    boolean perCommit = s.walFsync().isZero();
    return Tsdb.builder(s.path())
        .retention(s.retentionTime())
        .retentionBytes(s.retentionSize())
        .maxExemplars(s.maxExemplars())
        .maxAheadTime(s.maxAheadTime())
        .fsync(
            perCommit ? FsyncPolicy.PER_COMMIT : FsyncPolicy.INTERVAL,
            perCommit ? java.time.Duration.ofSeconds(1) : s.walFsync())
        .walReplayProgress(walReplay)
        .clock(clock)
        .log(m -> LOG.info("storage: {}", m))
        .open();
  }

  private static void closeQuietly(Tsdb db) {
    try {
      db.close();
    } catch (IOException e) {
      LOG.warn("closing storage failed", e);
    }
  }

  private List<Routes> coreRoutes() {
    return List.of(
        new LifecycleRoutes(state, this::reloadFromHttp),
        new StatusApi(state, true, () -> AlertmanagerWiring.view(alertSender)),
        new RulesApi(this::readyRules, this::flapping),
        new SlosApi(
            () -> {
              readyRules();
              return slos;
            }),
        new AlertHistoryApi(this::readyAlertHistory),
        new dev.vigil.server.api.RecordersApi(() -> recorders),
        new dev.vigil.server.anomaly.AnomalyApi(this::readyAnomaly),
        new MetricsRoutes(registry),
        new QueryApi(this::readyEngine, this::readyTsdb, state.config().server().limits()),
        new SeriesApi(this::readyQueryable, state.config().server().limits().queryTimeout()),
        new FederateRoutes(
            this::readyTsdb,
            state.config().server().limits().queryTimeout(),
            () -> state.config().global().externalLabels(),
            clock),
        new ExportApi(this::readyTsdb, state.config().server().limits().queryTimeout()),
        new TargetsApi(this::readyScrapes),
        new dev.vigil.server.api.RemoteWriteApi(this::remoteWriteStatus),
        new dev.vigil.server.api.RemoteQueryApi(this::remoteQueryStatus),
        new TsdbStatusApi(this::readyTsdb),
        new AdminApi(this::readyTsdb),
        new SilencesApiV2(this::silences, () -> "", startedAt));
  }

  private static ApiError notReady() {
    return new ApiError(ApiError.Type.UNAVAILABLE, "Vigil is starting: storage is not open yet");
  }

  private Tsdb readyTsdb() {
    Tsdb t = tsdb;
    if (t == null || !state.started()) {
      throw notReady();
    }
    return t;
  }

  /** What queries read ({@code query.remote}): the store, the backend or both; 503 until open. */
  private dev.vigil.model.Queryable readyQueryable() {
    return remoteQuery.queryable(readyTsdb());
  }

  private Engine readyEngine() {
    if (!state.started()) {
      throw notReady();
    }
    return engine;
  }

  private ScrapeManager readyScrapes() {
    ScrapeManager s = scrapes;
    if (s == null) {
      throw notReady();
    }
    return s;
  }

  /**
   * {@link #reload()} for {@code /-/reload}. A server started without a config file (embedded, or
   * flags only) has nothing to reload: that is how it was set up, not a server error, so it is a
   * 409 conflict naming the cause (it was 500, found by {@code HttpFuzzTest}, then 503; Prometheus
   * answers a reload it does not offer with a 4xx, 403 without {@code --web.enable-lifecycle}).
   */
  private String reloadFromHttp() {
    if (configFile == null) {
      throw new ApiError(ApiError.Type.CONFLICT, NO_CONFIG_FILE);
    }
    return reload();
  }

  private static final String NO_CONFIG_FILE =
      "nothing to reload: this server was started without a configuration file (start it with"
          + " --config FILE to reload that file)";

  /**
   * Re-reads the config file and applies what can change while running (scrape jobs, rules, SLOs,
   * alerting, notify, remote write, push, reports, anomaly marks, external labels, log level).
   * Settings that need a restart ({@code server}, {@code storage}, {@code ingest}, {@code collect},
   * {@code dashboard}) are kept, logged and listed by {@link ServerState#reloadWarnings()}.
   *
   * @return null on success, else the error (the running configuration stays)
   */
  public synchronized String reload() {
    if (configFile == null) {
      return NO_CONFIG_FILE;
    }
    VigilConfig next;
    try {
      next = ConfigLoader.load(configFile, configEnv);
    } catch (ConfigException e) {
      RuleManager r = rules;
      if (r != null && e.getCause() instanceof RuleFileException rfe) {
        r.reloadFailed(rfe); // the running rules stay; the API and the metric say why
      }
      state.reloadFailed(e.getMessage());
      LOG.warn("reload failed, keeping the running configuration: {}", e.getMessage());
      return e.getMessage();
    }
    VigilConfig cur = state.config();
    // collect.sampling applies to recorders built from the section (at the end, once nothing can
    // refuse the file); the rest of collect is compared against what will run.
    boolean resample =
        recordersFollowConfig && !next.collect().sampling().equals(cur.collect().sampling());
    VigilConfig running =
        resample ? cur.withCollect(cur.collect().withSampling(next.collect().sampling())) : cur;
    // What changes only at a restart is kept, so /api/v1/status/config shows what runs, not what
    // the file now says; each is logged, answered by /-/reload and a warning of that endpoint.
    List<String> kept = new ArrayList<>();
    next =
        next.keepingRestartOnly(
            running,
            kept,
            VigilConfig.RestartOnly.SERVER_AND_STORAGE,
            VigilConfig.RestartOnly.INGEST,
            VigilConfig.RestartOnly.COLLECT,
            VigilConfig.RestartOnly.DASHBOARD);
    if (next.threadGroups().maxGroups() != cur.threadGroups().maxGroups()) {
      // Answered and listed like the sections above (it used to be logged only).
      kept.add("thread_groups.max_groups changes only at restart; kept as it was");
      next =
          next.withThreadGroups(
              new dev.vigil.server.config.ThreadGroupsConfig(
                  cur.threadGroups().maxGroups(), next.threadGroups().groups()));
    }
    for (String k : kept) {
      LOG.warn("reload: {}", k);
    }
    dev.vigil.notify.builtin.NotifyConfig notifyNext = null;
    boolean removeNotifier = false;
    if (!next.notifySection().toPlain().equals(cur.notifySection().toPlain())) {
      if (next.notifySection().entries().isEmpty()) {
        removeNotifier = true;
      } else {
        try {
          notifyNext =
              dev.vigil.notify.builtin.NotifyConfig.bind(
                  dev.vigil.server.config.NotifyYaml.tree(next.notifySection()), "notify");
        } catch (dev.vigil.notify.builtin.NotifyConfigException e) {
          // The loader checks the section; this is a second line: the running one stays.
          state.reloadFailed(e.getMessage());
          LOG.warn("reload failed, keeping the running configuration: {}", e.getMessage());
          return e.getMessage();
        }
      }
    }
    ScrapeManager m = scrapes;
    if (m != null) {
      m.apply(next.scrapeConfigs());
    }
    logLevels.accept(next.logLevel());
    host.threadGroups().matchThreadNames(next.threadGroups().patterns());
    dev.vigil.server.anomaly.AnomalyService an = anomaly;
    if (an != null) {
      an.reload(dev.vigil.server.config.AnomalyConfig.of(next));
      if (!next.rules().evaluationInterval().equals(cur.rules().evaluationInterval())) {
        an.start(next.rules().evaluationInterval());
      }
    }
    RuleManager r = rules;
    if (r != null) {
      try {
        r.evaluationInterval(next.rules().evaluationInterval());
        loadRules(r, next, anomalyRules());
      } catch (RuleFileException e) {
        // Changed on disk since the loader read them: the running rules stay.
        state.reloadFailed(e.getMessage());
        return e.getMessage();
      }
    }
    var rw = remoteWrite;
    if (rw != null) {
      try {
        rw.apply(remoteWriteConfigs(next), next.global().externalLabels());
      } catch (ConfigException e) {
        // A tls_config file changed since the loader read it: the running queues stay.
        state.reloadFailed(e.getMessage());
        LOG.warn("reload: {}", e.getMessage());
        return e.getMessage();
      }
    }
    var pm = push;
    if (pm != null && !next.push().toPlain().equals(cur.push().toPlain())) {
      try {
        pm.apply(
            dev.vigil.server.config.PushConfig.bind(
                next.push(), configFile.toAbsolutePath().getParent()));
      } catch (ConfigException e) {
        // A tls_config file changed since the loader read it: the running targets stay.
        state.reloadFailed(e.getMessage());
        LOG.warn("reload: {}", e.getMessage());
        return e.getMessage();
      }
    }
    try {
      remoteQuery.apply(remoteQueryConfig(next), next.global().externalLabels());
    } catch (ConfigException e) {
      // A tls_config file changed since the loader read it: the running backend stays.
      state.reloadFailed(e.getMessage());
      LOG.warn("reload: {}", e.getMessage());
      return e.getMessage();
    }
    dev.vigil.notify.sender.AlertFeed feed = alertFeed;
    if (feed != null) {
      try {
        AlertmanagerWiring.apply(next, configFile, alertSender, feed);
      } catch (ConfigException e) {
        // A tls_config file changed since the loader read it: the running Alertmanagers stay.
        state.reloadFailed(e.getMessage());
        LOG.warn("reload: {}", e.getMessage());
        return e.getMessage();
      }
    }
    // Last: the steps above may still refuse the file, and then the running section stays.
    if (removeNotifier) {
      stopNotifierAtReload();
    } else if (notifyNext != null) {
      dev.vigil.notify.builtin.BuiltinNotifier n = notifier;
      if (n == null) {
        startNotifierAtReload(notifyNext, next);
      } else {
        n.reload(notifyNext);
      }
    }
    if (resample) {
      next.collect().applySampling(recorders);
    }
    state.reloaded(next, kept);
    LOG.info("configuration reloaded from {}", configFile);
    return null;
  }

  /** The registry Vigil exposes at {@code /metrics} and collects every interval. */
  public MetricRegistry registry() {
    return registry;
  }

  /** The seeds' application recorders (API requests, model generations, errors, sessions, ...). */
  public Recorders recorders() {
    return recorders;
  }

  /**
   * The per-agent (thread group) CPU and allocation collector: {@code thread_groups} in vigil.yml
   * groups threads by name; an application adds its pools ({@code threadFactory("planner")}) or the
   * tasks it runs on shared ones ({@code track("planner", executor)}).
   */
  public dev.vigil.collectors.jvm.ThreadGroupCollector threadGroups() {
    return host.threadGroups();
  }

  /** The host, JVM and GPU collectors and the health score. */
  public HostCollectors host() {
    return host;
  }

  /**
   * The data of one seed dashboard widget (DinoAir's {@code get_dashboard_data(widget,
   * timeframe)}): {@code overview, resources, api, models, errors, users, agents, files} and
   * Vigil's {@code quality}, computed with PromQL over the store; the JSON shapes are in {@code
   * docs/api.md}.
   *
   * @throws IllegalArgumentException for an unknown widget or a timeframe outside (0, 8760] hours
   */
  public java.util.Map<String, Object> dashboardData(String widget, double timeframeHours) {
    return new dev.vigil.server.seeds.DashboardData(
            this::engine, recorders.namespace(), recorders::recentErrors, clock)
        .withQualityEvents(recorders::recentQualityEvents)
        .widget(widget, timeframeHours);
  }

  /**
   * The PromQL engine over what queries read: the store, or with {@code query.remote} the backend
   * (or both, merged). Available at once; its queries answer {@link ApiError} unavailable until the
   * store is open.
   */
  public Engine engine() {
    return engine;
  }

  /** The store. */
  public Tsdb storage() {
    return readyTsdb();
  }

  /** The rule manager (groups, alerts), once the store is open. */
  public RuleManager rules() {
    return readyRules();
  }

  /**
   * Anomaly detection: the marks, the detector, its state (docs/anomaly.md), once the store is
   * open.
   */
  public dev.vigil.server.anomaly.AnomalyService anomaly() {
    return readyAnomaly();
  }

  /** The scrape manager (targets, metadata). */
  public ScrapeManager scrapes() {
    return readyScrapes();
  }

  /** The silences (persisted in {@code <storage.path>/notify/}); 503 while starting. */
  public dev.vigil.notify.silence.Silences silences() {
    NotifyStores n = notifyStores;
    if (n == null || !state.started()) {
      throw notReady();
    }
    return n.silences;
  }

  /** The notification log (persisted in {@code <storage.path>/notify/}); 503 while starting. */
  public dev.vigil.notify.nflog.NotificationLog notificationLog() {
    NotifyStores n = notifyStores;
    if (n == null || !state.started()) {
      throw notReady();
    }
    return n.nflog;
  }

  /** The configuration in force. */
  public VigilConfig config() {
    return state.config();
  }

  /**
   * Whether the store is open, everything runs and every {@link Builder#holdReady} gate is open:
   * what {@code /-/ready} says.
   */
  public boolean ready() {
    return state.ready();
  }

  /** The bound HTTP port, or -1 without HTTP. */
  public int port() {
    return http == null ? -1 : http.port();
  }

  /** {@code http://127.0.0.1:9470} (or https), or null without HTTP. */
  public String url() {
    return http == null ? null : http.baseUrl();
  }

  /** Stops scraping and the server, flushes and closes the store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    state.setReady(false);
    if (scrapes != null) {
      scrapes.close();
    }
    if (rules != null) {
      rules.stop();
    }
    if (anomaly != null) {
      anomaly.close();
    }
    alertSender.close();
    if (alertHistory != null) {
      try {
        alertHistory.close();
      } catch (IOException e) {
        LOG.warn("closing the alert history failed", e);
      }
    }
    for (VigilPlugin p : plugins) {
      try {
        p.close();
      } catch (RuntimeException e) {
        LOG.warn("plugin {} failed to close", p.getClass().getName(), e);
      }
    }
    Thread w = warmup;
    if (w != null) {
      w.interrupt();
      try {
        w.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (http != null) {
      http.close();
    }
    if (ruleAlertsFeed != null) {
      ruleAlertsFeed.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    if (notifyStores != null) {
      try {
        notifyStores.close();
      } catch (IOException e) {
        LOG.error("closing silences and notification log failed", e);
      }
    }
    if (push != null) {
      push.close(); // before the store: a push reads it
    }
    remoteQuery.close();
    if (remoteWrite != null) {
      remoteWrite.close(); // before the store: a queue reads its WAL
    }
    if (tsdb != null) {
      try {
        tsdb.close();
      } catch (IOException e) {
        LOG.error("closing storage failed", e);
      }
    }
  }

  /** Choices for {@link Vigil}. */
  public static final class Builder {
    private final VigilConfig config;
    private boolean http = true;
    private MetricRegistry registry;
    private Recorders recorders;
    private boolean recordersFollowConfig;
    private Path configFile;
    private Map<String, String> configEnv = Map.of();
    private final Map<String, String> flags = new LinkedHashMap<>();
    private final List<Routes> routes = new ArrayList<>();
    private LongSupplier clock = System::currentTimeMillis;
    private final List<ReadyGate> gates = new ArrayList<>();
    private java.util.function.Consumer<dev.vigil.server.config.LogLevel> logLevels = l -> {};
    private java.time.Duration queryWarmup;

    private Builder(VigilConfig config) {
      this.config = config;
    }

    /** Whether to run the HTTP server (default true). */
    public Builder http(boolean on) {
      this.http = on;
      return this;
    }

    /**
     * Warms the query path on the store's own data at start (default: not; {@code ./vigil serve}
     * does): up to 2 s of CPU on a background thread, paused while requests run, so that the first
     * dashboard queries after a start are not run by the interpreter. {@code /-/ready} waits for it
     * at most {@code hold} (zero: not at all); queries are answered meanwhile.
     */
    public Builder queryWarmup(java.time.Duration hold) {
      this.queryWarmup = java.util.Objects.requireNonNull(hold, "hold");
      return this;
    }

    /** Use an existing registry (the application's) instead of a new one. */
    public Builder registry(MetricRegistry r) {
      this.registry = r;
      return this;
    }

    /** Use existing recorders. */
    public Builder recorders(Recorders r) {
      this.recorders = r;
      this.recordersFollowConfig = false;
      return this;
    }

    /**
     * Use existing recorders built from the configuration's {@code collect} section ({@link
     * dev.vigil.server.config.CollectConfig#recorders}, with more set on the builder, as the demo's
     * prices): a reload applies a changed {@code collect.sampling} to them, as to the recorders
     * Vigil builds itself.
     */
    public Builder configuredRecorders(Recorders r) {
      this.recorders = r;
      this.recordersFollowConfig = true;
      return this;
    }

    /** The file {@link Vigil#reload()} re-reads, with the process environment's overrides. */
    public Builder configFile(Path f) {
      return configFile(f, System.getenv());
    }

    /**
     * The file {@link Vigil#reload()} re-reads, with these {@code VIGIL_…} overrides: the ones it
     * was first read with (command-line flags travel as such overrides), so a reload changes only
     * what the file changed.
     */
    public Builder configFile(Path f, Map<String, String> env) {
      this.configFile = f;
      this.configEnv = Map.copyOf(env);
      return this;
    }

    /** Command-line flags shown by {@code /api/v1/status/flags}. */
    public Builder flags(Map<String, String> f) {
      flags.putAll(f);
      return this;
    }

    /** Extra HTTP areas. */
    public Builder routes(Routes... r) {
      routes.addAll(List.of(r));
      return this;
    }

    /**
     * The wall clock in epoch milliseconds (default {@link System#currentTimeMillis()}) the store
     * judges age by (retention, rollup retention, block creation times) and the seeds' dashboard
     * data ends at. Tests that write data at fixed times pass a fixed clock, so nothing they check
     * depends on the time of day they run at.
     */
    public Builder clock(LongSupplier millis) {
      this.clock = java.util.Objects.requireNonNull(millis, "clock");
      return this;
    }

    /**
     * Startup work {@code /-/ready} must wait for beyond Vigil's own (e.g. {@code "demo
     * backfill"}): it answers 503 naming {@code what} until the returned gate is opened, though the
     * store and queries work meanwhile.
     */
    public ReadyGate holdReady(String what) {
      ReadyGate g = new ReadyGate(what);
      gates.add(g);
      return g;
    }

    /**
     * Applies {@code log.level} to the logging backend: called with the configuration's level when
     * Vigil starts and with the new one after every successful reload. {@code ./vigil serve} passes
     * its own logger's; an application embedding Vigil passes its backend's (by default the level
     * is not applied: the application owns its logging).
     */
    public Builder logLevels(java.util.function.Consumer<dev.vigil.server.config.LogLevel> apply) {
      this.logLevels = java.util.Objects.requireNonNull(apply, "apply");
      return this;
    }

    /**
     * Starts everything; returns once the store is open and scraping runs (ready, unless a {@link
     * #holdReady} gate is still closed).
     */
    public Vigil start() {
      Vigil v = new Vigil(this);
      v.startAll(http, routes);
      return v;
    }
  }
}
