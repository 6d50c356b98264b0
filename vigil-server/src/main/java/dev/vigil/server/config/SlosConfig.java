package dev.vigil.server.config;

import dev.vigil.rules.Problem;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.YamlNode;
import dev.vigil.rules.slo.Slo;
import dev.vigil.rules.slo.SloRules;
import dev.vigil.rules.slo.SloSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SLOs of a configuration: the spec files {@code slo_files} names and the specs written inline
 * under {@code slos:} (a list of Sloth or Pyrra specs, or one spec), in that order. Their rules run
 * with the other rule groups, one rule file per spec file ({@code inline} for the inline ones).
 */
public final class SlosConfig {
  /** The {@code source} of inline SLOs and the file name of their rule groups. */
  public static final String INLINE = "inline";

  private SlosConfig() {}

  /** The configuration's SLOs, read again from their files. */
  public static List<Slo> of(VigilConfig c) {
    return load(c.sloFiles(), c.slos(), c.source());
  }

  /**
   * Reads every SLO; a problem anywhere refuses them all, naming file, SLO and field.
   *
   * @throws ConfigException listing every problem (its cause is the {@link RuleFileException})
   */
  static List<Slo> load(List<String> sloFiles, ConfigNode inline, String source) {
    List<Problem> problems = new ArrayList<>();
    List<Slo> out = new ArrayList<>();
    try {
      out.addAll(SloSpecs.load(sloFiles, Path.of("").toAbsolutePath()));
    } catch (RuleFileException e) {
      problems.addAll(e.problems());
    }
    List<ConfigNode> specs =
        switch (inline.kind()) {
          case LIST -> inline.items();
          case MAP -> inline.entries().isEmpty() ? List.of() : List.of(inline);
          default -> List.of();
        };
    if (inline.kind() == ConfigNode.Kind.SCALAR) {
      problems.add(
          new Problem(
              source,
              inline.line(),
              null,
              0,
              null,
              "slos: expected a list of SLO specs (Sloth or Pyrra), got \""
                  + inline.text()
                  + "\""));
    }
    for (ConfigNode n : specs) {
      try {
        for (Slo s : SloSpecs.parse(source, yaml(n))) {
          out.add(inline(s));
        }
      } catch (RuleFileException e) {
        problems.addAll(e.problems());
      }
    }
    if (problems.isEmpty()) {
      problems.addAll(SloSpecs.duplicates(out));
    }
    if (!problems.isEmpty()) {
      RuleFileException e = new RuleFileException(problems);
      throw new ConfigException(source + ": slos: invalid SLOs:\n" + e.getMessage(), e);
    }
    return out;
  }

  private static Slo inline(Slo s) {
    return new Slo(
        s.id(),
        s.service(),
        s.name(),
        s.objective(),
        s.period(),
        s.description(),
        s.labels(),
        INLINE,
        s.kind(),
        s.format(),
        s.errorRatio(),
        s.alerting());
  }

  /** The SLOs' rules: one rule file per spec file, named after it. */
  public static List<RuleFile> ruleFiles(List<Slo> slos) {
    Map<String, List<Slo>> bySource = new LinkedHashMap<>();
    for (Slo s : slos) {
      bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
    }
    List<RuleFile> out = new ArrayList<>();
    bySource.forEach((file, list) -> out.add(SloRules.ruleFile(file, list)));
    return out;
  }

  /** The config node as the rules module's YAML tree, lines kept. */
  private static YamlNode yaml(ConfigNode n) {
    return switch (n.kind()) {
      case MAP -> {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        n.entries()
            .forEach(
                (k, v) -> {
                  m.put(k, yaml(v));
                  lines.put(k, v.line());
                });
        yield new YamlNode(YamlNode.Kind.MAP, n.line(), m, lines, List.of(), null, false);
      }
      case LIST -> {
        List<YamlNode> l = new ArrayList<>();
        for (ConfigNode x : n.items()) {
          l.add(yaml(x));
        }
        yield new YamlNode(YamlNode.Kind.LIST, n.line(), Map.of(), Map.of(), l, null, false);
      }
      case SCALAR ->
          new YamlNode(
              YamlNode.Kind.SCALAR, n.line(), Map.of(), Map.of(), List.of(), n.text(), false);
      case NULL ->
          new YamlNode(YamlNode.Kind.NULL, n.line(), Map.of(), Map.of(), List.of(), null, false);
    };
  }
}
