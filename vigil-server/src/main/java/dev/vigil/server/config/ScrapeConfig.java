package dev.vigil.server.config;

import dev.vigil.server.relabel.RelabelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One item of {@code scrape_configs}: the Prometheus-compatible subset Vigil implements.
 *
 * @param jobName the {@code job} label of every target
 * @param interval how often each target is scraped
 * @param timeout per scrape; at most {@code interval}
 * @param metricsPath HTTP path (default {@code /metrics})
 * @param scheme {@code http} or {@code https}
 * @param params URL query parameters, each with one or more values
 * @param staticConfigs literal target groups
 * @param fileSdConfigs target groups read from JSON or YAML files, re-read on change
 * @param basicAuth user and password, or null
 * @param bearerToken the {@code authorization} credentials (type Bearer), or null
 * @param honorLabels keep the target's labels when they clash with target labels
 * @param honorTimestamps keep timestamps from the exposition
 * @param relabelConfigs applied to targets before scraping
 * @param metricRelabelConfigs applied to each scraped sample
 * @param sampleLimit most samples a scrape may have after metric relabeling; 0 for no limit
 * @param labelLimit most labels per sample; 0 for no limit
 * @param labelNameLengthLimit longest label name; 0 for no limit
 * @param labelValueLengthLimit longest label value; 0 for no limit
 * @param bodySizeLimit largest uncompressed body; 0 for no limit
 * @param tls the {@code tls_config} used for {@code https} targets, or null for the JVM's defaults
 * @param bearerTokenFile the {@code authorization.credentials_file} {@code bearerToken} was read
 *     from (resolved against the configuration file's directory), or null when given inline
 */
public record ScrapeConfig(
    String jobName,
    Duration interval,
    Duration timeout,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    List<TargetGroup> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    BasicAuth basicAuth,
    String bearerToken,
    boolean honorLabels,
    boolean honorTimestamps,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long bodySizeLimit,
    ScrapeTlsConfig tls,
    String bearerTokenFile) {

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^\\s/:\\[\\]]+)(:\\d{1,5})?");

  /** A config without {@code tls_config} (the JVM's trust store and defaults for https). */
  public ScrapeConfig(
      String jobName,
      Duration interval,
      Duration timeout,
      String metricsPath,
      String scheme,
      Map<String, List<String>> params,
      List<TargetGroup> staticConfigs,
      List<FileSdConfig> fileSdConfigs,
      BasicAuth basicAuth,
      String bearerToken,
      boolean honorLabels,
      boolean honorTimestamps,
      List<RelabelConfig> relabelConfigs,
      List<RelabelConfig> metricRelabelConfigs,
      long sampleLimit,
      long labelLimit,
      long labelNameLengthLimit,
      long labelValueLengthLimit,
      long bodySizeLimit) {
    this(
        jobName,
        interval,
        timeout,
        metricsPath,
        scheme,
        params,
        staticConfigs,
        fileSdConfigs,
        basicAuth,
        bearerToken,
        honorLabels,
        honorTimestamps,
        relabelConfigs,
        metricRelabelConfigs,
        sampleLimit,
        labelLimit,
        labelNameLengthLimit,
        labelValueLengthLimit,
        bodySizeLimit,
        null);
  }

  /** A config whose bearer token, if any, was given inline. */
  public ScrapeConfig(
      String jobName,
      Duration interval,
      Duration timeout,
      String metricsPath,
      String scheme,
      Map<String, List<String>> params,
      List<TargetGroup> staticConfigs,
      List<FileSdConfig> fileSdConfigs,
      BasicAuth basicAuth,
      String bearerToken,
      boolean honorLabels,
      boolean honorTimestamps,
      List<RelabelConfig> relabelConfigs,
      List<RelabelConfig> metricRelabelConfigs,
      long sampleLimit,
      long labelLimit,
      long labelNameLengthLimit,
      long labelValueLengthLimit,
      long bodySizeLimit,
      ScrapeTlsConfig tls) {
    this(
        jobName,
        interval,
        timeout,
        metricsPath,
        scheme,
        params,
        staticConfigs,
        fileSdConfigs,
        basicAuth,
        bearerToken,
        honorLabels,
        honorTimestamps,
        relabelConfigs,
        metricRelabelConfigs,
        sampleLimit,
        labelLimit,
        labelNameLengthLimit,
        labelValueLengthLimit,
        bodySizeLimit,
        tls,
        null);
  }

  /** A copy with another {@code tls_config}. */
  public ScrapeConfig withTls(ScrapeTlsConfig t) {
    return new ScrapeConfig(
        jobName,
        interval,
        timeout,
        metricsPath,
        scheme,
        params,
        staticConfigs,
        fileSdConfigs,
        basicAuth,
        bearerToken,
        honorLabels,
        honorTimestamps,
        relabelConfigs,
        metricRelabelConfigs,
        sampleLimit,
        labelLimit,
        labelNameLengthLimit,
        labelValueLengthLimit,
        bodySizeLimit,
        t,
        bearerTokenFile);
  }

  /** A group of targets sharing labels. */
  public record TargetGroup(List<String> targets, Map<String, String> labels, String source) {}

  /** A file service discovery: file globs and how often to re-read them. */
  public record FileSdConfig(List<String> files, Duration refreshInterval) {}

  /**
   * HTTP basic authentication.
   *
   * @param passwordFile the {@code password_file} the password was read from (resolved against the
   *     configuration file's directory), or null when given inline
   */
  public record BasicAuth(String username, String password, String passwordFile) {
    /** With the password given inline. */
    public BasicAuth(String username, String password) {
      this(username, password, null);
    }
  }

  /** A minimal config for tests and embedding: one job, static targets, 15 s. */
  public static ScrapeConfig of(String job, Duration interval, String... targets) {
    return new ScrapeConfig(
        job,
        interval,
        interval.compareTo(Duration.ofSeconds(10)) < 0 ? interval : Duration.ofSeconds(10),
        "/metrics",
        "http",
        Map.of(),
        List.of(new TargetGroup(List.of(targets), Map.of(), "static")),
        List.of(),
        null,
        null,
        false,
        true,
        List.of(),
        List.of(),
        0,
        0,
        0,
        0,
        0);
  }

  /**
   * Binds one item of {@code scrape_configs}, checking every value; relative file names ({@code
   * tls_config}, {@code password_file}, {@code credentials_file}) are resolved against {@code
   * baseDir}, the configuration file's directory.
   */
  static ScrapeConfig bind(
      Section s, Duration defaultInterval, Duration defaultTimeout, java.nio.file.Path baseDir) {
    String job = s.string("job_name", null);
    if (job == null || job.isEmpty()) {
      throw s.error("job_name", "required");
    }
    Duration interval = s.duration("scrape_interval", defaultInterval, Duration.ofMillis(100));
    Duration timeout =
        s.duration(
            "scrape_timeout",
            defaultTimeout.compareTo(interval) > 0 ? interval : defaultTimeout,
            Duration.ofMillis(10));
    if (timeout.compareTo(interval) > 0) {
      throw s.error("scrape_timeout", "must not be longer than scrape_interval");
    }
    String path = s.string("metrics_path", "/metrics");
    if (!path.startsWith("/")) {
      throw s.error("metrics_path", "must start with /");
    }
    String scheme = s.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw s.error("scheme", "must be http or https, got \"" + scheme + "\"");
    }
    Map<String, List<String>> params = new java.util.LinkedHashMap<>();
    Section ps = s.section("params");
    for (String k : ps.node().entries().keySet()) {
      params.put(k, ps.strings(k));
    }
    List<TargetGroup> statics = new ArrayList<>();
    for (Section sc : s.sections("static_configs")) {
      List<String> targets = sc.strings("targets");
      for (String t : targets) {
        if (!HOST_PORT.matcher(t).matches()) {
          throw sc.error("targets", "\"" + t + "\" is not host:port (no scheme or path here)");
        }
      }
      statics.add(new TargetGroup(targets, sc.stringMap("labels"), sc.path()));
      sc.finish();
    }
    List<FileSdConfig> fileSds = new ArrayList<>();
    for (Section fs : s.sections("file_sd_configs")) {
      List<String> files = fs.strings("files");
      if (files.isEmpty()) {
        throw fs.error("files", "at least one file or glob is required");
      }
      fileSds.add(
          new FileSdConfig(
              files,
              fs.duration("refresh_interval", Duration.ofMinutes(5), Duration.ofSeconds(1))));
      fs.finish();
    }
    ClientAuth auth = ClientAuth.bind(s, baseDir, false);
    BasicAuth basic = auth.basic();
    String bearer = auth.bearer();
    String bearerFile = auth.bearerFile();
    boolean honorLabels = s.bool("honor_labels", false);
    boolean honorTimestamps = s.bool("honor_timestamps", true);
    List<RelabelConfig> relabel = new ArrayList<>();
    for (Section r : s.sections("relabel_configs")) {
      relabel.add(RelabelConfig.bind(r));
    }
    List<RelabelConfig> metricRelabel = new ArrayList<>();
    for (Section r : s.sections("metric_relabel_configs")) {
      metricRelabel.add(RelabelConfig.bind(r));
    }
    long sampleLimit = s.integer("sample_limit", 0, 0, Long.MAX_VALUE);
    long labelLimit = s.integer("label_limit", 0, 0, Long.MAX_VALUE);
    long nameLen = s.integer("label_name_length_limit", 0, 0, Long.MAX_VALUE);
    long valueLen = s.integer("label_value_length_limit", 0, 0, Long.MAX_VALUE);
    long bodyLimit = s.bytes("body_size_limit", 0);
    ScrapeTlsConfig tls =
        s.has("tls_config") ? ScrapeTlsConfig.bind(s.section("tls_config"), baseDir) : null;
    if (!s.has("tls_config")) {
      s.section("tls_config");
    }
    s.finish();
    return new ScrapeConfig(
        job,
        interval,
        timeout,
        path,
        scheme,
        Map.copyOf(params),
        List.copyOf(statics),
        List.copyOf(fileSds),
        basic,
        bearer,
        honorLabels,
        honorTimestamps,
        List.copyOf(relabel),
        List.copyOf(metricRelabel),
        sampleLimit,
        labelLimit,
        nameLen,
        valueLen,
        bodyLimit,
        tls,
        bearerFile);
  }

  static java.nio.file.Path resolve(
      Section s, String key, java.nio.file.Path baseDir, String file) {
    try {
      return baseDir == null ? java.nio.file.Path.of(file) : baseDir.resolve(file);
    } catch (java.nio.file.InvalidPathException e) {
      throw s.error(key, "not a valid file name: " + e.getReason());
    }
  }

  static String readSecret(Section s, String key, java.nio.file.Path baseDir, String file) {
    try {
      java.nio.file.Path p = baseDir == null ? java.nio.file.Path.of(file) : baseDir.resolve(file);
      return java.nio.file.Files.readString(p).strip();
    } catch (java.io.IOException e) {
      throw s.error(key, "cannot read " + file + ": " + e.getMessage());
    } catch (java.nio.file.InvalidPathException e) {
      throw s.error(key, "not a valid file name: " + e.getReason());
    }
  }
}
