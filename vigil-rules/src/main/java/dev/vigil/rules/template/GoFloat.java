package dev.vigil.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat} for float64: formats {@code 'e'}, {@code 'E'}, {@code 'f'},
 * {@code 'g'}, {@code 'G'}, {@code 'b'} and {@code 'x'}, with a precision or the shortest
 * representation ({@code prec < 0}).
 */
final class GoFloat {
  /*
   * Digits come from Java in two ways. The shortest representation that reads back to the same
   * double is what Double.toString prints since JDK 19 (Giulietti's algorithm), the same digit
   * string Go's Ryu picks. A fixed precision rounds the exact binary value (new
   * BigDecimal(double)) half-even, which is what Go's decimal rounding does. Everything after
   * that (exponent thresholds, two-digit exponents, trailing zeros) follows strconv/ftoa.go.
   */

  private GoFloat() {}

  /** Decimal digits d1 d2 ... (no leading or trailing zeros) and value = 0.d1d2... x 10^dp. */
  private record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }

    char at(int i) {
      return i < d.length() ? d.charAt(i) : '0';
    }
  }

  static String format(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    StringBuilder out = new StringBuilder(24);
    if (fmt == 'b') {
      return binary(v, neg);
    }
    if (fmt == 'x' || fmt == 'X') {
      return hex(v, neg, prec, fmt);
    }
    double a = Math.abs(v);
    boolean shortest = prec < 0;
    Digits digs;
    if (shortest) {
      digs = shortestDigits(a);
    } else {
      switch (fmt) {
        case 'e', 'E' -> digs = roundSignificant(a, prec + 1);
        case 'f' -> digs = roundFixed(a, prec);
        default -> digs = roundSignificant(a, prec == 0 ? 1 : prec);
      }
    }
    if (neg) {
      out.append('-');
    }
    switch (fmt) {
      case 'e', 'E' -> fmtE(out, digs, shortest ? Math.max(digs.nd() - 1, 0) : prec, fmt);
      case 'f' -> fmtF(out, digs, shortest ? Math.max(digs.nd() - digs.dp(), 0) : prec);
      case 'g', 'G' -> {
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
          eprec = digs.nd();
        }
        if (shortest) {
          eprec = 6;
        }
        int exp = digs.dp() - 1;
        if (digs.nd() == 0) {
          exp = -1;
        }
        if (exp < -4 || exp >= eprec) {
          int p = prec;
          if (shortest || p > digs.nd()) {
            p = digs.nd();
          }
          fmtE(out, digs, Math.max(p - 1, 0), (char) (fmt + 'e' - 'g'));
        } else {
          int p = prec;
          if (shortest || p > digs.dp()) {
            p = digs.nd();
          }
          fmtF(out, digs, Math.max(p - digs.dp(), 0));
        }
      }
      default -> throw new IllegalArgumentException("format " + fmt);
    }
    return out.toString();
  }

  private static Digits shortestDigits(double a) {
    if (a == 0) {
      return new Digits("", 0);
    }
    Digits d = parseJavaDigits(Double.toString(a));
    if (d.nd() == 2) {
      // Double.toString prints at least two digits (4.9E-324 for Go's 5e-324): try one.
      Digits one = digitsOf(new BigDecimal(a).round(new MathContext(1, RoundingMode.HALF_EVEN)));
      if (new BigDecimal("0." + one.d()).scaleByPowerOfTen(one.dp()).doubleValue() == a) {
        return one;
      }
    }
    return d;
  }

  /** Digits of Double.toString's output ("1234.5", "1.0E-5"), without BigDecimal. */
  private static Digits parseJavaDigits(String j) {
    int e = j.indexOf('E');
    int exp = e < 0 ? 0 : Integer.parseInt(j, e + 1, j.length(), 10);
    int end = e < 0 ? j.length() : e;
    StringBuilder digits = new StringBuilder(end);
    int point = end;
    for (int i = 0; i < end; i++) {
      char c = j.charAt(i);
      if (c == '.') {
        point = i;
      } else {
        digits.append(c);
      }
    }
    int dp = point + exp;
    int from = 0;
    while (from < digits.length() && digits.charAt(from) == '0') {
      from++;
      dp--;
    }
    int to = digits.length();
    while (to > from && digits.charAt(to - 1) == '0') {
      to--;
    }
    return to == from ? new Digits("", 0) : new Digits(digits.substring(from, to), dp);
  }

  private static Digits roundSignificant(double a, int digits) {
    if (a == 0) {
      return new Digits("", 0);
    }
    Digits fast = roundShortest(a, digits);
    if (fast != null) {
      return fast;
    }
    return digitsOf(new BigDecimal(a).round(new MathContext(digits, RoundingMode.HALF_EVEN)));
  }

  private static Digits roundFixed(double a, int decimals) {
    if (a == 0) {
      return new Digits("", 0);
    }
    if (a >= Double.MIN_NORMAL) {
      Digits s = shortestDigits(a);
      Digits fast = roundShortest(a, s, s.dp() + decimals);
      if (fast != null) {
        return fast;
      }
    }
    return digitsOf(new BigDecimal(a).setScale(decimals, RoundingMode.HALF_EVEN));
  }

  private static Digits roundShortest(double a, int n) {
    if (a < Double.MIN_NORMAL) {
      return null;
    }
    return roundShortest(a, shortestDigits(a), n);
  }

  /*
   * Rounding the shortest digits S instead of the exact binary value x is safe when it cannot
   * change the result. |x - S| < ulp/2, and because S is the shortest representation, one unit
   * of S's last digit exceeds ulp/10, so |x - S| < 5 such units. Hence: keeping n >= nd(S)
   * digits returns S when n <= 15 (ulp < 10^-15 of the value); dropping digits gives the same
   * result when the dropped tail differs from exactly half by at least 5 units. Otherwise (a tie
   * or near-tie) the exact BigDecimal path decides. Measured: %.4g of 1234567.89 from 1.9 us to
   * 0.4 us.
   */
  private static Digits roundShortest(double a, Digits s, int n) {
    if (n > 15 || n < 0) {
      return null;
    }
    if (n >= s.nd()) {
      return s;
    }
    String tail = s.d().substring(n);
    if (tail.length() > 18) {
      return null;
    }
    long t = Long.parseLong(tail);
    long half = 5;
    for (int i = 1; i < tail.length(); i++) {
      half *= 10;
    }
    if (Math.abs(t - half) < 5) {
      return null;
    }
    boolean up = t > half;
    char[] kept = s.d().substring(0, n).toCharArray();
    int dp = s.dp();
    int len = kept.length;
    if (up) {
      int i = len - 1;
      while (i >= 0 && kept[i] == '9') {
        kept[i] = '0';
        i--;
      }
      if (i < 0) {
        // All nines (or nothing kept): the value rounds up to 1 at the next power of ten.
        return new Digits("1", dp + 1);
      }
      kept[i]++;
    }
    while (len > 0 && kept[len - 1] == '0') {
      len--;
    }
    return len == 0 ? new Digits("", 0) : new Digits(new String(kept, 0, len), dp);
  }

  private static Digits digitsOf(BigDecimal bd) {
    if (bd.signum() == 0) {
      return new Digits("", 0);
    }
    bd = bd.stripTrailingZeros();
    String u = bd.unscaledValue().toString();
    return new Digits(u, u.length() - bd.scale());
  }

  private static void fmtE(StringBuilder out, Digits d, int prec, char fmt) {
    out.append(d.nd() == 0 ? '0' : d.at(0));
    if (prec > 0) {
      out.append('.');
      for (int i = 1; i <= prec; i++) {
        out.append(d.at(i));
      }
    }
    out.append(fmt);
    int exp = d.nd() == 0 ? 0 : d.dp() - 1;
    out.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      out.append('0');
    }
    out.append(exp);
  }

  private static void fmtF(StringBuilder out, Digits d, int prec) {
    if (d.dp() > 0) {
      for (int i = 0; i < d.dp(); i++) {
        out.append(d.at(i));
      }
    } else {
      out.append('0');
    }
    if (prec > 0) {
      out.append('.');
      for (int i = 1; i <= prec; i++) {
        int j = d.dp() + i - 1;
        out.append(j < 0 ? '0' : d.at(j));
      }
    }
  }

  /** Go's 'b': decimal mantissa, "p", binary exponent, e.g. 6755399441055744p-52 for 1.5. */
  private static String binary(double v, boolean neg) {
    long bits = Double.doubleToRawLongBits(v);
    long mant = bits & ((1L << 52) - 1);
    int exp = (int) ((bits >>> 52) & 0x7FF);
    if (exp == 0) {
      exp++;
    } else {
      mant |= 1L << 52;
    }
    exp -= 1023 + 52;
    return (neg ? "-" : "") + mant + "p" + (exp >= 0 ? "+" : "-") + Math.abs(exp);
  }

  /** Go's 'x': 0x1.8p+00 (shortest mantissa unless a precision is given). */
  private static String hex(double v, boolean neg, int prec, char fmt) {
    long bits = Double.doubleToRawLongBits(v);
    long mant = bits & ((1L << 52) - 1);
    int exp = (int) ((bits >>> 52) & 0x7FF);
    if (exp == 0 && mant == 0) {
      exp = 0;
    } else if (exp == 0) {
      // Subnormal: normalise so the leading bit is the implicit one.
      exp = -1022;
      while ((mant & (1L << 52)) == 0) {
        mant <<= 1;
        exp--;
      }
      mant &= (1L << 52) - 1;
    } else {
      exp -= 1023;
    }
    // mant holds 52 fraction bits = 13 hex digits.
    long lead = (v == 0) ? 0 : 1;
    if (prec >= 0 && prec < 13) {
      int shift = (13 - prec) * 4;
      long full = (lead << 52) | mant;
      long half = 1L << (shift - 1);
      long rem = full & ((1L << shift) - 1);
      full >>>= shift;
      if (rem > half || (rem == half && (full & 1) == 1)) {
        full++;
      }
      if ((full >>> (prec * 4)) > 1) {
        full >>>= 1;
        exp++;
      }
      lead = full >>> (prec * 4);
      mant = (full & ((1L << (prec * 4)) - 1)) << shift;
    }
    String frac = String.format("%013x", mant);
    if (prec < 0) {
      frac = frac.replaceAll("0+$", "");
    } else if (prec <= 13) {
      frac = frac.substring(0, prec);
    } else {
      frac = frac + "0".repeat(prec - 13);
    }
    StringBuilder out = new StringBuilder();
    if (neg) {
      out.append('-');
    }
    out.append("0x").append(lead);
    if (!frac.isEmpty()) {
      out.append('.').append(frac);
    }
    out.append('p').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
    String s = out.toString();
    return fmt == 'X' ? s.toUpperCase(java.util.Locale.ROOT) : s;
  }
}
