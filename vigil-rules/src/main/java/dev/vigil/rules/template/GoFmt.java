package dev.vigil.rules.template;

import dev.vigil.rules.template.GoValue.AlertData;
import dev.vigil.rules.template.GoValue.AnyMap;
import dev.vigil.rules.template.GoValue.SafeHtml;
import dev.vigil.rules.template.GoValue.StrMap;
import dev.vigil.rules.template.GoValue.Time;
import dev.vigil.rules.template.GoValue.Vector;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Go's {@code fmt} for the values templates handle: {@code Sprintf} with the verbs {@code %v %s %d
 * %f %F %g %G %e %E %x %X %o %O %b %c %q %U %t %T %%}, flags {@code + - # space 0}, width and
 * precision, and Go's error strings ({@code %!d(string=x)}, {@code %!s(MISSING)}, {@code %!(EXTRA
 * ...)}, {@code %!(NOVERB)}); {@code Sprint} and {@code Sprintln}.
 *
 * <p>Argument indexes ({@code %[2]d}) and {@code *} widths and precisions work as in Go.
 *
 * <p>Not supported: {@code %#v} Go syntax (printed as {@code %v}).
 */
final class GoFmt {
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private final StringBuilder buf;
  private boolean plus;
  private boolean minus;
  private boolean sharp;
  private boolean space;
  private boolean zero;
  private boolean widPresent;
  private boolean precPresent;
  private int wid;
  private int prec;

  private GoFmt(StringBuilder buf) {
    this.buf = buf;
  }

  private void clearFlags() {
    plus = minus = sharp = space = zero = widPresent = precPresent = plusV = false;
    wid = prec = 0;
  }

  static String sprintf(String format, Object... args) {
    StringBuilder sb = new StringBuilder(format.length() + 16);
    new GoFmt(sb).doPrintf(format, args);
    return sb.toString();
  }

  static String sprint(Object... args) {
    StringBuilder sb = new StringBuilder();
    GoFmt f = new GoFmt(sb);
    boolean prevString = false;
    for (int i = 0; i < args.length; i++) {
      boolean isString = args[i] instanceof String || args[i] instanceof SafeHtml;
      if (i > 0 && !isString && !prevString) {
        sb.append(' ');
      }
      f.clearFlags();
      f.printArg(args[i], 'v', 0);
      prevString = isString;
    }
    return sb.toString();
  }

  static String sprintln(Object... args) {
    StringBuilder sb = new StringBuilder();
    GoFmt f = new GoFmt(sb);
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      f.clearFlags();
      f.printArg(args[i], 'v', 0);
    }
    return sb.append('\n').toString();
  }

  /** What the template executor prints for a value: {@code fmt.Fprint} of one value. */
  static void print(StringBuilder out, Object v) {
    GoFmt f = new GoFmt(out);
    // text/template indirects a pointer before printing: *sample prints as {map[..] v}.
    if (v instanceof QueryResultSample s) {
      f.printStruct(s, 'v', 1);
      return;
    }
    f.printArg(v, 'v', 0);
  }

  private boolean reordered;
  private boolean goodArgNum;
  private boolean plusV;

  private void doPrintf(String format, Object[] args) {
    int end = format.length();
    int argNum = 0;
    boolean afterIndex;
    reordered = false;
    for (int i = 0; i < end; ) {
      goodArgNum = true;
      int lasti = i;
      while (i < end && format.charAt(i) != '%') {
        i++;
      }
      if (i > lasti) {
        buf.append(format, lasti, i);
      }
      if (i >= end) {
        break;
      }
      i++; // skip %
      clearFlags();
      flags:
      for (; i < end; i++) {
        switch (format.charAt(i)) {
          case '#' -> sharp = true;
          case '0' -> zero = !minus;
          case '+' -> plus = true;
          case '-' -> {
            minus = true;
            zero = false;
          }
          case ' ' -> space = true;
          default -> {
            break flags;
          }
        }
      }
      // An explicit argument index: %[2]d.
      long an = argNumber(argNum, format, i, args.length);
      argNum = (int) (an >> 32);
      i = (int) (an & 0x7fffffffL);
      afterIndex = (an & 0x80000000L) != 0;
      if (i < end && format.charAt(i) == '*') {
        i++;
        Integer w = intFromArg(args, argNum);
        argNum++;
        if (w == null) {
          buf.append("%!(BADWIDTH)");
        } else {
          wid = w;
          widPresent = true;
          if (wid < 0) {
            wid = -wid;
            minus = true;
            zero = false;
          }
        }
        afterIndex = false;
      } else {
        int start = i;
        int[] num = parseNum(format, i, end);
        i = num[1];
        if (num[2] == 1) {
          wid = num[0];
          widPresent = true;
          if (afterIndex) {
            goodArgNum = false; // "%[3]2d"
          }
        } else if (i == end && start < end && isDigit(format.charAt(start))) {
          widPresent = false; // overflow: Go gives up on the verb
        }
      }
      if (i + 1 < end && format.charAt(i) == '.') {
        i++;
        if (afterIndex) {
          goodArgNum = false; // "%[3].2d"
        }
        an = argNumber(argNum, format, i, args.length);
        argNum = (int) (an >> 32);
        i = (int) (an & 0x7fffffffL);
        afterIndex = (an & 0x80000000L) != 0;
        if (i < end && format.charAt(i) == '*') {
          i++;
          Integer pr = intFromArg(args, argNum);
          argNum++;
          if (pr != null && pr >= 0) {
            prec = pr;
            precPresent = true;
          } else {
            prec = 0;
            precPresent = false;
          }
          if (!precPresent) {
            buf.append("%!(BADPREC)");
          }
          afterIndex = false;
        } else {
          int[] num = parseNum(format, i, end);
          i = num[1];
          prec = num[2] == 1 ? num[0] : 0;
          precPresent = true;
        }
      }
      if (!afterIndex) {
        an = argNumber(argNum, format, i, args.length);
        argNum = (int) (an >> 32);
        i = (int) (an & 0x7fffffffL);
      }
      if (i >= end) {
        buf.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        buf.append('%');
      } else if (!goodArgNum) {
        buf.append("%!").appendCodePoint(verb).append("(BADINDEX)");
      } else if (argNum >= args.length) {
        buf.append("%!").appendCodePoint(verb).append("(MISSING)");
      } else {
        if (verb == 'v') {
          // %#v (Go syntax) is not supported: printed as %v. %+v names struct fields.
          sharp = false;
          plusV = plus;
          plus = false;
        }
        printArg(args[argNum++], verb, 0);
      }
    }
    if (!reordered && argNum < args.length) {
      clearFlags();
      buf.append("%!(EXTRA ");
      for (int k = argNum; k < args.length; k++) {
        if (k > argNum) {
          buf.append(", ");
        }
        if (args[k] == null) {
          buf.append("<nil>");
        } else {
          buf.append(GoValue.typeName(args[k])).append('=');
          printArg(args[k], 'v', 0);
        }
      }
      buf.append(')');
    }
  }

  /**
   * Go's argNumber: an index like [2] at i. Returns (argNum << 32) | newI, with bit 31 set when an
   * index was found.
   */
  private long argNumber(int argNum, String format, int i, int numArgs) {
    if (i >= format.length() || format.charAt(i) != '[') {
      return ((long) argNum << 32) | i;
    }
    reordered = true;
    int close = format.indexOf(']', i + 1);
    if (format.length() - i < 3 || close < 0) {
      goodArgNum = false;
      return ((long) argNum << 32) | (i + 1);
    }
    int[] num = parseNum(format, i + 1, close);
    if (num[2] != 1 || num[1] != close) {
      goodArgNum = false;
      return ((long) argNum << 32) | (close + 1);
    }
    int index = num[0] - 1;
    if (index >= 0 && index < numArgs) {
      return ((long) index << 32) | 0x80000000L | (close + 1);
    }
    goodArgNum = false;
    return ((long) argNum << 32) | 0x80000000L | (close + 1);
  }

  /** Go's intFromArg: the int argument for a '*', or null when it is not an int. */
  private static Integer intFromArg(Object[] args, int argNum) {
    if (argNum < args.length && args[argNum] instanceof Long l && Math.abs(l) <= 1_000_000) {
      return (int) (long) l;
    }
    return null;
  }

  /** Go's parsenum: {value, newIndex, 1 if a number was read}; an overflow reads to the end. */
  private static int[] parseNum(String s, int start, int end) {
    int num = 0;
    boolean isNum = false;
    int i = start;
    for (; i < end && isDigit(s.charAt(i)); i++) {
      if (num > 1_000_000) {
        return new int[] {0, end, 0};
      }
      num = num * 10 + (s.charAt(i) - '0');
      isNum = true;
    }
    return new int[] {num, i, isNum ? 1 : 0};
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void printArg(Object arg, int verb, int depth) {
    if (arg == null) {
      if (verb == 'T' || verb == 'v') {
        pad("<nil>");
      } else {
        badVerb(verb, null);
      }
      return;
    }
    if (verb == 'T') {
      pad(GoValue.typeName(arg));
      return;
    }
    switch (arg) {
      case Boolean b -> {
        if (verb == 't' || verb == 'v') {
          pad(b ? "true" : "false");
        } else {
          badVerb(verb, arg);
        }
      }
      case Double d -> fmtFloat(d, verb, arg);
      case Long l -> fmtIntegerVerb(l, verb, arg);
      case String s -> fmtString(s, verb, arg);
      case SafeHtml h -> fmtString(h.s(), verb, arg);
      case Time t -> {
        if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
          fmtString(timeString(t), verb, arg);
        } else {
          badVerb(verb, arg);
        }
      }
      case StrMap m -> printMap(m.map(), verb, depth);
      case AnyMap m -> printMap(m.map(), verb, depth);
      case Vector v -> {
        buf.append('[');
        for (int i = 0; i < v.samples().size(); i++) {
          if (i > 0) {
            buf.append(' ');
          }
          printArg(v.samples().get(i), verb, depth + 1);
        }
        buf.append(']');
      }
      case QueryResultSample s -> {
        // Go prints a pointer at depth > 0 as its address; the value is more useful and stable.
        buf.append('&');
        printStruct(s, verb, depth + 1);
      }
      case AlertData a -> printStruct(a, verb, depth + 1);
      case GoValue.SampleValue s -> printStruct(s.sample(), verb, depth + 1);
      case TemplateObject o when o.asMap() != null ->
          printMap(new java.util.TreeMap<>(o.asMap()), verb, depth);
      case TemplateObject o when o.asList() != null -> printList(o.asList(), verb, depth);
      case java.util.List<?> l -> printList(l, verb, depth);
      default -> pad(String.valueOf(arg));
    }
  }

  private void printMap(Map<String, ?> map, int verb, int depth) {
    buf.append("map[");
    boolean first = true;
    for (Map.Entry<String, ?> e : map.entrySet()) {
      if (!first) {
        buf.append(' ');
      }
      first = false;
      printArg(e.getKey(), verb, depth + 1);
      buf.append(':');
      printArg(e.getValue(), verb, depth + 1);
    }
    buf.append(']');
  }

  private void printStruct(Object o, int verb, int depth) {
    buf.append('{');
    if (o instanceof QueryResultSample s) {
      field("Labels");
      printArg(new StrMap(new LabelsMap(s.labels())), verb, depth);
      buf.append(' ');
      field("Value");
      printArg(s.value(), verb, depth);
    } else if (o instanceof AlertData a) {
      field("Labels");
      printArg(a.labels(), verb, depth);
      buf.append(' ');
      field("ExternalLabels");
      printArg(a.externalLabels(), verb, depth);
      buf.append(' ');
      field("ExternalURL");
      printArg(a.externalURL(), verb, depth);
      buf.append(' ');
      field("Value");
      printArg(a.value(), verb, depth);
    }
    buf.append('}');
  }

  private void field(String name) {
    if (plusV) {
      buf.append(name).append(':');
    }
  }

  private void badVerb(int verb, Object arg) {
    buf.append("%!").appendCodePoint(verb).append('(');
    if (arg == null) {
      buf.append("<nil>");
    } else {
      buf.append(GoValue.typeName(arg)).append('=');
      printArg(arg, 'v', 0); // with the verb's flags and width, as Go does
    }
    buf.append(')');
  }

  // ---- padding ----

  private void writePadding(int n) {
    char c = zero ? '0' : ' ';
    for (int i = 0; i < n; i++) {
      buf.append(c);
    }
  }

  private void pad(String s) {
    if (!widPresent || wid == 0) {
      buf.append(s);
      return;
    }
    int width = wid - s.codePointCount(0, s.length());
    if (!minus) {
      writePadding(width);
      buf.append(s);
    } else {
      buf.append(s);
      writePadding(width);
    }
  }

  // ---- strings ----

  private void fmtString(String s, int verb, Object arg) {
    switch (verb) {
      case 'v', 's' -> {
        if (precPresent) {
          int n = s.codePointCount(0, s.length());
          if (prec < n) {
            s = s.substring(0, s.offsetByCodePoints(0, prec));
          }
        }
        pad(s);
      }
      case 'x' -> fmtSbx(s, HEX_LOWER);
      case 'X' -> fmtSbx(s, HEX_UPPER);
      case 'q' -> pad(quote(s));
      default -> badVerb(verb, arg);
    }
  }

  private void fmtSbx(String s, char[] digits) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int length = b.length;
    if (precPresent && prec < length) {
      length = prec;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (space && i > 0) {
        sb.append(' ');
      }
      if (sharp && (space || i == 0)) {
        sb.append('0').append(digits == HEX_UPPER ? 'X' : 'x');
      }
      sb.append(digits[(b[i] >> 4) & 0xF]).append(digits[b[i] & 0xF]);
    }
    boolean z = zero;
    pad(sb.toString());
    zero = z;
  }

  /** Go's strconv.Quote. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      appendEscapedRune(sb, r, '"');
    }
    return sb.append('"').toString();
  }

  private static void appendEscapedRune(StringBuilder sb, int r, char quote) {
    if (r == quote || r == '\\') {
      sb.append('\\').appendCodePoint(r);
      return;
    }
    if (isPrint(r)) {
      sb.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 7 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 11 -> sb.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7f) {
          sb.append("\\x").append(HEX_LOWER[r >> 4]).append(HEX_LOWER[r & 0xF]);
        } else if (Character.isSurrogate((char) r) || r > 0x10FFFF) {
          sb.append("\\ufffd");
        } else if (r < 0x10000) {
          sb.append(String.format("\\u%04x", r));
        } else {
          sb.append(String.format("\\U%08x", r));
        }
      }
    }
  }

  private static boolean isPrint(int r) {
    if (r < 0x20 || r == 0x7f) {
      return false;
    }
    if (r < 0x7f) {
      return true;
    }
    if (r == 0xAD) {
      return false;
    }
    int t = Character.getType(r);
    return switch (t) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      case Character.SPACE_SEPARATOR -> r == ' ';
      default -> true;
    };
  }

  // ---- integers ----

  private void fmtIntegerVerb(long v, int verb, Object arg) {
    switch (verb) {
      case 'v', 'd' -> fmtInteger(v, 10, verb, HEX_LOWER);
      case 'b' -> fmtInteger(v, 2, verb, HEX_LOWER);
      case 'o', 'O' -> fmtInteger(v, 8, verb, HEX_LOWER);
      case 'x' -> fmtInteger(v, 16, verb, HEX_LOWER);
      case 'X' -> fmtInteger(v, 16, verb, HEX_UPPER);
      case 'c' -> pad(validRune(v) ? new String(Character.toChars((int) v)) : "\uFFFD");
      case 'q' -> {
        StringBuilder sb = new StringBuilder("'");
        appendEscapedRune(sb, validRune(v) ? (int) v : 0xFFFD, '\'');
        pad(sb.append('\'').toString());
      }
      case 'U' -> {
        String h = Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
        pad("U+" + "0".repeat(Math.max(0, 4 - h.length())) + h);
      }
      default -> badVerb(verb, arg);
    }
  }

  private static boolean validRune(long v) {
    return v >= 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
  }

  private void fmtInteger(long v, int base, int verb, char[] digits) {
    boolean negative = v < 0;
    int p = 0;
    if (precPresent) {
      p = prec;
      if (p == 0 && v == 0) {
        boolean z = zero;
        zero = false;
        writePadding(wid);
        zero = z;
        return;
      }
    } else if (zero && widPresent) {
      p = wid;
      if (negative || plus || space) {
        p--;
      }
    }
    String mag =
        switch (base) {
          case 10 -> negative ? Long.toUnsignedString(-v) : Long.toString(v);
          case 2 -> Long.toBinaryString(negative ? -v : v);
          case 8 -> Long.toOctalString(negative ? -v : v);
          default -> {
            String h = Long.toHexString(negative ? -v : v);
            yield digits == HEX_UPPER ? h.toUpperCase(java.util.Locale.ROOT) : h;
          }
        };
    if (v == Long.MIN_VALUE && base != 10) {
      mag = new java.math.BigInteger(Long.toUnsignedString(v)).toString(base);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = mag.length(); i < p; i++) {
      sb.append('0');
    }
    sb.append(mag);
    if (sharp) {
      switch (base) {
        case 2 -> sb.insert(0, "0b");
        case 8 -> {
          if (sb.charAt(0) != '0') {
            sb.insert(0, '0');
          }
        }
        case 16 -> sb.insert(0, digits == HEX_UPPER ? "0X" : "0x");
        default -> {}
      }
    }
    if (verb == 'O') {
      sb.insert(0, "0o");
    }
    if (negative) {
      sb.insert(0, '-');
    } else if (plus) {
      sb.insert(0, '+');
    } else if (space) {
      sb.insert(0, ' ');
    }
    boolean z = zero;
    zero = false;
    pad(sb.toString());
    zero = z;
  }

  // ---- floats ----

  private void fmtFloat(double v, int verb, Object arg) {
    switch (verb) {
      case 'v' -> fmtFloat(v, 'g', precPresent ? prec : -1);
      case 'b', 'g', 'G', 'x', 'X' -> fmtFloat(v, (char) verb, precPresent ? prec : -1);
      case 'f', 'e', 'E' -> fmtFloat(v, (char) verb, precPresent ? prec : 6);
      case 'F' -> fmtFloat(v, 'f', precPresent ? prec : 6);
      default -> badVerb(verb, arg);
    }
  }

  private void fmtFloat(double v, char verb, int p) {
    String s = GoFloat.format(v, verb, p);
    char sign;
    String num;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      sign = s.charAt(0);
      num = s.substring(1);
    } else {
      sign = '+';
      num = s;
    }
    if (space && sign == '+' && !plus) {
      sign = ' ';
    }
    if (num.charAt(0) == 'I' || num.charAt(0) == 'N') {
      boolean z = zero;
      zero = false;
      if (num.charAt(0) == 'N' && !space && !plus) {
        pad(num);
      } else {
        pad(sign + num);
      }
      zero = z;
      return;
    }
    if (sharp && verb != 'b') {
      num = sharpFloat(num, verb, p);
    }
    if (plus || sign != '+') {
      if (zero && widPresent && wid > num.length() + 1) {
        buf.append(sign);
        writePadding(wid - num.length() - 1);
        buf.append(num);
        return;
      }
      pad(sign + num);
      return;
    }
    pad(num);
  }

  /** Go's '#' for floats: always a decimal point; %g keeps trailing zeros. */
  private static String sharpFloat(String num, char verb, int p) {
    int digits = 0;
    if (verb == 'g' || verb == 'G' || verb == 'x' || verb == 'X') {
      digits = p == -1 ? 6 : p;
    }
    String tail = "";
    boolean hasDecimalPoint = false;
    boolean sawNonzeroDigit = false;
    StringBuilder n = new StringBuilder();
    for (int i = 0; i < num.length(); i++) {
      char c = num.charAt(i);
      if (c == '.') {
        hasDecimalPoint = true;
        n.append(c);
      } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
        tail = num.substring(i);
        break;
      } else {
        if (c != '0') {
          sawNonzeroDigit = true;
        }
        if (sawNonzeroDigit) {
          digits--;
        }
        n.append(c);
      }
    }
    if (!hasDecimalPoint) {
      if (n.length() == 1 && n.charAt(0) == '0') {
        digits--;
      }
      n.append('.');
    }
    while (digits > 0) {
      n.append('0');
      digits--;
    }
    return n.append(tail).toString();
  }

  // ---- time ----

  /** Go's time.Time.String() for a UTC time: 2006-01-02 15:04:05.999999999 +0000 UTC. */
  static String timeString(Time t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.instant().getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(40);
    int year = d.getYear();
    if (year < 0) {
      sb.append('-');
      year = -year;
    }
    pad0(sb, year, 4).append('-');
    pad0(sb, d.getMonthValue(), 2).append('-');
    pad0(sb, d.getDayOfMonth(), 2).append(' ');
    pad0(sb, d.getHour(), 2).append(':');
    pad0(sb, d.getMinute(), 2).append(':');
    pad0(sb, d.getSecond(), 2);
    int nanos = t.instant().getNano();
    if (nanos != 0) {
      String f = String.format("%09d", nanos).replaceAll("0+$", "");
      sb.append('.').append(f);
    }
    return sb.append(" +0000 UTC").toString();
  }

  private static StringBuilder pad0(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  private void printList(java.util.List<?> l, int verb, int depth) {
    buf.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        buf.append(' ');
      }
      printArg(GoValue.wrap(l.get(i)), verb, depth + 1);
    }
    buf.append(']');
  }
}
