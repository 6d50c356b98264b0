package dev.vigil.rules.slo;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service level objective, read from a Sloth ({@code version: prometheus/v1}) or Pyrra ({@code
 * kind: ServiceLevelObjective}) spec by {@link SloSpecs}, turned into rules by {@link SloRules}.
 *
 * @param id Sloth's id, {@code <service>-<name>}: the {@code sloth_id} label of every rule
 * @param service the service ({@code sloth_service}); for Pyrra specs the namespace, else the name
 * @param name the SLO's name ({@code sloth_slo})
 * @param objective the target in percent, in (0, 100)
 * @param period the SLO period (30d unless the spec says otherwise)
 * @param description free text, "" when none
 * @param labels the labels every generated rule carries (spec and SLO labels merged)
 * @param source the file the spec came from, or {@code inline}
 * @param kind which SLI form the spec used
 * @param format the spec format the SLO was read from
 * @param errorRatio the error ratio query with {@code {{.window}}} where the window goes
 * @param alerting the alerts to generate
 */
public record Slo(
    String id,
    String service,
    String name,
    double objective,
    Duration period,
    String description,
    Map<String, String> labels,
    String source,
    Kind kind,
    Format format,
    String errorRatio,
    Alerting alerting) {

  public Slo {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** The SLI form of a spec. */
  public enum Kind {
    /** Sloth {@code sli.events}: error and total queries. */
    EVENTS,
    /** Sloth {@code sli.raw}: an error ratio query. */
    RAW,
    /** Pyrra {@code indicator.ratio}: errors over total. */
    RATIO,
    /** Pyrra {@code indicator.latency}: a histogram's {@code le} bucket over its count. */
    LATENCY;

    /** The name {@code /api/v1/slos} gives: {@code events}, {@code raw}, {@code ratio}, … */
    public String apiName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The spec format, which decides the alerts' shape (Sloth's or Pyrra's). */
  public enum Format {
    SLOTH("prometheus/v1"),
    PYRRA("pyrra.dev/v1alpha1");

    private final String spec;

    Format(String spec) {
      this.spec = spec;
    }

    /** The spec's version string ({@code sloth_spec} label of {@code sloth_slo_info}). */
    public String spec() {
      return spec;
    }
  }

  /**
   * The alerts of an SLO: Sloth's page and ticket alerts share one name.
   *
   * @param name the alert name; null when both alerts are disabled
   * @param labels labels on both alerts
   * @param annotations annotations on both alerts
   */
  public record Alerting(
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      Alert page,
      Alert ticket) {
    public Alerting {
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
      annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }
  }

  /** One severity's alert: {@code page_alert} or {@code ticket_alert}. */
  public record Alert(
      boolean disabled, Map<String, String> labels, Map<String, String> annotations) {
    public Alert {
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
      annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    static Alert enabled() {
      return new Alert(false, Map.of(), Map.of());
    }
  }

  /** The page alert's name, or null when it is disabled. */
  public String pageAlert() {
    return alerting.page().disabled() ? null : alerting.name();
  }

  /** The ticket alert's name, or null when it is disabled. */
  public String ticketAlert() {
    return alerting.ticket().disabled() ? null : alerting.name();
  }

  /** The selector of this SLO's series: {@code {sloth_id="…"}}. */
  public String selector() {
    return "{sloth_id=\"" + SloRules.escape(id) + "\"}";
  }

  /** The SLO's period in Prometheus' notation ({@code 30d}). */
  public String periodText() {
    return SloRules.window(period);
  }

  /** The error ratio query over {@code window} (a Prometheus duration such as {@code 5m}). */
  public String errorRatioOver(String window) {
    return SpecReader.WINDOW_VAR.matcher(errorRatio).replaceAll(window);
  }
}
