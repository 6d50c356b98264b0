package dev.vigil.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code query.remote}: a Prometheus HTTP API (Prometheus, VictoriaMetrics, Mimir, Thanos Query)
 * that PromQL, the dashboard, the seeds' API and the rules read from, instead of the local store
 * ({@code mode: replace}) or merged with it ({@code mode: merge}); docs/scale-out.md.
 *
 * <pre>{@code
 * query:
 *   remote:
 *     url: http://victoria:8428        # the API's base: /api/v1/query is appended
 *     mode: replace
 * }</pre>
 *
 * @param url the API's base URL, without a trailing slash ({@code http} or {@code https})
 * @param mode where queries read
 * @param remoteTimeout longest one request to the backend may take
 * @param headers extra HTTP headers sent with every request ({@code X-Scope-OrgID} for Mimir)
 * @param basicAuth {@code basic_auth}, or null
 * @param bearerToken {@code authorization} credentials (type Bearer), or null
 * @param tls {@code tls_config}, or null
 * @param seriesLimit most series one request may return; more is a query error naming the limit
 * @param samplesLimit most samples one request may return; more is a query error naming the limit
 */
public record RemoteQueryConfig(
    URI url,
    Mode mode,
    Duration remoteTimeout,
    Map<String, String> headers,
    ScrapeConfig.BasicAuth basicAuth,
    String bearerToken,
    ScrapeTlsConfig tls,
    int seriesLimit,
    long samplesLimit) {

  /** Where queries read. */
  public enum Mode {
    /** Only the backend: the local store is written (and remote-written) but not read. */
    REPLACE,
    /** The backend and the local store, deduplicated by series and timestamp, local first. */
    MERGE
  }

  /** Default {@code series_limit}. */
  public static final int DEFAULT_SERIES_LIMIT = 100_000;

  /** Default {@code samples_limit}: 10 million samples, about 160 MB while a query runs. */
  public static final long DEFAULT_SAMPLES_LIMIT = 10_000_000;

  /** Headers a query request sets itself. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of("accept", "accept-encoding", "content-length", "user-agent", "host", "authorization");

  /**
   * Binds {@code query.remote} from the {@code query} section; null when it is absent. Checks every
   * value and names the file, line and key of a bad one; relative file names are resolved against
   * {@code baseDir}.
   */
  public static RemoteQueryConfig bind(ConfigNode query, Path baseDir) {
    if (query == null
        || query.kind() == ConfigNode.Kind.NULL
        || query.kind() == ConfigNode.Kind.MAP && query.entries().isEmpty()) {
      return null;
    }
    if (query.kind() != ConfigNode.Kind.MAP) {
      throw new ConfigException(query.where() + ": query: expected a map (with remote)");
    }
    Section q = new Section(query, "query");
    boolean present = q.has("remote");
    Section s = q.section("remote");
    q.finish();
    if (!present) {
      return null;
    }
    String rawUrl = s.string("url", null);
    if (rawUrl == null) {
      throw s.error(
          "url", "required: the base URL of a Prometheus HTTP API (e.g. http://victoria:8428)");
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
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw s.error(
          "url", "must be a base URL without ?query or #fragment, got \"" + rawUrl + "\"");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    if (path.endsWith("/api/v1") || path.endsWith("/api/v1/") || path.contains("/api/v1/query")) {
      throw s.error(
          "url",
          "give the API's base URL, without /api/v1 (Vigil appends /api/v1/query and the"
              + " others), got \""
              + rawUrl
              + "\"");
    }
    while (rawUrl.endsWith("/")) {
      rawUrl = rawUrl.substring(0, rawUrl.length() - 1);
    }
    url = URI.create(rawUrl);
    Mode mode =
        s.value(
            "mode",
            Mode.REPLACE,
            v ->
                switch (v) {
                  case "replace" -> Mode.REPLACE;
                  case "merge" -> Mode.MERGE;
                  default ->
                      throw new IllegalArgumentException(
                          "must be replace or merge, got \"" + v + "\"");
                });
    Duration timeout = s.duration("remote_timeout", Duration.ofSeconds(30), Duration.ofMillis(1));
    Map<String, String> headers =
        ClientAuth.headers(s, RESERVED_HEADERS, "the query client itself");
    ClientAuth auth = ClientAuth.bind(s, baseDir, true);
    ScrapeTlsConfig tls = ClientAuth.tls(s, scheme, baseDir);
    int seriesLimit = (int) s.integer("series_limit", DEFAULT_SERIES_LIMIT, 1, 100_000_000);
    long samplesLimit = s.integer("samples_limit", DEFAULT_SAMPLES_LIMIT, 1, 10_000_000_000L);
    s.finish();
    return new RemoteQueryConfig(
        url,
        mode,
        timeout,
        Map.copyOf(headers),
        auth.basic(),
        auth.bearer(),
        tls,
        seriesLimit,
        samplesLimit);
  }

  /** The {@code Authorization} header value, or null. */
  public String authorizationHeader() {
    return ClientAuth.header(basicAuth, bearerToken);
  }

  @Override
  public String toString() {
    // No secrets in logs.
    return "query.remote " + url + " (" + mode.name().toLowerCase(Locale.ROOT) + ")";
  }
}
