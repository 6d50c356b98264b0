package dev.vigil.cli.tsdb;

import dev.vigil.model.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a series selector such as {@code up{job="node",mode=~"idle|user"}} into matchers. Only the
 * selector syntax; PromQL proper lives in vigil-promql.
 */
public final class Selector {
  private Selector() {}

  /**
   * @throws IllegalArgumentException naming the column of the problem
   */
  public static List<LabelMatcher> parse(String s) {
    List<LabelMatcher> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "_:".indexOf(s.charAt(i)) >= 0)) {
      i++;
    }
    if (i > 0) {
      out.add(LabelMatcher.equal("__name__", s.substring(0, i)));
    }
    if (i < n) {
      if (s.charAt(i) != '{') {
        throw new IllegalArgumentException("expected { at column " + (i + 1) + " of " + s);
      }
      i++;
      while (true) {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
          i++;
        }
        if (i < n && s.charAt(i) == '}') {
          i++;
          break;
        }
        int st = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        String name = s.substring(st, i);
        String op;
        if (s.startsWith("=~", i) || s.startsWith("!~", i) || s.startsWith("!=", i)) {
          op = s.substring(i, i + 2);
        } else if (s.startsWith("=", i)) {
          op = "=";
        } else {
          throw new IllegalArgumentException("expected =, !=, =~ or !~ at column " + (i + 1));
        }
        i += op.length();
        if (name.isEmpty() || i >= n || s.charAt(i) != '"') {
          throw new IllegalArgumentException("expected label=\"value\" at column " + (st + 1));
        }
        StringBuilder v = new StringBuilder();
        i++;
        while (i < n && s.charAt(i) != '"') {
          char c = s.charAt(i++);
          if (c == '\\' && i < n) {
            char e = s.charAt(i++);
            v.append(e == 'n' ? '\n' : e);
          } else {
            v.append(c);
          }
        }
        if (i >= n) {
          throw new IllegalArgumentException("unterminated value at column " + (st + 1));
        }
        i++;
        LabelMatcher.Type type =
            switch (op) {
              case "=" -> LabelMatcher.Type.EQUAL;
              case "!=" -> LabelMatcher.Type.NOT_EQUAL;
              case "=~" -> LabelMatcher.Type.REGEX;
              default -> LabelMatcher.Type.NOT_REGEX;
            };
        out.add(LabelMatcher.of(type, name, v.toString()));
      }
      if (i != n) {
        throw new IllegalArgumentException("unexpected text at column " + (i + 1) + " of " + s);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty selector");
    }
    return out;
  }
}
