package dev.vigil.rules.template;

import java.nio.charset.StandardCharsets;

/** Go's string functions templates use: unquoting, strings.Title, and the escapers. */
final class GoStrings {
  private GoStrings() {}

  /** Go's escapes inside a quoted literal ({@code quote} is the delimiter that may be escaped). */
  static String unquote(String s, char quote) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == quote) {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= s.length()) {
        throw new IllegalArgumentException("invalid syntax");
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '\'', '"' -> {
          if (e != quote) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append(e);
        }
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + n > s.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          int v = parseHex(s.substring(i, i + n));
          i += n;
          if (e == 'x') {
            // A byte; Go strings are bytes, Java's are UTF-16: keep ASCII exact, others as Latin-1.
            sb.append((char) v);
          } else {
            if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
              throw new IllegalArgumentException("invalid syntax");
            }
            sb.appendCodePoint(v);
          }
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > s.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          String oct = s.substring(i - 1, i + 2);
          for (char o : oct.toCharArray()) {
            if (o < '0' || o > '7') {
              throw new IllegalArgumentException("invalid syntax");
            }
          }
          int v = Integer.parseInt(oct, 8);
          if (v > 255) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append((char) v);
          i += 2;
        }
        default -> throw new IllegalArgumentException("invalid syntax");
      }
    }
    return sb.toString();
  }

  private static int parseHex(String h) {
    int v = 0;
    for (char c : h.toCharArray()) {
      int d = Character.digit(c, 16);
      if (d < 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      v = v * 16 + d;
    }
    return v;
  }

  /** Go's strings.Title: upper-cases (title-cases) the first letter of each word. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(r) : r);
      prev = r;
    }
    return sb.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7F) {
      if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
        return false;
      }
      return true;
    }
    if (Character.isLetter(r) || Character.isDigit(r)) {
      return false;
    }
    return Character.isWhitespace(r) || Character.isSpaceChar(r);
  }

  /** Go's unicode.ToUpper / ToLower rune by rune (no length-changing mappings). */
  static String toUpper(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(r -> sb.appendCodePoint(Character.toUpperCase(r)));
    return sb.toString();
  }

  static String toLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(r -> sb.appendCodePoint(Character.toLowerCase(r)));
    return sb.toString();
  }

  /** Go's template.HTMLEscapeString. */
  static String html(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\0' -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Go's template.JSEscapeString. */
  static String js(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      if (r < 0x80) {
        switch (r) {
          case '\\' -> sb.append("\\\\");
          case '\'' -> sb.append("\\'");
          case '"' -> sb.append("\\\"");
          case '<' -> sb.append("\\u003C");
          case '>' -> sb.append("\\u003E");
          case '&' -> sb.append("\\u0026");
          case '=' -> sb.append("\\u003D");
          default -> {
            if (r < ' ') {
              sb.append(String.format("\\u%04X", r));
            } else {
              sb.append((char) r);
            }
          }
        }
      } else if (isPrintable(r)) {
        sb.appendCodePoint(r);
      } else {
        sb.append(String.format("\\u%04X", r));
      }
    }
    return sb.toString();
  }

  private static boolean isPrintable(int r) {
    int t = Character.getType(r);
    return t != Character.CONTROL
        && t != Character.FORMAT
        && t != Character.UNASSIGNED
        && t != Character.PRIVATE_USE
        && t != Character.SURROGATE
        && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR;
  }

  /** Go's url.QueryEscape. */
  static String queryEscape(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(b.length + 8);
    for (byte x : b) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%')
            .append("0123456789ABCDEF".charAt(c >> 4))
            .append("0123456789ABCDEF".charAt(c & 15));
      }
    }
    return sb.toString();
  }
}
