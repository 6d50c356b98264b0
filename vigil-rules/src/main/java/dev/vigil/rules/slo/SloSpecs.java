package dev.vigil.rules.slo;

import dev.vigil.rules.Problem;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads SLO specs: Sloth's {@code version: prometheus/v1} and Pyrra's {@code ServiceLevelObjective}
 * ({@code apiVersion: pyrra.dev/v1alpha1}). Every problem is reported with the file, line, SLO and
 * field, as {@link RuleFiles} reports rule files.
 *
 * <pre>{@code
 * List<Slo> slos = SloSpecs.parse("devloop.yml", Files.readString(path));
 * List<Slo> all = SloSpecs.load(List.of("slos/*.yml"), configDir);
 * }</pre>
 */
public final class SloSpecs {
  /* Stricter than Sloth, which decodes with yaml.Unmarshal and ignores unknown keys: a misspelt
   * key here would silently drop an alert label or a query, so it is refused with the known keys.
   * Queries are checked by rendering {{.window}} as 5m and parsing the result; any other template
   * action is refused, since Vigil renders only the window. */

  private SloSpecs() {}

  /**
   * Parses one spec file (Sloth's or Pyrra's format, told apart by {@code version} or {@code
   * apiVersion}).
   *
   * @param file the name used in problems and as each SLO's {@code source}
   * @throws RuleFileException listing every problem
   */
  public static List<Slo> parse(String file, String yaml) throws RuleFileException {
    YamlNode root;
    try {
      root = YamlNode.parse(yaml);
    } catch (YamlNode.YamlError e) {
      throw new RuleFileException(
          List.of(new Problem(file, e.line(), null, 0, null, e.getMessage())));
    }
    return parse(file, root);
  }

  /** Like {@link #parse(String, String)} for a tree already read (an inline spec). */
  public static List<Slo> parse(String file, YamlNode root) throws RuleFileException {
    if (root.isNull()) {
      return List.of();
    }
    boolean map = root.kind() == YamlNode.Kind.MAP;
    SpecReader r =
        map && (root.map().containsKey("apiVersion") || root.map().containsKey("kind"))
            ? new PyrraSpec(file)
            : new SlothSpec(file);
    List<Slo> out = List.of();
    if (map) {
      out = r.read(root);
    } else {
      r.problem(
          root.line(),
          null,
          "an SLO spec is a map (Sloth's version: prometheus/v1 or Pyrra's kind:"
              + " ServiceLevelObjective), not "
              + root.describe());
    }
    if (!r.problems.isEmpty()) {
      throw new RuleFileException(r.problems);
    }
    return out;
  }

  /**
   * Loads every file {@code globs} match (relative ones against {@code base}), as {@link
   * RuleFiles#load} finds rule files. Two SLOs with one id are refused.
   *
   * @throws RuleFileException listing every problem of every file
   */
  public static List<Slo> load(List<String> globs, Path base) throws RuleFileException {
    List<Problem> problems = new ArrayList<>();
    List<Slo> out = new ArrayList<>();
    for (Path p : RuleFiles.resolve(globs, base)) {
      String text;
      try {
        text = Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        problems.add(new Problem(p.toString(), 0, null, 0, null, "cannot read: " + e));
        continue;
      }
      try {
        out.addAll(parse(p.toString(), text));
      } catch (RuleFileException e) {
        problems.addAll(e.problems());
      }
    }
    problems.addAll(duplicates(out));
    if (!problems.isEmpty()) {
      throw new RuleFileException(problems);
    }
    return out;
  }

  /** A problem for each SLO whose id an earlier one already has. */
  public static List<Problem> duplicates(List<Slo> slos) {
    List<Problem> out = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (Slo s : slos) {
      String first = seen.putIfAbsent(s.id(), s.source());
      if (first != null) {
        out.add(
            new Problem(
                s.source(),
                0,
                null,
                0,
                null,
                "slo \"" + s.name() + "\": id \"" + s.id() + "\" is already defined in " + first));
      }
    }
    return out;
  }
}
