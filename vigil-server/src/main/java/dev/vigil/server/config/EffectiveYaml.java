package dev.vigil.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.vigil.server.relabel.RelabelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the configuration in force ({@link VigilConfig}) as YAML in the file's layout, every key
 * with its value, for {@code /api/v1/status/config}.
 *
 * <pre>{@code
 * String yaml = EffectiveYaml.render(config, true); // tokens, passwords, keys as <secret>
 * }</pre>
 */
final class EffectiveYaml {
  /*
   * Rendered from the bound model, not from the file: defaults, environment overrides and flags
   * are all in the model, and after a reload that kept the server and storage sections (they
   * change only at restart) the model is what runs. Every value is written in a form the loader
   * reads back to the same value (durations as 1m30s, sizes as 10MiB, files resolved as the loader
   * resolved them), so render(load(render(c))) == render(c); ConfigRoundTripTest checks it.
   * Secrets are rendered as Prometheus renders them: <secret> when set, left out when empty; a
   * secret read from a file is shown as that file's name.
   */
  static final String SECRET = "<secret>";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private EffectiveYaml() {}

  /**
   * The configuration as YAML.
   *
   * @param redact whether secrets are written as {@code <secret>} (false only for tests that feed
   *     the text back)
   */
  static String render(VigilConfig c, boolean redact) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("global", global(c.global()));
    root.put("log", Map.of("level", c.logLevel().yamlName()));
    root.put("server", server(c.server(), redact));
    root.put("storage", storage(c.storage()));
    root.put("collect", collect(c.collect()));
    root.put("ingest", ingest(c.ingest()));
    root.put("thread_groups", threadGroups(c.threadGroups()));
    List<Object> jobs = new ArrayList<>();
    for (ScrapeConfig j : c.scrapeConfigs()) {
      jobs.add(job(j, redact));
    }
    root.put("scrape_configs", jobs);
    root.put("rule_files", c.ruleFiles());
    if (!c.sloFiles().isEmpty()) {
      root.put("slo_files", c.sloFiles());
    }
    boolean inlineSlos =
        c.slos().kind() == ConfigNode.Kind.LIST
            ? !c.slos().items().isEmpty()
            : c.slos().kind() == ConfigNode.Kind.MAP && !c.slos().entries().isEmpty();
    if (inlineSlos) {
      root.put("slos", c.slos().toPlain());
    }
    if (c.alerting().kind() == ConfigNode.Kind.MAP && !c.alerting().entries().isEmpty()) {
      // As written (its keys are Prometheus'), secrets redacted.
      root.put("alerting", redact ? Redacted.plain(c.alerting()) : c.alerting().toPlain());
    }
    if (c.push().kind() == ConfigNode.Kind.MAP && !c.push().entries().isEmpty()) {
      // As written, secrets redacted.
      root.put("push", redact ? Redacted.plain(c.push()) : c.push().toPlain());
    }
    if (c.query().kind() == ConfigNode.Kind.MAP && !c.query().entries().isEmpty()) {
      // As written, secrets redacted.
      root.put("query", redact ? Redacted.plain(c.query()) : c.query().toPlain());
    }
    root.put("dashboard", c.dashboard().toPlain());
    root.put("reports", c.reports().toPlain());
    root.put("browser_vitals", BrowserVitalsConfig.of(c).plain());
    if (!c.notifySection().entries().isEmpty()) {
      root.put("notify", redact ? Redacted.plain(c.notifySection()) : c.notifySection().toPlain());
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the configuration", e);
    }
  }

  private static Map<String, Object> global(GlobalConfig g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scrape_interval", duration(g.scrapeInterval()));
    m.put("scrape_timeout", duration(g.scrapeTimeout()));
    m.put("evaluation_interval", duration(g.evaluationInterval()));
    m.put("external_labels", g.externalLabels());
    return m;
  }

  private static Map<String, Object> server(ServerConfig s, boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
    m.put("listen", host + ":" + s.port());
    m.put("allow_unauthenticated", s.allowUnauthenticated());
    m.put("allowed_hosts", s.allowedHosts());
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("read_tokens", secrets(s.readTokens(), redact));
    auth.put("write_tokens", secrets(s.writeTokens(), redact));
    auth.put("admin_tokens", secrets(s.adminTokens(), redact));
    m.put("auth", auth);
    Map<String, Object> tls = new LinkedHashMap<>();
    ServerConfig.TlsConfig t = s.tls();
    putIfSet(tls, "cert_file", t.certFile());
    putIfSet(tls, "key_file", t.keyFile());
    putIfSet(tls, "keystore_file", t.keystoreFile());
    putIfSet(tls, "keystore_password", secret(t.keystorePassword(), redact));
    m.put("tls", tls);
    ServerConfig.Limits l = s.limits();
    Map<String, Object> lim = new LinkedHashMap<>();
    lim.put("max_body_size", bytes(l.maxBodyBytes()));
    lim.put("max_header_size", bytes(l.maxHeaderBytes()));
    lim.put("query_timeout", duration(l.queryTimeout()));
    lim.put("query_max_samples", l.queryMaxSamples());
    lim.put("query_max_concurrency", l.queryMaxConcurrency());
    lim.put("query_max_points", l.maxPoints());
    lim.put("query_queue_length", l.queryQueueLength());
    m.put("limits", lim);
    return m;
  }

  private static Map<String, Object> storage(StorageConfig s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", s.path().toString());
    m.put("retention_time", duration(s.retentionTime()));
    m.put("retention_size", bytes(s.retentionSize()));
    m.put("wal_fsync", duration(s.walFsync()));
    m.put("max_ahead_time", duration(s.maxAheadTime()));
    m.put("exemplars", Map.of("max_exemplars", s.maxExemplars()));
    return m;
  }

  private static Map<String, Object> collect(CollectConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("interval", duration(c.interval()));
    m.put("system", c.system());
    m.put("jvm", c.jvm());
    m.put("gpu", c.gpu());
    m.put("self", c.self());
    m.put("namespace", c.namespace());
    Map<String, Object> sampling = new LinkedHashMap<>();
    sampling.put("default", c.sampling().getOrDefault("default", 1.0));
    for (String k : CollectConfig.SAMPLED) {
      if (!k.equals("default") && c.sampling().containsKey(k)) {
        sampling.put(k, c.sampling().get(k));
      }
    }
    m.put("sampling", sampling);
    return m;
  }

  private static Map<String, Object> threadGroups(ThreadGroupsConfig t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_groups", t.maxGroups());
    List<Object> groups = new ArrayList<>();
    for (ThreadGroupsConfig.Group g : t.groups()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", g.name());
      one.put("thread_name", g.threadName());
      groups.add(one);
    }
    m.put("groups", groups);
    return m;
  }

  private static Map<String, Object> ingest(dev.vigil.ingest.IngestLimits i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_series", i.maxSeries());
    m.put("max_labels_per_series", i.maxLabelsPerSeries());
    m.put("max_label_name_length", i.maxLabelNameLength());
    m.put("max_label_value_length", i.maxLabelValueLength());
    m.put("max_decompressed_size", bytes(i.maxDecompressedBytes()));
    m.put("samples_per_second", i.samplesPerSecond());
    m.put("burst_samples", i.burstSamples());
    return m;
  }

  private static Map<String, Object> job(ScrapeConfig j, boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_name", j.jobName());
    m.put("scrape_interval", duration(j.interval()));
    m.put("scrape_timeout", duration(j.timeout()));
    m.put("metrics_path", j.metricsPath());
    m.put("scheme", j.scheme());
    if (!j.params().isEmpty()) {
      m.put("params", new java.util.TreeMap<>(j.params()));
    }
    List<Object> statics = new ArrayList<>();
    for (ScrapeConfig.TargetGroup g : j.staticConfigs()) {
      Map<String, Object> sg = new LinkedHashMap<>();
      sg.put("targets", g.targets());
      if (!g.labels().isEmpty()) {
        sg.put("labels", g.labels());
      }
      statics.add(sg);
    }
    m.put("static_configs", statics);
    if (!j.fileSdConfigs().isEmpty()) {
      List<Object> sds = new ArrayList<>();
      for (ScrapeConfig.FileSdConfig f : j.fileSdConfigs()) {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("files", f.files());
        sd.put("refresh_interval", duration(f.refreshInterval()));
        sds.add(sd);
      }
      m.put("file_sd_configs", sds);
    }
    if (j.basicAuth() != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("username", j.basicAuth().username());
      if (j.basicAuth().passwordFile() != null) {
        b.put("password_file", j.basicAuth().passwordFile());
      } else {
        putIfSet(b, "password", secret(j.basicAuth().password(), redact));
      }
      m.put("basic_auth", b);
    }
    if (j.bearerToken() != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("type", "Bearer");
      if (j.bearerTokenFile() != null) {
        a.put("credentials_file", j.bearerTokenFile());
      } else {
        a.put("credentials", redact ? SECRET : j.bearerToken());
      }
      m.put("authorization", a);
    }
    m.put("honor_labels", j.honorLabels());
    m.put("honor_timestamps", j.honorTimestamps());
    m.put("relabel_configs", relabel(j.relabelConfigs()));
    m.put("metric_relabel_configs", relabel(j.metricRelabelConfigs()));
    m.put("sample_limit", j.sampleLimit());
    m.put("label_limit", j.labelLimit());
    m.put("label_name_length_limit", j.labelNameLengthLimit());
    m.put("label_value_length_limit", j.labelValueLengthLimit());
    m.put("body_size_limit", bytes(j.bodySizeLimit()));
    if (j.tls() != null) {
      m.put("tls_config", tls(j.tls(), redact));
    }
    return m;
  }

  private static Map<String, Object> tls(ScrapeTlsConfig t, boolean redact) {
    Map<String, Object> m = new LinkedHashMap<>();
    // Certificates are public: given inline, they are shown; the private key is a secret.
    if (t.caFile() != null) {
      m.put("ca_file", t.caFile());
    } else {
      putIfSet(m, "ca", t.ca());
    }
    if (t.certFile() != null) {
      m.put("cert_file", t.certFile());
    } else {
      putIfSet(m, "cert", t.cert());
    }
    if (t.keyFile() != null) {
      m.put("key_file", t.keyFile());
    } else {
      putIfSet(m, "key", t.key() == null ? null : secret(t.key(), redact));
    }
    putIfSet(m, "server_name", t.serverName());
    m.put("insecure_skip_verify", t.insecureSkipVerify());
    m.put("min_version", t.minVersion());
    putIfSet(m, "max_version", t.maxVersion());
    return m;
  }

  private static List<Object> relabel(List<RelabelConfig> rules) {
    List<Object> out = new ArrayList<>();
    for (RelabelConfig r : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source_labels", r.sourceLabels());
      m.put("separator", r.separator());
      m.put("target_label", r.targetLabel());
      m.put("regex", r.regexText());
      m.put("modulus", r.modulus());
      m.put("replacement", r.replacement());
      m.put("action", r.action().yamlName());
      out.add(m);
    }
    return out;
  }

  private static List<String> secrets(List<String> values, boolean redact) {
    return redact ? values.stream().map(v -> SECRET).toList() : values;
  }

  /** A secret as Prometheus renders it: {@code <secret>} when set, absent (null) when empty. */
  private static String secret(String value, boolean redact) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return redact ? SECRET : value;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String duration(Duration d) {
    return dev.vigil.model.Durations.formatDuration(d);
  }

  /** Bytes in the largest binary unit that divides them ({@code 10MiB}), {@code 0} for none. */
  static Object bytes(long n) {
    if (n == 0) {
      return 0L;
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    String unit = "";
    long v = n;
    for (int i = 0; i < units.length && v % 1024 == 0; i++) {
      v /= 1024;
      unit = units[i];
    }
    return v + unit;
  }
}
