package dev.vigil.promql.parser;

import dev.vigil.model.LabelMatcher;
import dev.vigil.promql.parser.Expr.AggregateExpr;
import dev.vigil.promql.parser.Expr.BinaryExpr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.NumberLiteral;
import dev.vigil.promql.parser.Expr.ParenExpr;
import dev.vigil.promql.parser.Expr.StringLiteral;
import dev.vigil.promql.parser.Expr.SubqueryExpr;
import dev.vigil.promql.parser.Expr.UnaryExpr;
import dev.vigil.promql.parser.Expr.VectorMatching;
import dev.vigil.promql.parser.Expr.VectorMatching.Cardinality;
import dev.vigil.promql.parser.Expr.VectorSelector;
import dev.vigil.promql.parser.Token.Kind;
import java.util.ArrayDeque;
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
public final class Parser extends ParserBase {
  /**
   * The deepest syntax tree accepted: each parenthesis, function call, aggregation, unary operator,
   * subquery and binary operator adds a level, so a chain {@code a + b + c} is three deep. Deeper
   * queries fail with a {@link ParseException} saying so.
   */
  public static final int MAX_DEPTH = 128;

  /*
   * Precedence climbing over binary operators (or < and/unless < comparisons < +- < * / % atan2 <
   * ^), unary minus binding between * and ^ as in Prometheus' yacc grammar (-2^2 == -4). Postfix
   * modifiers ([range], [range:step], offset, @) bind tightest.
   *
   * Depth is bounded twice, so that neither this parser nor any recursive walk of the tree it
   * returns (printer, JSON, evaluator) can overflow the stack: the parser's own recursion (every
   * nested construct goes through expr()) is counted as it descends, and the finished tree's depth
   * is measured without recursion, which catches the left-deep trees that a chain such as
   * 1+1+...+1 builds in a loop. MAX_DEPTH is far above what people and dashboards write (the
   * deepest expression in Prometheus' promqltest suite is 8 deep) and below what the walkers fit in
   * the 512 KB stack `vigil serve` runs with (-Xss512k). Measured at depth 128, stack needed: parse
   * up to 224 KB (nested aggregations and calls, about 1.7 KB a level), print 64 KB, evaluate up to
   * 320 KB (nested function calls, 2.5 KB a level); depth 256 needed up to 512 KB, all of it.
   */
  private int nesting;

  private Parser(String query) {
    super(query);
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
    ps.checkDepth(e);
    return e;
  }

  private ParseException tooDeep(int pos) {
    return error(
        pos,
        "expression too deeply nested: more than "
            + MAX_DEPTH
            + " levels of parentheses, calls, aggregations and operators");
  }

  /** Refuses a tree deeper than {@link #MAX_DEPTH}, walking it without recursion. */
  private void checkDepth(Expr root) {
    record Frame(Expr e, int depth) {}
    ArrayDeque<Frame> todo = new ArrayDeque<>();
    todo.push(new Frame(root, 1));
    while (!todo.isEmpty()) {
      Frame f = todo.pop();
      if (f.depth() > MAX_DEPTH) {
        throw tooDeep(f.e().start());
      }
      switch (f.e()) {
        case ParenExpr p -> todo.push(new Frame(p.expr(), f.depth() + 1));
        case UnaryExpr u -> todo.push(new Frame(u.expr(), f.depth() + 1));
        case SubqueryExpr sq -> todo.push(new Frame(sq.expr(), f.depth() + 1));
        case BinaryExpr b -> {
          todo.push(new Frame(b.rhs(), f.depth() + 1));
          todo.push(new Frame(b.lhs(), f.depth() + 1));
        }
        case Call c -> {
          for (Expr a : c.args()) {
            todo.push(new Frame(a, f.depth() + 1));
          }
        }
        case AggregateExpr a -> {
          todo.push(new Frame(a.expr(), f.depth() + 1));
          if (a.param() != null) {
            todo.push(new Frame(a.param(), f.depth() + 1));
          }
        }
        default -> {} // selectors and literals are leaves
      }
    }
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
    if (++nesting > MAX_DEPTH) {
      throw tooDeep(peek().pos());
    }
    try {
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
    } finally {
      nesting--;
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
      throw error(pos, "comparisons between scalars must use BOOL modifier");
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
            t.pos(),
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

  // ---------------------------------------------------------------- literals

  /** Parses a Prometheus duration such as {@code 1h30m} or {@code 100ms} into milliseconds. */
  public static long parseDuration(String s) {
    return Literals.duration(s, s, 0);
  }
}
