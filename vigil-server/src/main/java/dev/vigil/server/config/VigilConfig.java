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
 * @param slos the {@code slos} section as written: inline SLO specs (Sloth or Pyrra), checked by
 *     {@link SlosConfig}
 * @param sloFiles paths or globs of SLO spec files ({@code slo_files}), relative ones resolved
 *     against the configuration file's directory
 * @param dashboard the {@code dashboard} section as written
 * @param reports the {@code reports} section as written (checked by {@link ReportsConfig})
 * @param ingest the {@code ingest} section: push ingest limits (series, labels, rate)
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
    ConfigNode slos,
    List<String> sloFiles,
    ConfigNode dashboard,
    ConfigNode reports,
    dev.vigil.ingest.IngestLimits ingest,
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
  public VigilConfig withServer(ServerConfig s) {
    return new VigilConfig(
        s,
        storage,
        collect,
        scrapeConfigs,
        ruleFiles,
        rules,
        alerting,
        notifySection,
        remoteWrite,
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy storing data in {@code path}. */
  public VigilConfig withStoragePath(Path path) {
    return withStorage(storage.withPath(path));
  }

  /** A copy with another storage section. */
  public VigilConfig withStorage(StorageConfig st) {
    return new VigilConfig(
        server,
        st,
        collect,
        scrapeConfigs,
        ruleFiles,
        rules,
        alerting,
        notifySection,
        remoteWrite,
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with another collect section. */
  public VigilConfig withCollect(CollectConfig c) {
    return new VigilConfig(
        server,
        storage,
        c,
        scrapeConfigs,
        ruleFiles,
        rules,
        alerting,
        notifySection,
        remoteWrite,
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with other push ingest limits. */
  public VigilConfig withIngest(dev.vigil.ingest.IngestLimits limits) {
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
        slos,
        sloFiles,
        dashboard,
        reports,
        limits,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with another {@code notify} section. */
  public VigilConfig withNotifySection(ConfigNode n) {
    return new VigilConfig(
        server,
        storage,
        collect,
        scrapeConfigs,
        ruleFiles,
        rules,
        alerting,
        n,
        remoteWrite,
        slos,
        sloFiles,
        dashboard,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with other SLO spec files ({@code slo_files}). */
  public VigilConfig withSloFiles(List<String> files) {
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
        slos,
        files,
        dashboard,
        reports,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with other scrape jobs. */
  public VigilConfig withScrapeConfigs(List<ScrapeConfig> jobs) {
    return new VigilConfig(
        server,
        storage,
        collect,
        jobs,
        ruleFiles,
        rules,
        alerting,
        notifySection,
        remoteWrite,
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        global,
        logLevel,
        source,
        text);
  }

  /** A copy with another {@code global} section (the scrape jobs keep their bound intervals). */
  public VigilConfig withGlobal(GlobalConfig g) {
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
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        g,
        logLevel,
        source,
        text);
  }

  /** A copy logging at another level. */
  public VigilConfig withLogLevel(LogLevel level) {
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
        slos,
        sloFiles,
        dashboard,
        reports,
        ingest,
        global,
        level,
        source,
        text);
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
}
