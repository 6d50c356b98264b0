package dev.vigil.cli;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code vigil check metrics} for Prometheus text 0.0.4: judges an exposition as {@code promtool
 * check metrics} does, first as its strict parser reads the text, then with its linter's rules.
 *
 * <pre>{@code
 * TextFormatCheck.Result r = TextFormatCheck.check(bytes);
 * if (r.parseError() != null) ... // "line 3: invalid escape sequence '\q'": exit 1
 * else if (!r.problems().isEmpty()) ... // "a_ms: metric names should not contain ...": exit 3
 * }</pre>
 */
final class TextFormatCheck {
  /*
   * Why a second reader: Vigil's ExpositionParser reads text the way a scrape must, forgiving what
   * Prometheus' scraper forgives (an unknown escape is kept as written, a last line without a
   * newline is read). promtool judges with the Go client's strict text parser instead
   * (prometheus/common expfmt.TextParser) and then lints the families it built
   * (client_golang testutil/promlint). This class does the same, byte by byte:
   *
   *  - every line, comments included, must end with '\n'; a last line without one is "unexpected
   *    end of input stream" (trailing blanks at the very end are allowed);
   *  - label values know the escapes \\, \" and \n, HELP text only \\ and \n; any other is an
   *    error, as is a raw newline in a label value or a label value that is not UTF-8;
   *  - values are Go floats (no hex, no '_', no "+nan", out-of-range is an error), timestamps
   *    int64 milliseconds; anything after the value but a timestamp, even one blank, is an error;
   *  - a TYPE after the family's samples or a second TYPE or HELP is an error; a sample may
   *    repeat, and a family's samples need not be together.
   *
   * Families without samples are dropped before linting, as promtool does. The linter's rules and
   * texts are promlint's (the version in Prometheus 2.42): missing HELP, non-base units, counter
   * "_total", histogram/summary suffixes and labels used elsewhere, type names inside names, ':',
   * camelCase metric and label names, abbreviated units. promtool exits 1 on a parse error and 3
   * on lint problems; so does the command.
   */

  /** Metric types of the text format (client_model's names). */
  enum Type {
    COUNTER,
    GAUGE,
    SUMMARY,
    UNTYPED,
    HISTOGRAM,
    GAUGE_HISTOGRAM
  }

  /** The verdict: a parse error (then no problems), or the lint problems sorted, maybe none. */
  record Result(String parseError, List<String> problems) {}

  private static final class Family {
    final String name;
    Type type;
    String help;
    final List<List<String>> metricLabelNames = new ArrayList<>();
    final Map<Map<String, String>, Integer> bySignature = new HashMap<>();

    Family(String name) {
      this.name = name;
    }
  }

  private static final class ParseError extends Exception {
    ParseError(String msg) {
      super(msg, null, false, false);
    }
  }

  private static final class EndOfInput extends Exception {
    EndOfInput() {
      super(null, null, false, false);
    }
  }

  private final byte[] in;
  private int pos;
  private int cur; // the byte last read
  private int line;
  private final Map<String, Family> families = new LinkedHashMap<>();
  private Family mf;
  private final StringBuilder token = new StringBuilder(); // one char per byte (Latin-1)

  private TextFormatCheck(byte[] in) {
    this.in = in;
  }

  /** Checks an exposition's bytes. */
  static Result check(byte[] text) {
    TextFormatCheck c = new TextFormatCheck(text);
    try {
      c.parse();
    } catch (ParseError e) {
      return new Result("line " + c.line + ": " + e.getMessage(), List.of());
    }
    List<String[]> problems = new ArrayList<>();
    for (Family f : c.families.values()) {
      if (!f.metricLabelNames.isEmpty()) {
        PromLint.lint(f.name, f.type, f.help != null, f.metricLabelNames, problems);
      }
    }
    problems.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> out = new ArrayList<>(problems.size());
    for (String[] p : problems) {
      out.add(p[0] + ": " + p[1]);
    }
    return new Result(null, out);
  }

  private void parse() throws ParseError {
    while (true) {
      line++;
      try {
        skipBlankTab();
      } catch (EndOfInput e) {
        return; // the only place where the input may end
      }
      try {
        if (cur == '#') {
          comment();
        } else if (cur != '\n') {
          sample();
        }
      } catch (EndOfInput e) {
        throw new ParseError("unexpected end of input stream");
      }
    }
  }

  private void read() throws EndOfInput {
    if (pos >= in.length) {
      throw new EndOfInput();
    }
    cur = in[pos++] & 0xff;
  }

  private static boolean blank(int b) {
    return b == ' ' || b == '\t';
  }

  private void skipBlankTab() throws EndOfInput {
    do {
      read();
    } while (blank(cur));
  }

  private void skipBlankTabIfCurrentBlankTab() throws EndOfInput {
    if (blank(cur)) {
      skipBlankTab();
    }
  }

  private void comment() throws ParseError, EndOfInput {
    skipBlankTab();
    if (cur == '\n') {
      return;
    }
    readUntilWhitespace();
    if (cur == '\n') {
      return;
    }
    String keyword = token.toString();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
      while (cur != '\n') {
        read();
      }
      return;
    }
    skipBlankTab();
    readMetricName();
    if (cur == '\n') {
      return;
    }
    if (!blank(cur)) {
      throw new ParseError("invalid metric name in comment");
    }
    Family f = family(token.toString());
    skipBlankTab();
    if (cur == '\n') {
      return;
    }
    if (keyword.equals("HELP")) {
      if (f.help != null) {
        throw new ParseError("second HELP line for metric name \"" + f.name + "\"");
      }
      readUntilNewline(true);
      f.help = token.toString(); // only whether there is one matters
    } else {
      if (f.type != null) {
        throw new ParseError(
            "second TYPE line for metric name \"" + f.name + "\", or TYPE reported after samples");
      }
      readUntilNewline(false);
      String t = token.toString();
      try {
        f.type = Type.valueOf(t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParseError("unknown metric type " + quoteRaw(t));
      }
    }
  }

  // The family a name belongs to: its own, or a summary's or histogram's for _sum, _count and
  // (histograms only) _bucket. Sets which of those the current sample is.
  private Family family(String name) {
    Family f = families.get(name);
    if (f != null) {
      return f;
    }
    for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
      if (name.endsWith(suffix)) {
        Family base = families.get(name.substring(0, name.length() - suffix.length()));
        if (base != null
            && (base.type == Type.HISTOGRAM
                || (base.type == Type.SUMMARY && !suffix.equals("_bucket")))) {
          return base;
        }
      }
    }
    f = new Family(name);
    families.put(name, f);
    return f;
  }

  private void sample() throws ParseError, EndOfInput {
    readMetricName();
    if (token.isEmpty()) {
      throw new ParseError("invalid metric name");
    }
    mf = family(token.toString());
    if (mf.type == null) {
      mf.type = Type.UNTYPED;
    }
    boolean grouped = mf.type == Type.SUMMARY || mf.type == Type.HISTOGRAM;
    String special = mf.type == Type.SUMMARY ? "quantile" : "le";
    List<String> names = new ArrayList<>();
    Map<String, String> signature = new HashMap<>();
    skipBlankTabIfCurrentBlankTab();
    if (cur == '{') {
      while (true) {
        skipBlankTab();
        if (cur == '}') {
          skipBlankTab();
          break;
        }
        readLabelName();
        if (token.isEmpty()) {
          throw new ParseError("invalid label name for metric \"" + mf.name + "\"");
        }
        String name = token.toString();
        if (name.equals("__name__")) {
          throw new ParseError("label name \"__name__\" is reserved");
        }
        boolean isSpecial = grouped && name.equals(special);
        if (!isSpecial) {
          names.add(name);
        }
        skipBlankTabIfCurrentBlankTab();
        if (cur != '=') {
          throw new ParseError("expected '=' after label name, found " + quoteByte(cur));
        }
        if (!isSpecial && names.indexOf(name) != names.size() - 1) {
          throw new ParseError("duplicate label names for metric \"" + mf.name + "\"");
        }
        skipBlankTab();
        if (cur != '"') {
          throw new ParseError("expected '\"' at start of label value, found " + quoteByte(cur));
        }
        String value = readLabelValue();
        if (isSpecial && !isGoFloat(value)) {
          throw new ParseError(
              "expected float as value for '" + special + "' label, got " + quote(value));
        }
        if (grouped && !isSpecial) {
          signature.put(name, value);
        }
        skipBlankTab();
        if (cur == ',') {
          continue;
        }
        if (cur == '}') {
          skipBlankTab();
          break;
        }
        throw new ParseError("unexpected end of label value " + quote(value));
      }
    }
    if (!grouped || !mf.bySignature.containsKey(signature)) {
      if (grouped) {
        mf.bySignature.put(signature, mf.metricLabelNames.size());
      }
      mf.metricLabelNames.add(names);
    }
    readUntilWhitespace();
    String value = token.toString();
    if (!isGoFloat(value)) {
      throw new ParseError("expected float as value, got " + quoteRaw(value));
    }
    if (cur == '\n') {
      return;
    }
    skipBlankTab();
    readUntilWhitespace();
    String ts = token.toString();
    try {
      if (!TIMESTAMP.matcher(ts).matches()) {
        throw new NumberFormatException();
      }
      Long.parseLong(ts); // int64 range
    } catch (NumberFormatException e) {
      throw new ParseError("expected integer as timestamp, got " + quoteRaw(ts));
    }
    readUntilNewline(false);
    if (!token.isEmpty()) {
      throw new ParseError("spurious string after timestamp: " + quoteRaw(token.toString()));
    }
  }

  private static boolean nameStart(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
  }

  private static boolean nameContinuation(int b) {
    return nameStart(b) || (b >= '0' && b <= '9');
  }

  private void readMetricName() throws EndOfInput {
    token.setLength(0);
    if (!nameStart(cur) && cur != ':') {
      return;
    }
    do {
      token.append((char) cur);
      read();
    } while (nameContinuation(cur) || cur == ':');
  }

  private void readLabelName() throws EndOfInput {
    token.setLength(0);
    if (!nameStart(cur)) {
      return;
    }
    do {
      token.append((char) cur);
      read();
    } while (nameContinuation(cur));
  }

  /** A label value after its opening quote, unescaped, checked to be UTF-8. */
  private String readLabelValue() throws ParseError, EndOfInput {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    while (true) {
      read();
      if (cur == '\\') {
        read();
        switch (cur) {
          case '"', '\\' -> b.write(cur);
          case 'n' -> b.write('\n');
          default -> throw new ParseError("invalid escape sequence '\\" + (char) cur + "'");
        }
        continue;
      }
      if (cur == '"') {
        break;
      }
      if (cur == '\n') {
        throw new ParseError(
            "label value " + quote(b.toByteArray()) + " contains unescaped new-line");
      }
      b.write(cur);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ParseError("invalid label value " + quote(b.toByteArray()));
    }
  }

  private void readUntilWhitespace() throws EndOfInput {
    token.setLength(0);
    while (!blank(cur) && cur != '\n') {
      token.append((char) cur); // one char per byte (Latin-1): see quoteRaw
      read();
    }
  }

  private void readUntilNewline(boolean escapes) throws ParseError, EndOfInput {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    boolean escaped = false;
    while (true) {
      if (escapes && escaped) {
        switch (cur) {
          case '\\' -> b.write('\\');
          case 'n' -> b.write('\n');
          default -> throw new ParseError("invalid escape sequence '\\" + (char) cur + "'");
        }
        escaped = false;
      } else if (cur == '\n') {
        break;
      } else if (cur == '\\' && escapes) {
        escaped = true;
      } else {
        b.write(cur);
      }
      read();
    }
    token.setLength(0);
    token.append(new String(b.toByteArray(), StandardCharsets.ISO_8859_1));
  }

  // Go's strconv.ParseFloat, less what expfmt refuses ('p', 'P', '_'): decimal with optional
  // exponent, or inf/infinity with an optional sign, or nan without one; a finite number too
  // large for a double is an error.
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern TIMESTAMP = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern SPECIAL = Pattern.compile("(?i)[+-]?(?:inf|infinity)|nan");

  static boolean isGoFloat(String s) {
    if (SPECIAL.matcher(s).matches()) {
      return true;
    }
    return DECIMAL.matcher(s).matches() && !Double.isInfinite(Double.parseDouble(s));
  }

  private static String quote(String s) {
    return escape(new StringBuilder("\""), s).append('"').toString();
  }

  private static StringBuilder escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb;
  }

  /** {@link #quote(byte[])} of a token read one char per byte. */
  private static String quoteRaw(String token) {
    return quote(token.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Go's %q of bytes: valid UTF-8 as text, each byte of an invalid sequence as \\xNN. */
  private static String quote(byte[] b) {
    StringBuilder sb = new StringBuilder("\"");
    int i = 0;
    while (i < b.length) {
      int lead = b[i] & 0xff;
      int n =
          lead < 0x80
              ? 1
              : lead >= 0xc2 && lead < 0xe0
                  ? 2
                  : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
      boolean ok = n > 0 && i + n <= b.length;
      for (int k = 1; ok && k < n; k++) {
        ok = (b[i + k] & 0xc0) == 0x80;
      }
      if (ok) {
        escape(sb, new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
      } else {
        sb.append(String.format("\\x%02x", lead));
        i++;
      }
    }
    return sb.append('"').toString();
  }

  private static String quoteByte(int b) {
    return b == '\''
        ? "'\\''"
        : b < 0x20 || b >= 0x7f ? String.format("'\\x%02x'", b) : "'" + (char) b + "'";
  }
}
