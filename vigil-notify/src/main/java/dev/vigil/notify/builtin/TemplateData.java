package dev.vigil.notify.builtin;

import dev.vigil.rules.template.TemplateObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alertmanager 0.25's template data model ({@code template.Data}) over a {@link NotificationData}:
 * {@code .Receiver}, {@code .Status}, {@code .Alerts} (with {@code .Firing} and {@code .Resolved}),
 * {@code .GroupLabels}, {@code .CommonLabels}, {@code .CommonAnnotations} (KVs with {@code
 * .SortedPairs}, {@code .Names}, {@code .Values}, {@code .Remove}) and {@code .ExternalURL}; each
 * alert with {@code .Status}, {@code .Labels}, {@code .Annotations}, {@code .StartsAt}, {@code
 * .EndsAt}, {@code .GeneratorURL} and {@code .Fingerprint}.
 */
final class TemplateData {
  private TemplateData() {}

  static TemplateObject of(NotificationData d) {
    List<TemplateObject> alerts = new ArrayList<>();
    for (Alert a : d.alerts()) {
      alerts.add(alert(a, d.now()));
    }
    Alerts all = new Alerts(List.copyOf(alerts));
    KV group = new KV(d.groupLabels());
    KV common = new KV(d.commonLabels());
    KV commonAnn = new KV(d.commonAnnotations());
    String status = d.status();
    String receiver = quoteMeta(d.receiver());
    return new Struct(
        "*template.Data",
        name ->
            switch (name) {
              case "Receiver" -> receiver;
              case "Status" -> status;
              case "Alerts" -> all;
              case "GroupLabels" -> group;
              case "CommonLabels" -> common;
              case "CommonAnnotations" -> commonAnn;
              case "ExternalURL" -> d.externalURL();
              default -> TemplateObject.NO_SUCH_FIELD;
            });
  }

  private static TemplateObject alert(Alert a, Instant now) {
    boolean resolved = a.resolvedAt(now);
    KV labels = new KV(a.labels());
    KV annotations = new KV(a.annotations());
    return new Struct(
        "template.Alert",
        name ->
            switch (name) {
              case "Status" -> resolved ? "resolved" : "firing";
              case "Labels" -> labels;
              case "Annotations" -> annotations;
              case "StartsAt" -> new GoTime(a.startsAt());
              case "EndsAt" -> new GoTime(resolved ? a.endsAt() : null);
              case "GeneratorURL" -> a.generatorURL() == null ? "" : a.generatorURL();
              case "Fingerprint" -> Alert.fingerprintHex(a.fingerprint());
              default -> TemplateObject.NO_SUCH_FIELD;
            });
  }

  /** Go's regexp.QuoteMeta, which Alertmanager applies to the receiver name. */
  static String quoteMeta(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** time.Time's String(), as printing {@code .StartsAt} shows it. */
  static String goTime(Instant t) {
    if (t == null) {
      return "0001-01-01 00:00:00 +0000 UTC";
    }
    String base =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    if (t.getNano() != 0) {
      base += "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
    }
    return base + " +0000 UTC";
  }

  private interface Fields {
    Object get(String name);
  }

  /** A struct of fields only. */
  private record Struct(String goTypeName, Fields fields) implements TemplateObject {
    @Override
    public Object field(String name, List<Object> args) {
      Object v = fields.get(name);
      if (v != NO_SUCH_FIELD && !args.isEmpty()) {
        throw new IllegalArgumentException(
            name + " has arguments but cannot be invoked as function");
      }
      return v;
    }
  }

  /** {@code template.Alerts}: a slice of alerts with {@code Firing()} and {@code Resolved()}. */
  private record Alerts(List<TemplateObject> list) implements TemplateObject {
    @Override
    public Object field(String name, List<Object> args) {
      return switch (name) {
        case "Firing" -> filter("firing");
        case "Resolved" -> filter("resolved");
        default -> NO_SUCH_FIELD;
      };
    }

    private Alerts filter(String status) {
      List<TemplateObject> out = new ArrayList<>();
      for (TemplateObject a : list) {
        if (status.equals(a.field("Status", List.of()))) {
          out.add(a);
        }
      }
      return new Alerts(List.copyOf(out));
    }

    @Override
    public String goTypeName() {
      return "template.Alerts";
    }

    @Override
    public List<?> asList() {
      return list;
    }
  }

  /** {@code template.KV}: a label map with SortedPairs, Names, Values and Remove. */
  record KV(SortedMap<String, String> map) implements TemplateObject {
    KV {
      map = new TreeMap<>(map);
    }

    @Override
    public Object field(String name, List<Object> args) {
      return switch (name) {
        case "SortedPairs" -> new Pairs(sortedPairs());
        case "Names" -> new Pairs(sortedPairs()).names();
        case "Values" -> new Pairs(sortedPairs()).values();
        case "Remove" -> {
          if (args.size() != 1 || !(args.get(0) instanceof Collection<?> keys)) {
            throw new IllegalArgumentException("Remove takes one []string");
          }
          TreeMap<String, String> rest = new TreeMap<>(map);
          rest.keySet().removeAll(keys);
          yield new KV(rest);
        }
        default -> NO_SUCH_FIELD;
      };
    }

    /** Alertmanager's order: alertname first, then by name. */
    private List<TemplateObject> sortedPairs() {
      List<TemplateObject> out = new ArrayList<>();
      if (map.containsKey("alertname")) {
        out.add(pair("alertname", map.get("alertname")));
      }
      for (Map.Entry<String, String> e : map.entrySet()) {
        if (!e.getKey().equals("alertname")) {
          out.add(pair(e.getKey(), e.getValue()));
        }
      }
      return out;
    }

    @Override
    public String goTypeName() {
      return "template.KV";
    }

    @Override
    public Map<String, String> asMap() {
      return map;
    }
  }

  private static TemplateObject pair(String name, String value) {
    return new Struct(
        "template.Pair",
        f ->
            switch (f) {
              case "Name" -> name;
              case "Value" -> value;
              default -> TemplateObject.NO_SUCH_FIELD;
            });
  }

  /** {@code template.Pairs} with Names() and Values(). */
  private record Pairs(List<TemplateObject> list) implements TemplateObject {
    @Override
    public Object field(String name, List<Object> args) {
      return switch (name) {
        case "Names" -> names();
        case "Values" -> values();
        default -> NO_SUCH_FIELD;
      };
    }

    List<String> names() {
      return list.stream().map(p -> (String) p.field("Name", List.of())).toList();
    }

    List<String> values() {
      return list.stream().map(p -> (String) p.field("Value", List.of())).toList();
    }

    @Override
    public String goTypeName() {
      return "template.Pairs";
    }

    @Override
    public List<?> asList() {
      return list;
    }
  }
}
