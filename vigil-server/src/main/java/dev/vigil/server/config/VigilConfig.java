package dev.vigil.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole configuration, frozen: what {@code vigil.yml} says, with defaults for everything it
 * leaves out and {@code VIGIL_…} environment overrides applied. Load it with {@link ConfigLoader}.
 *
 * <pre>{@code
 * VigilConfig c = ConfigLoader.load(Path.of("vigil.yml"), System.getenv());
 * VigilConfig d = VigilConfig.defaults().withListen("127.0.0.1", 0).withStoragePath(dir);
 * }</pre>
 *
 * @param server listen address, auth, TLS, limits
 * @param storage data directory, retention, WAL fsync
 * @param collect self-collection of host, JVM and Vigil
 * @param scrapeConfigs Prometheus-compatible scrape jobs
 * @param ruleFiles paths or globs of Prometheus rule files, relative ones resolved against the
 *     configuration file's directory
 * @param rules how rules are evaluated ({@code global.evaluation_interval}, {@code rules})
 * @param alerting the {@code alerting} section as written (bound by the rules module)
 * @param notifySection the {@code notify} section as written (Alertmanager's configuration format,
 *     checked by {@code dev.vigil.notify.builtin.NotifyConfig}); empty when absent: no built-in
 *     notifier
 * @param remoteWrite the {@code remote_write} section as written (bound by its module)
 * @param push the {@code push} section as written: OTLP and InfluxDB push targets, checked by
 *     {@link PushConfig}
 * @param query the {@code query} section as written: {@code query.remote}, checked by {@link
 *     RemoteQueryConfig}
 * @param slos the {@code slos} section as written: inline SLO specs (Sloth or Pyrra), checked by
 *     {@link SlosConfig}
 * @param sloFiles paths or globs of SLO spec files ({@code slo_files}), relative ones resolved
 *     against the configuration file's directory
 * @param dashboard the {@code dashboard} section as written
 * @param reports the {@code reports} section as written (checked by {@link ReportsConfig})
 * @param ingest the {@code ingest} section: push ingest limits (series, labels, rate)
 * @param threadGroups the {@code thread_groups} section: per-agent CPU and allocation by thread
 *     name
 * @param global the {@code global} section: scrape defaults, the default interval of rule groups,
 *     external labels
 * @param logLevel {@code log.level}: the least severe messages logged
 * @param source the file name, or {@code defaults}
 * @param text the file as written (with environment overrides) as YAML with secrets redacted; empty
 *     for defaults. {@link #effectiveYaml()} is the whole configuration in force
 */
public record VigilConfig(
    ServerConfig server,
    StorageConfig storage,
    CollectConfig collect,
    List<ScrapeConfig> scrapeConfigs,
    List<String> ruleFiles,
    RulesConfig rules,
    ConfigNode alerting,
    ConfigNode notifySection,
    ConfigNode remoteWrite,
    ConfigNode push,
    ConfigNode query,
    ConfigNode slos,
    List<String> sloFiles,
    ConfigNode dashboard,
    ConfigNode reports,
    dev.vigil.ingest.IngestLimits ingest,
    ThreadGroupsConfig threadGroups,
    GlobalConfig global,
    LogLevel logLevel,
    String source,
    String text) {

  /** Default scrape interval when neither the job nor {@code global} sets one. */
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);

  /** Default scrape timeout when neither the job nor {@code global} sets one. */
  public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);

  public VigilConfig {
    scrapeConfigs = List.copyOf(scrapeConfigs);
    ruleFiles = List.copyOf(ruleFiles);
    sloFiles = List.copyOf(sloFiles);
  }

  /** Every key at its default: what runs when no file is given. */
  public static VigilConfig defaults() {
    return ConfigLoader.parse("defaults", "", java.util.Map.of());
  }

  /** A copy listening on {@code host:port}. */
  public VigilConfig withListen(String host, int port) {
    return withServer(server.withListen(host, port));
  }

  /** A copy with another server section. */
  public VigilConfig withServer(ServerConfig value) {
    Copy c = new Copy(this);
    c.server = value;
    return c.build();
  }

  /** A copy storing data in {@code path}. */
  public VigilConfig withStoragePath(Path path) {
    return withStorage(storage.withPath(path));
  }

  /** A copy with another storage section. */
  public VigilConfig withStorage(StorageConfig value) {
    Copy c = new Copy(this);
    c.storage = value;
    return c.build();
  }

  /** A copy with another collect section. */
  public VigilConfig withCollect(CollectConfig value) {
    Copy c = new Copy(this);
    c.collect = value;
    return c.build();
  }

  /** Sections set up at start, which a reload cannot change. */
  public enum RestartOnly {
    /** {@code server} and {@code storage}: the listener, TLS, and the store as it was opened. */
    SERVER_AND_STORAGE("server and storage settings"),
    /** {@code ingest}: the push ingest limits. */
    INGEST("ingest limits"),
    /** {@code collect}: the collectors, the recorders' namespace and the self-scrape. */
    COLLECT("collect settings"),
    /** {@code dashboard}: its routes (folder, refresh). */
    DASHBOARD("dashboard settings");

    private final String what;

    RestartOnly(String what) {
      this.what = what;
    }
  }

  /**
   * This configuration (re-read by a reload) with each of {@code sections} that differs from {@code
   * running} put back as it runs, so that what is reported is what runs; for each one, a message
   * naming it is added to {@code kept}.
   */
  public VigilConfig keepingRestartOnly(
      VigilConfig running, java.util.List<String> kept, RestartOnly... sections) {
    VigilConfig c = this;
    for (RestartOnly s : sections) {
      boolean changed =
          switch (s) {
            case SERVER_AND_STORAGE ->
                !c.server.equals(running.server) || !c.storage.equals(running.storage);
            case INGEST -> !c.ingest.equals(running.ingest);
            case COLLECT -> !c.collect.equals(running.collect);
            case DASHBOARD -> !c.dashboard.toPlain().equals(running.dashboard.toPlain());
          };
      if (!changed) {
        continue;
      }
      String keys =
          s == RestartOnly.COLLECT ? " (" + collectChanges(c.collect, running.collect) + ")" : "";
      kept.add(s.what + keys + " change only at restart; kept as they were");
      c =
          switch (s) {
            case SERVER_AND_STORAGE -> c.withServer(running.server).withStorage(running.storage);
            case INGEST -> c.withIngest(running.ingest);
            case COLLECT -> c.withCollect(running.collect);
            case DASHBOARD -> c.withDashboard(running.dashboard);
          };
    }
    return c;
  }

  /** The keys of {@code collect} that differ, named as in vigil.yml ({@code collect.sampling}). */
  private static String collectChanges(CollectConfig next, CollectConfig running) {
    List<String> out = new java.util.ArrayList<>();
    if (!next.interval().equals(running.interval())) out.add("collect.interval");
    if (next.system() != running.system()) out.add("collect.system");
    if (next.jvm() != running.jvm()) out.add("collect.jvm");
    if (next.gpu() != running.gpu()) out.add("collect.gpu");
    if (next.self() != running.self()) out.add("collect.self");
    if (!next.namespace().equals(running.namespace())) out.add("collect.namespace");
    if (!next.sampling().equals(running.sampling())) out.add("collect.sampling");
    return String.join(", ", out);
  }

  /** A copy with another {@code dashboard} section. */
  public VigilConfig withDashboard(ConfigNode value) {
    Copy c = new Copy(this);
    c.dashboard = value;
    return c.build();
  }

  /** A copy with another set of push ingest limits. */
  public VigilConfig withIngest(dev.vigil.ingest.IngestLimits value) {
    Copy c = new Copy(this);
    c.ingest = value;
    return c.build();
  }

  /** A copy with another {@code thread_groups} section. */
  public VigilConfig withThreadGroups(ThreadGroupsConfig value) {
    Copy c = new Copy(this);
    c.threadGroups = value;
    return c.build();
  }

  /** A copy with another {@code notify} section. */
  public VigilConfig withNotifySection(ConfigNode value) {
    Copy c = new Copy(this);
    c.notifySection = value;
    return c.build();
  }

  /** A copy with another list of SLO spec files ({@code slo_files}). */
  public VigilConfig withSloFiles(List<String> value) {
    Copy c = new Copy(this);
    c.sloFiles = value;
    return c.build();
  }

  /** A copy with another list of scrape jobs. */
  public VigilConfig withScrapeConfigs(List<ScrapeConfig> value) {
    Copy c = new Copy(this);
    c.scrapeConfigs = value;
    return c.build();
  }

  /** A copy with another {@code global} section (the scrape jobs keep their bound intervals). */
  public VigilConfig withGlobal(GlobalConfig value) {
    Copy c = new Copy(this);
    c.global = value;
    return c.build();
  }

  /** A copy with another log level. */
  public VigilConfig withLogLevel(LogLevel value) {
    Copy c = new Copy(this);
    c.logLevel = value;
    return c.build();
  }

  /**
   * The configuration in force as YAML, in the file's layout: every key with its value, defaults,
   * environment overrides and flags included, secrets (tokens, passwords, credentials, private
   * keys) as {@code <secret>}, as Prometheus serves it at {@code /api/v1/status/config}. Fed back
   * as a file (with the secrets filled in) it gives this configuration again.
   */
  public String effectiveYaml() {
    return EffectiveYaml.render(this, true);
  }

  /**
   * The one place that lists every component for a copy: each {@code withX} changes one field of a
   * {@code Copy} and builds, so adding a component touches the record, this class and nothing else.
   */
  private static final class Copy {
    ServerConfig server;
    StorageConfig storage;
    CollectConfig collect;
    List<ScrapeConfig> scrapeConfigs;
    List<String> ruleFiles;
    RulesConfig rules;
    ConfigNode alerting;
    ConfigNode notifySection;
    ConfigNode remoteWrite;
    ConfigNode push;
    ConfigNode query;
    ConfigNode slos;
    List<String> sloFiles;
    ConfigNode dashboard;
    ConfigNode reports;
    dev.vigil.ingest.IngestLimits ingest;
    ThreadGroupsConfig threadGroups;
    GlobalConfig global;
    LogLevel logLevel;
    String source;
    String text;

    Copy(VigilConfig c) {
      server = c.server;
      storage = c.storage;
      collect = c.collect;
      scrapeConfigs = c.scrapeConfigs;
      ruleFiles = c.ruleFiles;
      rules = c.rules;
      alerting = c.alerting;
      notifySection = c.notifySection;
      remoteWrite = c.remoteWrite;
      push = c.push;
      query = c.query;
      slos = c.slos;
      sloFiles = c.sloFiles;
      dashboard = c.dashboard;
      reports = c.reports;
      ingest = c.ingest;
      threadGroups = c.threadGroups;
      global = c.global;
      logLevel = c.logLevel;
      source = c.source;
      text = c.text;
    }

    VigilConfig build() {
      return new VigilConfig(
          server,
          storage,
          collect,
          scrapeConfigs,
          ruleFiles,
          rules,
          alerting,
          notifySection,
          remoteWrite,
          push,
          query,
          slos,
          sloFiles,
          dashboard,
          reports,
          ingest,
          threadGroups,
          global,
          logLevel,
          source,
          text);
    }
  }
}
