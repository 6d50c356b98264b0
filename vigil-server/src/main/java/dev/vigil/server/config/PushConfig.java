package dev.vigil.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code push} section: where Vigil pushes the newest sample of its series every interval, over
 * OTLP/HTTP ({@code push.otlp}), InfluxDB 1.x line protocol ({@code push.influxdb}) or DogStatsD
 * over UDP ({@code push.statsd}); see docs/push.md.
 *
 * <pre>{@code
 * push:
 *   otlp:
 *     - url: https://collector:4318/v1/metrics
 *       interval: 30s
 *   influxdb:
 *     - url: http://influx:8086
 *       database: vigil
 * }</pre>
 *
 * @param targets every entry of both lists, OTLP first
 */
public record PushConfig(List<Target> targets) {

  /** An OTLP/HTTP protobuf target. */
  public static final String OTLP = "otlp";

  /** An InfluxDB 1.x {@code /write} target. */
  public static final String INFLUXDB = "influxdb";

  /** A DogStatsD target over UDP ({@code udp://host:port}). */
  public static final String STATSD = "statsd";

  /** Line protocol timestamp precisions InfluxDB 1.x accepts. */
  private static final Set<String> PRECISIONS = Set.of("ns", "u", "ms", "s", "m", "h");

  private static final Set<String> RESERVED_HEADERS =
      Set.of("content-type", "content-length", "content-encoding", "host", "authorization");

  public PushConfig {
    targets = List.copyOf(targets);
  }

  /**
   * One push target.
   *
   * @param kind {@link #OTLP}, {@link #INFLUXDB} or {@link #STATSD}
   * @param name unique among all targets ({@code name} label of the self-metrics); default {@code
   *     otlp-0}, {@code influxdb-1}, … by position
   * @param url OTLP: the full endpoint (usually ending in {@code /v1/metrics}); InfluxDB: the
   *     server's base URL ({@code /write} is appended)
   * @param interval how often the newest samples are pushed
   * @param timeout longest one request may take
   * @param match series selectors; a series matching any is pushed
   * @param headers extra HTTP headers
   * @param basicAuth {@code basic_auth}, or null
   * @param bearerToken {@code authorization} credentials (type Bearer), or null
   * @param tls {@code tls_config}, or null
   * @param serviceName OTLP: {@code service.name} of series without a {@code job} label
   * @param database InfluxDB: the database written to
   * @param precision InfluxDB: timestamp precision ({@code ns}, {@code u}, {@code ms}, {@code s},
   *     {@code m}, {@code h})
   * @param retentionPolicy InfluxDB: the retention policy ({@code rp}), or null for the default
   */
  public record Target(
      String kind,
      String name,
      URI url,
      Duration interval,
      Duration timeout,
      List<String> match,
      Map<String, String> headers,
      ScrapeConfig.BasicAuth basicAuth,
      String bearerToken,
      ScrapeTlsConfig tls,
      String serviceName,
      String database,
      String precision,
      String retentionPolicy) {

    /** The {@code Authorization} header value, or null. */
    public String authorizationHeader() {
      return ClientAuth.header(basicAuth, bearerToken);
    }

    @Override
    public String toString() {
      // No secrets in logs.
      return "push " + kind + " " + name + " (" + url + ")";
    }
  }

  /** No targets. */
  public static PushConfig none() {
    return new PushConfig(List.of());
  }

  /**
   * Binds the {@code push} section, checking each value and naming the file, line and key of a bad
   * one; relative file names are resolved against {@code baseDir}.
   */
  public static PushConfig bind(ConfigNode node, Path baseDir) {
    if (node == null
        || node.kind() == ConfigNode.Kind.NULL
        || node.kind() == ConfigNode.Kind.MAP && node.entries().isEmpty()) {
      return none();
    }
    if (node.kind() != ConfigNode.Kind.MAP) {
      throw new ConfigException(node.where() + ": push: expected a map with otlp and influxdb");
    }
    Section push = new Section(node, "push");
    List<Target> out = new ArrayList<>();
    for (String kind : List.of(OTLP, INFLUXDB, STATSD)) {
      List<Section> entries = push.sections(kind);
      for (int i = 0; i < entries.size(); i++) {
        out.add(bindTarget(entries.get(i), kind, i, baseDir));
      }
    }
    push.finish();
    Set<String> names = new HashSet<>();
    for (Target t : out) {
      if (!names.add(t.name())) {
        throw new ConfigException(
            node.where()
                + ": push: two targets are named \""
                + t.name()
                + "\": give each a distinct name");
      }
    }
    return new PushConfig(out);
  }

  private static Target bindStatsd(Section s, URI url, String rawUrl, String scheme, int index) {
    if (!scheme.equals("udp") || url.getHost() == null || url.getPort() < 1) {
      throw s.error("url", "must be udp://host:port, got \"" + rawUrl + "\"");
    }
    String name = s.string("name", STATSD + "-" + index);
    if (!dev.vigil.tsdb.wal.WalReaders.validName(name)) {
      throw s.error(
          "name", "must be 1 to 100 letters, digits, '_', '-' or '.', got \"" + name + "\"");
    }
    Duration interval = s.duration("interval", Duration.ofSeconds(30), Duration.ofSeconds(1));
    List<String> match = matchers(s);
    s.finish();
    return new Target(
        STATSD, name, url, interval, interval, match, Map.of(), null, null, null, null, null, null,
        null);
  }

  private static List<String> matchers(Section s) {
    List<String> match = s.strings("match");
    if (match.isEmpty()) {
      match = List.of("{__name__=~\".+\"}");
    }
    for (String m : match) {
      try {
        dev.vigil.promql.parser.Parser.parseMatchers(m);
      } catch (dev.vigil.promql.parser.ParseException | IllegalArgumentException e) {
        throw s.error("match", "not a series selector: \"" + m + "\": " + e.getMessage());
      }
    }
    return List.copyOf(match);
  }

  private static Target bindTarget(Section s, String kind, int index, Path baseDir) {
    String rawUrl = s.string("url", null);
    if (rawUrl == null) {
      throw s.error(
          "url",
          kind.equals(OTLP)
              ? "required: the OTLP/HTTP metrics endpoint, e.g. http://collector:4318/v1/metrics"
              : "required: the InfluxDB server, e.g. http://influxdb:8086");
    }
    URI url;
    try {
      url = new URI(rawUrl);
    } catch (java.net.URISyntaxException e) {
      throw s.error("url", "not a valid URL: " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (kind.equals(STATSD)) {
      return bindStatsd(s, url, rawUrl, scheme, index);
    }
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw s.error(
          "url", "must be an http:// or https:// URL with a host, got \"" + rawUrl + "\"");
    }
    if (kind.equals(INFLUXDB) && url.getRawQuery() != null) {
      throw s.error(
          "url",
          "must not carry a query (db, precision and rp are keys of their own), got \""
              + rawUrl
              + "\"");
    }
    String name = s.string("name", kind + "-" + index);
    if (!dev.vigil.tsdb.wal.WalReaders.validName(name)) {
      throw s.error(
          "name", "must be 1 to 100 letters, digits, '_', '-' or '.', got \"" + name + "\"");
    }
    Duration interval = s.duration("interval", Duration.ofSeconds(30), Duration.ofSeconds(1));
    Duration timeout = s.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(1));
    if (timeout.compareTo(interval) > 0) {
      throw s.error("timeout", "is longer than interval (" + interval + ")");
    }
    List<String> match = matchers(s);
    Map<String, String> headers = ClientAuth.headers(s, RESERVED_HEADERS, "the push itself");
    ClientAuth auth = ClientAuth.bind(s, baseDir, true);
    ScrapeTlsConfig tls = ClientAuth.tls(s, scheme, baseDir);
    String serviceName = null;
    String database = null;
    String precision = null;
    String rp = null;
    if (kind.equals(OTLP)) {
      serviceName = s.string("service_name", "vigil");
      if (serviceName.isEmpty()) {
        throw s.error("service_name", "must not be empty");
      }
    } else {
      database = s.string("database", null);
      if (database == null || database.isEmpty()) {
        throw s.error("database", "required: the InfluxDB database written to");
      }
      precision = s.string("precision", "ms");
      if (!PRECISIONS.contains(precision)) {
        throw s.error("precision", "must be one of ns, u, ms, s, m, h, got \"" + precision + "\"");
      }
      rp = s.string("retention_policy", null);
    }
    s.finish();
    return new Target(
        kind,
        name,
        url,
        interval,
        timeout,
        List.copyOf(match),
        Map.copyOf(headers),
        auth.basic(),
        auth.bearer(),
        tls,
        serviceName,
        database,
        precision,
        rp);
  }
}
