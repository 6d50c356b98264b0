package dev.vigil.server.agent;

import dev.vigil.collectors.HostCollectors;
import dev.vigil.metrics.MetricRegistry;
import dev.vigil.metrics.model.GaugeDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.server.api.LifecycleRoutes;
import dev.vigil.server.api.MetricsRoutes;
import dev.vigil.server.api.RemoteWriteApi;
import dev.vigil.server.api.SelfMetrics;
import dev.vigil.server.api.ServerState;
import dev.vigil.server.api.TargetsApi;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.RemoteWriteConfig;
import dev.vigil.server.config.VigilConfig;
import dev.vigil.server.http.ApiError;
import dev.vigil.server.http.Role;
import dev.vigil.server.http.Routes;
import dev.vigil.server.http.VigilHttpServer;
import dev.vigil.server.remote.RemoteWriteManager;
import dev.vigil.server.scrape.LocalSource;
import dev.vigil.server.scrape.ScrapeManager;
import dev.vigil.tsdb.agent.AgentStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil in agent mode ({@code vigil serve --mode agent}): scrapes its jobs and this host, writes
 * the samples to a WAL only ({@link AgentStorage}) and remote-writes them; it keeps nothing to
 * query, evaluates no rules and serves no dashboard. Its query endpoints answer 503 saying so.
 *
 * <pre>{@code
 * try (VigilAgent a = VigilAgent.start(config, configFile)) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class VigilAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VigilAgent.class);

  /** The paths a full Vigil answers with stored data; an agent answers them 503. */
  private static final List<String> QUERY_PATHS =
      List.of(
          "/api/v1/query",
          "/api/v1/query_range",
          "/api/v1/query_exemplars",
          "/api/v1/series",
          "/api/v1/labels",
          "/api/v1/label/{name}/values",
          "/api/v1/rules",
          "/api/v1/alerts",
          "/api/v1/status/tsdb",
          "/federate");

  private final ServerState state;
  private final Path configFile;
  private final Map<String, String> env;
  private final java.util.function.Consumer<dev.vigil.server.config.LogLevel> logLevels;
  private final MetricRegistry registry = new MetricRegistry();
  private final AgentStorage storage;
  private final RemoteWriteManager remoteWrite;
  private final ScrapeManager scrapes;
  private final ScheduledExecutorService checkpoints;
  private final VigilHttpServer http;

  private VigilAgent(
      VigilConfig config,
      Path configFile,
      Map<String, String> env,
      java.util.function.Consumer<dev.vigil.server.config.LogLevel> logLevels)
      throws IOException {
    check(config);
    this.state = new ServerState(config, Map.of("agent", "true"));
    this.configFile = configFile;
    this.env = Map.copyOf(env);
    this.logLevels = logLevels;
    logLevels.accept(config.logLevel());
    var c = config.collect();
    HostCollectors.builder()
        .system(c.system())
        .process(c.self())
        .jvm(c.jvm())
        .gpu(c.gpu())
        .build()
        .registerAll(registry);
    Path dir = config.storage().path();
    storage = AgentStorage.open(dir, m -> LOG.info("storage: {}", m));
    registry.register(
        () ->
            List.of(
                new MetricSnapshot(
                    new MetricMetadata(
                        "vigil_agent_active_series", "Series the agent's WAL knows.", ""),
                    MetricType.GAUGE,
                    List.of(new GaugeDataPoint(Labels.EMPTY, storage.seriesCount())))));
    remoteWrite = new RemoteWriteManager(dir, System::nanoTime);
    remoteWrite.apply(remoteWriteConfigs(config), config.global().externalLabels());
    registry.register(remoteWrite.collector());
    scrapes = new ScrapeManager(storage);
    List<Routes> routes =
        List.of(
            new LifecycleRoutes(state, this::reload),
            new MetricsRoutes(registry),
            new TargetsApi(() -> scrapes),
            new RemoteWriteApi(remoteWrite::status),
            r -> {
              for (String p : QUERY_PATHS) {
                r.getAndPost(
                    p,
                    Role.READ,
                    ctx -> {
                      throw new ApiError(
                          ApiError.Type.UNAVAILABLE,
                          "this Vigil runs in agent mode: it keeps no data to query and evaluates"
                              + " no rules; query the remote_write receiver ("
                              + String.join(
                                  ", ",
                                  remoteWrite.status().stream()
                                      .map(RemoteWriteManager.QueueStatus::url)
                                      .toList())
                              + ")");
                    });
              }
            });
    http = VigilHttpServer.start(config.server(), routes, new SelfMetrics(registry));
    if (c.self() || c.system() || c.jvm() || c.gpu()) {
      scrapes.addLocal(
          "vigil",
          config.server().host() + ":" + http.port(),
          c.interval(),
          LocalSource.openMetrics(() -> MetricsRoutes.openMetrics(registry)));
    }
    scrapes.apply(config.scrapeConfigs());
    checkpoints =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("vigil-agent-checkpoint").unstarted(r));
    checkpoints.scheduleWithFixedDelay(this::checkpoint, 1, 1, TimeUnit.MINUTES);
    state.setReady(true);
  }

  /**
   * Starts the agent.
   *
   * @throws ConfigException when the configuration asks for what an agent does not do (rules,
   *     alerting) or has no remote_write
   */
  public static VigilAgent start(VigilConfig config, Path configFile) {
    return start(config, configFile, Map.of(), level -> {});
  }

  /**
   * Starts the agent; a reload re-reads {@code configFile} with the {@code VIGIL_…} overrides of
   * {@code env} (the command-line flags travel as such) and hands {@code log.level} to {@code
   * logLevels} (at start too).
   *
   * @throws ConfigException when the configuration asks for what an agent does not do (rules,
   *     alerting) or has no remote_write
   */
  public static VigilAgent start(
      VigilConfig config,
      Path configFile,
      Map<String, String> env,
      java.util.function.Consumer<dev.vigil.server.config.LogLevel> logLevels) {
    try {
      return new VigilAgent(config, configFile, env, logLevels);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the agent's WAL in " + config.storage().path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code c} suits an agent (as {@code serve --mode agent --check-config} does).
   *
   * @throws ConfigException naming what an agent cannot do
   */
  public static void check(VigilConfig c) {
    String where = c.source() + ": ";
    if (RemoteWriteConfig.bindAll(c.remoteWrite(), null).isEmpty()) {
      throw new ConfigException(
          where
              + "agent mode needs at least one remote_write entry: an agent keeps no data of its"
              + " own");
    }
    if (!c.ruleFiles().isEmpty()) {
      throw new ConfigException(
          where + "rule_files: agent mode evaluates no rules; remove them or run serve");
    }
    if (!c.alerting().entries().isEmpty() || !c.notifySection().entries().isEmpty()) {
      throw new ConfigException(
          where + "alerting/notify: agent mode sends no alerts; remove them or run serve");
    }
  }

  private List<RemoteWriteConfig> remoteWriteConfigs(VigilConfig c) {
    Path baseDir = configFile == null ? null : configFile.toAbsolutePath().getParent();
    return RemoteWriteConfig.bindAll(c.remoteWrite(), baseDir);
  }

  private void checkpoint() {
    try {
      storage.checkpoint();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "agent WAL checkpoint failed (the WAL keeps growing until one works): {}", e.toString());
    }
  }

  /**
   * Re-reads the configuration file (with the start's overrides): scrape jobs, remote_write,
   * external labels and {@code log.level} change; {@code server}, {@code storage} and {@code
   * collect} are kept until a restart, logged and answered by {@code /-/reload}. Null on success.
   */
  public synchronized String reload() {
    if (configFile == null) {
      return "nothing to reload: this agent was started without a configuration file";
    }
    try {
      VigilConfig next = ConfigLoader.load(configFile, env);
      check(next);
      VigilConfig cur = state.config();
      List<String> kept = new java.util.ArrayList<>();
      next =
          next.keepingRestartOnly(
              cur,
              kept,
              VigilConfig.RestartOnly.SERVER_AND_STORAGE,
              VigilConfig.RestartOnly.COLLECT);
      remoteWrite.apply(remoteWriteConfigs(next), next.global().externalLabels());
      scrapes.apply(next.scrapeConfigs());
      logLevels.accept(next.logLevel());
      for (String k : kept) {
        LOG.warn("reload: {}", k);
      }
      state.reloaded(next, kept);
      return null;
    } catch (ConfigException e) {
      state.reloadFailed(e.getMessage());
      return e.getMessage();
    }
  }

  /** The configuration in force (after a reload, with what needs a restart kept). */
  public VigilConfig config() {
    return state.config();
  }

  /** The HTTP port. */
  public int port() {
    return http.port();
  }

  /** {@code http://host:port}. */
  public String url() {
    return http.baseUrl();
  }

  /** The WAL-only store. */
  public AgentStorage storage() {
    return storage;
  }

  /** The remote write queues' state. */
  public List<RemoteWriteManager.QueueStatus> remoteWriteStatus() {
    return remoteWrite.status();
  }

  @Override
  public synchronized void close() {
    state.setReady(false);
    checkpoints.shutdownNow();
    scrapes.close();
    http.close();
    remoteWrite.close();
    try {
      storage.close();
    } catch (IOException e) {
      LOG.error("closing the agent's WAL failed", e);
    }
  }
}
