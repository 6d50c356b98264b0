package dev.vigil.rules.slo;

import dev.vigil.promql.parser.Parser;
import dev.vigil.rules.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Pyrra's {@code ServiceLevelObjective} ({@code apiVersion: pyrra.dev/v1alpha1}): one SLO, a
 * ratio or a latency (classic histogram) indicator.
 */
final class PyrraSpec extends SpecReader {
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

  PyrraSpec(String file) {
    super(file);
  }

  @Override
  List<Slo> read(YamlNode root) {
    Slo s = slo(root);
    return s == null ? List.of() : List.of(s);
  }

  private Slo slo(YamlNode root) {
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
  String grouping(YamlNode m, String field) {
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
  String metric(YamlNode m, String key, String field, boolean needsLe) {
    YamlNode n = m.get(key);
    if (n == null || n.isNull()) {
      problem(m.line(), field, "required");
      return null;
    }
    if (!isMap(n, field.substring(0, field.length() - ".metric".length()))) {
      return null;
    }
    unknownKeys(n, PYRRA_METRIC_KEYS, key, field.substring(0, field.length() - "metric".length()));
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
}
