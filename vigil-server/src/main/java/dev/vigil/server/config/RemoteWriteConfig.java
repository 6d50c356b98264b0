package dev.vigil.server.config;

import dev.vigil.server.relabel.RelabelConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code remote_write} entry, with Prometheus' keys: where samples read from the WAL are sent,
 * how they are relabeled first and how the queue sends them (docs/remote-write.md).
 *
 * @param url the receiver's endpoint ({@code http} or {@code https})
 * @param name the queue's name ({@code remote_name} label; default: 6 hex digits of the URL's
 *     hash); unique, and the name of its position file
 * @param remoteTimeout longest one request may take
 * @param headers extra HTTP headers sent with every request
 * @param basicAuth {@code basic_auth}, or null
 * @param bearerToken {@code authorization} credentials (type Bearer), or null
 * @param tls {@code tls_config}, or null
 * @param writeRelabelConfigs applied to every series before it is sent (after external labels)
 * @param queue {@code queue_config}
 * @param sendExemplars whether exemplars from the WAL are sent
 * @param protobufMessage {@code prometheus.WriteRequest} (1.0) or {@code
 *     io.prometheus.write.v2.Request} (2.0)
 */
public record RemoteWriteConfig(
    URI url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    ScrapeConfig.BasicAuth basicAuth,
    String bearerToken,
    ScrapeTlsConfig tls,
    List<RelabelConfig> writeRelabelConfigs,
    Queue queue,
    boolean sendExemplars,
    String protobufMessage) {

  /** Remote write 1.0's message. */
  public static final String V1 = "prometheus.WriteRequest";

  /** Remote write 2.0's message. */
  public static final String V2 = "io.prometheus.write.v2.Request";

  /**
   * {@code queue_config}, with Prometheus' defaults.
   *
   * @param capacity samples read ahead of what was sent, per shard
   * @param minShards shards at start and the fewest the queue scales down to
   * @param maxShards the most shards the queue scales up to
   * @param maxSamplesPerSend samples in one request at most
   * @param batchSendDeadline longest a sample waits for its request to fill up
   * @param minBackoff first wait before a retry (doubled each retry)
   * @param maxBackoff longest wait between retries
   * @param retryOnHttp429 whether a 429 is retried (else dropped like other 4xx)
   */
  public record Queue(
      int capacity,
      int minShards,
      int maxShards,
      int maxSamplesPerSend,
      Duration batchSendDeadline,
      Duration minBackoff,
      Duration maxBackoff,
      boolean retryOnHttp429) {
    /** Prometheus 2.42's defaults. */
    public static final Queue DEFAULTS =
        new Queue(
            10_000,
            1,
            50,
            2_000,
            Duration.ofSeconds(5),
            Duration.ofMillis(30),
            Duration.ofSeconds(5),
            true);
  }

  /** Headers a remote write request sets itself, refused in {@code headers} as Prometheus does. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "content-type",
          "content-encoding",
          "content-length",
          "user-agent",
          "x-prometheus-remote-write-version",
          "host",
          "authorization");

  /**
   * Binds every {@code remote_write} entry, checking each value and naming the file, line and key
   * of a bad one; relative file names are resolved against {@code baseDir}.
   */
  public static List<RemoteWriteConfig> bindAll(ConfigNode node, Path baseDir) {
    List<RemoteWriteConfig> out = new ArrayList<>();
    if (node == null
        || node.kind() == ConfigNode.Kind.NULL
        || node.kind() == ConfigNode.Kind.MAP && node.entries().isEmpty()) {
      return out; // absent (an empty map from the loader) or empty
    }
    if (node.kind() != ConfigNode.Kind.LIST) {
      throw new ConfigException(node.where() + ": remote_write: expected a list of entries");
    }
    Set<String> names = new HashSet<>();
    List<ConfigNode> items = node.items();
    for (int i = 0; i < items.size(); i++) {
      Section s = new Section(items.get(i), "remote_write[" + i + "]");
      RemoteWriteConfig c = bind(s, baseDir);
      if (!names.add(c.name())) {
        throw s.error(
            s.has("name") ? "name" : "url",
            "two remote_write entries are named \""
                + c.name()
                + "\" (a name defaults to a hash of the URL): give each a distinct name");
      }
      out.add(c);
    }
    return List.copyOf(out);
  }

  private static RemoteWriteConfig bind(Section s, Path baseDir) {
    String rawUrl = s.string("url", null);
    if (rawUrl == null) {
      throw s.error("url", "required: the receiver's remote write endpoint");
    }
    URI url;
    try {
      url = new URI(rawUrl);
    } catch (java.net.URISyntaxException e) {
      throw s.error("url", "not a valid URL: " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw s.error(
          "url", "must be an http:// or https:// URL with a host, got \"" + rawUrl + "\"");
    }
    String name = s.string("name", null);
    if (name == null) {
      name = defaultName(rawUrl);
    } else if (!dev.vigil.tsdb.wal.WalReaders.validName(name)) {
      throw s.error(
          "name", "must be 1 to 100 letters, digits, '_', '-' or '.', got \"" + name + "\"");
    }
    Duration timeout = s.duration("remote_timeout", Duration.ofSeconds(30), Duration.ofMillis(1));
    Map<String, String> headers = ClientAuth.headers(s, RESERVED_HEADERS, "remote write itself");
    ClientAuth auth = ClientAuth.bind(s, baseDir, true);
    ScrapeConfig.BasicAuth basic = auth.basic();
    String bearer = auth.bearer();
    ScrapeTlsConfig tls = ClientAuth.tls(s, scheme, baseDir);
    List<RelabelConfig> relabel = new ArrayList<>();
    for (Section r : s.sections("write_relabel_configs")) {
      relabel.add(RelabelConfig.bind(r));
    }
    Queue queue = bindQueue(s.section("queue_config"));
    Section meta = s.section("metadata_config");
    if (meta.bool("send", false)) {
      throw meta.error(
          "send",
          "sending metadata is "
              + "not supported by this version of Vigil (its WAL holds no metadata); set send:"
              + " false or remove metadata_config");
    }
    meta.duration("send_interval", Duration.ofMinutes(1), Duration.ofSeconds(1));
    meta.integer("max_samples_per_send", 500, 1, 1_000_000);
    meta.finish();
    boolean exemplars = s.bool("send_exemplars", false);
    String message = s.string("protobuf_message", V1);
    if (!message.equals(V1) && !message.equals(V2)) {
      throw s.error(
          "protobuf_message", "must be " + V1 + " or " + V2 + ", got \"" + message + "\"");
    }
    if (message.equals(V2) && exemplars) {
      throw s.error(
          "send_exemplars",
          "exemplars are sent with " + V1 + " only by this version of Vigil; use " + V1);
    }
    s.finish();
    return new RemoteWriteConfig(
        url,
        name,
        timeout,
        Map.copyOf(headers),
        basic,
        bearer,
        tls,
        List.copyOf(relabel),
        queue,
        exemplars,
        message);
  }

  private static Queue bindQueue(Section q) {
    Queue d = Queue.DEFAULTS;
    int capacity = (int) q.integer("capacity", d.capacity(), 1, 10_000_000);
    int minShards = (int) q.integer("min_shards", d.minShards(), 1, 1_000);
    int maxShards = (int) q.integer("max_shards", d.maxShards(), 1, 1_000);
    if (minShards > maxShards) {
      throw q.error("min_shards", "is " + minShards + ", more than max_shards (" + maxShards + ")");
    }
    int perSend = (int) q.integer("max_samples_per_send", d.maxSamplesPerSend(), 1, 1_000_000);
    Duration deadline =
        q.duration("batch_send_deadline", d.batchSendDeadline(), Duration.ofMillis(1));
    Duration minBackoff = q.duration("min_backoff", d.minBackoff(), Duration.ofMillis(1));
    Duration maxBackoff = q.duration("max_backoff", d.maxBackoff(), Duration.ofMillis(1));
    if (minBackoff.compareTo(maxBackoff) > 0) {
      throw q.error("min_backoff", "is longer than max_backoff (" + maxBackoff + ")");
    }
    boolean retry429 = q.bool("retry_on_http_429", d.retryOnHttp429());
    q.finish();
    return new Queue(
        capacity, minShards, maxShards, perSend, deadline, minBackoff, maxBackoff, retry429);
  }

  /** Prometheus names an unnamed queue by a hash of its config; Vigil by its URL's, 6 digits. */
  static String defaultName(String url) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code Authorization} header value, or null. */
  public String authorizationHeader() {
    return ClientAuth.header(basicAuth, bearerToken);
  }

  @Override
  public String toString() {
    // No secrets in logs.
    return "remote_write " + name + " (" + url + ")";
  }
}
