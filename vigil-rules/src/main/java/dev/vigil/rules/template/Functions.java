package dev.vigil.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.vigil.model.Regex;
import dev.vigil.rules.template.GoValue.AnyMap;
import dev.vigil.rules.template.GoValue.SafeHtml;
import dev.vigil.rules.template.GoValue.Time;
import dev.vigil.rules.template.GoValue.Vector;
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

  static final Functions PROMETHEUS = new Functions(false);

  /** Go's builtins and Alertmanager 0.25's template functions (template/template.go). */
  static final Functions ALERTMANAGER = new Functions(true);

  private final Map<String, Fn> table = new HashMap<>();

  private Functions(boolean alertmanager) {
    builtins();
    if (alertmanager) {
      alertmanager();
    } else {
      prometheus();
    }
  }

  private void alertmanager() {
    add("toUpper", (c, a) -> GoStrings.toUpper((String) a[0]), false, Param.STRING);
    add("toLower", (c, a) -> GoStrings.toLower((String) a[0]), false, Param.STRING);
    add("title", (c, a) -> GoStrings.title((String) a[0]), false, Param.STRING);
    add(
        "join",
        (c, a) -> {
          if (!(a[1] instanceof List<?> l)) {
            throw new FnError(
                "wrong type for value; expected []string; got " + GoValue.typeName(a[1]));
          }
          List<String> parts = new ArrayList<>();
          for (Object o : l) {
            parts.add(String.valueOf(o));
          }
          return String.join((String) a[0], parts);
        },
        false,
        Param.STRING,
        Param.ANY);
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
    add("safeHtml", (c, a) -> new SafeHtml((String) a[0]), false, Param.STRING);
    add(
        "reReplaceAll",
        (c, a) -> reReplaceAll((String) a[0], (String) a[1], (String) a[2]),
        false,
        Param.STRING,
        Param.STRING,
        Param.STRING);
    add(
        "stringSlice",
        (c, a) -> {
          List<String> out = new ArrayList<>();
          for (Object o : a) {
            out.add((String) o);
          }
          return List.copyOf(out);
        },
        true,
        Param.STRING);
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
    builtin("html", (c, a) -> GoStrings.html(Builtins.evalArgs(a)), true, Param.ANY);
    builtin("js", (c, a) -> GoStrings.js(Builtins.evalArgs(a)), true, Param.ANY);
    builtin("urlquery", (c, a) -> GoStrings.queryEscape(Builtins.evalArgs(a)), true, Param.ANY);
    builtin("print", (c, a) -> GoFmt.sprint(a), true, Param.ANY);
    builtin("println", (c, a) -> GoFmt.sprintln(a), true, Param.ANY);
    builtin(
        "printf",
        (c, a) -> GoFmt.sprintf((String) a[0], java.util.Arrays.copyOfRange(a, 1, a.length)),
        true,
        Param.STRING,
        Param.ANY);
    builtin("not", (c, a) -> !GoValue.isTrue(a[0]), false, Param.VALUE);
    builtin("len", (c, a) -> Builtins.len(a[0]), false, Param.VALUE);
    builtin("index", (c, a) -> Builtins.index(a), true, Param.VALUE, Param.VALUE);
    builtin("slice", (c, a) -> Builtins.slice(a), true, Param.VALUE, Param.VALUE);
    builtin("eq", (c, a) -> Builtins.eq(a), true, Param.VALUE, Param.VALUE);
    builtin("ne", (c, a) -> !Builtins.eq(a), false, Param.VALUE, Param.VALUE);
    builtin("lt", (c, a) -> Builtins.lt(a[0], a[1]), false, Param.VALUE, Param.VALUE);
    builtin(
        "le", (c, a) -> Builtins.lt(a[0], a[1]) || Builtins.eq(a), false, Param.VALUE, Param.VALUE);
    builtin(
        "gt",
        (c, a) -> !(Builtins.lt(a[0], a[1]) || Builtins.eq(a)),
        false,
        Param.VALUE,
        Param.VALUE);
    builtin("ge", (c, a) -> !Builtins.lt(a[0], a[1]), false, Param.VALUE, Param.VALUE);
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
                  (QueryResultSample s) -> s.labels().getOrEmpty(label), Builtins::compareBytes));
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
