package dev.vigil.notify.silence;

import dev.vigil.model.InvalidRegexException;
import dev.vigil.model.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager 0.25's matcher syntax ({@code pkg/labels/parse.go}), as {@code amtool}, the {@code
 * filter} parameter of API v2 and the {@code matchers} of {@code alertmanager.yml} write it.
 *
 * <pre>{@code
 * List<LabelMatcher> ms = Matchers.parse("{alertname=\"Disk\",severity=~\"crit|warn\",env!=dev}");
 * Matchers.format(ms); // {alertname="Disk",severity=~"crit|warn",env!="dev"}
 * }</pre>
 *
 * <p>A list may be wrapped in braces; commas outside double quotes separate matchers. A value may
 * be quoted ({@code \"}, {@code \\} and {@code \n} are escapes; any other backslash stays literal)
 * or bare (taken as is, trimmed). Label names are {@code [a-zA-Z_:][a-zA-Z0-9_:]*} (0.25 knows no
 * UTF-8 names). Regular expressions are fully anchored RE2, as in Prometheus.
 */
public final class Matchers {
  private static final Pattern MATCHER =
      Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$");

  private Matchers() {}

  /**
   * Parses a matcher list such as {@code {a="b",c=~"d.*"}} or {@code a=b, c!=d}.
   *
   * @throws IllegalArgumentException naming the matcher that is wrong and why, with Alertmanager's
   *     wording
   */
  public static List<LabelMatcher> parse(String s) {
    String in = s;
    if (in.startsWith("{")) {
      in = in.substring(1);
    }
    if (in.endsWith("}")) {
      in = in.substring(0, in.length() - 1);
    }
    List<String> tokens = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    boolean escaped = false;
    for (int i = 0; i < in.length(); ) {
      int cp = in.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case ',' -> {
          if (!quoted) {
            tokens.add(token.toString());
            token.setLength(0);
            continue;
          }
        }
        case '"' -> {
          if (!escaped) {
            quoted = !quoted;
          } else {
            escaped = false;
          }
        }
        case '\\' -> escaped = !escaped;
        default -> escaped = false;
      }
      token.appendCodePoint(cp);
    }
    if (!token.toString().isBlank()) {
      tokens.add(token.toString().strip());
    }
    List<LabelMatcher> out = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      out.add(parseOne(t));
    }
    return out;
  }

  /**
   * Parses one matcher such as {@code alertname="Disk full"} or {@code job=~node.*}.
   *
   * @throws IllegalArgumentException with Alertmanager's wording ({@code bad matcher format: …},
   *     {@code matcher value contains unescaped double quote: …}, an invalid regex)
   */
  public static LabelMatcher parseOne(String s) {
    Matcher m = MATCHER.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad matcher format: " + s);
    }
    String raw = m.group(3);
    boolean expectQuote = false;
    if (raw.startsWith("\"")) {
      raw = raw.substring(1);
      expectQuote = true;
    }
    StringBuilder value = new StringBuilder(raw.length());
    boolean escaped = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (escaped) {
        escaped = false;
        switch (c) {
          case 'n' -> value.append('\n');
          case '"', '\\' -> value.append(c);
          default -> value.append('\\').append(c);
        }
        continue;
      }
      switch (c) {
        case '\\' -> {
          if (i < raw.length() - 1) {
            escaped = true;
          } else {
            value.append('\\');
          }
        }
        case '"' -> {
          if (!expectQuote || i < raw.length() - 1) {
            throw new IllegalArgumentException(
                "matcher value contains unescaped double quote: " + m.group(3));
          }
          expectQuote = false;
        }
        default -> value.append(c);
      }
    }
    if (expectQuote) {
      throw new IllegalArgumentException(
          "matcher value contains unescaped double quote: " + m.group(3));
    }
    LabelMatcher.Type type =
        switch (m.group(2)) {
          case "=" -> LabelMatcher.Type.EQUAL;
          case "!=" -> LabelMatcher.Type.NOT_EQUAL;
          case "=~" -> LabelMatcher.Type.REGEX;
          default -> LabelMatcher.Type.NOT_REGEX;
        };
    return of(type, m.group(1), value.toString());
  }

  /**
   * A matcher built from parts, its regular expression checked.
   *
   * @throws IllegalArgumentException for an invalid label name or regular expression
   */
  public static LabelMatcher of(LabelMatcher.Type type, String name, String value) {
    if (!validName(name)) {
      throw new IllegalArgumentException("invalid label name \"" + name + "\"");
    }
    try {
      return LabelMatcher.of(type, name, value);
    } catch (InvalidRegexException e) {
      throw new IllegalArgumentException(
          "invalid regular expression \"" + value + "\": " + e.getMessage(), e);
    }
  }

  /** Whether {@code name} is a label name Alertmanager 0.25 accepts in a matcher. */
  public static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || c == ':'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** One matcher as Alertmanager prints it: {@code name="value"}, the value always quoted. */
  public static String format(LabelMatcher m) {
    return m.toString();
  }

  /** A list as Alertmanager prints it: {@code {a="b",c=~"d"}}. */
  public static String format(List<LabelMatcher> ms) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < ms.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(format(ms.get(i)));
    }
    return sb.append('}').toString();
  }
}
