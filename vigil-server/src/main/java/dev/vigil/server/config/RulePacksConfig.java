package dev.vigil.server.config;

import dev.vigil.rules.RuleFile;
import dev.vigil.rules.packs.RulePacks;
import dev.vigil.rules.packs.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The rules Vigil writes for the user: {@code rule_packs} (shipped packs enabled by name) and the
 * simple thresholds of the {@code alerts} section, compiled to alerting rules by {@link
 * Thresholds}.
 *
 * <pre>{@code
 * rule_packs: [host, vigil, seeds]
 * alerts:
 *   error_rate_threshold: 0.05
 *   critical: {success_rate: 98%, p95_latency: 2s, cpu: 80%, memory: 1GB}
 * }</pre>
 *
 * @param packs the enabled packs, each once, in the order written
 * @param thresholds the {@code alerts} section ({@link Thresholds#NONE} when absent)
 */
public record RulePacksConfig(List<String> packs, Thresholds thresholds) {
  /* Bound twice: once inside ConfigLoader.bind, where a bad key or value is reported with its
   * line (and --check-config sees it), and again by of() from the configuration's text, so that
   * VigilConfig's record does not grow another component. */

  public RulePacksConfig {
    packs = List.copyOf(packs);
  }

  /** The enabled packs ({@code pack:NAME}) and the thresholds ({@code vigil.yml#thresholds}). */
  public List<RuleFile> ruleFiles() {
    List<RuleFile> out = new ArrayList<>();
    for (String p : packs) {
      out.add(RulePacks.load(p, thresholds.namespace()));
    }
    if (!thresholds.isEmpty()) {
      out.add(thresholds.toRuleFile());
    }
    return out;
  }

  /** The packs and thresholds of a loaded configuration. */
  public static RulePacksConfig of(VigilConfig config) {
    if (config.text().isEmpty()) {
      return new RulePacksConfig(List.of(), Thresholds.NONE);
    }
    ConfigNode root = YamlTree.parse(config.source(), config.text());
    return bind(new Section(root, ""), config.collect().namespace());
  }

  /**
   * Reads {@code rule_packs} and {@code alerts} from the root section.
   *
   * @throws ConfigException naming the key and line of a bad value
   */
  static RulePacksConfig bind(Section root, String namespace) {
    List<String> packs = new ArrayList<>();
    for (String p : new LinkedHashSet<>(root.strings("rule_packs"))) {
      if (!RulePacks.NAMES.contains(p)) {
        throw root.error(
            "rule_packs",
            "unknown rule pack \"" + p + "\" (known: " + String.join(", ", RulePacks.NAMES) + ")");
      }
      packs.add(p);
    }
    Section a = root.section("alerts");
    Double errorRate = a.value("error_rate_threshold", null, RulePacksConfig::ratio);
    Double responseMs = a.value("response_time_threshold_ms", null, RulePacksConfig::positive);
    Double cacheHit = a.value("cache_hit_rate_threshold", null, RulePacksConfig::ratio);
    Thresholds.Tier critical = tier(a.section("critical"));
    Thresholds.Tier warning = tier(a.section("warning"));
    Duration forDuration = a.duration("for", Thresholds.DEFAULT_FOR, Duration.ZERO);
    a.finish();
    return new RulePacksConfig(
        packs,
        new Thresholds(errorRate, responseMs, cacheHit, critical, warning, forDuration, namespace));
  }

  private static Thresholds.Tier tier(Section s) {
    Thresholds.Tier t =
        new Thresholds.Tier(
            s.value("success_rate", null, RulePacksConfig::ratio),
            s.value(
                "p95_latency",
                null,
                v -> dev.vigil.model.Durations.parseDuration(v).toMillis() / 1000.0),
            s.value("cpu", null, RulePacksConfig::ratio),
            s.value("memory", null, v -> (double) ByteSizes.parseBytes(v)));
    s.finish();
    return t;
  }

  /** {@code 0.98} or {@code 98%}: a share between 0 and 1. */
  static Double ratio(String s) {
    String t = s.trim();
    double v;
    try {
      v =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
              : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" is not a ratio (use e.g. 0.05 or 5%)");
    }
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("\"" + s + "\" is not between 0 and 1 (0% and 100%)");
    }
    return v;
  }

  private static Double positive(String s) {
    double v;
    try {
      v = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" is not a number");
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("\"" + s + "\" must be a positive number");
    }
    return v;
  }
}
