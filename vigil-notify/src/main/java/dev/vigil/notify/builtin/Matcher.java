package dev.vigil.notify.builtin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name="value"}, {@code name!=value}, {@code
 * name=~"re"}, {@code name!~re}; values quoted or not. Regular expressions are anchored at both
 * ends, as Alertmanager anchors them. A missing label matches as the empty string.
 */
record Matcher(String name, Type type, String value, Pattern pattern) {
  enum Type {
    EQ("="),
    NEQ("!="),
    RE("=~"),
    NRE("!~");

    final String op;

    Type(String op) {
      this.op = op;
    }
  }

  /** Alertmanager sorts a route's matchers by name, then value, then type. */
  static final Comparator<Matcher> ORDER =
      Comparator.comparing(Matcher::name)
          .thenComparing(Matcher::value)
          .thenComparing(Matcher::type);

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  static Matcher of(String name, Type type, String value) {
    Pattern p = null;
    if (type == Type.RE || type == Type.NRE) {
      try {
        p = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression " + GoQuote.quote(value) + ": " + e.getDescription());
      }
    }
    return new Matcher(name, type, value, p);
  }

  boolean matches(Map<String, String> labels) {
    String v = labels.getOrDefault(name, "");
    return switch (type) {
      case EQ -> v.equals(value);
      case NEQ -> !v.equals(value);
      case RE -> pattern.matcher(v).matches();
      case NRE -> !pattern.matcher(v).matches();
    };
  }

  static boolean all(List<Matcher> ms, Map<String, String> labels) {
    for (Matcher m : ms) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** As Alertmanager prints it: {@code name="value"} with Go's quoting. */
  @Override
  public String toString() {
    return name + type.op + GoQuote.quote(value);
  }

  /** {@code {a="b",c=~"d"}}, as Alertmanager's Matchers.String(). */
  static String toString(List<Matcher> ms) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < ms.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(ms.get(i));
    }
    return b.append('}').toString();
  }

  /**
   * Parses one matcher such as {@code severity=~"critical|page"}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Matcher parse(String s) {
    String t = s.strip();
    int i = 0;
    while (i < t.length()
        && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_' || t.charAt(i) == ':')) {
      i++;
    }
    String name = t.substring(0, i);
    if (!LABEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad matcher format: " + s);
    }
    String rest = t.substring(i).stripLeading();
    Type type;
    if (rest.startsWith("=~")) {
      type = Type.RE;
    } else if (rest.startsWith("!=")) {
      type = Type.NEQ;
    } else if (rest.startsWith("!~")) {
      type = Type.NRE;
    } else if (rest.startsWith("=")) {
      type = Type.EQ;
    } else {
      throw new IllegalArgumentException("bad matcher format: " + s);
    }
    String raw = rest.substring(type.op.length()).strip();
    String value;
    if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
      value = unquote(raw.substring(1, raw.length() - 1), s);
    } else {
      value = raw;
    }
    return of(name, type, value);
  }

  private static String unquote(String in, String whole) {
    StringBuilder b = new StringBuilder(in.length());
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      if (c == '\\' && i + 1 < in.length()) {
        char n = in.charAt(++i);
        switch (n) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case '\\', '"' -> b.append(n);
          default -> b.append('\\').append(n);
        }
      } else if (c == '"') {
        throw new IllegalArgumentException("unescaped quote in matcher value: " + whole);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Parses {@code {a="b", c=~"d"}} or {@code a="b", c=~"d"}: commas inside quotes do not split. */
  static List<Matcher> parseList(String s) {
    String t = s.strip();
    if (t.startsWith("{")) {
      if (!t.endsWith("}")) {
        throw new IllegalArgumentException("missing closing '}': " + s);
      }
      t = t.substring(1, t.length() - 1);
    }
    List<Matcher> out = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        if (!t.substring(start, i).isBlank()) {
          out.add(parse(t.substring(start, i)));
        }
        start = i + 1;
      }
    }
    if (!t.substring(start).isBlank()) {
      out.add(parse(t.substring(start)));
    }
    return out;
  }
}
