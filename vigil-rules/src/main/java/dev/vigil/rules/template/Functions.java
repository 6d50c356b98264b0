package dev.vigil.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.vigil.model.Regex;
import dev.vigil.rules.template.GoValue.AnyMap;
import dev.vigil.rules.template.GoValue.Kind;
import dev.vigil.rules.template.GoValue.SafeHtml;
import dev.vigil.rules.template.GoValue.StrMap;
import dev.vigil.rules.template.GoValue.Time;
import dev.vigil.rules.template.GoValue.Vector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The function table: Go's text/template builtins and Prometheus' template functions, each with its
 * Go signature (which decides how arguments convert and which errors they give). Names are resolved
 * once, at parse time.
 */
final class Functions {
  /** Go parameter types, named as Go prints them in errors. */
  enum Param {
    STRING("string"),
    FLOAT64("float64"),
    INT("int"),
    BOOL("bool"),
    ANY("interface {}"),
    VALUE("reflect.Value"),
    SAMPLE("*template.sample"),
    VECTOR("template.queryResult");

    final String goName;

    Param(String goName) {
      this.goName = goName;
    }

    boolean canBeNil() {
      return this == ANY || this == SAMPLE || this == VECTOR || this == VALUE;
    }
  }

  /** A function's failure; the executor reports it as {@code error calling NAME: message}. */
  static final class FnError extends Exception {
    private static final long serialVersionUID = 1L;

    FnError(String message) {
      super(message, null, false, false);
    }
  }

  @FunctionalInterface
  interface Impl {
    Object call(Exec.Context ctx, Object[] args) throws FnError;
  }

  /** One function: name, parameters (the last repeats when variadic), implementation. */
  record Fn(String name, Param[] params, boolean variadic, boolean builtin, Impl impl) {}

  static final Functions PROMETHEUS = new Functions();

  private final Map<String, Fn> table = new HashMap<>();

  private Functions() {
    builtins();
    prometheus();
  }

  Fn lookup(String name) {
    return table.get(name);
  }

  private void add(String name, Impl impl, boolean variadic, Param... params) {
    table.put(name, new Fn(name, params, variadic, false, impl));
  }

  private void builtin(String name, Impl impl, boolean variadic, Param... params) {
    table.put(name, new Fn(name, params, variadic, true, impl));
  }

  // ---- Go builtins ----

  private static final String BAD_COMPARISON = "incompatible types for comparison";
  private static final String BAD_COMPARISON_TYPE = "invalid type for comparison";

  private void builtins() {
    // and/or short-circuit in the executor; these bodies are not called.
    builtin("and", (c, a) -> null, true, Param.VALUE, Param.VALUE);
    builtin("or", (c, a) -> null, true, Param.VALUE, Param.VALUE);
    builtin(
        "call",
        (c, a) -> {
          if (a[0] == null) {
            throw new FnError("call of nil");
          }
          throw new FnError("non-function of type " + GoValue.typeName(a[0]));
        },
        true,
        Param.VALUE,
        Param.VALUE);
    builtin("html", (c, a) -> GoStrings.html(evalArgs(a)), true, Param.ANY);
    builtin("js", (c, a) -> GoStrings.js(evalArgs(a)), true, Param.ANY);
    builtin("urlquery", (c, a) -> GoStrings.queryEscape(evalArgs(a)), true, Param.ANY);
    builtin("print", (c, a) -> GoFmt.sprint(a), true, Param.ANY);
    builtin("println", (c, a) -> GoFmt.sprintln(a), true, Param.ANY);
    builtin(
        "printf",
        (c, a) -> GoFmt.sprintf((String) a[0], java.util.Arrays.copyOfRange(a, 1, a.length)),
        true,
        Param.STRING,
        Param.ANY);
    builtin("not", (c, a) -> !GoValue.isTrue(a[0]), false, Param.VALUE);
    builtin("len", (c, a) -> len(a[0]), false, Param.VALUE);
    builtin("index", (c, a) -> index(a), true, Param.VALUE, Param.VALUE);
    builtin("slice", (c, a) -> slice(a), true, Param.VALUE, Param.VALUE);
    builtin("eq", (c, a) -> eq(a), true, Param.VALUE, Param.VALUE);
    builtin("ne", (c, a) -> !eq(a), false, Param.VALUE, Param.VALUE);
    builtin("lt", (c, a) -> lt(a[0], a[1]), false, Param.VALUE, Param.VALUE);
    builtin("le", (c, a) -> lt(a[0], a[1]) || eq(a), false, Param.VALUE, Param.VALUE);
    builtin("gt", (c, a) -> !(lt(a[0], a[1]) || eq(a)), false, Param.VALUE, Param.VALUE);
    builtin("ge", (c, a) -> !lt(a[0], a[1]), false, Param.VALUE, Param.VALUE);
  }

  /** Go's evalArgs for html/js/urlquery: one string as is, otherwise fmt.Sprint. */
  private static String evalArgs(Object[] a) {
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

  private static Object len(Object v) throws FnError {
    return switch (v) {
      case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
      case SafeHtml h -> (long) h.s().getBytes(StandardCharsets.UTF_8).length;
      case StrMap m -> (long) m.map().size();
      case AnyMap m -> (long) m.map().size();
      case Vector q -> (long) q.samples().size();
      case null -> throw new FnError("reflect: call of reflect.Value.Type on zero Value");
      default -> throw new FnError("len of type " + GoValue.typeName(v));
    };
  }

  private static Object index(Object[] a) throws FnError {
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

  private static String mapKey(Object idx) throws FnError {
    if (idx == null) {
      throw new FnError("value is nil; should be of type string");
    }
    if (!(idx instanceof String s)) {
      throw new FnError("value has type " + GoValue.typeName(idx) + "; should be string");
    }
    return s;
  }

  private static int indexArg(Object idx, int len) throws FnError {
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

  private static Object slice(Object[] a) throws FnError {
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

  private static boolean eq(Object[] a) throws FnError {
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
  private static void nonComparable(Object v) throws FnError {
    if (v instanceof StrMap
        || v instanceof AnyMap
        || v instanceof Vector
        || v instanceof GoValue.AlertData) {
      throw new FnError("non-comparable type " + GoFmt.sprint(v) + ": " + GoValue.typeName(v));
    }
  }

  private static boolean lt(Object a1, Object a2) throws FnError {
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

  private static Kind basicKind(Object v) throws FnError {
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

  // ---- Prometheus' functions (template/template.go of Prometheus 2.42) ----

  private void prometheus() {
    add("query", (c, a) -> query(c, (String) a[0]), false, Param.STRING);
    add(
        "first",
        (c, a) -> {
          Vector v = (Vector) a[0];
          if (v == null || v.samples().isEmpty()) {
            throw new FnError("first() called on vector with no elements");
          }
          return v.samples().get(0);
        },
        false,
        Param.VECTOR);
    add(
        "label",
        (c, a) -> sample(a[1]).labels().getOrEmpty((String) a[0]),
        false,
        Param.STRING,
        Param.SAMPLE);
    add("value", (c, a) -> sample(a[0]).value(), false, Param.SAMPLE);
    add("strvalue", (c, a) -> sample(a[0]).labels().getOrEmpty("__value__"), false, Param.SAMPLE);
    add(
        "args",
        (c, a) -> {
          TreeMap<String, Object> m = new TreeMap<>();
          for (int i = 0; i < a.length; i++) {
            m.put("arg" + i, a[i]);
          }
          return new AnyMap(m);
        },
        true,
        Param.ANY);
    add(
        "reReplaceAll",
        (c, a) -> reReplaceAll((String) a[0], (String) a[1], (String) a[2]),
        false,
        Param.STRING,
        Param.STRING,
        Param.STRING);
    add("safeHtml", (c, a) -> new SafeHtml((String) a[0]), false, Param.STRING);
    add(
        "match",
        (c, a) -> {
          Pattern p;
          try {
            p = Pattern.compile((String) a[0]);
          } catch (PatternSyntaxException e) {
            throw new FnError(e.getMessage());
          }
          return p.matcher((String) a[1]).find();
        },
        false,
        Param.STRING,
        Param.STRING);
    add("title", (c, a) -> GoStrings.title((String) a[0]), false, Param.STRING);
    add("toUpper", (c, a) -> GoStrings.toUpper((String) a[0]), false, Param.STRING);
    add("toLower", (c, a) -> GoStrings.toLower((String) a[0]), false, Param.STRING);
    add(
        "graphLink",
        (c, a) -> "/graph?g0.expr=" + GoStrings.queryEscape((String) a[0]) + "&g0.tab=0",
        false,
        Param.STRING);
    add(
        "tableLink",
        (c, a) -> "/graph?g0.expr=" + GoStrings.queryEscape((String) a[0]) + "&g0.tab=1",
        false,
        Param.STRING);
    add(
        "sortByLabel",
        (c, a) -> {
          String label = (String) a[0];
          Vector v = (Vector) a[1];
          if (v == null) {
            return null;
          }
          List<QueryResultSample> sorted = new ArrayList<>(v.samples());
          sorted.sort(
              Comparator.comparing(
                  (QueryResultSample s) -> s.labels().getOrEmpty(label), Functions::compareBytes));
          return new Vector(sorted);
        },
        false,
        Param.STRING,
        Param.VECTOR);
    add("humanize", (c, a) -> Humanize.humanize(toFloat(a[0])), false, Param.ANY);
    add("humanize1024", (c, a) -> Humanize.humanize1024(toFloat(a[0])), false, Param.ANY);
    add("humanizeDuration", (c, a) -> Humanize.duration(toFloat(a[0])), false, Param.ANY);
    add("humanizePercentage", (c, a) -> Humanize.percentage(toFloat(a[0])), false, Param.ANY);
    add("humanizeTimestamp", (c, a) -> Humanize.timestamp(toFloat(a[0])), false, Param.ANY);
    add("toTime", (c, a) -> new Time(Humanize.toInstant(toFloat(a[0]))), false, Param.ANY);
    add("pathPrefix", (c, a) -> c.pathPrefix(), false);
    add("externalURL", (c, a) -> c.externalURL(), false);
    add("parseDuration", (c, a) -> Humanize.parseDuration((String) a[0]), false, Param.STRING);
  }

  private static QueryResultSample sample(Object s) throws FnError {
    if (s == null) {
      throw new FnError("runtime error: invalid memory address or nil pointer dereference");
    }
    return (QueryResultSample) s;
  }

  private static Vector query(Exec.Context c, String q) throws FnError {
    if (c.queryFunction() == null) {
      throw new FnError("no query function");
    }
    try {
      return new Vector(List.copyOf(c.queryFunction().query(q, c.timeMs())));
    } catch (FnError e) {
      throw e;
    } catch (Exception e) {
      throw new FnError(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** Prometheus' convertToFloat: float64, ints, and strings parsed as Go's ParseFloat. */
  static double toFloat(Object v) throws FnError {
    return switch (v) {
      case Double d -> d;
      case Long l -> (double) l;
      case String s -> parseFloat(s);
      case null -> throw new FnError("can't convert <nil> to float");
      default -> throw new FnError("can't convert " + GoValue.typeName(v) + " to float");
    };
  }

  /** Go's strconv.ParseFloat(s, 64) with its error messages. */
  static double parseFloat(String s) throws FnError {
    String err = "strconv.ParseFloat: parsing " + GoFmt.quote(s) + ": ";
    String t = s;
    String sign = "";
    if (t.startsWith("+") || t.startsWith("-")) {
      sign = t.substring(0, 1);
      t = t.substring(1);
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return sign.equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan") && sign.isEmpty()) {
      return Double.NaN;
    }
    boolean hex = lower.startsWith("0x");
    boolean ok =
        hex
            ? lower.matches("0x(_?[0-9a-f])*\\.?([0-9a-f](_?[0-9a-f])*)?(p[+-]?[0-9](_?[0-9])*)")
            : lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");
    if (!ok || lower.equals("0x")) {
      throw new FnError(err + "invalid syntax");
    }
    double d;
    try {
      d = Double.parseDouble(sign + (hex ? lower.replace("_", "") : lower));
    } catch (NumberFormatException e) {
      throw new FnError(err + "invalid syntax");
    }
    if (Double.isInfinite(d)) {
      throw new FnError(err + "value out of range");
    }
    return d;
  }

  /** Go's Regexp.ReplaceAllString: no replacement for an empty match right after a match. */
  private static String reReplaceAll(String pattern, String repl, String text) throws FnError {
    Pattern p;
    try {
      p = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new FnError("regexp: Compile(" + regexpQuote(pattern) + "): " + e.getMessage());
    }
    Matcher m = p.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 16);
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= text.length() && m.find(searchPos)) {
      int start = m.start();
      int end = m.end();
      out.append(text, lastMatchEnd, start);
      if (end > lastMatchEnd || start == 0) {
        out.append(Regex.expand(m, repl));
      }
      lastMatchEnd = end;
      int width = searchPos < text.length() ? Character.charCount(text.codePointAt(searchPos)) : 1;
      if (searchPos + width > end) {
        searchPos += width;
      } else if (searchPos + 1 > end) {
        searchPos++;
      } else {
        searchPos = end;
      }
    }
    out.append(text, Math.min(lastMatchEnd, text.length()), text.length());
    return out.toString();
  }

  private static String regexpQuote(String s) {
    boolean canBackquote = s.indexOf('`') < 0;
    for (int i = 0; i < s.length() && canBackquote; i++) {
      char c = s.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        canBackquote = false;
      }
    }
    return canBackquote ? "`" + s + "`" : GoFmt.quote(s);
  }
}
