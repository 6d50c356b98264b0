package dev.vigil.rules.unittest;

import dev.vigil.rules.PromDuration;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One promtool unit-test file ({@code promtool test rules}): {@code rule_files}, {@code
 * evaluation_interval}, {@code group_eval_order} and {@code tests[]}, read strictly (an unknown key
 * is an error, as promtool's {@code yaml.UnmarshalStrict} makes it).
 *
 * <pre>{@code
 * UnitTestFile f = UnitTestFile.parse(Files.readString(path));
 * }</pre>
 */
record UnitTestFile(
    List<String> ruleFiles,
    Duration evaluationInterval,
    List<String> groupEvalOrder,
    List<TestGroup> tests) {

  /** One {@code tests[]} entry: input series and what to expect of them. */
  record TestGroup(
      String name,
      Duration interval,
      List<InputSeries> inputSeries,
      List<AlertTest> alertTests,
      List<ExprTest> exprTests,
      Map<String, String> externalLabels,
      String externalUrl) {}

  /** {@code series} in PromQL selector notation, {@code values} in expanding notation. */
  record InputSeries(String series, String values) {}

  /** {@code alert_rule_test[]}: the firing alerts of {@code alertname} at {@code eval_time}. */
  record AlertTest(Duration evalTime, String alertname, List<ExpAlert> expAlerts) {}

  /** {@code exp_alerts[]}: labels besides {@code alertname}, and every annotation. */
  record ExpAlert(Map<String, String> labels, Map<String, String> annotations) {}

  /** {@code promql_expr_test[]}. */
  record ExprTest(String expr, Duration evalTime, List<ExpSample> expSamples) {}

  /** {@code exp_samples[]}: a series in selector notation and its value. */
  record ExpSample(String labels, double value) {}

  /** A file that does not have the unit-test format; the message names the key. */
  static final class FormatException extends Exception {
    FormatException(String message) {
      super(message);
    }
  }

  private static final Set<String> FILE_KEYS =
      Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests");
  private static final Set<String> GROUP_KEYS =
      Set.of(
          "name",
          "interval",
          "input_series",
          "alert_rule_test",
          "promql_expr_test",
          "external_labels",
          "external_url");
  private static final Set<String> SERIES_KEYS = Set.of("series", "values");
  private static final Set<String> ALERT_TEST_KEYS = Set.of("eval_time", "alertname", "exp_alerts");
  private static final Set<String> EXP_ALERT_KEYS = Set.of("exp_labels", "exp_annotations");
  private static final Set<String> EXPR_TEST_KEYS = Set.of("expr", "eval_time", "exp_samples");
  private static final Set<String> SAMPLE_KEYS = Set.of("labels", "value");

  /** Parses the text of a unit-test file. */
  static UnitTestFile parse(String text) throws FormatException {
    Node root;
    try {
      // Scalars stay text (values: 0x10 is series notation, not the number 16).
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new FormatException(
          "yaml: line " + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new FormatException("yaml: " + e.getMessage());
    }
    if (root == null || isNull(root)) {
      return new UnitTestFile(List.of(), Duration.ZERO, List.of(), List.of());
    }
    map(root, "the file", FILE_KEYS);
    List<TestGroup> tests = new ArrayList<>();
    int i = 0;
    for (Node t : list(get(root, "tests"), "tests")) {
      tests.add(group(t, "tests[" + i++ + "]"));
    }
    return new UnitTestFile(
        strings(get(root, "rule_files"), "rule_files"),
        duration(get(root, "evaluation_interval"), "evaluation_interval"),
        strings(get(root, "group_eval_order"), "group_eval_order"),
        tests);
  }

  private static TestGroup group(Node g, String where) throws FormatException {
    map(g, where, GROUP_KEYS);
    List<InputSeries> series = new ArrayList<>();
    int i = 0;
    for (Node s : list(get(g, "input_series"), where + ".input_series")) {
      String w = where + ".input_series[" + i++ + "]";
      map(s, w, SERIES_KEYS);
      series.add(
          new InputSeries(
              string(get(s, "series"), w + ".series"), string(get(s, "values"), w + ".values")));
    }
    List<AlertTest> alerts = new ArrayList<>();
    i = 0;
    for (Node a : list(get(g, "alert_rule_test"), where + ".alert_rule_test")) {
      String w = where + ".alert_rule_test[" + i++ + "]";
      map(a, w, ALERT_TEST_KEYS);
      List<ExpAlert> exp = new ArrayList<>();
      int k = 0;
      for (Node e : list(get(a, "exp_alerts"), w + ".exp_alerts")) {
        String we = w + ".exp_alerts[" + k++ + "]";
        map(e, we, EXP_ALERT_KEYS);
        exp.add(
            new ExpAlert(
                stringMap(get(e, "exp_labels"), we + ".exp_labels"),
                stringMap(get(e, "exp_annotations"), we + ".exp_annotations")));
      }
      alerts.add(
          new AlertTest(
              duration(get(a, "eval_time"), w + ".eval_time"),
              string(get(a, "alertname"), w + ".alertname"),
              exp));
    }
    List<ExprTest> exprs = new ArrayList<>();
    i = 0;
    for (Node e : list(get(g, "promql_expr_test"), where + ".promql_expr_test")) {
      String w = where + ".promql_expr_test[" + i++ + "]";
      map(e, w, EXPR_TEST_KEYS);
      List<ExpSample> samples = new ArrayList<>();
      int k = 0;
      for (Node s : list(get(e, "exp_samples"), w + ".exp_samples")) {
        String ws = w + ".exp_samples[" + k++ + "]";
        map(s, ws, SAMPLE_KEYS);
        samples.add(
            new ExpSample(
                string(get(s, "labels"), ws + ".labels"), number(get(s, "value"), ws + ".value")));
      }
      exprs.add(
          new ExprTest(
              string(get(e, "expr"), w + ".expr"),
              duration(get(e, "eval_time"), w + ".eval_time"),
              samples));
    }
    return new TestGroup(
        string(get(g, "name"), where + ".name"),
        duration(get(g, "interval"), where + ".interval"),
        series,
        alerts,
        exprs,
        stringMap(get(g, "external_labels"), where + ".external_labels"),
        string(get(g, "external_url"), where + ".external_url"));
  }

  /** Checks that {@code n} is a map of known keys, each once. */
  private static void map(Node n, String where, Set<String> keys) throws FormatException {
    if (!(n instanceof MappingNode m)) {
      throw new FormatException(line(n) + where + ": expected a map, got " + kind(n));
    }
    Set<String> seen = new java.util.HashSet<>();
    for (NodeTuple t : m.getValue()) {
      String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
      if (!keys.contains(k)) {
        throw new FormatException(
            line(t.getKeyNode())
                + where
                + ": unknown field "
                + k
                + " (known: "
                + String.join(", ", new TreeSet<>(keys))
                + ")");
      }
      if (!seen.add(k)) {
        throw new FormatException(line(t.getKeyNode()) + where + ": field " + k + " repeated");
      }
    }
  }

  /** The value of {@code key} in a map checked by {@link #map}, or null. */
  private static Node get(Node n, String key) {
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
  }

  private static String line(Node n) {
    return "line " + (n.getStartMark().getLine() + 1) + ": ";
  }

  private static List<Node> list(Node n, String where) throws FormatException {
    List<Node> out = new ArrayList<>();
    if (n == null || isNull(n)) {
      return out;
    }
    if (!(n instanceof SequenceNode seq)) {
      throw new FormatException(line(n) + where + ": expected a list, got " + kind(n));
    }
    out.addAll(seq.getValue());
    return out;
  }

  private static String string(Node n, String where) throws FormatException {
    if (n == null || isNull(n)) {
      return "";
    }
    if (!(n instanceof ScalarNode s)) {
      throw new FormatException(line(n) + where + ": expected a string, got " + kind(n));
    }
    return s.getValue();
  }

  private static List<String> strings(Node n, String where) throws FormatException {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Node s : list(n, where)) {
      out.add(string(s, where + "[" + i++ + "]"));
    }
    return out;
  }

  private static Map<String, String> stringMap(Node n, String where) throws FormatException {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || isNull(n)) {
      return out;
    }
    if (!(n instanceof MappingNode m)) {
      throw new FormatException(line(n) + where + ": expected a map, got " + kind(n));
    }
    for (NodeTuple t : m.getValue()) {
      String k = string(t.getKeyNode(), where);
      out.put(k, string(t.getValueNode(), where + "." + k));
    }
    return out;
  }

  private static Duration duration(Node n, String where) throws FormatException {
    String s = string(n, where);
    if (s.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      return PromDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw new FormatException(line(n) + where + ": " + e.getMessage());
    }
  }

  /* A YAML 1.1 number as Go's yaml.v2 reads one into a float64: decimal and hexadecimal
   * integers, floats, .inf and .nan; anything else, NaN and quoted numbers included, is an error. */
  private static final java.util.regex.Pattern YAML_FLOAT =
      java.util.regex.Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final java.util.regex.Pattern YAML_INT =
      java.util.regex.Pattern.compile("[-+]?[0-9_]+");
  private static final java.util.regex.Pattern YAML_HEX =
      java.util.regex.Pattern.compile("([-+]?)0x([0-9a-fA-F_]+)");

  private static double number(Node n, String where) throws FormatException {
    String s = string(n, where);
    if (s.isEmpty()) {
      return 0;
    }
    boolean plain =
        n instanceof ScalarNode sn
            && sn.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    if (plain) {
      String unsigned = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
      double sign = s.startsWith("-") ? -1 : 1;
      switch (unsigned) {
        case ".inf", ".Inf", ".INF" -> {
          return sign * Double.POSITIVE_INFINITY;
        }
        case ".nan", ".NaN", ".NAN" -> {
          if (unsigned.equals(s)) {
            return Double.NaN;
          }
        }
        default -> {
          if (YAML_FLOAT.matcher(s).matches()) {
            return Double.parseDouble(s);
          }
          if (YAML_INT.matcher(s).matches() && s.indexOf('_') >= 0) {
            return Double.parseDouble(s.replace("_", ""));
          }
          java.util.regex.Matcher hex = YAML_HEX.matcher(s);
          if (hex.matches()) {
            double v = new java.math.BigInteger(hex.group(2).replace("_", ""), 16).doubleValue();
            return hex.group(1).equals("-") ? -v : v;
          }
        }
      }
    }
    throw new FormatException(
        line(n) + where + ": cannot unmarshal !!str `" + s + "` into float64");
  }

  private static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "a map";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return "\"" + ((ScalarNode) n).getValue() + "\"";
  }
}
