package dev.vigil.promql.parser;

/**
 * One lexical token of a query.
 *
 * @param pos offset of the token's first character in the query
 * @param text the token's text as written (for strings: the decoded value)
 */
public record Token(Kind kind, String text, int pos, int end) {
  /** Kinds of tokens. */
  public enum Kind {
    IDENT,
    METRIC_IDENT,
    NUMBER,
    DURATION,
    STRING,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACE,
    RIGHT_BRACE,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    COLON,
    AT,
    OPERATOR,
    EOF
  }

  /** Whether this is an operator or identifier token with exactly this text. */
  public boolean is(String s) {
    return (kind == Kind.OPERATOR || kind == Kind.IDENT) && text.equals(s);
  }

  /** How Prometheus names the token in "unexpected ..." parse errors. */
  public String describe() {
    return switch (kind) {
      case EOF -> "end of input";
      case IDENT ->
          Operators.AGGREGATORS.contains(text)
              ? "aggregation \"" + text + "\""
              : isKeyword(text) ? "<" + keywordDesc(text) + ">" : "identifier \"" + text + "\"";
      case METRIC_IDENT -> "metric identifier \"" + text + "\"";
      case NUMBER -> "number \"" + text + "\"";
      case DURATION -> "duration \"" + text + "\"";
      case STRING -> "string \"" + text + "\"";
      case OPERATOR -> Operators.precedence(text) > 0 ? "<op:" + text + ">" : "\"" + text + "\"";
      case LEFT_PAREN -> "\"(\"";
      case RIGHT_PAREN -> "\")\"";
      case LEFT_BRACE -> "\"{\"";
      case RIGHT_BRACE -> "\"}\"";
      case LEFT_BRACKET -> "\"[\"";
      case RIGHT_BRACKET -> "\"]\"";
      case COMMA -> "\",\"";
      case COLON -> "\":\"";
      case AT -> "\"@\"";
    };
  }

  static boolean isKeyword(String s) {
    return switch (s) {
      case "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset" -> true;
      default -> false;
    };
  }

  private static String keywordDesc(String s) {
    return s;
  }
}
