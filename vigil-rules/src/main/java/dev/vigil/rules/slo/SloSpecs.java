package dev.vigil.rules.slo;

import dev.vigil.promql.parser.Parser;
import dev.vigil.rules.Problem;
import dev.vigil.rules.PromDuration;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** {@code {{.window}}} as Sloth's Go template writes it, spaces allowed. */
  static final Pattern WINDOW_VAR = Pattern.compile("\\{\\{-?\\s*\\.window\\s*-?\\}\\}");

  private static final Pattern ANY_ACTION = Pattern.compile("\\{\\{.*?\\}\\}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern ALERT_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static final Set<String> SLOTH_KEYS = Set.of("version", "service", "labels", "slos");
  private static final Set<String> SLOTH_SLO_KEYS =
      Set.of("name", "objective", "description", "labels", "sli", "alerting", "time_window");
  private static final Set<String> SLOTH_SLI_KEYS = Set.of("events", "raw");
  private static final Set<String> SLOTH_EVENTS_KEYS = Set.of("error_query", "total_query");
  private static final Set<String> SLOTH_RAW_KEYS = Set.of("error_ratio_query");
  private static final Set<String> SLOTH_ALERTING_KEYS =
      Set.of("name", "labels", "annotations", "page_alert", "ticket_alert");
  private static final Set<String> SLOTH_ALERT_KEYS = Set.of("disable", "labels", "annotations");

  private static final Set<String> PYRRA_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> PYRRA_META_KEYS =
      Set.of("name", "namespace", "labels", "annotations");
  private static final Set<String> PYRRA_SPEC_KEYS =
      Set.of("target", "window", "description", "indicator", "alerting");
  private static final Set<String> PYRRA_INDICATOR_KEYS = Set.of("ratio", "latency");
  private static final Set<String> PYRRA_RATIO_KEYS = Set.of("errors", "total", "grouping");
  private static final Set<String> PYRRA_LATENCY_KEYS = Set.of("success", "total", "grouping");
  private static final Set<String> PYRRA_METRIC_KEYS = Set.of("metric");
  private static final Set<String> PYRRA_ALERTING_KEYS =
      Set.of("name", "disabled", "burnrates", "absent");

  /** Pyrra's prefix of labels copied onto the generated rules. */
  static final String PYRRA_PROPAGATE = "pyrra.dev/";

  /** Pyrra's default alert name. */
  static final String PYRRA_ALERT = "ErrorBudgetBurn";

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
    Reader r = new Reader(file);
    List<Slo> out = r.spec(root);
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

  /** One document's parse: collects problems instead of stopping at the first. */
  private static final class Reader {
    final String file;
    final List<Problem> problems = new ArrayList<>();
    String slo;

    Reader(String file) {
      this.file = file;
    }

    void problem(int line, String field, String message) {
      String where = slo == null ? "" : "slo \"" + slo + "\": ";
      problems.add(
          new Problem(
              file, line, null, 0, null, where + (field == null ? "" : field + ": ") + message));
    }

    List<Slo> spec(YamlNode root) {
      if (root.isNull()) {
        return List.of();
      }
      if (root.kind() != YamlNode.Kind.MAP) {
        problem(
            root.line(),
            null,
            "an SLO spec is a map (Sloth's version: prometheus/v1 or"
                + " Pyrra's kind: ServiceLevelObjective), not "
                + root.describe());
        return List.of();
      }
      if (root.map().containsKey("apiVersion") || root.map().containsKey("kind")) {
        Slo s = pyrra(root);
        return s == null ? List.of() : List.of(s);
      }
      return sloth(root);
    }

    // ------------------------------------------------------------------ Sloth

    private List<Slo> sloth(YamlNode root) {
      unknownKeys(root, SLOTH_KEYS, "Sloth spec", "");
      String version = scalar(root, "version", "version");
      if (!"prometheus/v1".equals(version)) {
        problem(
            root.keyLine("version"),
            "version",
            "expected \"prometheus/v1\" (Sloth) or apiVersion: pyrra.dev/v1alpha1 (Pyrra), got "
                + (version == null ? "none" : "\"" + version + "\""));
      }
      String service = scalar(root, "service", "service");
      if (service == null || service.isEmpty()) {
        problem(root.line(), "service", "required");
        service = "";
      } else if (!NAME.matcher(service).matches()) {
        problem(
            root.keyLine("service"),
            "service",
            "\"" + service + "\" is not a valid name (letters, digits, '-', '_', '.')");
      }
      Map<String, String> labels = labels(root, "labels", "labels");
      YamlNode slos = root.get("slos");
      List<Slo> out = new ArrayList<>();
      if (slos == null || slos.isNull()) {
        problem(root.line(), "slos", "required: at least one SLO");
        return out;
      }
      if (slos.kind() != YamlNode.Kind.LIST) {
        problem(slos.line(), "slos", "expected a list, got " + slos.describe());
        return out;
      }
      Set<String> names = new TreeSet<>();
      for (YamlNode n : slos.list()) {
        slo = null;
        Slo s = slothSlo(n, service, labels, version);
        if (s != null) {
          if (!names.add(s.name())) {
            problem(n.line(), "name", "repeated in this spec");
          } else {
            out.add(s);
          }
        }
      }
      slo = null;
      return out;
    }

    private Slo slothSlo(YamlNode n, String service, Map<String, String> common, String version) {
      if (n.kind() != YamlNode.Kind.MAP) {
        problem(n.line(), "slos", "an SLO is a map, not " + n.describe());
        return null;
      }
      int before = problems.size();
      String name = scalar(n, "name", "name");
      slo = name == null ? "" : name;
      if (name == null || name.isEmpty()) {
        problem(n.line(), "name", "required");
      } else if (!NAME.matcher(name).matches()) {
        problem(
            n.keyLine("name"),
            "name",
            "\"" + name + "\" is not a valid name (letters, digits, '-', '_', '.')");
      }
      unknownKeys(n, SLOTH_SLO_KEYS, "SLO", "");
      double objective = objective(n, "objective", "objective");
      String description = orEmpty(scalar(n, "description", "description"));
      Map<String, String> labels = new LinkedHashMap<>(common);
      labels.putAll(labels(n, "labels", "labels"));
      Duration period = Duration.ofDays(30);
      String tw = scalar(n, "time_window", "time_window");
      if (tw != null) {
        period = window(n, "time_window", tw);
        if (period != null && AlertWindows.sloth(period) == null) {
          problem(
              n.keyLine("time_window"),
              "time_window",
              "unknown SLO period "
                  + tw
                  + ": Sloth's windows exist for "
                  + AlertWindows.SLOTH_PERIODS);
          period = null;
        }
      }
      Slo.Kind kind = null;
      String ratio = null;
      YamlNode sli = n.get("sli");
      if (sli == null || sli.isNull()) {
        problem(n.line(), "sli", "required: sli.events or sli.raw");
      } else if (sli.kind() != YamlNode.Kind.MAP) {
        problem(sli.line(), "sli", "expected a map, got " + sli.describe());
      } else {
        unknownKeys(sli, SLOTH_SLI_KEYS, "sli", "sli.");
        YamlNode events = sli.get("events");
        YamlNode raw = sli.get("raw");
        boolean hasEvents = events != null && !events.isNull();
        boolean hasRaw = raw != null && !raw.isNull();
        if (hasEvents == hasRaw) {
          problem(
              sli.line(),
              "sli",
              hasEvents
                  ? "only one of sli.events and sli.raw may be set"
                  : "one of sli.events (error_query, total_query) or sli.raw (error_ratio_query) is"
                      + " required");
        } else if (hasEvents) {
          kind = Slo.Kind.EVENTS;
          if (isMap(events, "sli.events")) {
            unknownKeys(events, SLOTH_EVENTS_KEYS, "sli.events", "sli.events.");
            String err = query(events, "error_query", "sli.events.error_query");
            String total = query(events, "total_query", "sli.events.total_query");
            if (err != null && total != null) {
              ratio = "(" + err.strip() + ")\n/\n(" + total.strip() + ")";
            }
          }
        } else {
          kind = Slo.Kind.RAW;
          if (isMap(raw, "sli.raw")) {
            unknownKeys(raw, SLOTH_RAW_KEYS, "sli.raw", "sli.raw.");
            String q = query(raw, "error_ratio_query", "sli.raw.error_ratio_query");
            if (q != null) {
              ratio = "(" + q.strip() + ")";
            }
          }
        }
      }
      Slo.Alerting alerting = slothAlerting(n);
      if (problems.size() > before
          || kind == null
          || ratio == null
          || period == null
          || alerting == null) {
        return null;
      }
      return new Slo(
          service + "-" + name,
          service,
          name,
          objective,
          period,
          description,
          labels,
          file,
          kind,
          Slo.Format.SLOTH,
          ratio,
          alerting);
    }

    private Slo.Alerting slothAlerting(YamlNode n) {
      YamlNode a = n.get("alerting");
      if (a == null || a.isNull()) {
        problem(
            n.line(),
            "alerting",
            "required: alerting.name (or page_alert and ticket_alert" + " with disable: true)");
        return null;
      }
      if (!isMap(a, "alerting")) {
        return null;
      }
      unknownKeys(a, SLOTH_ALERTING_KEYS, "alerting", "alerting.");
      String name = scalar(a, "name", "alerting.name");
      Map<String, String> labels = labels(a, "labels", "alerting.labels");
      Map<String, String> annotations = annotations(a, "annotations", "alerting.annotations");
      Slo.Alert page = slothAlert(a, "page_alert");
      Slo.Alert ticket = slothAlert(a, "ticket_alert");
      if (page == null || ticket == null) {
        return null;
      }
      if (name == null || name.isEmpty()) {
        if (!page.disabled() || !ticket.disabled()) {
          problem(a.line(), "alerting.name", "required unless both alerts are disabled");
          return null;
        }
        name = null;
      } else if (!ALERT_NAME.matcher(name).matches()) {
        problem(a.keyLine("name"), "alerting.name", "invalid alert name \"" + name + "\"");
        return null;
      }
      return new Slo.Alerting(name, labels, annotations, page, ticket);
    }

    private Slo.Alert slothAlert(YamlNode a, String key) {
      String field = "alerting." + key;
      YamlNode n = a.get(key);
      if (n == null || n.isNull()) {
        return Slo.Alert.enabled();
      }
      if (!isMap(n, field)) {
        return null;
      }
      unknownKeys(n, SLOTH_ALERT_KEYS, key, field + ".");
      boolean disable = bool(n, "disable", field + ".disable");
      return new Slo.Alert(
          disable,
          labels(n, "labels", field + ".labels"),
          annotations(n, "annotations", field + ".annotations"));
    }

    // ------------------------------------------------------------------ Pyrra

    private Slo pyrra(YamlNode root) {
      unknownKeys(root, PYRRA_KEYS, "ServiceLevelObjective", "");
      String api = scalar(root, "apiVersion", "apiVersion");
      String kindName = scalar(root, "kind", "kind");
      if (!"pyrra.dev/v1alpha1".equals(api)) {
        problem(
            root.keyLine("apiVersion"),
            "apiVersion",
            "expected pyrra.dev/v1alpha1, got " + (api == null ? "none" : "\"" + api + "\""));
      }
      if (!"ServiceLevelObjective".equals(kindName)) {
        problem(
            root.keyLine("kind"),
            "kind",
            "expected ServiceLevelObjective, got "
                + (kindName == null ? "none" : "\"" + kindName + "\""));
      }
      YamlNode meta = root.get("metadata");
      String name = null;
      String namespace = null;
      Map<String, String> labels = new LinkedHashMap<>();
      if (meta == null || meta.isNull()) {
        problem(root.line(), "metadata.name", "required");
      } else if (isMap(meta, "metadata")) {
        unknownKeys(meta, PYRRA_META_KEYS, "metadata", "metadata.");
        name = scalar(meta, "name", "metadata.name");
        namespace = scalar(meta, "namespace", "metadata.namespace");
        labels(meta, "labels", "metadata.labels")
            .forEach(
                (k, v) -> {
                  if (k.startsWith(PYRRA_PROPAGATE)) {
                    labels.put(k.substring(PYRRA_PROPAGATE.length()), v);
                  }
                });
        stringMap(meta, "annotations", "metadata.annotations"); // checked, not used
        if (name == null || name.isEmpty()) {
          problem(meta.line(), "metadata.name", "required");
        } else if (!NAME.matcher(name).matches()) {
          problem(
              meta.keyLine("name"),
              "metadata.name",
              "\"" + name + "\" is not a valid name (letters, digits, '-', '_', '.')");
        }
      }
      slo = name == null ? "" : name;
      int before = problems.size();
      YamlNode spec = root.get("spec");
      if (spec == null || spec.isNull()) {
        problem(root.line(), "spec", "required");
        return null;
      }
      if (!isMap(spec, "spec")) {
        return null;
      }
      unknownKeys(spec, PYRRA_SPEC_KEYS, "spec", "spec.");
      double objective = objective(spec, "target", "spec.target");
      String w = scalar(spec, "window", "spec.window");
      Duration period = null;
      if (w == null) {
        problem(spec.line(), "spec.window", "required (e.g. 4w)");
      } else {
        period = window(spec, "spec.window", w);
        // Pyrra's windows scale from 28 days: below a week the short ones shrink to a minute
        // or two, shorter than a rate window can be trusted.
        if (period != null && period.compareTo(Duration.ofDays(7)) < 0) {
          problem(
              spec.keyLine("window"),
              "spec.window",
              "unknown window " + w + ": too short for Pyrra's alert windows (at least 1w)");
          period = null;
        }
      }
      String description = orEmpty(scalar(spec, "description", "spec.description"));
      Slo.Kind kind = null;
      String ratio = null;
      YamlNode ind = spec.get("indicator");
      if (ind == null || ind.isNull()) {
        problem(spec.line(), "spec.indicator", "required: indicator.ratio or indicator.latency");
      } else if (isMap(ind, "spec.indicator")) {
        unknownKeys(ind, PYRRA_INDICATOR_KEYS, "indicator", "spec.indicator.");
        YamlNode r = ind.get("ratio");
        YamlNode l = ind.get("latency");
        boolean hasR = r != null && !r.isNull();
        boolean hasL = l != null && !l.isNull();
        if (hasR == hasL) {
          problem(
              ind.line(),
              "spec.indicator",
              hasR
                  ? "only one of indicator.ratio and indicator.latency may be set"
                  : "one of indicator.ratio or indicator.latency is required");
        } else if (hasR && isMap(r, "spec.indicator.ratio")) {
          kind = Slo.Kind.RATIO;
          unknownKeys(r, PYRRA_RATIO_KEYS, "ratio", "spec.indicator.ratio.");
          String by = grouping(r, "spec.indicator.ratio.grouping");
          String errors = metric(r, "errors", "spec.indicator.ratio.errors.metric", false);
          String total = metric(r, "total", "spec.indicator.ratio.total.metric", false);
          if (errors != null && total != null && by != null) {
            ratio =
                "sum"
                    + by
                    + "(rate("
                    + errors
                    + "[{{.window}}]))\n/\nsum"
                    + by
                    + "(rate("
                    + total
                    + "[{{.window}}]))";
          }
        } else if (hasL && isMap(l, "spec.indicator.latency")) {
          kind = Slo.Kind.LATENCY;
          unknownKeys(l, PYRRA_LATENCY_KEYS, "latency", "spec.indicator.latency.");
          String by = grouping(l, "spec.indicator.latency.grouping");
          String success = metric(l, "success", "spec.indicator.latency.success.metric", true);
          String total = metric(l, "total", "spec.indicator.latency.total.metric", false);
          if (success != null && total != null && by != null) {
            String t = "sum" + by + "(rate(" + total + "[{{.window}}]))";
            ratio =
                "(\n  "
                    + t
                    + "\n  -\n  sum"
                    + by
                    + "(rate("
                    + success
                    + "[{{.window}}]))\n)\n/\n"
                    + t;
          }
        }
      }
      String alertName = PYRRA_ALERT;
      boolean disabled = false;
      YamlNode a = spec.get("alerting");
      if (a != null && !a.isNull() && isMap(a, "spec.alerting")) {
        unknownKeys(a, PYRRA_ALERTING_KEYS, "alerting", "spec.alerting.");
        String n = scalar(a, "name", "spec.alerting.name");
        if (n != null && !n.isEmpty()) {
          if (!ALERT_NAME.matcher(n).matches()) {
            problem(a.keyLine("name"), "spec.alerting.name", "invalid alert name \"" + n + "\"");
          }
          alertName = n;
        }
        boolean burnrates =
            !a.map().containsKey("burnrates") || bool(a, "burnrates", "spec.alerting.burnrates");
        disabled = bool(a, "disabled", "spec.alerting.disabled") || !burnrates;
        bool(a, "absent", "spec.alerting.absent");
      }
      if (problems.size() > before
          || name == null
          || kind == null
          || ratio == null
          || period == null) {
        return null;
      }
      labels.put("slo", name);
      String service = namespace == null || namespace.isEmpty() ? "default" : namespace;
      Slo.Alert alert = new Slo.Alert(disabled, Map.of(), Map.of());
      return new Slo(
          service + "-" + name,
          service,
          name,
          objective,
          period,
          description,
          labels,
          file,
          kind,
          Slo.Format.PYRRA,
          ratio,
          new Slo.Alerting(disabled ? null : alertName, Map.of(), Map.of(), alert, alert));
    }

    /** " by (a, b) " for a grouping list, " " for none; null on a problem. */
    private String grouping(YamlNode m, String field) {
      YamlNode g = m.get("grouping");
      if (g == null || g.isNull()) {
        return " ";
      }
      if (g.kind() != YamlNode.Kind.LIST) {
        problem(g.line(), field, "expected a list of label names, got " + g.describe());
        return null;
      }
      List<String> names = new ArrayList<>();
      for (YamlNode x : g.list()) {
        if (x.kind() != YamlNode.Kind.SCALAR || !LABEL_NAME.matcher(x.text()).matches()) {
          problem(x.line(), field, "invalid label name " + x.describe());
          return null;
        }
        names.add(x.text());
      }
      return names.isEmpty() ? " " : " by (" + String.join(", ", names) + ") ";
    }

    /** A Pyrra {@code <key>.metric} selector, checked to parse as a vector selector. */
    private String metric(YamlNode m, String key, String field, boolean needsLe) {
      YamlNode n = m.get(key);
      if (n == null || n.isNull()) {
        problem(m.line(), field, "required");
        return null;
      }
      if (!isMap(n, field.substring(0, field.length() - ".metric".length()))) {
        return null;
      }
      unknownKeys(
          n, PYRRA_METRIC_KEYS, key, field.substring(0, field.length() - "metric".length()));
      String sel = scalar(n, "metric", field);
      if (sel == null || sel.isBlank()) {
        problem(n.line(), field, "required");
        return null;
      }
      List<dev.vigil.model.LabelMatcher> matchers;
      try {
        matchers = Parser.parseMatchers(sel);
      } catch (RuntimeException e) {
        problem(n.keyLine("metric"), field, "could not parse selector: " + e.getMessage());
        return null;
      }
      if (needsLe && matchers.stream().noneMatch(x -> x.name().equals("le"))) {
        problem(
            n.keyLine("metric"),
            field,
            "a latency SLO's success metric is a histogram bucket with an le matcher, e.g."
                + " http_request_duration_seconds_bucket{le=\"0.5\"}");
        return null;
      }
      return sel.strip();
    }

    // ------------------------------------------------------------------ fields

    private String query(YamlNode m, String key, String field) {
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

    private double objective(YamlNode m, String key, String field) {
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
            m.keyLine(key),
            field,
            "must be a percentage in (0, 100) (e.g. 99.9), got " + s.strip());
      }
      return v;
    }

    private Duration window(YamlNode m, String field, String text) {
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

    private boolean isMap(YamlNode n, String field) {
      if (n.kind() != YamlNode.Kind.MAP) {
        problem(n.line(), field, "expected a map, got " + n.describe());
        return false;
      }
      return true;
    }

    private boolean bool(YamlNode m, String key, String field) {
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

    private Map<String, String> labels(YamlNode m, String key, String field) {
      Map<String, String> out = stringMap(m, key, field);
      boolean pyrraMeta = field.equals("metadata.labels");
      for (String k : out.keySet()) {
        if (!pyrraMeta && (!LABEL_NAME.matcher(k).matches() || k.startsWith("__"))) {
          problem(m.get(key).keyLine(k), field, "invalid label name \"" + k + "\"");
        }
      }
      return out;
    }

    private Map<String, String> annotations(YamlNode m, String key, String field) {
      Map<String, String> out = stringMap(m, key, field);
      for (String k : out.keySet()) {
        if (!LABEL_NAME.matcher(k).matches()) {
          problem(m.get(key).keyLine(k), field, "invalid annotation name \"" + k + "\"");
        }
      }
      return out;
    }

    private Map<String, String> stringMap(YamlNode m, String key, String field) {
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

    private String scalar(YamlNode m, String key, String field) {
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

    private void unknownKeys(YamlNode m, Set<String> known, String where, String prefix) {
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

    private static String orEmpty(String s) {
      return s == null ? "" : s;
    }
  }
}
