package dev.vigil.server.api;

import dev.vigil.model.LabelMatcher;
import dev.vigil.promql.parser.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * The label matchers of every vector selector in a PromQL expression, in the order they are written
 * (Prometheus' {@code parser.ExtractSelectors}): what {@code query_exemplars} selects series by.
 *
 * <pre>{@code
 * Selectors.extract(Parser.parse("rate(a[5m]) / b{job=\"x\"}")); // [[__name__="a"], [__name__="b", job="x"]]
 * }</pre>
 */
final class Selectors {
  private Selectors() {}

  /** One matcher list per vector selector (range selectors included); empty when there is none. */
  static List<List<LabelMatcher>> extract(Expr e) {
    List<List<LabelMatcher>> out = new ArrayList<>();
    walk(e, out);
    return out;
  }

  private static void walk(Expr e, List<List<LabelMatcher>> out) {
    switch (e) {
      case null -> {}
      case Expr.VectorSelector vs -> out.add(List.copyOf(vs.matchers()));
      case Expr.MatrixSelector ms -> walk(ms.selector(), out);
      case Expr.SubqueryExpr sq -> walk(sq.expr(), out);
      case Expr.Call c -> c.args().forEach(a -> walk(a, out));
      case Expr.AggregateExpr a -> {
        walk(a.param(), out);
        walk(a.expr(), out);
      }
      case Expr.BinaryExpr b -> {
        walk(b.lhs(), out);
        walk(b.rhs(), out);
      }
      case Expr.UnaryExpr u -> walk(u.expr(), out);
      case Expr.ParenExpr p -> walk(p.expr(), out);
      case Expr.NumberLiteral n -> {}
      case Expr.StringLiteral s -> {}
    }
  }
}
