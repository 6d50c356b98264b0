package dev.vigil.rules.slo;

import dev.vigil.rules.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads Sloth's spec, {@code version: prometheus/v1} (Sloth's {@code pkg/prometheus/api/v1}). */
final class SlothSpec extends SpecReader {
  private static final Set<String> SLOTH_KEYS = Set.of("version", "service", "labels", "slos");
  private static final Set<String> SLOTH_SLO_KEYS =
      Set.of("name", "objective", "description", "labels", "sli", "alerting", "time_window");
  private static final Set<String> SLOTH_SLI_KEYS = Set.of("events", "raw");
  private static final Set<String> SLOTH_EVENTS_KEYS = Set.of("error_query", "total_query");
  private static final Set<String> SLOTH_RAW_KEYS = Set.of("error_ratio_query");
  private static final Set<String> SLOTH_ALERTING_KEYS =
      Set.of("name", "labels", "annotations", "page_alert", "ticket_alert");
  private static final Set<String> SLOTH_ALERT_KEYS = Set.of("disable", "labels", "annotations");

  SlothSpec(String file) {
    super(file);
  }

  @Override
  List<Slo> read(YamlNode root) {
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

  Slo slothSlo(YamlNode n, String service, Map<String, String> common, String version) {
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

  Slo.Alerting slothAlerting(YamlNode n) {
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

  Slo.Alert slothAlert(YamlNode a, String key) {
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
}
