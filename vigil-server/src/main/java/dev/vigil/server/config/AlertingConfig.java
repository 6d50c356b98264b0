package dev.vigil.server.config;

import dev.vigil.server.relabel.RelabelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code alerting} section, with Prometheus' keys: where alerts are sent and how they are
 * relabeled first.
 *
 * @param alertmanagers the {@code alertmanagers} entries
 * @param alertRelabelConfigs {@code alert_relabel_configs}, applied to every alert before it is
 *     sent (after the external labels are added)
 * @param queueCapacity {@code notification_queue_capacity}: how many alerts wait to be sent at most
 *     (Prometheus' {@code --alertmanager.notification-queue-capacity}); beyond it the oldest are
 *     dropped and counted
 */
public record AlertingConfig(
    List<Alertmanagers> alertmanagers, List<RelabelConfig> alertRelabelConfigs, int queueCapacity) {

  /** Prometheus' default {@code --alertmanager.notification-queue-capacity}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** The largest queue allowed: a bound on the memory queued alerts may take. */
  public static final int MAX_QUEUE_CAPACITY = 10_000_000;

  /** No Alertmanager. */
  public static final AlertingConfig NONE =
      new AlertingConfig(List.of(), List.of(), DEFAULT_QUEUE_CAPACITY);

  /**
   * One {@code alertmanagers} entry (Prometheus' {@code alertmanager_config}).
   *
   * @param scheme {@code http} or {@code https}
   * @param pathPrefix prefix of the API path (default {@code /})
   * @param timeout longest a post may take (default 10 s)
   * @param apiVersion {@code v2} (Alertmanager 0.25 has no v1)
   * @param staticConfigs the Alertmanagers' {@code host:port}, with labels for relabeling
   * @param basicAuth {@code basic_auth}, or null
   * @param bearerToken {@code authorization} credentials (type Bearer), or null
   * @param tls {@code tls_config}, or null
   * @param relabelConfigs applied to each Alertmanager's labels ({@code __address__}, {@code
   *     __scheme__}, {@code __alerts_path__} and the static labels) before use
   */
  public record Alertmanagers(
      String scheme,
      String pathPrefix,
      Duration timeout,
      String apiVersion,
      List<ScrapeConfig.TargetGroup> staticConfigs,
      ScrapeConfig.BasicAuth basicAuth,
      String bearerToken,
      ScrapeTlsConfig tls,
      List<RelabelConfig> relabelConfigs) {

    /** The API path: {@code path_prefix} + {@code /api/v2/alerts}, as Prometheus joins them. */
    public String alertsPath() {
      String p =
          pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
      return p + "/api/" + apiVersion + "/alerts";
    }
  }

  /**
   * Binds {@code alerting} from the node as written, checking every value and naming the file, line
   * and key of a bad one; relative file names are resolved against {@code baseDir}.
   */
  public static AlertingConfig bind(ConfigNode node, Path baseDir) {
    if (node == null || node.kind() != ConfigNode.Kind.MAP || node.entries().isEmpty()) {
      return NONE;
    }
    Section s = new Section(node, "alerting");
    List<Alertmanagers> ams = new ArrayList<>();
    for (Section a : s.sections("alertmanagers")) {
      ams.add(bindOne(a, baseDir));
    }
    List<RelabelConfig> relabel = new ArrayList<>();
    for (Section r : s.sections("alert_relabel_configs")) {
      relabel.add(RelabelConfig.bind(r));
    }
    int capacity =
        (int)
            s.integer("notification_queue_capacity", DEFAULT_QUEUE_CAPACITY, 1, MAX_QUEUE_CAPACITY);
    s.finish();
    return new AlertingConfig(List.copyOf(ams), List.copyOf(relabel), capacity);
  }

  private static Alertmanagers bindOne(Section s, Path baseDir) {
    String scheme = s.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw s.error("scheme", "must be http or https, got \"" + scheme + "\"");
    }
    String prefix = s.string("path_prefix", "/");
    if (!prefix.startsWith("/")) {
      prefix = "/" + prefix;
    }
    Duration timeout = s.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(1));
    String api = s.string("api_version", "v2");
    if (api.equals("v1")) {
      throw s.error(
          "api_version",
          "v1 is not supported: Alertmanager 0.25 and later only have the v2 API; use v2");
    }
    if (!api.equals("v2")) {
      throw s.error("api_version", "must be v2, got \"" + api + "\"");
    }
    List<ScrapeConfig.TargetGroup> statics = new ArrayList<>();
    for (Section sc : s.sections("static_configs")) {
      List<String> targets = sc.strings("targets");
      for (String t : targets) {
        if (t.isEmpty() || t.contains("/") || t.contains(" ")) {
          throw sc.error("targets", "\"" + t + "\" is not host:port (no scheme or path here)");
        }
      }
      statics.add(new ScrapeConfig.TargetGroup(targets, sc.stringMap("labels"), sc.path()));
      sc.finish();
    }
    ClientAuth auth = ClientAuth.bind(s, baseDir, true);
    ScrapeConfig.BasicAuth basic = auth.basic();
    String bearer = auth.bearer();
    ScrapeTlsConfig tls =
        s.has("tls_config") ? ScrapeTlsConfig.bind(s.section("tls_config"), baseDir) : null;
    if (!s.has("tls_config")) {
      s.section("tls_config");
    }
    List<RelabelConfig> relabel = new ArrayList<>();
    for (Section r : s.sections("relabel_configs")) {
      relabel.add(RelabelConfig.bind(r));
    }
    s.finish();
    return new Alertmanagers(
        scheme,
        prefix,
        timeout,
        api,
        List.copyOf(statics),
        basic,
        bearer,
        tls,
        List.copyOf(relabel));
  }
}
