package dev.vigil.server.scrape;

import dev.vigil.model.Labels;
import dev.vigil.server.config.ScrapeConfig;
import dev.vigil.server.relabel.Relabeler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape target: its labels before and after relabeling, its URL, and the health of its last
 * scrape (updated by its loop, read by {@code /api/v1/targets}).
 *
 * <p>Labels follow Prometheus' {@code PopulateLabels}: {@code job}, {@code __address__}, {@code
 * __scheme__}, {@code __metrics_path__}, {@code __scrape_interval__}, {@code __scrape_timeout__},
 * {@code __param_<name>}, then relabeling, then {@code instance} defaults to the address and every
 * label starting with {@code __} is removed.
 */
public final class Target {
  /** Health of the last scrape. */
  public enum Health {
    UNKNOWN,
    UP,
    DOWN;

    /** As Prometheus writes it: {@code up}, {@code down}, {@code unknown}. */
    public String wire() {
      return name().toLowerCase();
    }
  }

  private final ScrapeConfig job;
  private final Labels discovered;
  private final Labels labels;
  private final String url;

  private volatile Health health = Health.UNKNOWN;
  private volatile String lastError = "";
  private volatile Instant lastScrape;
  private volatile double lastDurationSeconds;

  private Target(ScrapeConfig job, Labels discovered, Labels labels, String url) {
    this.job = job;
    this.discovered = discovered;
    this.labels = labels;
    this.url = url;
  }

  /**
   * Builds a target from a discovered address and group labels.
   *
   * @return the target, or {@code null} when relabeling dropped it (then {@code dropped} gets its
   *     discovered labels)
   */
  static Target build(
      ScrapeConfig job, String address, Map<String, String> groupLabels, List<Labels> dropped) {
    TreeMap<String, String> m = new TreeMap<>(groupLabels);
    m.put("job", job.jobName());
    m.put("__address__", address);
    m.put("__scheme__", job.scheme());
    m.put("__metrics_path__", job.metricsPath());
    m.put("__scrape_interval__", dev.vigil.model.Durations.formatDuration(job.interval()));
    m.put("__scrape_timeout__", dev.vigil.model.Durations.formatDuration(job.timeout()));
    job.params()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) {
                m.put("__param_" + k, v.get(0));
              }
            });
    Labels discovered = Labels.of(m);
    Labels relabeled = Relabeler.process(discovered, job.relabelConfigs());
    if (relabeled == null || relabeled.get("__address__") == null) {
      dropped.add(discovered);
      return null;
    }
    String addr = relabeled.get("__address__");
    String scheme = relabeled.getOrEmpty("__scheme__");
    if (scheme.isEmpty()) {
      scheme = job.scheme();
    }
    if (!hasPort(addr)) {
      addr = addr + (scheme.equals("https") ? ":443" : ":80");
    }
    String path = relabeled.getOrEmpty("__metrics_path__");
    if (path.isEmpty()) {
      path = job.metricsPath();
    }
    StringBuilder query = new StringBuilder();
    Map<String, List<String>> params = new TreeMap<>(job.params());
    Labels.Builder out = Labels.builder();
    for (int i = 0; i < relabeled.size(); i++) {
      String n = relabeled.name(i);
      String v = relabeled.value(i);
      if (n.startsWith("__param_")) {
        params.put(n.substring("__param_".length()), List.of(v));
      }
      if (!n.startsWith("__")) {
        out.set(n, v);
      }
    }
    if (out.get("instance") == null) {
      out.set("instance", addr);
    }
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      for (String v : e.getValue()) {
        query.append(query.isEmpty() ? '?' : '&');
        query.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8));
        query.append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return new Target(job, discovered, out.build(), scheme + "://" + addr + path + query);
  }

  private static boolean hasPort(String addr) {
    if (addr.startsWith("[")) {
      return addr.contains("]:");
    }
    return addr.indexOf(':') >= 0;
  }

  /** The job this target belongs to. */
  public ScrapeConfig job() {
    return job;
  }

  /** Labels as discovered, before relabeling. */
  public Labels discoveredLabels() {
    return discovered;
  }

  /** Labels attached to every sample ({@code job}, {@code instance}, group labels). */
  public Labels labels() {
    return labels;
  }

  /** The URL scraped. */
  public String url() {
    return url;
  }

  /** Identity within a job: the URL and the final labels. */
  String key() {
    return url + labels;
  }

  public Health health() {
    return health;
  }

  public String lastError() {
    return lastError;
  }

  /** When the last scrape started, or null before the first. */
  public Instant lastScrape() {
    return lastScrape;
  }

  public double lastDurationSeconds() {
    return lastDurationSeconds;
  }

  void report(Instant start, double seconds, String error) {
    lastScrape = start;
    lastDurationSeconds = seconds;
    lastError = error == null ? "" : error;
    health = error == null ? Health.UP : Health.DOWN;
  }
}
