package dev.vigil.promql.parser;

import dev.vigil.model.LabelMatcher;
import java.util.List;

/**
 * A node of a parsed PromQL expression. Nodes are immutable once the parser returns them.
 *
 * <pre>{@code
 * Expr e = Parser.parse("sum by (job) (rate(http_requests_total[5m]))");
 * e.type();                 // ValueType.VECTOR
 * Printer.print(e);         // canonical text
 * }</pre>
 *
 * <p>Positions are character offsets into the query text: {@link #start()} inclusive, {@link
 * #end()} exclusive.
 */
public sealed interface Expr {
  /** The value type this expression evaluates to. */
  ValueType type();

  /** Offset of the first character of this expression in the query. */
  int start();

  /** Offset just past the last character of this expression in the query. */
  int end();

  /** Where an {@code @} modifier points. */
  enum AtKind {
    NONE,
    TIME,
    START,
    END
  }

  /** A number literal such as {@code 1.5}, {@code 0x1f}, {@code Inf} or a duration as seconds. */
  record NumberLiteral(double value, int start, int end) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** A string literal. */
  record StringLiteral(String value, int start, int end) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * An instant vector selector {@code name{matchers} offset d @ t}.
   *
   * @param name the metric name given before the braces, or null
   * @param matchers all matchers, including one for {@code __name__} when a name is given
   * @param offsetMs offset in milliseconds (negative allowed)
   * @param atKind which kind of {@code @} modifier, if any
   * @param atMs the {@code @} time in milliseconds when {@code atKind == TIME}
   */
  record VectorSelector(
      String name,
      List<LabelMatcher> matchers,
      long offsetMs,
      AtKind atKind,
      long atMs,
      int start,
      int end)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    /** A copy with another offset, modifier and end position. */
    public VectorSelector with(long offset, AtKind kind, long at, int newEnd) {
      return new VectorSelector(name, matchers, offset, kind, at, start, newEnd);
    }
  }

  /** A range vector selector {@code selector[range]}; offset and @ live on the inner selector. */
  record MatrixSelector(VectorSelector selector, long rangeMs, int end) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }

    @Override
    public int start() {
      return selector.start();
    }
  }

  /** A subquery {@code expr[range:step] offset d @ t}; a step of 0 means the default step. */
  record SubqueryExpr(
      Expr expr,
      long rangeMs,
      long stepMs,
      long offsetMs,
      AtKind atKind,
      long atMs,
      int start,
      int end)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args, int start, int end) implements Expr {
    @Override
    public ValueType type() {
      return function.returnType();
    }
  }

  /**
   * An aggregation such as {@code sum by (job) (x)} or {@code topk(3, x)}.
   *
   * @param param the parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio; or
   *     null
   * @param grouping the labels of {@code by} or {@code without}
   * @param without whether grouping is {@code without}
   * @param grouped whether a {@code by}/{@code without} clause was written (even if empty)
   */
  record AggregateExpr(
      String op,
      Expr expr,
      Expr param,
      List<String> grouping,
      boolean without,
      boolean grouped,
      int start,
      int end,
      AggregateOp kind)
      implements Expr {
    /** The aggregation, its operator resolved from {@code op}. */
    public AggregateExpr(
        String op,
        Expr expr,
        Expr param,
        List<String> grouping,
        boolean without,
        boolean grouped,
        int start,
        int end) {
      this(op, expr, param, grouping, without, grouped, start, end, AggregateOp.of(op));
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /** Vector matching of a binary operation: cardinality, {@code on}/{@code ignoring}, include. */
  record VectorMatching(
      Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
    /** Cardinality of a vector match. */
    public enum Cardinality {
      ONE_TO_ONE,
      MANY_TO_ONE,
      ONE_TO_MANY,
      MANY_TO_MANY
    }
  }

  /**
   * A binary operation. {@code matching} is null unless both sides are instant vectors.
   *
   * @param explicitMatching whether {@code on}/{@code ignoring} was written
   */
  record BinaryExpr(
      String op,
      Expr lhs,
      Expr rhs,
      VectorMatching matching,
      boolean returnBool,
      boolean explicitMatching,
      BinaryOp kind)
      implements Expr {
    /** The operation, its operator resolved from {@code op}. */
    public BinaryExpr(
        String op,
        Expr lhs,
        Expr rhs,
        VectorMatching matching,
        boolean returnBool,
        boolean explicitMatching) {
      this(op, lhs, rhs, matching, returnBool, explicitMatching, BinaryOp.of(op));
    }

    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }

    @Override
    public int start() {
      return lhs.start();
    }

    @Override
    public int end() {
      return rhs.end();
    }

    /** Whether the operator is a comparison ({@code == != > < >= <=}). */
    public boolean isComparison() {
      return kind.isComparison();
    }

    /** Whether the operator is a set operator ({@code and or unless}). */
    public boolean isSetOperator() {
      return kind.isSetOperator();
    }
  }

  /** Unary minus or plus. */
  record UnaryExpr(String op, Expr expr, int start) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }

    @Override
    public int end() {
      return expr.end();
    }
  }

  /** A parenthesized expression. */
  record ParenExpr(Expr expr, int start, int end) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }
}
