package dev.vigil.rules.template;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Go values a Prometheus template handles, and Go's rules for them: type names (for error
 * messages), truthiness and the kinds {@code eq}/{@code lt} compare.
 *
 * <p>Java types stand for Go types: {@link String} is {@code string}, {@link Double} {@code
 * float64}, {@link Long} {@code int}, {@link Boolean} {@code bool}, {@code null} an invalid value
 * (Go's {@code <no value>}), and the records below the named Go types Prometheus uses.
 */
final class GoValue {
  private GoValue() {}

  /** {@code map[string]string} (labels); iteration and printing are in key order, as Go's. */
  record StrMap(Map<String, String> map) {
    StrMap {
      // Labels are sorted by name already: iterating them is Go's sorted map order.
      if (!(map instanceof TreeMap<String, String>) && !(map instanceof LabelsMap)) {
        map = new TreeMap<>(map);
      }
    }
  }

  /** {@code map[string]interface {}} (what {@code args} returns). */
  record AnyMap(TreeMap<String, Object> map) {}

  /** {@code html/template.HTML} (what {@code safeHtml} returns): a string of a distinct type. */
  record SafeHtml(String s) {}

  /** {@code template.queryResult}: a slice of {@code *template.sample}. */
  record Vector(List<QueryResultSample> samples) {}

  /** A {@code template.sample} struct (not the pointer): what printing a {@code *sample} shows. */
  record SampleValue(QueryResultSample sample) {}

  /** {@code *time.Time} (what {@code toTime} returns). */
  record Time(Instant instant) {}

  /** The dot of an alert template: Prometheus' {@code AlertTemplateData}. */
  record AlertData(StrMap labels, StrMap externalLabels, String externalURL, double value) {}

  static final String ALERT_DATA_TYPE =
      "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string;"
          + " Value float64 }";

  /** A value from a {@link TemplateObject} as the executor's Go value. */
  static Object wrap(Object v) {
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, String> sm = (Map<String, String>) m;
      return new StrMap(sm);
    }
    if (v instanceof Integer i) {
      return (long) i;
    }
    return v;
  }

  static String typeName(Object v) {
    return switch (v) {
      case null -> "<nil>";
      case String s -> "string";
      case Double d -> "float64";
      case Long l -> "int";
      case Boolean b -> "bool";
      case StrMap m -> "map[string]string";
      case AnyMap m -> "map[string]interface {}";
      case SafeHtml h -> "template.HTML";
      case Vector q -> "template.queryResult";
      case QueryResultSample s -> "*template.sample";
      case SampleValue s -> "template.sample";
      case Time t -> "*time.Time";
      case AlertData a -> ALERT_DATA_TYPE;
      case TemplateObject o -> o.goTypeName();
      case List<?> l -> "[]string";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Go's text/template truth: empty strings, maps and slices, zero numbers and nil are false. */
  static boolean isTrue(Object v) {
    return switch (v) {
      case null -> false;
      case String s -> !s.isEmpty();
      case SafeHtml h -> !h.s().isEmpty();
      case Double d -> d != 0;
      case Long l -> l != 0;
      case Boolean b -> b;
      case StrMap m -> !m.map().isEmpty();
      case AnyMap m -> !m.map().isEmpty();
      case Vector q -> !q.samples().isEmpty();
      case TemplateObject o when o.asMap() != null -> !o.asMap().isEmpty();
      case TemplateObject o when o.asList() != null -> !o.asList().isEmpty();
      case List<?> l -> !l.isEmpty();
      default -> true; // non-nil pointers and structs
    };
  }

  /** The basic kinds Go's comparison functions distinguish. */
  enum Kind {
    BOOL,
    FLOAT,
    INT,
    STRING,
    OTHER,
    INVALID
  }

  static Kind kind(Object v) {
    return switch (v) {
      case null -> Kind.INVALID;
      case Boolean b -> Kind.BOOL;
      case Double d -> Kind.FLOAT;
      case Long l -> Kind.INT;
      case String s -> Kind.STRING;
      case SafeHtml h -> Kind.STRING;
      default -> Kind.OTHER;
    };
  }

  static String stringOf(Object v) {
    return v instanceof SafeHtml h ? h.s() : (String) v;
  }
}
