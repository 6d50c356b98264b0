package dev.vigil.promql.test;

import dev.vigil.model.LabelMatcher;
import dev.vigil.promql.parser.Expr;
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
import dev.vigil.promql.parser.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** AST walks used by the test runner. */
final class Walk {
  private Walk() {}

  static void selectors(Expr e, List<List<LabelMatcher>> out) {
    switch (e) {
      case VectorSelector vs -> out.add(vs.matchers());
      case MatrixSelector ms -> out.add(ms.selector().matchers());
      case SubqueryExpr sq -> selectors(sq.expr(), out);
      case Call c -> c.args().forEach(a -> selectors(a, out));
      case AggregateExpr a -> {
        selectors(a.expr(), out);
        if (a.param() != null) {
          selectors(a.param(), out);
        }
      }
      case BinaryExpr b -> {
        selectors(b.lhs(), out);
        selectors(b.rhs(), out);
      }
      case UnaryExpr u -> selectors(u.expr(), out);
      case ParenExpr p -> selectors(p.expr(), out);
      case NumberLiteral n -> {}
      case StringLiteral s -> {}
    }
  }

  static boolean containsFunction(Expr e, Set<String> names) {
    return switch (e) {
      case Call c ->
          names.contains(c.function().name())
              || c.args().stream().anyMatch(a -> containsFunction(a, names));
      case SubqueryExpr sq -> containsFunction(sq.expr(), names);
      case AggregateExpr a ->
          containsFunction(a.expr(), names)
              || (a.param() != null && containsFunction(a.param(), names));
      case BinaryExpr b -> containsFunction(b.lhs(), names) || containsFunction(b.rhs(), names);
      case UnaryExpr u -> containsFunction(u.expr(), names);
      case ParenExpr p -> containsFunction(p.expr(), names);
      default -> false;
    };
  }

  /** Sets {@code @ t} on every selector and subquery without one, not inside such a subquery. */
  static Expr withAt(Expr e, long t) {
    return switch (e) {
      case VectorSelector vs ->
          vs.atKind() == AtKind.NONE ? vs.with(vs.offsetMs(), AtKind.TIME, t, vs.end()) : vs;
      case MatrixSelector ms -> {
        VectorSelector vs = ms.selector();
        yield vs.atKind() == AtKind.NONE
            ? new MatrixSelector(
                vs.with(vs.offsetMs(), AtKind.TIME, t, vs.end()), ms.rangeMs(), ms.end())
            : ms;
      }
      case SubqueryExpr sq ->
          sq.atKind() == AtKind.NONE
              ? new SubqueryExpr(
                  sq.expr(),
                  sq.rangeMs(),
                  sq.stepMs(),
                  sq.offsetMs(),
                  AtKind.TIME,
                  t,
                  sq.start(),
                  sq.end())
              : sq;
      case Call c -> {
        List<Expr> args = new ArrayList<>();
        c.args().forEach(a -> args.add(withAt(a, t)));
        yield new Call(c.function(), args, c.start(), c.end());
      }
      case AggregateExpr a ->
          new AggregateExpr(
              a.op(),
              withAt(a.expr(), t),
              a.param() == null ? null : withAt(a.param(), t),
              a.grouping(),
              a.without(),
              a.grouped(),
              a.start(),
              a.end());
      case BinaryExpr b ->
          new BinaryExpr(
              b.op(),
              withAt(b.lhs(), t),
              withAt(b.rhs(), t),
              b.matching(),
              b.returnBool(),
              b.explicitMatching());
      case UnaryExpr u -> new UnaryExpr(u.op(), withAt(u.expr(), t), u.start());
      case ParenExpr p -> new ParenExpr(withAt(p.expr(), t), p.start(), p.end());
      default -> e;
    };
  }
}
