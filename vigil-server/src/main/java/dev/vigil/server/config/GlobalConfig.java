package dev.vigil.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code global} section, with the keys of Prometheus' {@code global} that a user pastes from a
 * {@code prometheus.yml}. Each one takes effect; Prometheus' other global keys are refused.
 *
 * @param scrapeInterval the scrape interval of jobs that set none (default 15 s)
 * @param scrapeTimeout the scrape timeout of jobs that set none (default 10 s, at most the job's
 *     interval)
 * @param evaluationInterval the default interval of rule groups: how often a group without its own
 *     {@code interval} is evaluated (default 15 s, as Prometheus' example configuration; at least 1
 *     s)
 * @param externalLabels labels added to every series and alert leaving this server where Prometheus
 *     adds them: {@code /federate} (to each series that lacks the label), and for the consumers
 *     that read them from here (remote write, alerts); sorted by name
 */
public record GlobalConfig(
    Duration scrapeInterval,
    Duration scrapeTimeout,
    Duration evaluationInterval,
    Map<String, String> externalLabels) {

  /** Default of {@code global.evaluation_interval}. */
  public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofMinutes(1);

  public GlobalConfig {
    externalLabels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(externalLabels));
  }

  /** 15 s scrapes with a 10 s timeout, rules every 15 s, no external labels. */
  public static GlobalConfig defaults() {
    return new GlobalConfig(
        VigilConfig.DEFAULT_SCRAPE_INTERVAL,
        VigilConfig.DEFAULT_SCRAPE_TIMEOUT,
        DEFAULT_EVALUATION_INTERVAL,
        Map.of());
  }
}
