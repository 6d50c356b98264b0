package dev.vigil.model;

import java.util.Objects;
import java.util.Set;

/**
 * One label matcher of a selector: {@code name="v"}, {@code name!="v"}, {@code name=~"re"}, {@code
 * name!~"re"}. Regular expressions have Prometheus' semantics (see {@link Regex}): RE2 syntax,
 * fully anchored, {@code .} matches a newline, linear-time matching. A missing label matches as the
 * empty string.
 */
public final class LabelMatcher {
  /** The matcher operator. */
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    public String op() {
      return op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Regex regex;
  private final boolean matchesEmpty;

  private LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.regex = type == Type.REGEX || type == Type.NOT_REGEX ? Regex.compile(value) : null;
    this.matchesEmpty = matches("");
  }

  /**
   * Creates a matcher.
   *
   * @throws InvalidRegexException for a regular expression RE2 refuses, naming it and where
   */
  public static LabelMatcher of(Type type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  public static LabelMatcher equal(String name, String value) {
    return new LabelMatcher(Type.EQUAL, name, value);
  }

  public static LabelMatcher notEqual(String name, String value) {
    return new LabelMatcher(Type.NOT_EQUAL, name, value);
  }

  public static LabelMatcher regex(String name, String value) {
    return new LabelMatcher(Type.REGEX, name, value);
  }

  public static LabelMatcher notRegex(String name, String value) {
    return new LabelMatcher(Type.NOT_REGEX, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value (empty string for a missing label) satisfies this matcher. */
  public boolean matches(String v) {
    if (v == null) {
      v = "";
    }
    return switch (type) {
      case EQUAL -> value.equals(v);
      case NOT_EQUAL -> !value.equals(v);
      case REGEX -> regex.matches(v);
      case NOT_REGEX -> !regex.matches(v);
    };
  }

  /** Whether this matcher matches the empty string, i.e. also selects series without the label. */
  public boolean matchesEmpty() {
    return matchesEmpty;
  }

  /**
   * The only values a positive matcher ({@code =} or {@code =~}) accepts, when they are few enough
   * to look up one by one ({@code =~"a|b|c"}); null when the values must be scanned.
   */
  public Set<String> setMatches() {
    return switch (type) {
      case EQUAL -> Set.of(value);
      case REGEX -> regex.setMatches();
      default -> null;
    };
  }

  /** Whether the series with these labels satisfies this matcher. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m
        && type == m.type
        && name.equals(m.name)
        && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    return name + type.op + quote(value);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
