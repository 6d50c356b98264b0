package dev.vigil.promql.parser;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
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
import dev.vigil.promql.parser.Expr.VectorMatching.Cardinality;
import dev.vigil.promql.parser.Expr.VectorSelector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an AST back into canonical PromQL text, as Prometheus' {@code String()} methods do: {@code
 * sum by (job) (rate(x{a="b"}[5m] offset 1m))}. Parsing the output yields an equal AST.
 */
public final class Printer {
  private Printer() {}

  /** The canonical text of an expression. */
  public static String print(Expr e) {
    return switch (e) {
      case NumberLiteral n -> formatNumber(n.value());
      case StringLiteral s -> Lexer.goQuote(s.value());
      case VectorSelector vs -> selector(vs) + modifiers(vs.offsetMs(), vs.atKind(), vs.atMs());
      case MatrixSelector ms ->
          selector(ms.selector())
              + "["
              + formatDuration(ms.rangeMs())
              + "]"
              + modifiers(ms.selector().offsetMs(), ms.selector().atKind(), ms.selector().atMs());
      case SubqueryExpr sq ->
          print(sq.expr())
              + "["
              + formatDuration(sq.rangeMs())
              + ":"
              + (sq.stepMs() == 0 ? "" : formatDuration(sq.stepMs()))
              + "]"
              + modifiers(sq.offsetMs(), sq.atKind(), sq.atMs());
      case Call c -> {
        List<String> args = new ArrayList<>();
        for (Expr a : c.args()) {
          args.add(print(a));
        }
        yield c.function().name() + "(" + String.join(", ", args) + ")";
      }
      case AggregateExpr a -> {
        StringBuilder sb = new StringBuilder(a.op());
        if (a.grouped()) {
          sb.append(a.without() ? " without (" : " by (")
              .append(labelNames(a.grouping()))
              .append(") ");
        }
        sb.append('(');
        if (a.param() != null) {
          sb.append(print(a.param())).append(", ");
        }
        yield sb.append(print(a.expr())).append(')').toString();
      }
      case BinaryExpr b -> {
        StringBuilder sb = new StringBuilder(print(b.lhs())).append(' ').append(b.op());
        if (b.returnBool()) {
          sb.append(" bool");
        }
        var m = b.matching();
        if (m != null) {
          if (b.explicitMatching()) {
            sb.append(m.on() ? " on (" : " ignoring (")
                .append(labelNames(m.matchingLabels()))
                .append(')');
          }
          if (m.card() == Cardinality.MANY_TO_ONE || m.card() == Cardinality.ONE_TO_MANY) {
            sb.append(m.card() == Cardinality.MANY_TO_ONE ? " group_left" : " group_right");
            if (!m.include().isEmpty()) {
              sb.append(" (").append(labelNames(m.include())).append(')');
            }
          }
        }
        yield sb.append(' ').append(print(b.rhs())).toString();
      }
      case UnaryExpr u -> u.op() + print(u.expr());
      case ParenExpr p -> "(" + print(p.expr()) + ")";
    };
  }

  private static String labelNames(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(isPlainName(n) ? n : Lexer.goQuote(n));
    }
    return String.join(", ", out);
  }

  private static boolean isPlainName(String n) {
    if (n.isEmpty() || !Lexer.isIdentStart(n.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!Lexer.isIdentStart(c) && !Lexer.isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static String selector(VectorSelector vs) {
    StringBuilder sb = new StringBuilder();
    List<String> ms = new ArrayList<>();
    boolean nameShown = false;
    if (vs.name() != null) {
      if (isPlainName(vs.name().replace(":", "_"))) {
        sb.append(vs.name());
      } else {
        ms.add(Lexer.goQuote(vs.name()));
      }
      nameShown = true;
    }
    for (LabelMatcher m : vs.matchers()) {
      if (nameShown
          && m.name().equals(Labels.METRIC_NAME)
          && m.type() == LabelMatcher.Type.EQUAL
          && m.value().equals(vs.name())) {
        nameShown = false; // skip the implicit name matcher once
        continue;
      }
      String name = isPlainName(m.name()) ? m.name() : Lexer.goQuote(m.name());
      ms.add(name + m.type().op() + Lexer.goQuote(m.value()));
    }
    if (!ms.isEmpty() || vs.name() == null || sb.isEmpty()) {
      sb.append('{').append(String.join(", ", ms)).append('}');
    }
    return sb.toString();
  }

  private static String modifiers(long offsetMs, AtKind at, long atMs) {
    StringBuilder sb = new StringBuilder();
    switch (at) {
      case TIME -> sb.append(" @ ").append(new BigDecimal(atMs).movePointLeft(3).toPlainString());
      case START -> sb.append(" @ start()");
      case END -> sb.append(" @ end()");
      case NONE -> {}
    }
    if (offsetMs > 0) {
      sb.append(" offset ").append(formatDuration(offsetMs));
    } else if (offsetMs < 0) {
      sb.append(" offset -").append(formatDuration(-offsetMs));
    }
    return sb.toString();
  }

  /** A duration in Prometheus notation, largest units first: {@code 1h30m}, {@code 500ms}. */
  public static String formatDuration(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    long[] size = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] unit = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < size.length; i++) {
      if (ms >= size[i]) {
        sb.append(ms / size[i]).append(unit[i]);
        ms %= size[i];
      }
    }
    return sb.toString();
  }

  /** A float as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} with Prometheus' Inf spelling. */
  public static String formatNumber(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 21) {
      String digits = bd.unscaledValue().abs().toString();
      StringBuilder sb = new StringBuilder();
      if (v < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      if (Math.abs(exp) < 10) {
        sb.append('0');
      }
      sb.append(Math.abs(exp));
      return sb.toString();
    }
    return bd.toPlainString();
  }
}
