package dev.vigil.rules.slo;

import dev.vigil.promql.parser.Parser;
import dev.vigil.rules.Problem;
import dev.vigil.rules.PromDuration;
import dev.vigil.rules.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What reading any SLO spec needs: the problems found so far (each with file, line, SLO and field)
 * and typed field readers. {@link SlothSpec} and {@link PyrraSpec} read the two formats.
 */
abstract class SpecReader {
  final String file;
  final List<Problem> problems = new ArrayList<>();
  String slo;

  SpecReader(String file) {
    this.file = file;
  }

  void problem(int line, String field, String message) {
    String where = slo == null ? "" : "slo \"" + slo + "\": ";
    problems.add(
        new Problem(
            file, line, null, 0, null, where + (field == null ? "" : field + ": ") + message));
  }

  /** Reads one spec of this reader's format; problems go to {@link #problems}. */
  abstract List<Slo> read(YamlNode root);

  /** {@code {{.window}}} as Sloth's Go template writes it, spaces allowed. */
  static final Pattern WINDOW_VAR = Pattern.compile("\\{\\{-?\\s*\\.window\\s*-?\\}\\}");

  static final Pattern ANY_ACTION = Pattern.compile("\\{\\{.*?\\}\\}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]*");
  static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  static final Pattern ALERT_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  String query(YamlNode m, String key, String field) {
    String q = scalar(m, key, field);
    int line = m.keyLine(key) > 0 ? m.keyLine(key) : m.line();
    if (q == null || q.isBlank()) {
      problem(m.line(), field, "required");
      return null;
    }
    if (!WINDOW_VAR.matcher(q).find()) {
      problem(
          line,
          field,
          "must use {{.window}} where the rate window goes, e.g."
              + " rate(http_requests_total[{{.window}}])");
      return null;
    }
    String rest = WINDOW_VAR.matcher(q).replaceAll("5m");
    Matcher other = ANY_ACTION.matcher(rest);
    if (other.find()) {
      problem(
          line,
          field,
          "unknown template variable " + other.group() + ": only {{.window}} is known");
      return null;
    }
    try {
      Parser.parse(rest);
    } catch (RuntimeException e) {
      problem(line, field, "could not parse query: " + e.getMessage());
      return null;
    }
    return q;
  }

  double objective(YamlNode m, String key, String field) {
    String s = scalar(m, key, field);
    if (s == null) {
      problem(m.line(), field, "required: a percentage in (0, 100), e.g. 99.9");
      return Double.NaN;
    }
    double v;
    try {
      v = Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      problem(m.keyLine(key), field, "expected a number, got \"" + s + "\"");
      return Double.NaN;
    }
    if (!(v > 0 && v < 100)) {
      problem(
          m.keyLine(key), field, "must be a percentage in (0, 100) (e.g. 99.9), got " + s.strip());
    }
    return v;
  }

  Duration window(YamlNode m, String field, String text) {
    String key = field.substring(field.lastIndexOf('.') + 1);
    try {
      Duration d = PromDuration.parse(text);
      if (d.isZero() || d.isNegative()) {
        problem(m.keyLine(key), field, "unknown window " + text + ": must be positive");
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(m.keyLine(key), field, "unknown window \"" + text + "\": " + e.getMessage());
      return null;
    }
  }

  boolean isMap(YamlNode n, String field) {
    if (n.kind() != YamlNode.Kind.MAP) {
      problem(n.line(), field, "expected a map, got " + n.describe());
      return false;
    }
    return true;
  }

  boolean bool(YamlNode m, String key, String field) {
    String s = scalar(m, key, field);
    if (s == null) {
      return false;
    }
    return switch (s) {
      case "true", "True", "TRUE" -> true;
      case "false", "False", "FALSE" -> false;
      default -> {
        problem(m.keyLine(key), field, "expected true or false, got \"" + s + "\"");
        yield false;
      }
    };
  }

  Map<String, String> labels(YamlNode m, String key, String field) {
    Map<String, String> out = stringMap(m, key, field);
    boolean pyrraMeta = field.equals("metadata.labels");
    for (String k : out.keySet()) {
      if (!pyrraMeta && (!LABEL_NAME.matcher(k).matches() || k.startsWith("__"))) {
        problem(m.get(key).keyLine(k), field, "invalid label name \"" + k + "\"");
      }
    }
    return out;
  }

  Map<String, String> annotations(YamlNode m, String key, String field) {
    Map<String, String> out = stringMap(m, key, field);
    for (String k : out.keySet()) {
      if (!LABEL_NAME.matcher(k).matches()) {
        problem(m.get(key).keyLine(k), field, "invalid annotation name \"" + k + "\"");
      }
    }
    return out;
  }

  Map<String, String> stringMap(YamlNode m, String key, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    YamlNode n = m.get(key);
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.kind() != YamlNode.Kind.MAP) {
      problem(m.keyLine(key), field, "expected a map of strings, got " + n.describe());
      return out;
    }
    n.map()
        .forEach(
            (k, v) -> {
              if (v.kind() == YamlNode.Kind.SCALAR) {
                out.put(k, v.text());
              } else if (v.isNull()) {
                out.put(k, "");
              } else {
                problem(n.keyLine(k), field + "." + k, "expected a string, got " + v.describe());
              }
            });
    return out;
  }

  String scalar(YamlNode m, String key, String field) {
    YamlNode n = m.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.kind() != YamlNode.Kind.SCALAR) {
      problem(m.keyLine(key), field, "expected a string, got " + n.describe());
      return null;
    }
    return n.text();
  }

  void unknownKeys(YamlNode m, Set<String> known, String where, String prefix) {
    for (String k : m.map().keySet()) {
      if (!known.contains(k)) {
        problem(
            m.keyLine(k),
            prefix + k,
            "unknown field in "
                + where
                + " (known: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
    }
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
