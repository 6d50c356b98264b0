package dev.vigil.promql;

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
import java.util.Set;

/**
 * Which expressions give the same value at every step of a range query: those whose selectors and
 * subqueries all carry an {@code @} modifier and that call no function reading the evaluation time.
 */
final class StepInvariance {
  /** Functions whose result depends on the evaluation time even for step-invariant arguments. */
  private static final Set<String> TIME_DEPENDENT =
      Set.of(
          "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year",
          "predict_linear",
          "time",
          "timestamp");

  private StepInvariance() {}

  /** Whether {@code e} is worth evaluating once: invariant and reading storage. */
  static boolean isInvariant(Expr e) {
    return readsStorage(e) && invariant(e);
  }

  private static boolean invariant(Expr e) {
    return switch (e) {
      case NumberLiteral n -> true;
      case StringLiteral s -> true;
      case VectorSelector vs -> vs.atKind() != AtKind.NONE;
      case MatrixSelector ms -> ms.selector().atKind() != AtKind.NONE;
      case SubqueryExpr sq -> sq.atKind() != AtKind.NONE;
      case Call c ->
          !TIME_DEPENDENT.contains(c.function().name())
              && c.args().stream().allMatch(StepInvariance::invariant);
      case AggregateExpr a -> invariant(a.expr()) && (a.param() == null || invariant(a.param()));
      case BinaryExpr b -> invariant(b.lhs()) && invariant(b.rhs());
      case UnaryExpr u -> invariant(u.expr());
      case ParenExpr p -> invariant(p.expr());
    };
  }

  private static boolean readsStorage(Expr e) {
    return switch (e) {
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
      case VectorSelector vs -> true;
      case MatrixSelector ms -> true;
      case SubqueryExpr sq -> true;
      case Call c -> c.args().stream().anyMatch(StepInvariance::readsStorage);
      case AggregateExpr a -> readsStorage(a.expr());
      case BinaryExpr b -> readsStorage(b.lhs()) || readsStorage(b.rhs());
      case UnaryExpr u -> readsStorage(u.expr());
      case ParenExpr p -> readsStorage(p.expr());
    };
  }
}
