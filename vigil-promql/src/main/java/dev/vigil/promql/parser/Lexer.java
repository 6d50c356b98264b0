package dev.vigil.promql.parser;

import dev.vigil.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a query into tokens. Strings are decoded (Go escape rules for {@code "…"} and {@code '…'},
 * raw for {@code `…`}); comments ({@code # …}) and white space are skipped.
 */
public final class Lexer {
  /* Keywords are case-insensitive, as in Prometheus; function names are not. */
  private static final java.util.Set<String> KEYWORDS =
      java.util.Set.of(
          "and",
          "or",
          "unless",
          "atan2",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
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

  private final String in;
  private int pos;
  private final List<Token> out = new ArrayList<>();

  private Lexer(String in) {
    this.in = in;
  }

  /** Tokenizes a whole query; the last token is {@link Kind#EOF}. */
  public static List<Token> lex(String query) {
    Lexer l = new Lexer(query);
    l.run();
    return l.out;
  }

  private ParseException error(int at, String msg) {
    return new ParseException(in, at, msg);
  }

  private void emit(Kind kind, String text, int start) {
    out.add(new Token(kind, text, start, pos));
  }

  private void run() {
    while (true) {
      skipSpace();
      if (pos >= in.length()) {
        if (braces > 0) {
          throw error(pos, "unexpected end of input inside braces");
        }
        if (parens > 0) {
          throw error(pos, "unclosed left parenthesis");
        }
        if (brackets > 0) {
          throw error(pos, "unclosed left bracket");
        }
        out.add(new Token(Kind.EOF, "", pos, pos));
        return;
      }
      int start = pos;
      char c = in.charAt(pos);
      depth(c, start);
      switch (c) {
        case '(' -> single(Kind.LEFT_PAREN, start);
        case ')' -> single(Kind.RIGHT_PAREN, start);
        case '{' -> single(Kind.LEFT_BRACE, start);
        case '}' -> single(Kind.RIGHT_BRACE, start);
        case '[' -> single(Kind.LEFT_BRACKET, start);
        case ']' -> single(Kind.RIGHT_BRACKET, start);
        case ',' -> single(Kind.COMMA, start);
        case ':' -> {
          // Outside brackets a colon starts a metric name, as in Prometheus (":" and ":1" are
          // valid names); inside them it is the subquery colon.
          if (!lastIsBracketContext()) {
            identifier(start);
          } else {
            single(Kind.COLON, start);
          }
        }
        case '@' -> single(Kind.AT, start);
        case '+', '-', '*', '/', '%', '^' -> single(Kind.OPERATOR, start);
        case '=' -> {
          pos++;
          if (peek() == '=') {
            pos++;
          } else if (peek() == '~') {
            pos++;
          }
          emit(Kind.OPERATOR, in.substring(start, pos), start);
        }
        case '!' -> {
          pos++;
          if (peek() == '=' || peek() == '~') {
            pos++;
            emit(Kind.OPERATOR, in.substring(start, pos), start);
          } else {
            throw error(start, "unexpected character after '!': " + describeChar(pos));
          }
        }
        case '<', '>' -> {
          pos++;
          if (peek() == '=' || peek() == '/') {
            pos++;
          }
          emit(Kind.OPERATOR, in.substring(start, pos), start);
        }
        case '"', '\'' -> string(c, start);
        case '`' -> rawString(start);
        default -> {
          if (isDigit(c) || (c == '.' && pos + 1 < in.length() && isDigit(in.charAt(pos + 1)))) {
            number(start);
          } else if (isIdentStart(c)) {
            identifier(start);
          } else {
            throw error(start, "unexpected character: " + describeChar(pos));
          }
        }
      }
    }
  }

  /** A ':' directly after '[' range or inside a subquery is the subquery colon. */
  private boolean lastIsBracketContext() {
    int depth = 0;
    for (int i = out.size() - 1; i >= 0; i--) {
      Kind k = out.get(i).kind();
      if (k == Kind.RIGHT_BRACKET) {
        depth++;
      } else if (k == Kind.LEFT_BRACKET) {
        if (depth == 0) {
          return true;
        }
        depth--;
      }
    }
    return false;
  }

  private String describeChar(int at) {
    if (at >= in.length()) {
      return "end of input";
    }
    return "'" + in.charAt(at) + "'";
  }

  private char peek() {
    return pos < in.length() ? in.charAt(pos) : 0;
  }

  private void single(Kind k, int start) {
    pos++;
    emit(k, in.substring(start, pos), start);
  }

  private int parens;
  private int brackets;
  private int braces;

  /** Tracks nesting as Prometheus' lexer does, to report unbalanced brackets where they occur. */
  private void depth(char c, int at) {
    switch (c) {
      case '(' -> parens++;
      case '[' -> brackets++;
      case '{' -> braces++;
      case ')' -> {
        if (--parens < 0) {
          throw error(at + 1, "unexpected right parenthesis ')'");
        }
      }
      case ']' -> {
        if (--brackets < 0) {
          throw error(at, "unexpected right bracket ']'");
        }
      }
      case '}' -> {
        if (--braces < 0) {
          throw error(at, "unexpected character: '}'");
        }
      }
      default -> {}
    }
  }

  private void skipSpace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  /** Whether a decoded string literal holds only valid UTF-8 (no escaped invalid bytes). */
  public static boolean validUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code %q} of a string, writing escaped invalid bytes back as {@code \xNN}. */
  public static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c >= 0xDC80 && c <= 0xDCFF) {
            sb.append(String.format("\\x%02x", c & 0xff));
          } else if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  private void identifier(int start) {
    boolean colon = false;
    while (pos < in.length() && (isIdentPart(in.charAt(pos)) || in.charAt(pos) == ':')) {
      if (in.charAt(pos) == ':') {
        colon = true;
      }
      pos++;
    }
    String text = in.substring(start, pos);
    String lower = text.toLowerCase();
    if (!colon && (lower.equals("inf") || lower.equals("nan"))) {
      emit(Kind.NUMBER, text, start);
      return;
    }
    if (!colon && KEYWORDS.contains(lower)) {
      text = lower;
    }
    emit(colon ? Kind.METRIC_IDENT : Kind.IDENT, text, start);
  }

  private void number(int start) {
    // Durations: one or more <number><unit> groups, e.g. 1h30m, 5m, 100ms.
    int save = pos;
    if (scanDuration()) {
      emit(Kind.DURATION, in.substring(start, pos), start);
      return;
    }
    pos = save;
    if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
      pos += 2;
      while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) {
        pos++;
      }
    } else {
      digits();
      if (peek() == '.') {
        pos++;
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        int ePos = pos;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          pos = ePos;
        } else {
          digits();
        }
      }
    }
    if (pos < in.length() && (isIdentPart(in.charAt(pos)) || in.charAt(pos) == '.')) {
      while (pos < in.length() && (isIdentPart(in.charAt(pos)) || in.charAt(pos) == '.')) {
        pos++;
      }
      throw error(start, "bad number or duration syntax: \"" + in.substring(start, pos) + "\"");
    }
    emit(Kind.NUMBER, in.substring(start, pos), start);
  }

  private void digits() {
    while (pos < in.length() && (isDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
      pos++;
    }
  }

  private boolean scanDuration() {
    int groups = 0;
    while (pos < in.length() && isDigit(in.charAt(pos))) {
      while (pos < in.length() && isDigit(in.charAt(pos))) {
        pos++;
      }
      if (peek() == '.') {
        // Fractional durations are not valid; let the number scanner handle it.
        return false;
      }
      if (in.startsWith("ms", pos)) {
        pos += 2;
      } else if ("smhdwy".indexOf(peek()) >= 0 && peek() != 0) {
        pos++;
      } else {
        return false;
      }
      groups++;
    }
    return groups > 0 && (pos >= in.length() || !isIdentPart(in.charAt(pos)));
  }

  private void rawString(int start) {
    int end = in.indexOf('`', pos + 1);
    if (end < 0) {
      throw error(start, "unterminated raw string");
    }
    pos = end + 1;
    out.add(new Token(Kind.STRING, in.substring(start + 1, end), start, pos));
  }

  private void string(char quote, int start) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= in.length() || in.charAt(pos) == '\n') {
        throw error(start, "unterminated quoted string");
      }
      char c = in.charAt(pos);
      if (c == quote) {
        pos++;
        break;
      }
      if (c != '\\') {
        sb.append(c);
        pos++;
        continue;
      }
      pos++;
      if (pos >= in.length()) {
        throw error(start, "unterminated quoted string");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '"', '\'' -> {
          if (e != quote) {
            throw error(pos - 2, "unknown escape sequence " + describeChar(pos - 1));
          }
          sb.append(e);
        }
        case 'x' -> {
          java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
          bytes.write(hexEscape(2, start));
          while (in.startsWith("\\x", pos)) {
            pos += 2;
            bytes.write(hexEscape(2, start));
          }
          appendBytes(sb, bytes.toByteArray());
        }
        case 'u' -> sb.appendCodePoint(codePointEscape(4, start));
        case 'U' -> sb.appendCodePoint(codePointEscape(8, start));
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (pos + 2 > in.length()) {
            throw error(start, "unterminated quoted string");
          }
          String oct = in.substring(pos - 1, pos + 2);
          try {
            int v = Integer.parseInt(oct, 8);
            if (v > 255) {
              throw error(pos - 2, "octal escape value > 255: " + v);
            }
            sb.append((char) v);
          } catch (NumberFormatException ex) {
            throw error(pos - 2, "illegal character in escape sequence");
          }
          pos += 2;
        }
        default -> throw error(pos - 2, "unknown escape sequence " + describeChar(pos - 1));
      }
    }
    out.add(new Token(Kind.STRING, sb.toString(), start, pos));
  }

  /**
   * Appends bytes decoded as UTF-8; bytes that are not valid UTF-8 become U+DC80..U+DCFF (the
   * "surrogateescape" convention), so later checks can report them as invalid UTF-8.
   */
  private static void appendBytes(StringBuilder sb, byte[] b) {
    try {
      sb.append(
          java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)));
    } catch (java.nio.charset.CharacterCodingException e) {
      for (byte x : b) {
        sb.append(x >= 0 ? (char) x : (char) (0xDC00 | (x & 0xff)));
      }
    }
  }

  private int hexEscape(int n, int start) {
    if (pos + n > in.length()) {
      throw error(start, "unterminated quoted string");
    }
    long v = 0;
    for (int i = pos; i < pos + n; i++) {
      int d = Character.digit(in.charAt(i), 16);
      if (d < 0 || in.charAt(i) > 'f') { // ASCII hex only: no sign, no other scripts' digits
        throw error(i, "illegal character in escape sequence");
      }
      v = v * 16 + d;
    }
    pos += n;
    return (int) v;
  }

  /** The code point of a 4- or 8-digit Unicode escape, refused where Go refuses it (not a rune). */
  private int codePointEscape(int n, int start) {
    int at = pos;
    long v = Integer.toUnsignedLong(hexEscape(n, start));
    if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
      throw error(at, "escape sequence is an invalid Unicode code point");
    }
    return (int) v;
  }
}
