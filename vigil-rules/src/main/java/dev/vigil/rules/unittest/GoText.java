package dev.vigil.rules.unittest;

import dev.vigil.model.Labels;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text promtool prints in its failure reports, so that {@code vigil test rules} reads the same:
 * Go's {@code labels.Labels.String()} ({@code {__name__="x", a="b"}}) and {@code
 * strconv.FormatFloat(v, 'E', -1, 64)} ({@code 9.9E+01}, {@code 1E+00}).
 */
final class GoText {
  private GoText() {}

  /** {@code {a="b", c="d"}} with every label, {@code __name__} included, values Go-quoted. */
  static String labels(Labels l) {
    return labels(l.toMap());
  }

  static String labels(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(e.getKey()).append('=');
      quote(b, e.getValue());
    }
    return b.append('}').toString();
  }

  /** Go's {@code strconv.Quote} for the characters label values hold. */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** {@code strconv.FormatFloat(v, 'E', -1, 64)}: the shortest digits, exponent of 2+ digits. */
  static String floatE(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    // Double.toString gives the shortest digits that read back as v (JDK 19+).
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - 1 - d.scale();
    if (v == 0) {
      digits = "0";
      exp = 0;
    }
    StringBuilder b = new StringBuilder();
    if (neg) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('E').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      b.append('0');
    }
    return b.append(a).toString();
  }
}
