package dev.vigil.promql.parser;

/**
 * The binary operators, resolved from their symbol once by the parser ({@link
 * Expr.BinaryExpr#kind()}) so that evaluation switches on an enum, never on a string per sample.
 */
public enum BinaryOp {
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MOD("%"),
  POW("^"),
  ATAN2("atan2"),
  EQL("=="),
  NEQ("!="),
  GTR(">"),
  LSS("<"),
  GTE(">="),
  LTE("<="),
  AND("and"),
  OR("or"),
  UNLESS("unless"),
  TRIM_UPPER("</"),
  TRIM_LOWER(">/");

  private final String symbol;

  BinaryOp(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** Whether this is {@code == != > < >= <=}. */
  public boolean isComparison() {
    return ordinal() >= EQL.ordinal() && ordinal() <= LTE.ordinal();
  }

  /** Whether this is {@code and}, {@code or} or {@code unless}. */
  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }

  /** The operator written {@code symbol}. */
  public static BinaryOp of(String symbol) {
    for (BinaryOp op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalArgumentException("not a binary operator: " + symbol);
  }
}
