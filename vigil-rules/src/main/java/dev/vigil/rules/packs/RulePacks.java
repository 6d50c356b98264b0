package dev.vigil.rules.packs;

import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule packs Vigil ships: plain Prometheus rule files under {@code dev/vigil/rules/packs/},
 * enabled by name in {@code vigil.yml} ({@code rule_packs: [host, vigil, seeds]}).
 *
 * <ul>
 *   <li>{@code host}: CPU, memory, disk full predicted by {@code predict_linear}, filesystems,
 *       load, network errors, on the system collector's names;
 *   <li>{@code vigil}: scrape targets down, rule evaluation failures and missed iterations, storage
 *       write (WAL) failures, storage near {@code storage.retention_size}, failing collectors;
 *   <li>{@code seeds}: the seeds' own rules (Dream.OS HighCPUUsage/HighMemoryUsage, AgentOS
 *       HighLatency, DevLoop's SLO recording rules and violations) on Vigil's names.
 * </ul>
 *
 * <pre>{@code
 * RuleFile host = RulePacks.load("host", "app_");
 * }</pre>
 */
public final class RulePacks {
  /** Every pack, in the order {@code vigil rules print} prints them. */
  public static final List<String> NAMES = List.of("host", "vigil", "seeds");

  /** The namespace the packs' application metric names are written with. */
  public static final String DEFAULT_NAMESPACE = "app_";

  private static final Pattern APP_METRIC = Pattern.compile("(?<![A-Za-z0-9_:])app_");

  private RulePacks() {}

  /** The file name a pack's rules carry in the API and in problems: {@code pack:host}. */
  public static String fileName(String pack) {
    return "pack:" + pack;
  }

  /**
   * The pack's rule file as shipped, its application metrics renamed from {@code app_} to {@code
   * namespace} (the {@code collect.namespace} of the configuration).
   *
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static String text(String pack, String namespace) {
    if (!NAMES.contains(pack)) {
      throw new IllegalArgumentException(
          "unknown rule pack \"" + pack + "\" (known: " + String.join(", ", NAMES) + ")");
    }
    String text;
    try (InputStream in = RulePacks.class.getResourceAsStream(pack + ".yml")) {
      if (in == null) {
        throw new IllegalStateException("rule pack " + pack + " missing from the jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (namespace.equals(DEFAULT_NAMESPACE)) {
      return text;
    }
    return APP_METRIC.matcher(text).replaceAll(Matcher.quoteReplacement(namespace));
  }

  /** The pack parsed, named {@link #fileName}. */
  public static RuleFile load(String pack, String namespace) {
    try {
      return RuleFiles.parse(fileName(pack), text(pack, namespace));
    } catch (RuleFileException e) {
      // A namespace that is not a valid metric-name prefix can break a shipped pack.
      throw new IllegalArgumentException(
          "rule pack " + pack + " with namespace \"" + namespace + "\": " + e.getMessage(), e);
    }
  }
}
