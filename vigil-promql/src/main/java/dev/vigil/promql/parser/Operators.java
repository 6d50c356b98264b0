package dev.vigil.promql.parser;

import java.util.Set;

/** Binary operators, their precedence and classes. */
public final class Operators {
  private static final Set<String> COMPARISON = Set.of("==", "!=", ">", "<", ">=", "<=");
  private static final Set<String> SET = Set.of("and", "or", "unless");

  /** The aggregation operators. */
  public static final Set<String> AGGREGATORS =
      Set.of(
          "sum",
          "avg",
          "count",
          "min",
          "max",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "count_values",
          "quantile",
          "limitk",
          "limit_ratio");

  private Operators() {}

  public static boolean isComparison(String op) {
    return COMPARISON.contains(op);
  }

  public static boolean isSetOperator(String op) {
    return SET.contains(op);
  }

  /** Whether the aggregation takes a parameter before the vector. */
  public static boolean aggregatorHasParam(String op) {
    return switch (op) {
      case "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio" -> true;
      default -> false;
    };
  }

  /** Precedence of a binary operator, higher binds tighter; -1 when not a binary operator. */
  public static int precedence(String op) {
    return switch (op) {
      case "or" -> 1;
      case "and", "unless" -> 2;
      case "==", "!=", "<=", "<", ">=", ">" -> 3;
      case "+", "-" -> 4;
      case "*", "/", "%", "atan2", "</", ">/" -> 5;
      case "^" -> 6;
      default -> -1;
    };
  }

  /** Whether the operator is right-associative ({@code ^} only). */
  public static boolean rightAssociative(String op) {
    return op.equals("^");
  }
}
