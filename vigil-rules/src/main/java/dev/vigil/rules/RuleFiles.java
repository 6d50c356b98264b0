package dev.vigil.rules;

import dev.vigil.promql.parser.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads rule files: Prometheus' format ({@code groups:}) and the Kubernetes {@code PrometheusRule}
 * resource ({@code apiVersion: monitoring.coreos.com/v1}, {@code kind: PrometheusRule}, {@code
 * spec.groups}). Validation is promtool's {@code check rules}: unknown keys, duplicate group names,
 * {@code record} and {@code alert} both or neither set, invalid metric, label and annotation names,
 * PromQL that does not parse, Prometheus durations, templates that do not parse. Every problem is
 * reported, not only the first, each with its file, line, group and rule.
 *
 * <pre>{@code
 * RuleFile f = RuleFiles.parse("rules.yml", Files.readString(path));
 * List<RuleFile> all = RuleFiles.load(List.of("rules/*.yml"), configDir);
 * }</pre>
 *
 * <p>Only the first YAML document of a file is read, as Prometheus does.
 */
public final class RuleFiles {
  /* Unlike promtool, which stops at the first stage that fails (YAML decoding, then field
   * validation), every stage runs and every problem is listed; the verdict (valid or not) is the
   * same. Group-level query_offset is accepted (Prometheus 2.53 and later). */

  static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private static final Set<String> FILE_KEYS = Set.of("groups");
  private static final Set<String> K8S_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> GROUP_KEYS =
      Set.of("name", "interval", "limit", "query_offset", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private static volatile AnnotationExpander defaultTemplates = GoTemplates.CHECK;

  private RuleFiles() {}

  /**
   * Parses and validates one rule file, checking templates with the default template engine.
   *
   * @param file the name used in problems (usually the path)
   * @throws RuleFileException listing every problem
   */
  public static RuleFile parse(String file, String yaml) throws RuleFileException {
    return parse(file, yaml, defaultTemplates);
  }

  /** Like {@link #parse(String, String)}, checking templates with {@code templates}. */
  public static RuleFile parse(String file, String yaml, AnnotationExpander templates)
      throws RuleFileException {
    Reader r = new Reader(file, templates);
    RuleFile out = r.file(yaml);
    if (!r.problems.isEmpty()) {
      throw new RuleFileException(r.problems);
    }
    return out;
  }

  /**
   * Loads every file matching {@code globs} (Go's {@code filepath.Glob} syntax; relative globs are
   * resolved against {@code base}). A glob without wildcards must name an existing file; a glob
   * with wildcards may match nothing. Files are read in glob order, each glob's matches sorted,
   * each file once.
   *
   * @throws RuleFileException listing every problem of every file
   */
  public static List<RuleFile> load(List<String> globs, Path base) throws RuleFileException {
    return load(globs, base, defaultTemplates);
  }

  /** Like {@link #load(List, Path)}, checking templates with {@code templates}. */
  public static List<RuleFile> load(List<String> globs, Path base, AnnotationExpander templates)
      throws RuleFileException {
    List<Problem> problems = new ArrayList<>();
    List<RuleFile> out = new ArrayList<>();
    for (Path p : resolve(globs, base, problems)) {
      String text;
      try {
        text = Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        problems.add(new Problem(p.toString(), 0, null, 0, null, "cannot read: " + e));
        continue;
      }
      try {
        out.add(parse(p.toString(), text, templates));
      } catch (RuleFileException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new RuleFileException(problems);
    }
    return out;
  }

  /**
   * The files {@code globs} match, as {@link #load(List, Path)} reads them.
   *
   * @throws RuleFileException for a bad pattern or a missing file named without wildcards
   */
  public static List<Path> resolve(List<String> globs, Path base) throws RuleFileException {
    List<Problem> problems = new ArrayList<>();
    List<Path> out = resolve(globs, base, problems);
    if (!problems.isEmpty()) {
      throw new RuleFileException(problems);
    }
    return out;
  }

  /** Sets the template engine {@link #parse(String, String)} checks with (for the whole JVM). */
  public static void setDefaultTemplates(AnnotationExpander templates) {
    defaultTemplates = java.util.Objects.requireNonNull(templates);
  }

  private static List<Path> resolve(List<String> globs, Path base, List<Problem> problems) {
    Set<Path> out = new LinkedHashSet<>();
    for (String glob : globs) {
      Path pattern = base.resolve(glob).normalize();
      String ps = pattern.toString();
      if (!hasMeta(ps)) {
        if (Files.isRegularFile(pattern)) {
          out.add(pattern);
        } else {
          problems.add(
              new Problem(
                  glob, 0, null, 0, null, Files.exists(pattern) ? "not a file" : "no such file"));
        }
        continue;
      }
      // The walk starts at the deepest directory without wildcards.
      Path root = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
      int fixed = 0;
      for (Path part : pattern) {
        if (hasMeta(part.toString())) {
          break;
        }
        root = root.resolve(part);
        fixed++;
      }
      int depth = pattern.getNameCount() - fixed;
      PathMatcher m;
      try {
        m = FileSystems.getDefault().getPathMatcher("glob:" + ps.replace("**", "*"));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(glob, 0, null, 0, null, "bad pattern: " + e.getMessage()));
        continue;
      }
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root, depth)) {
        s.filter(p -> p.getNameCount() == pattern.getNameCount())
            .filter(m::matches)
            .filter(Files::isRegularFile)
            .sorted()
            .forEach(out::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        problems.add(new Problem(glob, 0, null, 0, null, "cannot list: " + e.getMessage()));
      }
    }
    return new ArrayList<>(out);
  }

  private static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** One file's parse: collects problems instead of stopping at the first. */
  private static final class Reader {
    final String file;
    final AnnotationExpander templates;
    final List<Problem> problems = new ArrayList<>();
    String group;
    int ruleIndex;
    String rule;

    Reader(String file, AnnotationExpander templates) {
      this.file = file;
      this.templates = templates;
    }

    void problem(int line, String message) {
      problems.add(new Problem(file, line, group, ruleIndex, rule, message));
    }

    RuleFile file(String yaml) {
      YamlNode root;
      try {
        root = YamlNode.parse(yaml);
      } catch (YamlNode.YamlError e) {
        problem(e.line, e.getMessage());
        return new RuleFile(file, List.of());
      }
      if (root.isNull()) {
        return new RuleFile(file, List.of());
      }
      if (root.kind() != YamlNode.Kind.MAP) {
        problem(root.line(), "a rule file is a map with a \"groups\" list, not " + root.describe());
        return new RuleFile(file, List.of());
      }
      YamlNode groups;
      if (root.map().containsKey("apiVersion") || root.map().containsKey("kind")) {
        groups = prometheusRule(root);
      } else {
        unknownKeys(root, FILE_KEYS, "rule file");
        groups = root.get("groups");
      }
      if (groups == null || groups.isNull()) {
        return new RuleFile(file, List.of());
      }
      if (groups.kind() != YamlNode.Kind.LIST) {
        problem(groups.line(), "groups: expected a list, got " + groups.describe());
        return new RuleFile(file, List.of());
      }
      List<RuleGroupSpec> out = new ArrayList<>();
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (YamlNode g : groups.list()) {
        RuleGroupSpec spec = group(g, seen);
        if (spec != null) {
          out.add(spec);
        }
      }
      return new RuleFile(file, out);
    }

    private YamlNode prometheusRule(YamlNode root) {
      unknownKeys(root, K8S_KEYS, "PrometheusRule");
      String api = scalar(root, "apiVersion");
      String kind = scalar(root, "kind");
      if (!"monitoring.coreos.com/v1".equals(api)) {
        problem(
            root.keyLine("apiVersion"),
            "apiVersion: expected monitoring.coreos.com/v1 for a PrometheusRule, got " + api);
      }
      if (!"PrometheusRule".equals(kind)) {
        problem(root.keyLine("kind"), "kind: expected PrometheusRule, got " + kind);
      }
      YamlNode spec = root.get("spec");
      if (spec == null || spec.isNull()) {
        return null;
      }
      if (spec.kind() != YamlNode.Kind.MAP) {
        problem(spec.line(), "spec: expected a map, got " + spec.describe());
        return null;
      }
      unknownKeys(spec, FILE_KEYS, "PrometheusRule spec");
      return spec.get("groups");
    }

    private RuleGroupSpec group(YamlNode g, Map<String, Integer> seen) {
      group = null;
      rule = null;
      ruleIndex = 0;
      if (g.kind() != YamlNode.Kind.MAP) {
        problem(g.line(), "a group is a map with name and rules, not " + g.describe());
        return null;
      }
      unknownKeys(g, GROUP_KEYS, "group");
      String name = scalar(g, "name");
      if (name == null || name.isEmpty()) {
        problem(g.line(), "Groupname must not be empty");
        name = "";
      } else if (seen.containsKey(name)) {
        // promtool names no group here: the name is in the message.
        problems.add(
            new Problem(
                file,
                g.keyLine("name"),
                null,
                0,
                null,
                "groupname: \""
                    + name
                    + "\" is repeated in the same file (first at line "
                    + seen.get(name)
                    + ")"));
      } else {
        seen.put(name, g.keyLine("name"));
      }
      group = name;
      Duration interval = duration(g, "interval");
      Duration offset = duration(g, "query_offset");
      int limit = 0;
      String ls = scalar(g, "limit");
      if (ls != null) {
        try {
          limit = Integer.parseInt(ls);
          if (limit < 0) {
            problem(g.keyLine("limit"), "limit: must not be negative, got " + limit);
          }
        } catch (NumberFormatException e) {
          problem(g.keyLine("limit"), "limit: expected an integer, got \"" + ls + "\"");
        }
      }
      List<RuleSpec> rules = new ArrayList<>();
      YamlNode rs = g.get("rules");
      if (rs != null && !rs.isNull()) {
        if (rs.kind() != YamlNode.Kind.LIST) {
          problem(rs.line(), "rules: expected a list, got " + rs.describe());
        } else {
          int i = 0;
          for (YamlNode r : rs.list()) {
            ruleIndex = ++i;
            rule = "";
            RuleSpec spec = rule(r);
            if (spec != null) {
              rules.add(spec);
            }
          }
        }
      }
      rule = null;
      ruleIndex = 0;
      return new RuleGroupSpec(name, interval, limit, offset, rules, g.line());
    }

    private RuleSpec rule(YamlNode r) {
      if (r.kind() != YamlNode.Kind.MAP) {
        problem(r.line(), "a rule is a map with record or alert and expr, not " + r.describe());
        return null;
      }
      String record = scalar(r, "record");
      String alert = scalar(r, "alert");
      rule = record != null && !record.isEmpty() ? record : alert != null ? alert : "";
      int before = problems.size();
      unknownKeys(r, RULE_KEYS, "rule");
      boolean isRecord = record != null && !record.isEmpty();
      boolean isAlert = alert != null && !alert.isEmpty();
      if (isRecord && isAlert) {
        problem(r.keyLine("record"), "only one of 'record' and 'alert' must be set");
      } else if (!isRecord && !isAlert) {
        problem(r.line(), "one of 'record' or 'alert' must be set");
      }
      String expr = scalar(r, "expr");
      if (expr == null || expr.isEmpty()) {
        problem(r.line(), "field 'expr' must be set in rule");
      } else {
        try {
          Parser.parse(expr);
        } catch (RuntimeException e) {
          problem(r.keyLine("expr"), "could not parse expression: " + e.getMessage());
        }
      }
      Duration forD = duration(r, "for");
      Duration keep = duration(r, "keep_firing_for");
      Map<String, String> labels = stringMap(r, "labels");
      Map<String, String> annotations = stringMap(r, "annotations");
      if (isRecord) {
        for (String f : List.of("annotations", "for", "keep_firing_for")) {
          YamlNode n = r.get(f);
          if (n != null && !n.isNull()) {
            problem(r.keyLine(f), "invalid field '" + f + "' in recording rule");
          }
        }
        if (!METRIC_NAME.matcher(record).matches()) {
          problem(r.keyLine("record"), "invalid recording rule name: " + record);
        }
      }
      for (String k : labels.keySet()) {
        if (!LABEL_NAME.matcher(k).matches() || k.equals("__name__")) {
          problem(labelLine(r, "labels", k), "invalid label name: " + k);
        }
      }
      for (String k : annotations.keySet()) {
        if (!LABEL_NAME.matcher(k).matches()) {
          problem(labelLine(r, "annotations", k), "invalid annotation name: " + k);
        }
      }
      if (isAlert && !isRecord) {
        String tmpl = "__alert_" + alert;
        labels.forEach((k, v) -> checkTemplate(r, "labels", "label", tmpl, k, v));
        annotations.forEach((k, v) -> checkTemplate(r, "annotations", "annotation", tmpl, k, v));
      }
      if (problems.size() > before || (!isRecord && !isAlert) || (isRecord && isAlert)) {
        return null;
      }
      return isRecord
          ? new RecordingRuleSpec(record, expr, labels, r.line())
          : new AlertingRuleSpec(
              alert,
              expr,
              forD == null ? Duration.ZERO : forD,
              keep == null ? Duration.ZERO : keep,
              labels,
              annotations,
              r.line());
    }

    private void checkTemplate(
        YamlNode r, String field, String what, String tmpl, String key, String text) {
      try {
        templates.check(tmpl, text);
      } catch (RuntimeException e) {
        problem(labelLine(r, field, key), what + " \"" + key + "\": " + e.getMessage());
      }
    }

    private static int labelLine(YamlNode r, String field, String key) {
      YamlNode m = r.get(field);
      return m == null ? r.line() : m.keyLine(key);
    }

    private void unknownKeys(YamlNode m, Set<String> known, String where) {
      for (String k : m.map().keySet()) {
        if (!known.contains(k)) {
          problem(
              m.keyLine(k),
              "field "
                  + k
                  + " not found in "
                  + where
                  + " (known: "
                  + String.join(", ", new java.util.TreeSet<>(known))
                  + ")");
        }
      }
    }

    /** A scalar field's text; null when absent or null; a problem when not a scalar. */
    private String scalar(YamlNode m, String key) {
      YamlNode n = m.get(key);
      if (n == null || n.isNull()) {
        return null;
      }
      if (n.kind() != YamlNode.Kind.SCALAR) {
        problem(m.keyLine(key), key + ": expected a string, got " + n.describe());
        return null;
      }
      return n.text();
    }

    private Duration duration(YamlNode m, String key) {
      String s = scalar(m, key);
      if (s == null) {
        return null;
      }
      try {
        return PromDuration.parse(s);
      } catch (IllegalArgumentException e) {
        problem(m.keyLine(key), key + ": " + e.getMessage());
        return null;
      }
    }

    private Map<String, String> stringMap(YamlNode m, String key) {
      Map<String, String> out = new LinkedHashMap<>();
      YamlNode n = m.get(key);
      if (n == null || n.isNull()) {
        return out;
      }
      if (n.kind() != YamlNode.Kind.MAP) {
        problem(m.keyLine(key), key + ": expected a map of strings, got " + n.describe());
        return out;
      }
      Set<String> bad = new HashSet<>();
      n.map()
          .forEach(
              (k, v) -> {
                if (v.kind() == YamlNode.Kind.SCALAR) {
                  out.put(k, v.text());
                } else if (v.isNull()) {
                  out.put(k, "");
                } else if (bad.add(k)) {
                  problem(n.keyLine(k), key + "." + k + ": expected a string, got " + v.describe());
                }
              });
      return out;
    }
  }
}
