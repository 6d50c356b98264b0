package dev.vigil.server.config;

import dev.vigil.model.Durations;
import dev.vigil.model.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link VigilConfig} from YAML plus environment overrides, rejecting unknown keys and bad
 * values with file, line and key.
 *
 * <p>Environment overrides: every scalar key listed in {@link #ENV_KEYS} can be set by {@code
 * VIGIL_} + its path in upper case with dots as underscores, e.g. {@code VIGIL_SERVER_LISTEN},
 * {@code VIGIL_STORAGE_RETENTION_TIME}, {@code VIGIL_SERVER_AUTH_READ_TOKENS} (lists
 * comma-separated). Overrides win over the file.
 */
public final class ConfigLoader {
  /** The keys that environment variables may override. */
  public static final List<String> ENV_KEYS =
      List.of(
          "server.listen",
          "server.allow_unauthenticated",
          "server.allowed_hosts",
          "server.auth.read_tokens",
          "server.auth.write_tokens",
          "server.auth.admin_tokens",
          "server.tls.cert_file",
          "server.tls.key_file",
          "server.tls.keystore_file",
          "server.tls.keystore_password",
          "server.limits.max_body_size",
          "server.limits.max_header_size",
          "server.limits.query_timeout",
          "server.limits.query_max_samples",
          "server.limits.query_max_concurrency",
          "server.limits.query_queue_length",
          "storage.path",
          "storage.retention_time",
          "storage.retention_size",
          "storage.wal_fsync",
          "storage.max_ahead_time",
          "storage.exemplars.max_exemplars",
          "collect.interval",
          "collect.system",
          "collect.jvm",
          "collect.gpu",
          "collect.self",
          "collect.namespace",
          "collect.sampling.default",
          "log.level",
          "browser_vitals.enabled",
          "browser_vitals.allowed_origins");

  private static final Set<String> LIST_KEYS =
      Set.of(
          "server.auth.read_tokens",
          "server.auth.write_tokens",
          "server.auth.admin_tokens",
          "server.allowed_hosts",
          "browser_vitals.allowed_origins");

  /** A DNS name (letters, digits, hyphens, dots), as {@code server.allowed_hosts} takes them. */
  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

  /*
   * Keys that a later version will bind are refused, not accepted and ignored: a file that sets
   * them would otherwise pass --check-config and then silently not do what it says.
   */
  private static final String NOT_SUPPORTED = "not supported by this version of Vigil";

  private ConfigLoader() {}

  /**
   * Reads and binds a file.
   *
   * @throws ConfigException naming file, line and key
   */
  public static VigilConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, env, dir);
  }

  /**
   * Binds YAML text; {@code source} names it in messages. Relative file names in it are resolved
   * against the working directory.
   */
  public static VigilConfig parse(String source, String text, Map<String, String> env) {
    return parse(source, text, env, null);
  }

  /**
   * Binds YAML text; {@code source} names it in messages and relative file names in it (such as
   * {@code tls_config.ca_file}) are resolved against {@code baseDir} (null: the working directory),
   * as Prometheus resolves them against the configuration file's directory.
   */
  public static VigilConfig parse(
      String source, String text, Map<String, String> env, Path baseDir) {
    ConfigNode root = YamlTree.parse(source, text);
    applyEnv(root, env);
    return bind(new Section(root, ""), source, Redacted.yaml(root), baseDir);
  }

  private static void applyEnv(ConfigNode root, Map<String, String> env) {
    for (String key : ENV_KEYS) {
      String name = "VIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
      String v = env.get(name);
      if (v == null) {
        continue;
      }
      String src = "env " + name;
      ConfigNode value;
      if (LIST_KEYS.contains(key)) {
        List<ConfigNode> items = new ArrayList<>();
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            items.add(ConfigNode.scalar(src, 0, part.trim()));
          }
        }
        value = ConfigNode.list(src, 0, items);
      } else {
        value = ConfigNode.scalar(src, 0, v);
      }
      String[] parts = key.split("\\.");
      ConfigNode cur = root;
      for (int i = 0; i < parts.length - 1; i++) {
        ConfigNode next = cur.entries().get(parts[i]);
        if (next == null || next.kind() != ConfigNode.Kind.MAP) {
          next = ConfigNode.map(src, 0, new LinkedHashMap<>());
          cur.put(parts[i], next);
        }
        cur = next;
      }
      cur.put(parts[parts.length - 1], value);
    }
  }

  private static VigilConfig bind(Section root, String source, String text, Path baseDir) {
    GlobalConfig global = bindGlobal(root.section("global"));
    Section logSection = root.section("log");
    LogLevel logLevel = logSection.value("level", LogLevel.INFO, LogLevel::parse);
    logSection.finish();

    ServerConfig server = bindServer(root.section("server"));
    StorageConfig storage = bindStorage(root.section("storage"));
    CollectConfig collect = bindCollect(root.section("collect"));

    List<ScrapeConfig> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Section s : root.sections("scrape_configs")) {
      ScrapeConfig job =
          ScrapeConfig.bind(s, global.scrapeInterval(), global.scrapeTimeout(), baseDir);
      if (!names.add(job.jobName())) {
        throw s.error("job_name", "duplicate job name \"" + job.jobName() + "\"");
      }
      jobs.add(job);
    }
    List<String> ruleFiles = new ArrayList<>();
    for (String glob : root.strings("rule_files")) {
      try {
        ruleFiles.add(baseDir == null ? glob : baseDir.resolve(glob).toString());
      } catch (java.nio.file.InvalidPathException e) {
        throw root.error("rule_files", "not a valid file name or glob: " + e.getReason());
      }
    }
    RulesConfig rules = bindRules(root.section("rules"), global.evaluationInterval());
    // Read here, where --check-config sees a missing or broken rule file, and again by serve.
    try {
      dev.vigil.rules.RuleFiles.load(
          ruleFiles, baseDir == null ? Path.of("").toAbsolutePath() : baseDir);
    } catch (dev.vigil.rules.RuleFileException e) {
      throw new ConfigException(source + ": rule_files: invalid rule files:\n" + e.getMessage(), e);
    }
    List<String> sloFiles = new ArrayList<>();
    for (String glob : root.strings("slo_files")) {
      try {
        sloFiles.add(baseDir == null ? glob : baseDir.resolve(glob).toString());
      } catch (java.nio.file.InvalidPathException e) {
        throw root.error("slo_files", "not a valid file name or glob: " + e.getReason());
      }
    }
    ConfigNode alerting = root.node("alerting");
    // Bound here for the errors (file, line, key); the server binds it again from the node.
    AlertingConfig.bind(alerting, baseDir);
    ConfigNode notify = root.node("notify");
    dev.vigil.notify.builtin.NotifyConfig notifyBound = null;
    if (root.node().entries().containsKey("notify")) {
      // Checked here, where --check-config sees it, with the file's lines.
      try {
        notifyBound = dev.vigil.notify.builtin.NotifyConfig.bind(NotifyYaml.tree(notify), "notify");
      } catch (dev.vigil.notify.builtin.NotifyConfigException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }
    ConfigNode remoteWrite = root.node("remote_write");
    // Bound here for the errors (file, line, key); the server binds it again from the node.
    RemoteWriteConfig.bindAll(remoteWrite, baseDir);
    ConfigNode push = root.node("push");
    // Bound here for the errors (file, line, key); the server binds it again from the node.
    PushConfig.bind(push, baseDir);
    ConfigNode query = root.node("query");
    // Bound here for the errors (file, line, key); the server binds it again from the node.
    RemoteQueryConfig.bind(query, baseDir);
    ConfigNode slos = root.node("slos");
    // Read here, where --check-config sees a broken spec (file, SLO, field), and again by serve.
    SlosConfig.load(sloFiles, slos, source);
    ConfigNode dashboard = root.node("dashboard");
    // Validated here, where --check-config sees it, not only when serve mounts the dashboard.
    dev.vigil.server.dashboard.DashboardRoutes.fromConfig(dashboard, false);
    ConfigNode reports = root.node("reports");
    // Checked here (keys, cron expressions, the folder's definitions), where --check-config sees
    // it.
    ReportsConfig boundReports = ReportsConfig.bind(reports, baseDir);
    List<String> mailable =
        notifyBound == null
            ? List.of()
            : dev.vigil.notify.builtin.EmailSender.emailReceivers(notifyBound);
    for (int i = 0; i < boundReports.jobs().size(); i++) {
      String receiver = boundReports.jobs().get(i).emailReceiver();
      if (receiver != null && !mailable.contains(receiver)) {
        throw new ConfigException(
            reports.entries().get("schedule").items().get(i).where()
                + ": reports.schedule["
                + i
                + "].email: no notify receiver \""
                + receiver
                + "\" with email_configs"
                + (mailable.isEmpty()
                    ? " (the notify section has none)"
                    : " (have: " + String.join(", ", mailable) + ")"));
      }
    }
    dev.vigil.ingest.IngestLimits ingest = bindIngest(root.section("ingest"));
    ThreadGroupsConfig threadGroups = ThreadGroupsConfig.bind(root.section("thread_groups"));
    // rule_packs and alerts: validated here (with their lines); RulePacksConfig.of reads them.
    RulePacksConfig.bind(root, collect.namespace());
    // anomaly: validated here (with its lines); AnomalyConfig.of reads it.
    AnomalyConfig.bind(root.section("anomaly"));
    // browser_vitals: validated here (with its lines); BrowserVitalsConfig.of reads it.
    BrowserVitalsConfig.bind(root.section("browser_vitals"));
    root.finish();
    return new VigilConfig(
        server,
        storage,
        collect,
        jobs,
        ruleFiles,
        rules,
        alerting,
        notify,
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

  /*
   * Prometheus' global keys that Vigil does not honour, each with why and what to do instead:
   * refused rather than accepted and ignored, like rule_files.
   */
  private static final Map<String, String> UNSUPPORTED_GLOBAL =
      Map.of(
          "query_log_file",
          "queries are not logged to a file by this version of Vigil; remove it",
          "scrape_failure_log_file",
          "scrape failures are not logged to a file by this version of Vigil (see"
              + " /api/v1/targets); remove it",
          "rule_query_offset",
          "rule evaluation is " + NOT_SUPPORTED + "; remove it",
          "body_size_limit",
          "not a global default in Vigil; set body_size_limit in each scrape_configs job",
          "sample_limit",
          "not a global default in Vigil; set sample_limit in each scrape_configs job",
          "label_limit",
          "not a global default in Vigil; set label_limit in each scrape_configs job",
          "label_name_length_limit",
          "not a global default in Vigil; set label_name_length_limit in each scrape_configs job",
          "label_value_length_limit",
          "not a global default in Vigil; set label_value_length_limit in each scrape_configs"
              + " job",
          "target_limit",
          "target limits are " + NOT_SUPPORTED + "; remove it",
          "keep_dropped_targets",
          "dropped targets are not kept by this version of Vigil; remove it");

  /** A label name as Prometheus allows it. */
  private static final java.util.regex.Pattern LABEL_NAME =
      java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** {@code global}: the Prometheus keys a pasted prometheus.yml brings, each taking effect. */
  private static GlobalConfig bindGlobal(Section s) {
    for (String key : s.node().entries().keySet()) {
      String why = UNSUPPORTED_GLOBAL.get(key);
      if (why != null) {
        throw s.error(key, why);
      }
    }
    GlobalConfig d = GlobalConfig.defaults();
    Duration interval = s.duration("scrape_interval", d.scrapeInterval(), Duration.ofSeconds(1));
    Duration timeout = s.duration("scrape_timeout", d.scrapeTimeout(), Duration.ofMillis(10));
    if (!s.has("scrape_timeout")) {
      timeout = timeout.compareTo(interval) > 0 ? interval : timeout; // as Prometheus
    } else if (timeout.compareTo(interval) > 0) {
      throw s.error("scrape_timeout", "must not be longer than scrape_interval");
    }
    Duration evaluation =
        s.duration("evaluation_interval", d.evaluationInterval(), Duration.ofSeconds(1));
    Map<String, String> external = s.stringMap("external_labels");
    for (Map.Entry<String, String> e : external.entrySet()) {
      String name = e.getKey();
      if (!LABEL_NAME.matcher(name).matches()) {
        throw s.error("external_labels", "\"" + name + "\" is not a valid label name");
      }
      if (name.startsWith("__")) {
        throw s.error("external_labels", "\"" + name + "\": names starting with __ are reserved");
      }
      if (e.getValue().isEmpty()) {
        throw s.error(
            "external_labels",
            "\"" + name + "\" has an empty value, which would add no label; remove it");
      }
    }
    s.finish();
    return new GlobalConfig(interval, timeout, evaluation, external);
  }

  /** {@code ingest}: limits of push ingest (the body size is {@code server.limits}'). */
  private static dev.vigil.ingest.IngestLimits bindIngest(Section s) {
    dev.vigil.ingest.IngestLimits d = dev.vigil.ingest.IngestLimits.DEFAULTS;
    dev.vigil.ingest.IngestLimits limits =
        dev.vigil.ingest.IngestLimits.builder()
            .maxSeries((int) s.integer("max_series", d.maxSeries(), 1, Integer.MAX_VALUE))
            .maxLabelsPerSeries(
                (int) s.integer("max_labels_per_series", d.maxLabelsPerSeries(), 1, 10_000))
            .maxLabelNameLength(
                (int) s.integer("max_label_name_length", d.maxLabelNameLength(), 1, 1 << 20))
            .maxLabelValueLength(
                (int) s.integer("max_label_value_length", d.maxLabelValueLength(), 1, 1 << 24))
            .maxDecompressedBytes(
                (int)
                    Math.min(
                        Integer.MAX_VALUE,
                        Math.max(1, s.bytes("max_decompressed_size", d.maxDecompressedBytes()))))
            .samplesPerSecond(s.integer("samples_per_second", 0, 0, Long.MAX_VALUE))
            .burstSamples(s.integer("burst_samples", 0, 0, Long.MAX_VALUE))
            .build();
    s.finish();
    return limits;
  }

  private static ServerConfig bindServer(Section s) {
    ServerConfig d = ServerConfig.defaults();
    String listen = s.string("listen", d.host() + ":" + d.port());
    String host;
    int port;
    try {
      int colon = listen.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("no port");
      }
      host = listen.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = "0.0.0.0";
      }
      port = Integer.parseInt(listen.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range");
      }
    } catch (IllegalArgumentException e) {
      throw s.error("listen", "expected host:port such as 127.0.0.1:9470, got \"" + listen + "\"");
    }
    Section auth = s.section("auth");
    List<String> read = auth.strings("read_tokens");
    List<String> write = auth.strings("write_tokens");
    List<String> admin = auth.strings("admin_tokens");
    auth.finish();
    for (String t : concat(read, write, admin)) {
      if (t.length() < 16) {
        throw auth.error(
            read.contains(t) ? "read_tokens" : write.contains(t) ? "write_tokens" : "admin_tokens",
            "tokens must be at least 16 characters long");
      }
    }
    boolean allowUnauth = s.bool("allow_unauthenticated", false);
    List<String> allowedHosts = s.strings("allowed_hosts");
    for (String h : allowedHosts) {
      if (!HOST_NAME.matcher(h).matches()) {
        throw s.error(
            "allowed_hosts",
            "\""
                + h
                + "\" is not a host name (give names only, without scheme or port, such as"
                + " vigil.internal)");
      }
    }
    Section tls = s.section("tls");
    ServerConfig.TlsConfig tc =
        new ServerConfig.TlsConfig(
            tls.string("cert_file", null),
            tls.string("key_file", null),
            tls.string("keystore_file", null),
            tls.string("keystore_password", ""));
    tls.finish();
    if ((tc.certFile() == null) != (tc.keyFile() == null)) {
      throw tls.error(
          tc.certFile() == null ? "key_file" : "cert_file", "cert_file and key_file go together");
    }
    if (tc.certFile() != null && tc.keystoreFile() != null) {
      throw tls.error("keystore_file", "set either cert_file/key_file (PEM) or keystore_file");
    }
    if (tc.enabled()) {
      // Loaded here too, so that --check-config refuses what serve could not start with.
      try {
        dev.vigil.server.http.Tls.check(tc);
      } catch (ConfigException e) {
        throw tls.error(tc.keystoreFile() != null ? "keystore_file" : "cert_file", e.getMessage());
      }
    }
    Section lim = s.section("limits");
    ServerConfig.Limits dl = ServerConfig.Limits.defaults();
    ServerConfig.Limits limits =
        new ServerConfig.Limits(
            atLeast(lim, "max_body_size", lim.bytes("max_body_size", dl.maxBodyBytes()), 1),
            (int)
                Math.min(
                    Integer.MAX_VALUE,
                    atLeast(
                        lim,
                        "max_header_size",
                        lim.bytes("max_header_size", dl.maxHeaderBytes()),
                        MIN_HEADER_BYTES)),
            lim.duration("query_timeout", dl.queryTimeout(), Duration.ofMillis(1)),
            lim.integer("query_max_samples", dl.queryMaxSamples(), 1, Long.MAX_VALUE),
            (int) lim.integer("query_max_concurrency", dl.queryMaxConcurrency(), 1, 1_000),
            (int) lim.integer("query_max_points", dl.maxPoints(), 1, 10_000_000),
            (int) lim.integer("query_queue_length", dl.queryQueueLength(), 0, 10_000));
    lim.finish();
    s.finish();
    ServerConfig out =
        new ServerConfig(host, port, read, write, admin, allowUnauth, tc, limits, allowedHosts);
    if (!out.isLoopback() && read.isEmpty() && !allowUnauth) {
      throw s.error(
          "listen",
          "listening on "
              + host
              + " (not loopback) without server.auth.read_tokens would expose all data; set"
              + " read tokens or server.allow_unauthenticated: true");
    }
    return out;
  }

  /** Smallest header block: a request line, Host and a bearer token need a few hundred bytes. */
  private static final long MIN_HEADER_BYTES = 1024;

  private static long atLeast(Section s, String key, long value, long min) {
    if (value < min) {
      throw s.error(key, "must be at least " + min + " bytes, got " + value);
    }
    return value;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  /**
   * {@code rules}: restoring alerts' {@code for} state at start, as Prometheus' flags; flapping and
   * the alert history's size.
   */
  private static RulesConfig bindRules(Section s, Duration evaluationInterval) {
    RulesConfig d = RulesConfig.DEFAULTS;
    Section flapping = s.section("flapping");
    Section history = s.section("history");
    RulesConfig out =
        new RulesConfig(
            evaluationInterval,
            s.duration("for_outage_tolerance", d.forOutageTolerance(), Duration.ZERO),
            s.duration("for_grace_period", d.forGracePeriod(), Duration.ZERO),
            s.duration("resend_delay", d.resendDelay(), Duration.ZERO),
            (int) flapping.integer("changes", d.flappingChanges(), 1, 1_000_000),
            flapping.duration("window", d.flappingWindow(), Duration.ofSeconds(1)),
            history.bytes("max_size", d.historyMaxBytes()));
    if (out.historyMaxBytes() < RulesConfig.MIN_HISTORY_BYTES) {
      throw history.error(
          "max_size",
          "must be at least 64KiB, got "
              + out.historyMaxBytes()
              + " (the history keeps whole segments of an eighth of it)");
    }
    flapping.finish();
    history.finish();
    s.finish();
    return out;
  }

  private static StorageConfig bindStorage(Section s) {
    StorageConfig d = StorageConfig.defaults();
    String path = s.string("path", d.path().toString());
    if (path.isBlank()) {
      throw s.error("path", "must not be empty");
    }
    Path dir;
    try {
      dir = Path.of(path);
    } catch (java.nio.file.InvalidPathException e) {
      throw s.error("path", "not a valid directory name: " + e.getReason());
    }
    StorageConfig out =
        new StorageConfig(
            dir,
            s.duration("retention_time", d.retentionTime(), Duration.ofHours(1)),
            s.bytes("retention_size", d.retentionSize()),
            s.duration("wal_fsync", d.walFsync(), Duration.ZERO),
            bindExemplars(s.section("exemplars"), d.maxExemplars()),
            s.duration("max_ahead_time", d.maxAheadTime(), Duration.ZERO));
    if (out.maxAheadTime().compareTo(StorageConfig.MAX_MAX_AHEAD_TIME) > 0) {
      throw s.error(
          "max_ahead_time",
          "must be at most "
              + Durations.formatDuration(StorageConfig.MAX_MAX_AHEAD_TIME)
              + " (half the block range)");
    }
    s.finish();
    return out;
  }

  private static int bindExemplars(Section s, int def) {
    int max = (int) s.integer("max_exemplars", def, 0, 10_000_000);
    s.finish();
    return max;
  }

  private static Map<String, Double> bindSampling(Section s) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String key : CollectConfig.SAMPLED) {
      Double rate = s.value(key, null, ConfigLoader::share);
      if (rate != null) {
        out.put(key, rate);
      }
    }
    s.finish();
    return out;
  }

  /** A share of events kept: a number from 0 (none) to 1 (all). */
  private static Double share(String v) {
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a number between 0 (no events) and 1 (every event), got \"" + v + "\"");
    }
    if (!(d >= 0 && d <= 1)) {
      throw new IllegalArgumentException(
          "must be between 0 (no events) and 1 (every event), got " + v);
    }
    return d;
  }

  private static CollectConfig bindCollect(Section s) {
    CollectConfig d = CollectConfig.defaults();
    CollectConfig out =
        new CollectConfig(
            s.duration("interval", d.interval(), Duration.ofSeconds(1)),
            s.bool("system", d.system()),
            s.bool("jvm", d.jvm()),
            s.bool("gpu", d.gpu()),
            s.bool("self", d.self()),
            s.string("namespace", d.namespace()),
            bindSampling(s.section("sampling")));
    s.finish();
    if (!out.namespace().isEmpty() && !Names.isValidMetricName(out.namespace())) {
      throw s.error("namespace", "\"" + out.namespace() + "\" is not a valid metric name prefix");
    }
    return out;
  }
}
