package dev.vigil.model;

import com.google.re2j.PatternSyntaxException;

/**
 * A regular expression RE2 refuses, as Prometheus would: the message names the pattern, the problem
 * and where, e.g. {@code invalid regular expression "(a)\1": invalid escape sequence: `\1` at
 * position 3}. {@link #goMessage()} is Go's own wording ({@code error parsing regexp: ...}).
 */
public final class InvalidRegexException extends IllegalArgumentException {
  private final String regex;
  private final String description;
  private final String goMessage;
  private final int position;

  private InvalidRegexException(
      String regex, String description, String goMessage, int position, Throwable cause) {
    super(
        "invalid regular expression "
            + quote(regex)
            + ": "
            + description
            + (position >= 0 ? " at position " + position : ""),
        cause);
    this.regex = regex;
    this.description = description;
    this.goMessage = goMessage;
    this.position = position;
  }

  /** A pattern refused before compiling: {@code expression too large} or nests too deeply. */
  static InvalidRegexException tooLarge(String regex, String what) {
    return new InvalidRegexException(
        regex, what, "error parsing regexp: " + what + ": `" + regex + "`", -1, null);
  }

  static InvalidRegexException of(String regex, PatternSyntaxException e) {
    // RE2/J reports the offending text, not its index: the first place it occurs is the position.
    String fragment = e.getPattern();
    String goMessage = e.getMessage();
    String desc = e.getDescription();
    if ("stack underflow".equals(fragment)) {
      // RE2/J's report of an unmatched ')'; Go says "unexpected ): `<pattern>`".
      desc = "unexpected )";
      int depth = 0;
      int at = -1;
      for (int i = 0; i < regex.length() && at < 0; i++) {
        char c = regex.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && --depth < 0) {
          at = i;
        }
      }
      goMessage = "error parsing regexp: unexpected ): `" + regex + "`";
      return new InvalidRegexException(regex, desc + ": `" + regex + "`", goMessage, at, e);
    }
    int pos = fragment == null || fragment.isEmpty() ? -1 : regex.indexOf(fragment);
    String what = fragment == null || fragment.isEmpty() ? desc : desc + ": `" + fragment + "`";
    return new InvalidRegexException(regex, what, goMessage, pos, e);
  }

  /** The pattern as written. */
  public String regex() {
    return regex;
  }

  /** What is wrong, with the offending text in backquotes, e.g. {@code missing closing ): `(a`}. */
  public String description() {
    return description;
  }

  /** Go's (and so Prometheus') wording: {@code error parsing regexp: <what>: `<where>`}. */
  public String goMessage() {
    return goMessage;
  }

  /** The 0-based index in the pattern of the offending text, or -1 when unknown. */
  public int position() {
    return position;
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
