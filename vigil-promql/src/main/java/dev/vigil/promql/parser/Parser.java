package dev.vigil.promql.parser;

import dev.vigil.promql.parser.Expr.AggregateExpr;
import dev.vigil.promql.parser.Expr.AtKind;
import dev.vigil.promql.parser.Expr.BinaryExpr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.Expr.NumberLiteral;
import dev.vigil.promql.parser.Expr.ParenExpr;
import dev.vigil.promql.parser.Expr.StringLiteral;
import dev.vigil.promql.parser.Expr.SubqueryExpr;
import dev.vigil.promql.parser.Expr.UnaryExpr;
import dev.vigil.promql.parser.Expr.VectorMatching;
import dev.vigil.promql.parser.Expr.VectorMatching.Cardinality;
import dev.vigil.promql.parser.Expr.VectorSelector;
import dev.vigil.promql.parser.Token.Kind;
import dev.vigil.tsdb.LabelMatcher;
import dev.vigil.tsdb.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the whole PromQL grammar, with Prometheus' type checks.
 *
 * <pre>{@code
 * Expr e = Parser.parse("rate(http_requests_total{job=\"api\"}[5m] offset 1m)");
 * }</pre>
 *
 * <p>Errors are {@link ParseException}s whose message matches Prometheus' wording and position.
 */
public final class Parser {
  /*
   * Precedence climbing over binary operators (or < and/unless < comparisons < +- < * / % atan2 <
   * ^), unary minus binding between * and ^ as in Prometheus' yacc grammar (-2^2 == -4). Postfix
   * modifiers ([range], [range:step], offset, @) bind tightest.
   */
  private final String query;
  private final List<Token> tokens;
  private int p;

  private Parser(String query) {
    this.query = query;
    this.tokens = Lexer.lex(query);
  }

  /** Parses and type-checks an expression. */
  public static Expr parse(String query) {
    Parser ps = new Parser(query);
    if (ps.peek().kind() == Kind.EOF) {
      throw new ParseException(query, 0, "no expression found in input");
    }
    Expr e = ps.expr(0);
    if (ps.peek().kind() != Kind.EOF) {
      throw ps.unexpected(ps.peek(), "");
    }
    return e;
  }

  /** Parses a label matcher list such as {@code {job="api", code=~"5.."}} or a selector. */
  public static List<LabelMatcher> parseMatchers(String selector) {
    Expr e = parse(selector);
    if (e instanceof VectorSelector vs) {
      return vs.matchers();
    }
    throw new ParseException(selector, 0, "expected a vector selector, got " + e.type());
  }

  // ---------------------------------------------------------------- helpers

  private Token peek() {
    return tokens.get(p);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(p + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(p);
    if (t.kind() != Kind.EOF) {
      p++;
    }
    return t;
  }

  private ParseException error(int pos, String msg) {
    return new ParseException(query, pos, msg);
  }

  private ParseException unexpected(Token t, String context) {
    String msg = "unexpected " + t.describe();
    if (!context.isEmpty()) {
      msg += " " + context;
    }
    return error(t.pos(), msg);
  }

  private Token expect(Kind k, String context) {
    Token t = peek();
    if (t.kind() != k) {
      throw unexpected(t, context);
    }
    return next();
  }

  private int lastEnd() {
    return p == 0 ? 0 : tokens.get(p - 1).end();
  }

  // ---------------------------------------------------------------- expressions

  private String binaryOp(Token t) {
    if (t.kind() == Kind.OPERATOR && Operators.precedence(t.text()) > 0) {
      return t.text();
    }
    if (t.kind() == Kind.IDENT) {
      String s = t.text();
      if (s.equals("and") || s.equals("or") || s.equals("unless") || s.equals("atan2")) {
        return s;
      }
    }
    return null;
  }

  private Expr expr(int minPrec) {
    Expr lhs = unary();
    while (true) {
      Token t = peek();
      String op = binaryOp(t);
      if (op == null) {
        if (t.kind() == Kind.OPERATOR && t.text().equals("=")) {
          throw error(t.pos(), "unexpected \"=\"");
        }
        return lhs;
      }
      int prec = Operators.precedence(op);
      if (prec < minPrec) {
        return lhs;
      }
      next();
      lhs = binaryRest(op, t, lhs, Operators.rightAssociative(op) ? prec : prec + 1);
    }
  }

  private Expr binaryRest(String op, Token opTok, Expr lhs, int rhsPrec) {
    boolean returnBool = false;
    if (peek().is("bool")) {
      next();
      returnBool = true;
    }
    boolean explicit = false;
    boolean on = false;
    List<String> matching = List.of();
    Cardinality card = Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    boolean grouped = false;
    if (peek().is("on") || peek().is("ignoring")) {
      on = next().text().equals("on");
      explicit = true;
      matching = labelList();
      if (peek().is("group_left") || peek().is("group_right")) {
        card =
            next().text().equals("group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        grouped = true;
        if (peek().kind() == Kind.LEFT_PAREN) {
          include = labelList();
        }
      }
    } else if (peek().is("group_left") || peek().is("group_right")) {
      throw unexpected(peek(), "");
    }
    Expr rhs = expr(rhsPrec);
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    boolean setOp = Operators.isSetOperator(op);
    boolean cmp = Operators.isComparison(op);
    int pos = opTok.pos();
    if (returnBool && !cmp) {
      throw error(pos, "bool modifier can only be used on comparison operators");
    }
    if (cmp && lt == ValueType.SCALAR && rt == ValueType.SCALAR && !returnBool) {
      throw error(lhs.start(), "comparisons between scalars must use BOOL modifier");
    }
    if ((lt != ValueType.SCALAR && lt != ValueType.VECTOR)
        || (rt != ValueType.SCALAR && rt != ValueType.VECTOR)) {
      ValueType bad = (lt != ValueType.SCALAR && lt != ValueType.VECTOR) ? lt : rt;
      Expr badExpr = bad == lt ? lhs : rhs;
      throw error(
          badExpr.start(), "binary expression must contain only scalar and instant vector types");
    }
    if (setOp && (lt == ValueType.SCALAR || rt == ValueType.SCALAR)) {
      throw error(
          lhs.start(), "set operator \"" + op + "\" not allowed in binary scalar expression");
    }
    VectorMatching vm = null;
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      if (setOp) {
        if (grouped) {
          throw error(lhs.start(), "no grouping allowed for \"" + op + "\" operation");
        }
        card = Cardinality.MANY_TO_MANY;
      }
      for (String l : include) {
        if (on && matching.contains(l)) {
          throw error(
              lhs.start(), "label \"" + l + "\" must not occur in ON and GROUP clause at once");
        }
      }
      vm = new VectorMatching(card, matching, on, include);
    } else if (explicit) {
      throw error(lhs.start(), "vector matching only allowed between instant vectors");
    }
    return new BinaryExpr(op, lhs, rhs, vm, returnBool, explicit);
  }

  private Expr unary() {
    Token t = peek();
    if (t.kind() == Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
      next();
      Expr operand = expr(Operators.precedence("^"));
      if (operand instanceof NumberLiteral nl) {
        double v = t.text().equals("-") ? -nl.value() : nl.value();
        return new NumberLiteral(v, t.pos(), nl.end());
      }
      if (t.text().equals("+")
          && (operand.type() == ValueType.SCALAR || operand.type() == ValueType.VECTOR)) {
        return operand; // unary plus is the identity; dropping it keeps printing canonical
      }
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw error(
            operand.start(),
            "unary expression only allowed on expressions of type scalar or instant vector, got \""
                + operand.type()
                + "\"");
      }
      return new UnaryExpr(t.text(), operand, t.pos());
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.LEFT_BRACKET) {
        e = bracket(e);
      } else if (t.is("offset")) {
        next();
        e = offset(e, t);
      } else if (t.kind() == Kind.AT) {
        next();
        e = at(e, t);
      } else {
        return e;
      }
    }
  }

  private Expr bracket(Expr e) {
    Token open = next();
    long range = durationMs("range");
    if (peek().kind() == Kind.COLON) {
      next();
      long step = 0;
      if (peek().kind() != Kind.RIGHT_BRACKET) {
        step = durationMs("step");
        if (step <= 0) {
          throw error(open.pos(), "zero or negative step duration is not allowed");
        }
      }
      Token close = expect(Kind.RIGHT_BRACKET, "in subquery selector, expected \"]\"");
      if (e.type() != ValueType.VECTOR) {
        throw error(
            e.start(),
            "subquery is only allowed on instant vector, got "
                + e.type()
                + " in \""
                + Printer.print(e)
                + "\" instead");
      }
      if (range <= 0) {
        throw error(open.pos(), "range duration must be positive");
      }
      return new SubqueryExpr(e, range, step, 0, AtKind.NONE, 0, e.start(), close.end());
    }
    Token close = expect(Kind.RIGHT_BRACKET, "in range selector, expected \"]\"");
    if (!(e instanceof VectorSelector vs)) {
      throw error(e.start(), "ranges only allowed for vector selectors");
    }
    if (vs.offsetMs() != 0 || vs.atKind() != AtKind.NONE) {
      throw error(open.pos(), "no offset or @ modifiers allowed before range");
    }
    if (range <= 0) {
      throw error(open.pos(), "range duration must be positive");
    }
    return new MatrixSelector(vs, range, close.end());
  }

  /** A duration: DURATION or NUMBER (seconds) token, in ms. */
  private long durationMs(String what) {
    Token t = peek();
    if (t.kind() == Kind.DURATION) {
      next();
      return parseDuration(t.text(), t.pos());
    }
    if (t.kind() == Kind.NUMBER) {
      next();
      double secs = parseNumber(t.text(), t.pos());
      if (Double.isNaN(secs) || Double.isInfinite(secs)) {
        throw error(t.pos(), "invalid duration " + t.text());
      }
      return Math.round(secs * 1000);
    }
    throw unexpected(t, "in " + what + ", expected duration");
  }

  private Expr offset(Expr e, Token kw) {
    boolean neg = false;
    Token t = peek();
    if (t.kind() == Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
      neg = t.text().equals("-");
      next();
    }
    long off = durationMs("offset");
    if (neg) {
      off = -off;
    }
    int end = lastEnd();
    switch (e) {
      case VectorSelector vs -> {
        if (vs.offsetMs() != 0) {
          throw error(kw.pos(), "offset may not be set multiple times");
        }
        return vs.with(off, vs.atKind(), vs.atMs(), end);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        if (vs.offsetMs() != 0) {
          throw error(kw.pos(), "offset may not be set multiple times");
        }
        return new MatrixSelector(
            vs.with(off, vs.atKind(), vs.atMs(), vs.end()), ms.rangeMs(), end);
      }
      case SubqueryExpr sq -> {
        if (sq.offsetMs() != 0) {
          throw error(kw.pos(), "offset may not be set multiple times");
        }
        return new SubqueryExpr(
            sq.expr(), sq.rangeMs(), sq.stepMs(), off, sq.atKind(), sq.atMs(), sq.start(), end);
      }
      default ->
          throw error(
              kw.pos(),
              "offset modifier must be preceded by an instant vector selector or range vector"
                  + " selector or a subquery");
    }
  }

  private Expr at(Expr e, Token atTok) {
    AtKind kind;
    long atMs = 0;
    Token t = peek();
    if ((t.is("start") || t.is("end")) && peek(1).kind() == Kind.LEFT_PAREN) {
      next();
      next();
      expect(Kind.RIGHT_PAREN, "");
      kind = t.text().equals("start") ? AtKind.START : AtKind.END;
    } else {
      boolean neg = false;
      if (t.kind() == Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
        neg = t.text().equals("-");
        next();
        t = peek();
      }
      if (t.kind() != Kind.NUMBER && t.kind() != Kind.DURATION) {
        throw unexpected(t, "in @, expected timestamp");
      }
      next();
      double v =
          t.kind() == Kind.DURATION
              ? parseDuration(t.text(), t.pos()) / 1000.0
              : parseNumber(t.text(), t.pos());
      if (neg) {
        v = -v;
      }
      if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) > 9.2e15) {
        throw error(
            atTok.pos(), "timestamp out of bounds for @ modifier: " + Printer.formatNumber(v));
      }
      kind = AtKind.TIME;
      atMs = Math.round(v * 1000);
    }
    int end = lastEnd();
    switch (e) {
      case VectorSelector vs -> {
        if (vs.atKind() != AtKind.NONE) {
          throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
        }
        return vs.with(vs.offsetMs(), kind, atMs, end);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        if (vs.atKind() != AtKind.NONE) {
          throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
        }
        return new MatrixSelector(vs.with(vs.offsetMs(), kind, atMs, vs.end()), ms.rangeMs(), end);
      }
      case SubqueryExpr sq -> {
        if (sq.atKind() != AtKind.NONE) {
          throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
        }
        return new SubqueryExpr(
            sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), kind, atMs, sq.start(), end);
      }
      default ->
          throw error(
              atTok.pos(),
              "@ modifier must be preceded by an instant vector selector or range vector selector"
                  + " or a subquery");
    }
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        next();
        return new NumberLiteral(parseNumber(t.text(), t.pos()), t.pos(), t.end());
      }
      case DURATION -> {
        next();
        return new NumberLiteral(parseDuration(t.text(), t.pos()) / 1000.0, t.pos(), t.end());
      }
      case STRING -> {
        next();
        return new StringLiteral(t.text(), t.pos(), t.end());
      }
      case LEFT_PAREN -> {
        next();
        if (peek().kind() == Kind.RIGHT_PAREN) {
          throw unexpected(peek(), "");
        }
        Expr inner = expr(0);
        Token close = expect(Kind.RIGHT_PAREN, "");
        return new ParenExpr(inner, t.pos(), close.end());
      }
      case LEFT_BRACE -> {
        return selector(null, t.pos());
      }
      case METRIC_IDENT -> {
        next();
        return selector(t.text(), t.pos());
      }
      case IDENT -> {
        String s = t.text();
        if (Operators.AGGREGATORS.contains(s)
            && (peek(1).kind() == Kind.LEFT_PAREN || peek(1).is("by") || peek(1).is("without"))) {
          return aggregation();
        }
        if (peek(1).kind() == Kind.LEFT_PAREN) {
          return call();
        }
        if (Token.isKeyword(s)
            || Operators.AGGREGATORS.contains(s)
            || binaryOp(t) != null
            || Operators.AGGREGATORS.contains(s)) {
          throw unexpected(t, "");
        }
        next();
        return selector(s, t.pos());
      }
      default -> throw unexpected(t, "");
    }
  }

  private Expr call() {
    Token name = next();
    Function fn = Function.lookup(name.text());
    if (fn == null) {
      throw error(name.pos(), "unknown function with name \"" + name.text() + "\"");
    }
    expect(Kind.LEFT_PAREN, "");
    List<Expr> args = new ArrayList<>();
    while (peek().kind() != Kind.RIGHT_PAREN) {
      args.add(expr(0));
      if (peek().kind() == Kind.COMMA) {
        next();
      } else if (peek().kind() != Kind.RIGHT_PAREN) {
        throw unexpected(peek(), "in function call, expected \",\" or \")\"");
      }
    }
    Token close = next();
    checkCall(fn, args, name.pos());
    return new Call(fn, List.copyOf(args), name.pos(), close.end());
  }

  private void checkCall(Function fn, List<Expr> args, int pos) {
    int n = fn.argTypes().size();
    if (fn.variadic() == 0) {
      if (args.size() != n) {
        throw error(
            pos,
            "expected " + n + " argument(s) in call to \"" + fn.name() + "\", got " + args.size());
      }
    } else {
      int min = n - 1;
      if (args.size() < min) {
        throw error(
            pos,
            "expected at least "
                + min
                + " argument(s) in call to \""
                + fn.name()
                + "\", got "
                + args.size());
      }
      if (fn.variadic() > 0 && args.size() > min + fn.variadic()) {
        throw error(
            pos,
            "expected at most "
                + (min + fn.variadic())
                + " argument(s) in call to \""
                + fn.name()
                + "\", got "
                + args.size());
      }
    }
    for (int i = 0; i < args.size(); i++) {
      ValueType want = fn.argTypes().get(Math.min(i, n - 1));
      checkType(args.get(i), want, "call to function \"" + fn.name() + "\"");
    }
  }

  private void checkType(Expr e, ValueType want, String context) {
    ValueType got = e.type();
    if (got != want) {
      throw error(e.start(), "expected type " + want + " in " + context + ", got " + got);
    }
  }

  private Expr aggregation() {
    Token op = next();
    List<String> grouping = List.of();
    boolean without = false;
    boolean grouped = false;
    if (peek().is("by") || peek().is("without")) {
      without = next().text().equals("without");
      grouping = labelList();
      grouped = true;
    }
    expect(Kind.LEFT_PAREN, "");
    List<Expr> args = new ArrayList<>();
    while (peek().kind() != Kind.RIGHT_PAREN) {
      args.add(expr(0));
      if (peek().kind() == Kind.COMMA) {
        next();
      } else if (peek().kind() != Kind.RIGHT_PAREN) {
        throw unexpected(peek(), "in aggregation, expected \",\" or \")\"");
      }
    }
    Token close = next();
    int end = close.end();
    if (!grouped && (peek().is("by") || peek().is("without"))) {
      without = next().text().equals("without");
      grouping = labelList();
      grouped = true;
      end = lastEnd();
    }
    boolean hasParam = Operators.aggregatorHasParam(op.text());
    int want = hasParam ? 2 : 1;
    if (args.size() != want) {
      throw error(
          op.pos(),
          "wrong number of arguments for aggregate expression provided, expected "
              + want
              + ", got "
              + args.size());
    }
    Expr param = hasParam ? args.get(0) : null;
    Expr inner = args.get(want - 1);
    checkType(inner, ValueType.VECTOR, "aggregation expression");
    if (param != null) {
      ValueType pt = op.text().equals("count_values") ? ValueType.STRING : ValueType.SCALAR;
      checkType(param, pt, "aggregation parameter");
    }
    return new AggregateExpr(op.text(), inner, param, grouping, without, grouped, op.pos(), end);
  }

  private List<String> labelList() {
    expect(Kind.LEFT_PAREN, "in grouping opts, expected \"(\"");
    List<String> out = new ArrayList<>();
    while (peek().kind() != Kind.RIGHT_PAREN) {
      Token t = next();
      if (t.kind() == Kind.IDENT) {
        out.add(t.text());
      } else if (t.kind() == Kind.STRING) {
        if (!Lexer.validUtf8(t.text())) {
          throw error(t.pos(), "invalid label name \"" + t.text() + "\"");
        }
        out.add(t.text());
      } else {
        throw unexpected(t, "in grouping opts, expected label");
      }
      if (peek().kind() == Kind.COMMA) {
        next();
      } else if (peek().kind() != Kind.RIGHT_PAREN) {
        throw unexpected(peek(), "in grouping opts, expected \")\" or \",\"");
      }
    }
    next();
    return List.copyOf(out);
  }

  private Expr selector(String name, int start) {
    List<LabelMatcher> matchers = new ArrayList<>();
    int end = lastEnd();
    if (peek().kind() == Kind.LEFT_BRACE) {
      next();
      while (peek().kind() != Kind.RIGHT_BRACE) {
        Token ln = next();
        if (ln.kind() == Kind.STRING
            && (peek().kind() == Kind.COMMA || peek().kind() == Kind.RIGHT_BRACE)) {
          if (name != null) {
            throw error(
                ln.pos(),
                "metric name must not be set twice: \"" + name + "\" or \"" + ln.text() + "\"");
          }
          name = ln.text();
        } else {
          if (ln.kind() != Kind.IDENT && ln.kind() != Kind.STRING) {
            throw unexpected(ln, "in label matching, expected label");
          }
          Token op = next();
          LabelMatcher.Type type =
              switch (op.kind() == Kind.OPERATOR ? op.text() : "") {
                case "=" -> LabelMatcher.Type.EQUAL;
                case "!=" -> LabelMatcher.Type.NOT_EQUAL;
                case "=~" -> LabelMatcher.Type.REGEX;
                case "!~" -> LabelMatcher.Type.NOT_REGEX;
                default ->
                    throw unexpected(
                        op, "in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
              };
          Token val = next();
          if (val.kind() != Kind.STRING) {
            throw unexpected(val, "in label matching, expected string");
          }
          try {
            matchers.add(LabelMatcher.of(type, ln.text(), val.text()));
          } catch (IllegalArgumentException e) {
            throw error(val.pos(), e.getMessage());
          }
        }
        if (peek().kind() == Kind.COMMA) {
          next();
        } else if (peek().kind() != Kind.RIGHT_BRACE) {
          throw unexpected(peek(), "in label matching, expected \",\" or \"}\"");
        }
      }
      end = next().end();
    }
    if (name != null) {
      for (LabelMatcher m : matchers) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          throw error(
              start,
              "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
        }
      }
      matchers.add(0, LabelMatcher.equal(Labels.METRIC_NAME, name));
    }
    boolean nonEmpty = false;
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        nonEmpty = true;
        break;
      }
    }
    if (!nonEmpty) {
      throw error(start, "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(name, List.copyOf(matchers), 0, AtKind.NONE, 0, start, end);
  }

  // ---------------------------------------------------------------- literals

  /** Parses a number the way Prometheus does (Go ParseInt base 0, then ParseFloat). */
  double parseNumber(String s, int pos) {
    String l = s.toLowerCase();
    switch (l) {
      case "inf", "+inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    try {
      if (l.startsWith("0x")) {
        return Long.parseLong(l.substring(2).replace("_", ""), 16);
      }
      if (l.length() > 1 && l.startsWith("0") && l.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return Long.parseLong(l.substring(1), 8);
      }
      if (l.contains("_")) {
        throw new NumberFormatException();
      }
      return Double.parseDouble(l);
    } catch (NumberFormatException e) {
      throw error(pos, "bad number or duration syntax: \"" + s + "\"");
    }
  }

  /** Parses a Prometheus duration such as {@code 1h30m} or {@code 100ms} into milliseconds. */
  public static long parseDuration(String s) {
    return new Parser("1").parseDuration(s, 0);
  }

  private long parseDuration(String s, int pos) {
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    long[] ms = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && Lexer.isDigit(s.charAt(j))) {
        j++;
      }
      if (j == i) {
        throw error(pos, "bad duration syntax: \"" + s + "\"");
      }
      long n = Long.parseLong(s.substring(i, j));
      String unit;
      if (s.startsWith("ms", j)) {
        unit = "ms";
      } else if (j < s.length()) {
        unit = String.valueOf(s.charAt(j));
      } else {
        throw error(pos, "bad duration syntax: \"" + s + "\"");
      }
      int u = List.of(units).indexOf(unit);
      if (u < 0 || u <= lastUnit) {
        throw error(pos, "not a valid duration string: \"" + s + "\"");
      }
      lastUnit = u;
      total += n * ms[u];
      i = j + unit.length();
    }
    return total;
  }
}
