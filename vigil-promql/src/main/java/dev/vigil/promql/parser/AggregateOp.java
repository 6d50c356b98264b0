package dev.vigil.promql.parser;

import java.util.Locale;

/**
 * The aggregation operators, resolved from their name once by the parser ({@link
 * Expr.AggregateExpr#kind()}) so that evaluation switches on an enum, never on a string per sample.
 * The constant's name is the operator's in upper case.
 */
public enum AggregateOp {
  SUM,
  AVG,
  COUNT,
  MIN,
  MAX,
  GROUP,
  STDDEV,
  STDVAR,
  TOPK,
  BOTTOMK,
  COUNT_VALUES,
  QUANTILE,
  LIMITK,
  LIMIT_RATIO;

  /** The operator named {@code name} (any case, as PromQL accepts). */
  public static AggregateOp of(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
