package dev.vigil.rules.template;

import dev.vigil.rules.template.Functions.FnError;
import dev.vigil.rules.template.GoValue.AnyMap;
import dev.vigil.rules.template.GoValue.Kind;
import dev.vigil.rules.template.GoValue.SafeHtml;
import dev.vigil.rules.template.GoValue.StrMap;
import dev.vigil.rules.template.GoValue.Vector;
import java.nio.charset.StandardCharsets;

/**
 * Go's text/template builtins that need more than a line (Go's text/template/funcs.go): {@code
 * len}, {@code index}, {@code slice}, the comparisons, and the argument printing of {@code
 * html}/{@code js}/{@code urlquery}. Registered in {@link Functions}.
 */
final class Builtins {
  private Builtins() {}

  private static final String BAD_COMPARISON = "incompatible types for comparison";
  private static final String BAD_COMPARISON_TYPE = "invalid type for comparison";

  /** Go's evalArgs for html/js/urlquery: one string as is, otherwise fmt.Sprint. */
  static String evalArgs(Object[] a) {
    if (a.length == 1 && a[0] instanceof String s) {
      return s;
    }
    Object[] printable = a.clone();
    for (int i = 0; i < printable.length; i++) {
      if (printable[i] == null) {
        printable[i] = "<no value>"; // Go's printableValue of an invalid value
      } else if (printable[i] instanceof QueryResultSample s) {
        printable[i] = new GoValue.SampleValue(s); // printableValue dereferences pointers
      }
    }
    return GoFmt.sprint(printable);
  }

  static Object len(Object v) throws FnError {
    return switch (v) {
      case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
      case SafeHtml h -> (long) h.s().getBytes(StandardCharsets.UTF_8).length;
      case StrMap m -> (long) m.map().size();
      case AnyMap m -> (long) m.map().size();
      case Vector q -> (long) q.samples().size();
      case TemplateObject o when o.asMap() != null -> (long) o.asMap().size();
      case TemplateObject o when o.asList() != null -> (long) o.asList().size();
      case java.util.List<?> l -> (long) l.size();
      case null -> throw new FnError("reflect: call of reflect.Value.Type on zero Value");
      default -> throw new FnError("len of type " + GoValue.typeName(v));
    };
  }

  static Object index(Object[] a) throws FnError {
    Object item = a[0];
    if (item == null) {
      throw new FnError("index of untyped nil");
    }
    for (int i = 1; i < a.length; i++) {
      Object idx = a[i];
      switch (item) {
        case StrMap m -> {
          String key = mapKey(idx);
          item = m.map().getOrDefault(key, "");
        }
        case AnyMap m -> {
          String key = mapKey(idx);
          item = m.map().get(key);
        }
        case Vector q -> item = q.samples().get(indexArg(idx, q.samples().size()));
        case String s -> {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          item = (long) (b[indexArg(idx, b.length)] & 0xFF);
        }
        case QueryResultSample s -> throw new FnError("can't index item of type template.sample");
        default -> throw new FnError("can't index item of type " + GoValue.typeName(item));
      }
    }
    return item;
  }

  static String mapKey(Object idx) throws FnError {
    if (idx == null) {
      throw new FnError("value is nil; should be of type string");
    }
    if (!(idx instanceof String s)) {
      throw new FnError("value has type " + GoValue.typeName(idx) + "; should be string");
    }
    return s;
  }

  static int indexArg(Object idx, int len) throws FnError {
    if (idx == null) {
      throw new FnError("cannot index slice/array with nil");
    }
    if (!(idx instanceof Long x)) {
      throw new FnError("cannot index slice/array with type " + GoValue.typeName(idx));
    }
    if (x < 0 || x > len) {
      throw new FnError("index out of range: " + x);
    }
    if (x == len) {
      throw new FnError("reflect: slice index out of range");
    }
    return (int) (long) x;
  }

  static Object slice(Object[] a) throws FnError {
    Object item = a[0];
    if (item == null) {
      throw new FnError("slice of untyped nil");
    }
    if (a.length > 4) {
      throw new FnError("too many slice indexes: " + (a.length - 1));
    }
    int len;
    if (item instanceof String s) {
      if (a.length == 4) {
        throw new FnError("cannot 3-index slice a string");
      }
      len = s.length();
    } else if (item instanceof Vector q) {
      len = q.samples().size();
    } else {
      throw new FnError("can't slice item of type " + GoValue.typeName(item));
    }
    int[] idx = {0, len};
    for (int i = 1; i < a.length && i < 3; i++) {
      Object x = a[i];
      if (x == null) {
        throw new FnError("cannot index slice/array with nil");
      }
      if (!(x instanceof Long l)) {
        throw new FnError("cannot index slice/array with type " + GoValue.typeName(x));
      }
      if (l < 0 || l > len) {
        throw new FnError("index out of range: " + l);
      }
      idx[i - 1] = (int) (long) l;
    }
    if (idx[0] > idx[1]) {
      throw new FnError("invalid slice index: " + idx[0] + " > " + idx[1]);
    }
    if (item instanceof String s) {
      return s.substring(idx[0], idx[1]);
    }
    return new Vector(((Vector) item).samples().subList(idx[0], idx[1]));
  }

  static boolean eq(Object[] a) throws FnError {
    Object a1 = a[0];
    if (a.length < 2) {
      throw new FnError("missing argument for comparison");
    }
    Kind k1 = GoValue.kind(a1);
    for (int i = 1; i < a.length; i++) {
      Object b = a[i];
      Kind k2 = GoValue.kind(b);
      boolean truth;
      if (k1 != k2) {
        if (a1 != null && b != null) {
          throw new FnError(BAD_COMPARISON);
        }
        truth = false;
      } else {
        truth =
            switch (k1) {
              case BOOL -> a1.equals(b);
              case FLOAT -> (double) (Double) a1 == (double) (Double) b;
              case INT -> a1.equals(b);
              case STRING -> GoValue.stringOf(a1).equals(GoValue.stringOf(b));
              case INVALID -> true;
              case OTHER -> {
                nonComparable(a1);
                nonComparable(b);
                yield a1 == b;
              }
            };
      }
      if (truth) {
        return true;
      }
    }
    return false;
  }

  /** Maps, slices and structs holding them cannot be compared in Go. */
  static void nonComparable(Object v) throws FnError {
    if (v instanceof StrMap
        || v instanceof AnyMap
        || v instanceof Vector
        || v instanceof GoValue.AlertData) {
      throw new FnError("non-comparable type " + GoFmt.sprint(v) + ": " + GoValue.typeName(v));
    }
  }

  static boolean lt(Object a1, Object a2) throws FnError {
    Kind k1 = basicKind(a1);
    Kind k2 = basicKind(a2);
    if (k1 != k2) {
      throw new FnError(BAD_COMPARISON);
    }
    return switch (k1) {
      case BOOL -> throw new FnError(BAD_COMPARISON_TYPE);
      case FLOAT -> (Double) a1 < (Double) a2;
      case INT -> (Long) a1 < (Long) a2;
      case STRING -> compareBytes(GoValue.stringOf(a1), GoValue.stringOf(a2)) < 0;
      default -> throw new FnError(BAD_COMPARISON_TYPE);
    };
  }

  static Kind basicKind(Object v) throws FnError {
    Kind k = GoValue.kind(v);
    if (k == Kind.OTHER || k == Kind.INVALID) {
      throw new FnError(BAD_COMPARISON_TYPE);
    }
    return k;
  }

  /** Go compares strings byte-wise (UTF-8), which is code point order. */
  static int compareBytes(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
