package dev.vigil.promql.parser;

import dev.vigil.model.InvalidRegexException;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.promql.parser.Expr.AtKind;
import dev.vigil.promql.parser.Expr.MatrixSelector;
import dev.vigil.promql.parser.Expr.SubqueryExpr;
import dev.vigil.promql.parser.Expr.VectorSelector;
import dev.vigil.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Token handling and the non-recursive parts of the grammar (selectors, label lists, ranges, {@code
 * offset} and {@code @}) that {@link Parser} builds on.
 */
abstract class ParserBase {
  final String query;
  final List<Token> tokens;
  int p;

  ParserBase(String query) {
    this.query = query;
    this.tokens = Lexer.lex(query);
  }

  Token peek() {
    return tokens.get(p);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(p + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(p);
    if (t.kind() != Kind.EOF) {
      p++;
    }
    return t;
  }

  ParseException error(int pos, String msg) {
    return new ParseException(query, pos, msg);
  }

  ParseException unexpected(Token t, String context) {
    String msg = "unexpected " + t.describe();
    if (!context.isEmpty()) {
      msg += " " + context;
    }
    return error(t.pos(), msg);
  }

  Token expect(Kind k, String context) {
    Token t = peek();
    if (t.kind() != k) {
      throw unexpected(t, context);
    }
    return next();
  }

  int lastEnd() {
    return p == 0 ? 0 : tokens.get(p - 1).end();
  }

  Expr bracket(Expr e) {
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
            "subquery is only allowed on instant vector, got " + goTypeName(e.type()) + " instead");
      }
      if (range <= 0) {
        throw error(open.pos(), "range duration must be positive");
      }
      return new SubqueryExpr(e, range, step, 0, AtKind.NONE, 0, e.start(), close.end());
    }
    Token close = expect(Kind.RIGHT_BRACKET, "in range selector, expected \"]\"");
    if (!(e instanceof VectorSelector vs)) {
      throw error(open.pos(), "ranges only allowed for vector selectors");
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
  long durationMs(String what) {
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

  Expr offset(Expr e, Token kw) {
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
          throw error(e.start(), "offset may not be set multiple times");
        }
        return vs.with(off, vs.atKind(), vs.atMs(), end);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        if (vs.offsetMs() != 0) {
          throw error(e.start(), "offset may not be set multiple times");
        }
        return new MatrixSelector(
            vs.with(off, vs.atKind(), vs.atMs(), vs.end()), ms.rangeMs(), end);
      }
      case SubqueryExpr sq -> {
        if (sq.offsetMs() != 0) {
          throw error(e.start(), "offset may not be set multiple times");
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

  Expr at(Expr e, Token atTok) {
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
          throw error(e.start(), "@ <timestamp> may not be set multiple times");
        }
        return vs.with(vs.offsetMs(), kind, atMs, end);
      }
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        if (vs.atKind() != AtKind.NONE) {
          throw error(e.start(), "@ <timestamp> may not be set multiple times");
        }
        return new MatrixSelector(vs.with(vs.offsetMs(), kind, atMs, vs.end()), ms.rangeMs(), end);
      }
      case SubqueryExpr sq -> {
        if (sq.atKind() != AtKind.NONE) {
          throw error(e.start(), "@ <timestamp> may not be set multiple times");
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

  List<String> labelList() {
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

  Expr selector(String name, int start) {
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
          } catch (InvalidRegexException e) {
            // RE2's refusal (as Prometheus'), naming the pattern and where in it.
            throw error(ln.pos(), e.getMessage());
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

  /** Go's names of value types, used in a few of Prometheus' messages. */
  static String goTypeName(ValueType t) {
    return switch (t) {
      case MATRIX -> "matrix";
      case VECTOR -> "vector";
      case SCALAR -> "scalar";
      case STRING -> "string";
      case NONE -> "none";
    };
  }

  /** Parses a number the way Prometheus does (Go ParseInt base 0, then ParseFloat). */
  double parseNumber(String text, int pos) {
    return Literals.number(query, text, pos);
  }

  /** Parses a duration such as {@code 1h30m} into milliseconds. */
  long parseDuration(String text, int pos) {
    return Literals.duration(query, text, pos);
  }
}
