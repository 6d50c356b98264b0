package dev.vigil.promql;

import dev.vigil.model.Labels;

/** Text forms used in Prometheus' error messages. */
final class Format {
  private Format() {}

  /** Labels as Prometheus' {@code labels.Labels.String()}: {@code {__name__="x", a="b"}}. */
  static String labels(Labels l) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(l.name(i)).append('=').append(dev.vigil.promql.parser.Lexer.goQuote(l.value(i)));
    }
    return sb.append('}').toString();
  }

  /** A float as Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}. */
  static String plain(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
