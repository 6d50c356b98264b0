package dev.vigil.rules.template;

import dev.vigil.rules.template.Functions.FnError;
import dev.vigil.rules.template.Functions.Param;
import dev.vigil.rules.template.GoValue.AlertData;
import dev.vigil.rules.template.GoValue.AnyMap;
import dev.vigil.rules.template.GoValue.StrMap;
import dev.vigil.rules.template.GoValue.Vector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Executes a parsed template as Go's text/template/exec does, with Prometheus' option {@code
 * missingkey=zero}. One instance per execution; not thread-safe.
 */
final class Exec {
  /*
   * Values are plain Java objects (see GoValue); null is Go's invalid value. Go's "missing final
   * argument" is the MISSING sentinel. Errors are thrown as ExecError with Go's full message,
   * whose location is the byte offset of the node being evaluated (s.at in Go).
   */

  /**
   * What Prometheus' functions need from the evaluation: query, time, external URL; and whether
   * printed values are HTML-escaped (an email's {@code html}, which Alertmanager renders with
   * html/template).
   */
  record Context(
      QueryFunction queryFunction,
      long timeMs,
      String externalURL,
      String pathPrefix,
      boolean htmlEscape) {
    Context(QueryFunction queryFunction, long timeMs, String externalURL, String pathPrefix) {
      this(queryFunction, timeMs, externalURL, pathPrefix, false);
    }
  }

  /**
   * The most characters one expansion may produce. Go has no limit; here a template that doubles
   * its output per nesting level ({@code {{template}}} twice in each level) would exhaust the
   * server's heap during rule evaluation. Real annotations are far below it.
   */
  static final int MAX_OUTPUT = 4 << 20;

  /** Go's maxExecDepth; Java's stack may end recursion earlier, reported the same way. */
  static final int MAX_DEPTH = 100_000;

  private static final Object MISSING = new Object();

  static final class ExecError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecError(String msg) {
      super(msg, null, false, false);
    }
  }

  private static final class Break extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Break() {
      super(null, null, false, false);
    }
  }

  private static final class Continue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Continue() {
      super(null, null, false, false);
    }
  }

  private static final Break BREAK = new Break();
  private static final Continue CONTINUE = new Continue();

  private final CompiledTemplate tmpl;
  private final Context ctx;
  private final StringBuilder out;
  private String current; // name of the template being executed
  private Node node;
  private int depth;
  private Node.Template deepestTemplate;
  private String deepestTemplateCaller;
  private final ArrayList<String> varNames = new ArrayList<>(8);
  private final ArrayList<Object> varValues = new ArrayList<>(8);

  Exec(CompiledTemplate tmpl, Context ctx, StringBuilder out) {
    this.tmpl = tmpl;
    this.ctx = ctx;
    this.out = out;
    this.current = tmpl.name();
  }

  Context context() {
    return ctx;
  }

  void execute(Object data) {
    varNames.add("$");
    varValues.add(data);
    try {
      walk(data, tmpl.root());
    } catch (StackOverflowError e) {
      if (deepestTemplate == null) {
        throw e; // not template recursion: a defect, reported as a panic by the Expander
      }
      // Go stops at MAX_DEPTH nested {{template}} calls; Java's stack may end first. Either way
      // the error is Go's, built here where the stack has room again.
      node = deepestTemplate;
      current = deepestTemplateCaller;
      throw error("exceeded maximum template depth (" + MAX_DEPTH + ")");
    }
  }

  // ---- errors ----

  private ExecError error(String msg) {
    if (node == null) {
      return new ExecError("template: " + current + ": " + msg);
    }
    return new ExecError(
        "template: "
            + location(node.pos())
            + ": executing "
            + GoFmt.quote(current)
            + " at <"
            + node
            + ">: "
            + msg);
  }

  /** Go's ErrorContext: name:line:byteColumn (0-based bytes since the last newline). */
  private String location(int pos) {
    CompiledTemplate.Source src = tmpl.sourceOf(current);
    String text = src.text();
    int p = Math.min(pos, text.length());
    int lastNl = text.lastIndexOf('\n', p - 1);
    int line = 1;
    for (int i = 0; i < p; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    int col = utf8Length(text, lastNl + 1, p);
    return src.name() + ":" + line + ":" + col;
  }

  private static int utf8Length(String s, int from, int to) {
    return s.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
  }

  private void at(Node n) {
    node = n;
  }

  // ---- variables ----

  private int mark() {
    return varNames.size();
  }

  private void pop(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private void push(String name, Object value) {
    varNames.add(name);
    varValues.add(value);
  }

  private void setVar(String name, Object value) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        varValues.set(i, value);
        return;
      }
    }
    throw error("undefined variable: " + name);
  }

  private void setTopVar(int n, Object value) {
    varValues.set(varValues.size() - n, value);
  }

  private Object varValue(String name) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        return varValues.get(i);
      }
    }
    throw error("undefined variable: " + name);
  }

  // ---- walking ----

  private void walk(Object dot, Node n) {
    at(n);
    switch (n) {
      case Node.Text t -> {
        out.append(t.text());
        checkOutput();
      }
      case Node.Action a -> {
        Object val = evalPipeline(dot, a.pipe());
        if (a.pipe().decl().isEmpty()) {
          if (ctx.htmlEscape() && !(val instanceof GoValue.SafeHtml) && !endsInEscaper(a.pipe())) {
            int start = out.length();
            printValue(a, val);
            String printed = out.substring(start);
            out.setLength(start);
            out.append(htmlEscape(printed));
            checkOutput();
          } else {
            printValue(a, val);
          }
        }
      }
      case Node.ListNode l -> {
        for (Node c : l.nodes()) {
          walk(dot, c);
        }
      }
      case Node.Branch b -> {
        if (b.keyword().equals("range")) {
          walkRange(dot, b);
        } else {
          walkIfOrWith(dot, b);
        }
      }
      case Node.Template t -> walkTemplate(dot, t);
      case Node.Loop l -> throw l.isBreak() ? BREAK : CONTINUE;
      default -> throw error("unknown node: " + n);
    }
  }

  /**
   * Whether a pipeline ends in {@code html}: html/template then uses text/template's {@code html}
   * as the text context's escaper instead of adding its own (escFnsEq), so nothing is added.
   */
  private static boolean endsInEscaper(Node.Pipe p) {
    if (p.cmds().isEmpty()) {
      return false;
    }
    List<Node> args = p.cmds().getLast().args();
    return !args.isEmpty()
        && args.get(0) instanceof Node.Identifier id
        && id.ident().equals("html");
  }

  /*
   * Go's html/template escapes by context (text, attribute, URL, script, CSS). This is its
   * escaper for text and quoted attribute values, applied to every value an action prints: the
   * contexts of Alertmanager's default email. A URL in an attribute is escaped as text (Go would
   * also percent-encode spaces and quotes in it); script and style contexts are not handled.
   */
  static String htmlEscape(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String r =
          switch (c) {
            case '\0' -> "\uFFFD";
            case '"' -> "&#34;";
            case '&' -> "&amp;";
            case '\'' -> "&#39;";
            case '+' -> "&#43;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            default -> null;
          };
      if (r != null && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (r != null) {
          b.append(r);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  private void printValue(Node n, Object v) {
    at(n);
    if (v == null) {
      out.append("<no value>");
    } else if (v instanceof String s) {
      out.append(s);
    } else {
      GoFmt.print(out, v);
    }
    checkOutput();
  }

  private void checkOutput() {
    if (out.length() > MAX_OUTPUT) {
      throw error("output exceeds " + MAX_OUTPUT + " characters (a Vigil limit)");
    }
  }

  private void walkIfOrWith(Object dot, Node.Branch b) {
    int mark = mark();
    try {
      Object val = evalPipeline(dot, b.pipe());
      if (GoValue.isTrue(val)) {
        walk(b.keyword().equals("with") ? val : dot, b.list());
      } else if (b.elseList() != null) {
        walk(dot, b.elseList());
      }
    } finally {
      pop(mark);
    }
  }

  private void walkRange(Object dot, Node.Branch r) {
    at(r);
    int outer = mark();
    try {
      Object val = evalPipeline(dot, r.pipe());
      int mark = mark();
      int decls = r.pipe().decl().size();
      boolean any = false;
      switch (val) {
        case Vector v -> {
          List<QueryResultSample> s = v.samples();
          for (int i = 0; i < s.size(); i++) {
            any = true;
            if (!oneIteration(r, decls, (long) i, s.get(i), mark)) {
              break;
            }
          }
        }
        case StrMap m -> {
          for (Map.Entry<String, String> e : m.map().entrySet()) {
            any = true;
            if (!oneIteration(r, decls, e.getKey(), e.getValue(), mark)) {
              break;
            }
          }
        }
        case AnyMap m -> {
          for (Map.Entry<String, Object> e : m.map().entrySet()) {
            any = true;
            if (!oneIteration(r, decls, e.getKey(), e.getValue(), mark)) {
              break;
            }
          }
        }
        case TemplateObject o when o.asMap() != null -> {
          for (Map.Entry<String, String> e : new java.util.TreeMap<>(o.asMap()).entrySet()) {
            any = true;
            if (!oneIteration(r, decls, e.getKey(), e.getValue(), mark)) {
              break;
            }
          }
        }
        case TemplateObject o when o.asList() != null ->
            any = rangeList(r, decls, o.asList(), mark);
        case List<?> l -> any = rangeList(r, decls, l, mark);
        case null -> {}
        default -> {
          // Go reports this at the last node evaluated (the pipeline's), not at the range.
          throw error("range can't iterate over " + GoFmt.sprint(val));
        }
      }
      if (!any && r.elseList() != null) {
        walk(dot, r.elseList());
      }
    } finally {
      pop(outer);
    }
  }

  private boolean rangeList(Node.Branch r, int decls, List<?> list, int mark) {
    for (int i = 0; i < list.size(); i++) {
      if (!oneIteration(r, decls, (long) i, GoValue.wrap(list.get(i)), mark)) {
        break;
      }
    }
    return !list.isEmpty();
  }

  /** Runs the body once; false on {{break}}. */
  private boolean oneIteration(Node.Branch r, int decls, Object index, Object elem, int mark) {
    if (decls > 0) {
      setTopVar(1, elem);
    }
    if (decls > 1) {
      setTopVar(2, index);
    }
    try {
      walk(elem, r.list());
    } catch (Break b) {
      return false;
    } catch (Continue c) {
      // next iteration
    } finally {
      pop(mark);
    }
    return true;
  }

  private void walkTemplate(Object dot, Node.Template t) {
    at(t);
    Node.ListNode target = tmpl.defines().get(t.name());
    if (target == null) {
      throw error("template " + GoFmt.quote(t.name()) + " not defined");
    }
    if (depth >= MAX_DEPTH) {
      throw error("exceeded maximum template depth (" + MAX_DEPTH + ")");
    }
    Object newDot = evalPipeline(dot, t.pipe());
    deepestTemplate = t;
    deepestTemplateCaller = current;
    String savedName = current;
    List<String> savedNames = new ArrayList<>(varNames);
    List<Object> savedValues = new ArrayList<>(varValues);
    varNames.clear();
    varValues.clear();
    push("$", newDot);
    depth++;
    current = t.name();
    try {
      walk(newDot, target);
    } finally {
      depth--;
      current = savedName;
      varNames.clear();
      varValues.clear();
      varNames.addAll(savedNames);
      varValues.addAll(savedValues);
    }
  }

  // ---- evaluation ----

  private Object evalPipeline(Object dot, Node.Pipe pipe) {
    if (pipe == null) {
      return null;
    }
    at(pipe);
    Object value = MISSING;
    for (Node.Command cmd : pipe.cmds()) {
      value = evalCommand(dot, cmd, value);
    }
    for (Node.Variable v : pipe.decl()) {
      if (pipe.assign()) {
        setVar(v.idents().get(0), value);
      } else {
        push(v.idents().get(0), value);
      }
    }
    return value;
  }

  private void notAFunction(List<Node> args, Object fin) {
    if (args.size() > 1 || fin != MISSING) {
      throw error("can't give argument to non-function " + args.get(0));
    }
  }

  private Object evalCommand(Object dot, Node.Command cmd, Object fin) {
    Node first = cmd.args().get(0);
    switch (first) {
      case Node.Field f -> {
        at(f);
        return evalFieldChain(dot, dot, f, f.idents(), cmd.args(), fin);
      }
      case Node.Chain c -> {
        at(c);
        if (c.node() instanceof Node.Nil) {
          throw error("indirection through explicit nil in " + c);
        }
        Object recv = evalArg(dot, null, c.node());
        return evalFieldChain(dot, recv, c, c.fields(), cmd.args(), fin);
      }
      case Node.Identifier id -> {
        return evalFunction(dot, id, cmd, cmd.args(), fin);
      }
      case Node.Pipe p -> {
        notAFunction(cmd.args(), fin);
        return evalPipeline(dot, p);
      }
      case Node.Variable v -> {
        at(v);
        Object value = varValue(v.idents().get(0));
        if (v.idents().size() == 1) {
          notAFunction(cmd.args(), fin);
          return value;
        }
        return evalFieldChain(
            dot, value, v, v.idents().subList(1, v.idents().size()), cmd.args(), fin);
      }
      default -> {}
    }
    at(first);
    notAFunction(cmd.args(), fin);
    return switch (first) {
      case Node.Bool b -> b.value();
      case Node.Dot d -> dot;
      case Node.Nil n -> throw error("nil is not a command");
      case Node.Number n -> n.constant();
      case Node.Str s -> s.text();
      default -> throw error("can't evaluate command " + GoFmt.quote(first.toString()));
    };
  }

  private Object evalFieldChain(
      Object dot, Object receiver, Node n, List<String> idents, List<Node> args, Object fin) {
    int last = idents.size() - 1;
    boolean fromAny = false;
    for (int i = 0; i < last; i++) {
      boolean nextFromAny = receiver instanceof AnyMap;
      receiver = evalField(dot, idents.get(i), n, null, MISSING, receiver, fromAny);
      fromAny = nextFromAny;
    }
    return evalField(dot, idents.get(last), n, args, fin, receiver, fromAny);
  }

  /** fromAny: the receiver was read from a map[string]interface {}, its static type. */
  private Object evalField(
      Object dot,
      String name,
      Node n,
      List<Node> args,
      Object fin,
      Object receiver,
      boolean fromAny) {
    if (receiver == null) {
      return null;
    }
    boolean hasArgs = (args != null && args.size() > 1) || fin != MISSING;
    String typ = fromAny ? "interface {}" : GoValue.typeName(receiver);
    switch (receiver) {
      case AlertData a -> {
        Object v =
            switch (name) {
              case "Labels" -> a.labels();
              case "ExternalLabels" -> a.externalLabels();
              case "ExternalURL" -> a.externalURL();
              case "Value" -> a.value();
              default -> MISSING;
            };
        if (v != MISSING) {
          if (hasArgs) {
            throw error(name + " has arguments but cannot be invoked as function");
          }
          return v;
        }
      }
      case QueryResultSample s -> {
        Object v =
            switch (name) {
              case "Labels" -> new StrMap(new LabelsMap(s.labels()));
              case "Value" -> s.value();
              default -> MISSING;
            };
        if (v != MISSING) {
          if (hasArgs) {
            throw error(name + " has arguments but cannot be invoked as function");
          }
          return v;
        }
      }
      case TemplateObject o -> {
        List<Object> argv = new ArrayList<>();
        if (args != null) {
          for (int i = 1; i < args.size(); i++) {
            argv.add(evalArg(dot, null, args.get(i)));
          }
        }
        if (fin != MISSING) {
          argv.add(fin);
        }
        Object v;
        try {
          v = o.field(name, argv);
        } catch (IllegalArgumentException e) {
          throw error("error calling " + name + ": " + e.getMessage());
        }
        if (v != TemplateObject.NO_SUCH_FIELD) {
          return GoValue.wrap(v);
        }
        Map<String, String> m = o.asMap();
        if (m != null) {
          if (hasArgs) {
            throw error(name + " is not a method but has arguments");
          }
          String s = m.get(name);
          return s == null ? "" : s;
        }
      }
      case StrMap m -> {
        if (hasArgs) {
          throw error(name + " is not a method but has arguments");
        }
        String v = m.map().get(name);
        return v == null ? "" : v; // missingkey=zero
      }
      case AnyMap m -> {
        if (hasArgs) {
          throw error(name + " is not a method but has arguments");
        }
        return m.map().get(name);
      }
      default -> {}
    }
    throw error("can't evaluate field " + name + " in type " + typ);
  }

  private Object evalFunction(
      Object dot, Node.Identifier id, Node.Command cmd, List<Node> args, Object fin) {
    at(id);
    return evalCall(dot, id.fn(), cmd, args, fin);
  }

  private Object evalCall(
      Object dot, Functions.Fn fn, Node.Command cmd, List<Node> args, Object fin) {
    String name = fn.name();
    int nargs = args.size() - 1;
    int numIn = nargs + (fin != MISSING ? 1 : 0);
    Param[] params = fn.params();
    int numFixed = nargs;
    if (fn.variadic()) {
      numFixed = params.length - 1;
      if (numIn < numFixed) {
        throw error(
            "wrong number of args for " + name + ": want at least " + numFixed + " got " + nargs);
      }
    } else if (numIn != params.length) {
      throw error("wrong number of args for " + name + ": want " + params.length + " got " + numIn);
    }
    if (fn.builtin() && (name.equals("and") || name.equals("or"))) {
      Object v = null;
      for (int i = 1; i < args.size(); i++) {
        v = evalArg(dot, Param.VALUE, args.get(i));
        if (GoValue.isTrue(v) == name.equals("or")) {
          return v;
        }
      }
      if (fin != MISSING) {
        v = validateType(fin, Param.VALUE);
      }
      return v;
    }
    Object[] argv = new Object[numIn];
    int i = 0;
    for (; i < numFixed && i < nargs; i++) {
      argv[i] = evalArg(dot, params[i], args.get(i + 1));
    }
    if (fn.variadic()) {
      Param t = params[params.length - 1];
      for (; i < nargs; i++) {
        argv[i] = evalArg(dot, t, args.get(i + 1));
      }
    }
    if (fin != MISSING) {
      Param t =
          fn.variadic() && numIn - 1 >= params.length - 1
              ? params[params.length - 1]
              : params[numIn - 1];
      argv[i] = validateType(fin, t);
    }
    try {
      return fn.impl().call(ctx, argv);
    } catch (FnError e) {
      at(cmd);
      throw error("error calling " + name + ": " + e.getMessage());
    } catch (RuntimeException e) {
      at(cmd);
      throw error("error calling " + name + ": " + e);
    }
  }

  /** Go's evalArg: a node evaluated for a parameter of type t (null: no conversion). */
  private Object evalArg(Object dot, Param t, Node n) {
    at(n);
    switch (n) {
      case Node.Dot d -> {
        return validateType(dot, t);
      }
      case Node.Nil nil -> {
        if (t == null || t.canBeNil()) {
          return null;
        }
        throw error("cannot assign nil to " + t.goName);
      }
      case Node.Field f -> {
        return validateType(evalFieldChain(dot, dot, f, f.idents(), List.of(n), MISSING), t);
      }
      case Node.Variable v -> {
        Object value = varValue(v.idents().get(0));
        if (v.idents().size() > 1) {
          value =
              evalFieldChain(
                  dot, value, v, v.idents().subList(1, v.idents().size()), List.of(n), MISSING);
        }
        return validateType(value, t);
      }
      case Node.Pipe p -> {
        return validateType(evalPipeline(dot, p), t);
      }
      case Node.Identifier id -> {
        return validateType(
            evalFunction(dot, id, new Node.Command(id.pos(), List.of(id)), List.of(id), MISSING),
            t);
      }
      case Node.Chain c -> {
        if (c.node() instanceof Node.Nil) {
          throw error("indirection through explicit nil in " + c);
        }
        Object recv = evalArg(dot, null, c.node());
        return validateType(evalFieldChain(dot, recv, c, c.fields(), List.of(n), MISSING), t);
      }
      default -> {}
    }
    if (t == null || t == Param.ANY || t == Param.VALUE) {
      return switch (n) {
        case Node.Bool b -> b.value();
        case Node.Number num -> num.constant();
        case Node.Str s -> s.text();
        default -> throw error("can't handle " + n + " for arg of type " + goName(t));
      };
    }
    switch (t) {
      case BOOL -> {
        if (n instanceof Node.Bool b) {
          return b.value();
        }
        throw error("expected bool; found " + n);
      }
      case STRING -> {
        if (n instanceof Node.Str s) {
          return s.text();
        }
        throw error("expected string; found " + n);
      }
      case INT -> {
        if (n instanceof Node.Number num && num.isInt()) {
          return num.intValue();
        }
        throw error("expected integer; found " + n);
      }
      case FLOAT64 -> {
        if (n instanceof Node.Number num && num.isFloat()) {
          return num.floatValue();
        }
        throw error("expected float; found " + n);
      }
      default -> throw error("can't handle " + n + " for arg of type " + t.goName);
    }
  }

  private static String goName(Param t) {
    return t == null ? "<nil>" : t.goName;
  }

  /** Go's validateType: a value for a parameter of type t. */
  private Object validateType(Object value, Param t) {
    if (value == MISSING) {
      value = null;
    }
    if (t == null || t == Param.ANY || t == Param.VALUE) {
      return value;
    }
    if (value == null) {
      if (t.canBeNil()) {
        return null;
      }
      throw error("invalid value; expected " + t.goName);
    }
    boolean ok =
        switch (t) {
          case STRING -> value instanceof String;
          case FLOAT64 -> value instanceof Double;
          case INT -> value instanceof Long;
          case BOOL -> value instanceof Boolean;
          case SAMPLE -> value instanceof QueryResultSample;
          case VECTOR -> value instanceof Vector;
          default -> true;
        };
    if (!ok) {
      throw error(
          "wrong type for value; expected " + t.goName + "; got " + GoValue.typeName(value));
    }
    return value;
  }
}
