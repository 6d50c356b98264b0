package dev.vigil.tsdb;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector: {@code name="v"}, {@code name!="v"}, {@code name=~"re"}, {@code
 * name!~"re"}. Regular expressions are fully anchored, as in Prometheus, and {@code .} matches a
 * newline. A missing label matches as the empty string.
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
  private final Pattern pattern;

  private LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    if (type == Type.REGEX || type == Type.NOT_REGEX) {
      try {
        this.pattern = Pattern.compile("(?:" + value + ")", Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression " + quote(value) + ": " + e.getDescription(), e);
      }
    } else {
      this.pattern = null;
    }
  }

  /**
   * Creates a matcher.
   *
   * @throws IllegalArgumentException for an invalid regular expression, naming it
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
      case REGEX -> pattern.matcher(v).matches();
      case NOT_REGEX -> !pattern.matcher(v).matches();
    };
  }

  /** Whether this matcher matches the empty string, i.e. also selects series without the label. */
  public boolean matchesEmpty() {
    return matches("");
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
