package dev.vigil.promql.parser;

/** The type of a PromQL expression's value. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string"),
  NONE("none");

  private final String text;

  ValueType(String text) {
    this.text = text;
  }

  /** The name Prometheus uses in error messages, e.g. {@code instant vector}. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
