package dev.vigil.rules.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits template text into items as Go's text/template/parse lexer does: text, delimiters with
 * trim markers ({@code {{- } and { -}}}), comments, and the tokens of actions. A lexical error ends
 * the list with an {@link Type#ERROR} item carrying Go's message.
 */
final class Lexer {
  enum Type {
    ERROR,
    BOOL,
    CHAR,
    CHAR_CONSTANT,
    ASSIGN,
    DECLARE,
    EOF,
    FIELD,
    IDENTIFIER,
    LEFT_DELIM,
    LEFT_PAREN,
    NUMBER,
    PIPE,
    RAW_STRING,
    RIGHT_DELIM,
    RIGHT_PAREN,
    SPACE,
    STRING,
    TEXT,
    VARIABLE,
    // Keywords (printed as <word> in errors).
    BLOCK,
    BREAK,
    CONTINUE,
    DOT,
    DEFINE,
    ELSE,
    END,
    IF,
    NIL,
    RANGE,
    TEMPLATE,
    WITH;

    boolean isKeyword() {
      return ordinal() >= BLOCK.ordinal();
    }
  }

  record Item(Type type, int pos, String val, int line) {
    @Override
    public String toString() {
      if (type == Type.EOF) {
        return "EOF";
      }
      if (type == Type.ERROR) {
        return val;
      }
      if (type.isKeyword()) {
        return "<" + val + ">";
      }
      if (val.codePointCount(0, val.length()) > 10) {
        return GoFmt.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "...";
      }
      return GoFmt.quote(val);
    }
  }

  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";
  private static final String LEFT_COMMENT = "/*";
  private static final String RIGHT_COMMENT = "*/";

  private final String input;
  private final List<Item> items = new ArrayList<>();
  private int start;
  private int pos;
  private int line = 1;
  private int startLine = 1;
  private int parenDepth;
  private boolean done;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Item> lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.items;
  }

  private static final int EOF_RUNE = -1;

  private void run() {
    lexText();
    while (!done) {
      lexInsideAction();
    }
  }

  private int next() {
    if (pos >= input.length()) {
      return EOF_RUNE;
    }
    int r = input.codePointAt(pos);
    pos += Character.charCount(r);
    if (r == '\n') {
      line++;
    }
    return r;
  }

  private int peek() {
    return pos >= input.length() ? EOF_RUNE : input.codePointAt(pos);
  }

  private void backup(int r) {
    if (r == EOF_RUNE) {
      return;
    }
    pos -= Character.charCount(r);
    if (r == '\n') {
      line--;
    }
  }

  private void emit(Type t) {
    items.add(new Item(t, start, input.substring(start, pos), startLine));
    start = pos;
    startLine = line;
  }

  private void ignore() {
    line += count(input, start, pos);
    start = pos;
    startLine = line;
  }

  private void error(String msg) {
    items.add(new Item(Type.ERROR, start, msg, startLine));
    done = true;
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\r' || r == '\n';
  }

  private static boolean isAlphaNumeric(int r) {
    return r == '_' || Character.isLetter(r) || Character.isDigit(r);
  }

  private boolean hasLeftTrimMarker(int at) {
    return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
  }

  private boolean hasRightTrimMarker(int at) {
    return at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
  }

  /** Whether a right delimiter (possibly preceded by a trim marker) starts at pos. */
  private boolean atRightDelim() {
    return (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2))
        || input.startsWith(RIGHT, pos);
  }

  private boolean rightTrim() {
    return hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2);
  }

  private int leftTrimLength(int at) {
    int i = at;
    while (i < input.length() && isSpace(input.charAt(i))) {
      i++;
    }
    return i - at;
  }

  /** Scans text up to the next left delimiter; sets done at EOF. Returns false on error. */
  private void lexText() {
    int x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length();
      if (pos > start) {
        line += count(input, start, pos);
        emit(Type.TEXT);
      }
      emit(Type.EOF);
      done = true;
      return;
    }
    int trimLength = 0;
    if (hasLeftTrimMarker(x + LEFT.length())) {
      int i = x;
      while (i > start && isSpace(input.charAt(i - 1))) {
        i--;
      }
      trimLength = x - i;
    }
    pos = x - trimLength;
    if (pos > start) {
      line += count(input, start, pos);
      emit(Type.TEXT);
    }
    pos += trimLength;
    ignore();
    lexLeftDelim();
  }

  private void lexLeftDelim() {
    pos += LEFT.length();
    boolean trim = hasLeftTrimMarker(pos);
    int afterMarker = trim ? 2 : 0;
    if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      lexComment();
      return;
    }
    emit(Type.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
  }

  private void lexComment() {
    pos += LEFT_COMMENT.length();
    int x = input.indexOf(RIGHT_COMMENT, pos);
    if (x < 0) {
      error("unclosed comment");
      return;
    }
    pos = x + RIGHT_COMMENT.length(); // ignore() below counts the comment's newlines
    if (!atRightDelim()) {
      error("comment ends before closing delimiter");
      return;
    }
    boolean trim = rightTrim();
    if (trim) {
      pos += 2;
    }
    pos += RIGHT.length();
    if (trim) {
      pos += leftTrimLength(pos);
    }
    ignore();
    lexText();
  }

  private void lexRightDelim() {
    boolean trim = rightTrim();
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length();
    emit(Type.RIGHT_DELIM);
    if (trim) {
      pos += leftTrimLength(pos);
      ignore();
    }
    lexText();
  }

  /** Lexes one token inside an action (or the right delimiter and the text after it). */
  private void lexInsideAction() {
    if (atRightDelim()) {
      if (parenDepth == 0) {
        lexRightDelim();
      } else {
        error("unclosed left paren");
      }
      return;
    }
    int r = next();
    if (r == EOF_RUNE) {
      error("unclosed action");
    } else if (isSpace(r)) {
      backup(r);
      lexSpace();
    } else if (r == '=') {
      emit(Type.ASSIGN);
    } else if (r == ':') {
      if (next() != '=') {
        error("expected :=");
      } else {
        emit(Type.DECLARE);
      }
    } else if (r == '|') {
      emit(Type.PIPE);
    } else if (r == '"') {
      lexQuote();
    } else if (r == '`') {
      lexRawQuote();
    } else if (r == '$') {
      lexVariable();
    } else if (r == '\'') {
      lexChar();
    } else if (r == '.' && pos < input.length() && !isDigit(input.charAt(pos))) {
      lexFieldOrVariable(Type.FIELD);
    } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup(r);
      lexNumber();
    } else if (isAlphaNumeric(r)) {
      backup(r);
      lexIdentifier();
    } else if (r == '(') {
      emit(Type.LEFT_PAREN);
      parenDepth++;
    } else if (r == ')') {
      // Go emits the paren before the error, so the parser reports it in context.
      emit(Type.RIGHT_PAREN);
      parenDepth--;
      if (parenDepth < 0) {
        error("unexpected right paren " + runeU(r));
      }
    } else if (r <= 0x7f && r >= 0x20 && r != 0x7f) {
      emit(Type.CHAR);
    } else {
      error("unrecognized character in action: " + runeU(r));
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Go's %#U: U+0021 '!'. */
  static String runeU(int r) {
    String h = Integer.toHexString(r).toUpperCase(java.util.Locale.ROOT);
    String u = "U+" + "0".repeat(Math.max(0, 4 - h.length())) + h;
    if (r >= 0x20 && r != 0x7f && !Character.isISOControl(r)) {
      u += " '" + new String(Character.toChars(r)) + "'";
    }
    return u;
  }

  private void lexSpace() {
    int numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    // A space followed by "-}}" is a trim marker, not a space token.
    if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos - 1 + 2)) {
      backup(input.charAt(pos - 1));
      if (numSpaces == 1) {
        lexRightDelimFromSpace();
        return;
      }
    }
    emit(Type.SPACE);
  }

  private void lexRightDelimFromSpace() {
    if (parenDepth == 0) {
      lexRightDelim();
    } else {
      error("unclosed left paren");
    }
  }

  private void lexIdentifier() {
    int r;
    do {
      r = next();
    } while (isAlphaNumeric(r));
    backup(r);
    String word = input.substring(start, pos);
    if (!atTerminator()) {
      error("bad character " + runeU(r));
      return;
    }
    Type kw =
        switch (word) {
          case "block" -> Type.BLOCK;
          case "break" -> Type.BREAK;
          case "continue" -> Type.CONTINUE;
          case "define" -> Type.DEFINE;
          case "else" -> Type.ELSE;
          case "end" -> Type.END;
          case "if" -> Type.IF;
          case "nil" -> Type.NIL;
          case "range" -> Type.RANGE;
          case "template" -> Type.TEMPLATE;
          case "with" -> Type.WITH;
          case "true", "false" -> Type.BOOL;
          default -> Type.IDENTIFIER;
        };
    emit(kw);
  }

  private void lexVariable() {
    if (atTerminator()) {
      emit(Type.VARIABLE);
      return;
    }
    lexFieldOrVariable(Type.VARIABLE);
  }

  private void lexFieldOrVariable(Type t) {
    if (atTerminator()) {
      emit(t == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
      return;
    }
    int r;
    do {
      r = next();
    } while (isAlphaNumeric(r));
    backup(r);
    if (!atTerminator()) {
      error("bad character " + runeU(r));
      return;
    }
    emit(t);
  }

  private boolean atTerminator() {
    int r = peek();
    if (isSpace(r)) {
      return true;
    }
    if (r == EOF_RUNE || r == '.' || r == ',' || r == '|' || r == ':' || r == ')' || r == '(') {
      return true;
    }
    return r == '}';
  }

  private void lexChar() {
    while (true) {
      int r = next();
      if (r == '\\') {
        r = next();
        if (r != EOF_RUNE && r != '\n') {
          continue;
        }
      }
      if (r == EOF_RUNE || r == '\n') {
        error("unterminated character constant");
        return;
      }
      if (r == '\'') {
        break;
      }
    }
    emit(Type.CHAR_CONSTANT);
  }

  private void lexQuote() {
    while (true) {
      int r = next();
      if (r == '\\') {
        r = next();
        if (r != EOF_RUNE && r != '\n') {
          continue;
        }
      }
      if (r == EOF_RUNE || r == '\n') {
        error("unterminated quoted string");
        return;
      }
      if (r == '"') {
        break;
      }
    }
    emit(Type.STRING);
  }

  private void lexRawQuote() {
    while (true) {
      int r = next();
      if (r == EOF_RUNE) {
        error("unterminated raw quoted string");
        return;
      }
      if (r == '`') {
        break;
      }
    }
    emit(Type.RAW_STRING);
  }

  private boolean accept(String valid) {
    int r = next();
    if (r != EOF_RUNE && valid.indexOf(r) >= 0) {
      return true;
    }
    backup(r);
    return false;
  }

  private void acceptRun(String valid) {
    int r;
    do {
      r = next();
    } while (r != EOF_RUNE && valid.indexOf(r) >= 0);
    backup(r);
  }

  private void lexNumber() {
    if (!scanNumber()) {
      error("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
      return;
    }
    int sign = peek();
    if (sign == '+' || sign == '-') {
      // Complex numbers (1+2i) are not supported; Go would lex them, we report them.
      if (!scanNumber() || input.charAt(pos - 1) != 'i') {
        error("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
        return;
      }
    }
    emit(Type.NUMBER);
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (digits.length() == 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    int r = peek();
    if (r != EOF_RUNE && isAlphaNumeric(r)) {
      next();
      return false;
    }
    return true;
  }
}
