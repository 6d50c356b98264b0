package dev.vigil.model;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A user-supplied regular expression with Prometheus' semantics: RE2 syntax, fully anchored, and
 * {@code .} matching a newline (Prometheus compiles {@code ^(?s:re)$}). Matching takes time linear
 * in the input (RE2/J), so no pattern can pin a core.
 *
 * <pre>{@code
 * Regex r = Regex.compile("api|web|db");     // a set: a hash lookup, no automaton
 * r.matches("web");                          // true
 * Regex.compile("(a)\\1");                   // InvalidRegexException: invalid escape sequence
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Regex {
  /*
   * Fast paths, after Prometheus' FastRegexMatcher (model/labels/regexp.go): the shapes most
   * selectors use are recognised on the source text and answered without the automaton:
   *   - a literal                      "foo"           equals
   *   - an alternation of literals     "a|b|c", "(a|b)" a set lookup
   *   - ".*" and ".+"                  anything / anything non-empty
   *   - a literal prefix or suffix     "foo.*", ".*foo", ".*foo.*" startsWith/endsWith/contains
   *   - the same with ".+"             "foo.+"         startsWith and longer
   *   - otherwise, a literal prefix every match needs ("node_(a|b)_.*": "node_") is checked
   *     before the automaton runs
   * Recognition is conservative: any escape other than an escaped ASCII punctuation character, any
   * flag group and any other metacharacter sends the pattern to RE2/J. The pattern is compiled by
   * RE2/J in every case, so validity never depends on the fast path. Measured in
   * vigil-bench's RegexMatchBenchmark (figures in docs/BENCHMARKS.md).
   */

  /**
   * The most alternatives a set fast path holds. Prometheus stops at 256; a hash set costs the same
   * lookup at any size, and Grafana's multi-value variables build alternations of thousands.
   */
  static final int MAX_SET_SIZE = 16_384;

  private enum Kind {
    ANY,
    NON_EMPTY,
    EQUAL,
    SET,
    PREFIX,
    PREFIX_NON_EMPTY,
    SUFFIX,
    CONTAINS,
    AUTOMATON
  }

  private final String text;
  private final Pattern pattern;
  private final Kind kind;
  private final String literal;
  private final Set<String> set;

  /** For the automaton: a literal every match starts with ("" when none), checked first. */
  private final String requiredPrefix;

  private Regex(String text, Pattern pattern, Kind kind, String literal, Set<String> set) {
    this.text = text;
    this.pattern = pattern;
    this.kind = kind;
    this.literal = literal;
    this.set = set;
    this.requiredPrefix = kind == Kind.AUTOMATON ? requiredPrefix(text) : "";
  }

  /**
   * Compiles {@code re} with Prometheus' semantics.
   *
   * @throws InvalidRegexException when RE2 refuses the pattern (backreferences, lookaround,
   *     possessive quantifiers, unbalanced parentheses...), naming what and where, or when it is
   *     too large to compile safely (see {@link RegexSize})
   */
  public static Regex compile(String re) {
    Objects.requireNonNull(re, "re");
    String tooBig = RegexSize.check(re);
    if (tooBig != null) {
      throw InvalidRegexException.tooLarge(re, tooBig);
    }
    Pattern p;
    try {
      // Matcher.matches() anchors at both ends; the pattern itself is compiled alone (not inside
      // "^(?s:...)$"), so "a)|(b" is refused rather than silently regrouped.
      p = Pattern.compile(re, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw InvalidRegexException.of(re, withoutFlags(re, e));
    }
    return analyse(re, p);
  }

  /**
   * The error for the pattern as written: with DOTALL, RE2/J parses {@code "(?s)" + re} and quotes
   * that prefix in its messages; the flag never changes whether a pattern is valid.
   */
  private static PatternSyntaxException withoutFlags(String re, PatternSyntaxException e) {
    try {
      Pattern.compile(re);
      return e;
    } catch (PatternSyntaxException plain) {
      return plain;
    }
  }

  private static Regex analyse(String re, Pattern p) {
    switch (re) {
      case ".*":
        return new Regex(re, p, Kind.ANY, null, null);
      case ".+":
        return new Regex(re, p, Kind.NON_EMPTY, null, null);
      default:
        break;
    }
    String lit = literal(re, 0, re.length());
    if (lit != null) {
      return new Regex(re, p, Kind.EQUAL, lit, null);
    }
    if (re.startsWith(".*") && re.endsWith(".*") && re.length() >= 4) {
      String mid = literal(re, 2, re.length() - 2);
      if (mid != null) {
        return new Regex(re, p, Kind.CONTAINS, mid, null);
      }
    }
    if (re.endsWith(".*")) {
      String pre = literal(re, 0, re.length() - 2);
      if (pre != null) {
        return new Regex(re, p, Kind.PREFIX, pre, null);
      }
    }
    if (re.endsWith(".+")) {
      String pre = literal(re, 0, re.length() - 2);
      if (pre != null) {
        return new Regex(re, p, Kind.PREFIX_NON_EMPTY, pre, null);
      }
    }
    if (re.startsWith(".*")) {
      String suf = literal(re, 2, re.length());
      if (suf != null) {
        return new Regex(re, p, Kind.SUFFIX, suf, null);
      }
    }
    Set<String> alts = alternation(re);
    if (alts != null) {
      return new Regex(re, p, Kind.SET, null, alts);
    }
    return new Regex(re, p, Kind.AUTOMATON, null, null);
  }

  /** The literal text of {@code re[from, to)}, or null when it has any metacharacter. */
  private static String literal(String re, int from, int to) {
    StringBuilder sb = null;
    for (int i = from; i < to; i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 >= to || !escapedPunctuation(re.charAt(i + 1))) {
          return null;
        }
        if (sb == null) {
          sb = new StringBuilder(re.length()).append(re, from, i);
        }
        sb.append(re.charAt(++i));
        continue;
      }
      if (special(c)) {
        return null;
      }
      if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? re.substring(from, to) : sb.toString();
  }

  /** The alternatives of {@code a|b|c}, optionally in one group, when all are literals. */
  private static Set<String> alternation(String re) {
    int from = 0;
    int to = re.length();
    if (re.startsWith("(?:") && re.endsWith(")")) {
      from = 3;
      to--;
    } else if (re.startsWith("(") && re.endsWith(")") && !re.startsWith("(?")) {
      from = 1;
      to--;
    }
    List<String> out = new ArrayList<>();
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i < to && re.charAt(i) == '\\') {
        i++;
        continue;
      }
      if (i == to || re.charAt(i) == '|') {
        String lit = literal(re, start, Math.min(i, to));
        if (lit == null || out.size() >= MAX_SET_SIZE) {
          return null;
        }
        out.add(lit);
        start = i + 1;
      }
    }
    return out.size() < 2 ? null : Set.copyOf(out);
  }

  /**
   * The literal characters every match starts with (Prometheus' {@code prefix} check): the leading
   * run of plain characters, without the last one when a quantifier follows it; "" when the pattern
   * has an alternation outside groups or starts with anything else.
   */
  private static String requiredPrefix(String re) {
    int depth = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        // Skip the class: a '|' or parenthesis inside it is a character.
        int j = i + 1;
        if (j < re.length() && re.charAt(j) == '^') {
          j++;
        }
        if (j < re.length() && re.charAt(j) == ']') {
          j++;
        }
        while (j < re.length() && re.charAt(j) != ']') {
          j += re.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return "";
      }
    }
    int end = 0;
    while (end < re.length() && !special(re.charAt(end))) {
      end++;
    }
    if (end < re.length() && end > 0) {
      char next = re.charAt(end);
      if (next == '*' || next == '?' || next == '{' || next == '+') {
        end--;
      }
    }
    return re.substring(0, end);
  }

  private static boolean special(char c) {
    return switch (c) {
      case '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$' -> true;
      default -> false;
    };
  }

  /** An escape RE2 reads as the character itself: {@code \} before ASCII punctuation. */
  private static boolean escapedPunctuation(char c) {
    return c < 0x80 && !Character.isLetterOrDigit(c) && c > ' ' && c != 0x7f;
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** Whether the whole of {@code s} matches (never a substring). */
  public boolean matches(String s) {
    return switch (kind) {
      case ANY -> true;
      case NON_EMPTY -> !s.isEmpty();
      case EQUAL -> literal.equals(s);
      case SET -> set.contains(s);
      case PREFIX -> s.startsWith(literal);
      case PREFIX_NON_EMPTY -> s.length() > literal.length() && s.startsWith(literal);
      case SUFFIX -> s.endsWith(literal);
      case CONTAINS -> s.contains(literal);
      case AUTOMATON -> s.startsWith(requiredPrefix) && pattern.matches(s);
    };
  }

  /**
   * A matcher over {@code s} for group extraction; call {@link Matcher#matches()} (anchored at both
   * ends) before reading groups, then {@link #expand}.
   */
  public Matcher matcher(String s) {
    return pattern.matcher(s);
  }

  /**
   * The only strings this pattern matches when it is a literal or an alternation of literals
   * (Prometheus' {@code SetMatches}), so an index can look them up instead of scanning; otherwise
   * null.
   */
  public Set<String> setMatches() {
    return switch (kind) {
      case EQUAL -> Set.of(literal);
      case SET -> set;
      default -> null;
    };
  }

  /** Whether {@link #matches} avoids the automaton for this pattern (for tests and benchmarks). */
  public boolean isFastPath() {
    return kind != Kind.AUTOMATON;
  }

  /**
   * Go's {@code Regexp.Expand} over a successful match: {@code $$} is a dollar; {@code ${name}} or
   * {@code $name} (the longest run of letters, digits and underscores) is a group by number or
   * name; a number with a leading zero is a name; unknown groups expand to nothing.
   */
  public static String expand(Matcher m, String template) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder(template.length() + 16);
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        end = i + 1;
        while (end < template.length()
            && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
          end++;
        }
        name = template.substring(i + 1, end);
      }
      if (name.isEmpty()) {
        sb.append(c);
        i++;
        continue;
      }
      sb.append(group(m, name));
      i = end;
    }
    return sb.toString();
  }

  private static String group(Matcher m, String name) {
    int num = groupNumber(name);
    String g;
    if (num >= 0) {
      g = num <= m.groupCount() ? m.group(num) : null;
    } else {
      Integer idx = m.pattern().namedGroups().get(name);
      g = idx == null ? null : m.group(idx);
    }
    return g == null ? "" : g;
  }

  /** Go's rule: all digits, no leading zero, below 10^8; otherwise -1 (a name). */
  private static int groupNumber(String name) {
    if (name.length() > 1 && name.charAt(0) == '0') {
      return -1;
    }
    int num = 0;
    for (int i = 0; i < name.length(); i++) {
      char d = name.charAt(i);
      if (d < '0' || d > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (d - '0');
    }
    return num;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regex r && text.equals(r.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
