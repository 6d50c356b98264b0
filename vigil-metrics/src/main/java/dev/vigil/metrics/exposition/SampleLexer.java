package dev.vigil.metrics.exposition;

import dev.vigil.metrics.model.Exemplar;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one sample line: {@code name{labels} value [timestamp] [# {labels} value [timestamp]]}.
 *
 * <p>Strict mode is OpenMetrics 1.0: single spaces, no trailing comma in label sets, numbers per
 * its grammar, timestamps in seconds, exemplars. Lenient mode is Prometheus text 0.0.4: runs of
 * blanks, a trailing comma allowed, timestamps in integer milliseconds, no exemplars.
 */
final class SampleLexer {
  private final boolean strict;
  private String line;
  private int pos;
  private int lineNo;

  SampleLexer(boolean strict) {
    this.strict = strict;
  }

  /** Parsed sample plus its raw timestamp (seconds, for OpenMetrics ordering checks). */
  record Parsed(Sample sample, double timestampSeconds, boolean hasTimestamp) {}

  Parsed parse(String line, int lineNo) throws ExpositionParseException {
    this.line = line;
    this.pos = 0;
    this.lineNo = lineNo;
    String name = metricName();
    Labels labels = Labels.EMPTY;
    if (peek() == '{') {
      labels = labelSet();
    }
    blanks("a space before the value");
    double value = number(token("value"), "value", true);
    double ts = Double.NaN;
    boolean hasTs = false;
    Exemplar exemplar = null;
    if (pos < line.length()) {
      blanks("a space");
      if (pos < line.length() && peek() != '#') {
        ts = timestamp(token("timestamp"));
        hasTs = true;
        if (pos < line.length()) {
          blanks("a space");
        }
      }
      if (pos < line.length()) {
        if (!strict) {
          throw error("unexpected text after the sample: '" + line.substring(pos) + "'");
        }
        exemplar = exemplar();
      }
    }
    long millis = Sample.NO_TIMESTAMP;
    if (hasTs) {
      millis = strict ? millis(ts) : Math.max(Long.MIN_VALUE + 1, (long) ts);
    }
    return new Parsed(new Sample(name, labels, value, millis, exemplar), ts, hasTs);
  }

  private Exemplar exemplar() throws ExpositionParseException {
    expect('#', "'#' starting an exemplar");
    expect(' ', "a space after '#'");
    if (peek() != '{') {
      throw error("an exemplar needs a label set in braces after '# '");
    }
    Labels labels = labelSet();
    expect(' ', "a space before the exemplar value");
    double value = number(token("exemplar value"), "exemplar value", false);
    long ts = Exemplar.NO_TIMESTAMP;
    if (pos < line.length()) {
      expect(' ', "a space before the exemplar timestamp");
      ts = millis(timestamp(token("exemplar timestamp")));
    }
    if (pos < line.length()) {
      throw error("unexpected text after the exemplar: '" + line.substring(pos) + "'");
    }
    try {
      return new Exemplar(value, labels, ts);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  /**
   * Seconds to milliseconds, saturating beyond the range of a long (OpenMetrics allows any number
   * of digits) but never at its smallest value, which stands for "no timestamp".
   */
  private static long millis(double seconds) {
    return Math.max(Long.MIN_VALUE + 1, Math.round(seconds * 1000));
  }

  private char peek() {
    return pos < line.length() ? line.charAt(pos) : '\0';
  }

  private void expect(char c, String what) throws ExpositionParseException {
    if (peek() != c || pos >= line.length()) {
      throw error("expected " + what + (pos < line.length() ? ", found '" + peek() + "'" : ""));
    }
    pos++;
  }

  private void blanks(String what) throws ExpositionParseException {
    if (pos >= line.length() || (line.charAt(pos) != ' ' && (strict || line.charAt(pos) != '\t'))) {
      throw error("expected " + what + (pos >= line.length() ? " (the line ends)" : ""));
    }
    pos++;
    if (strict) {
      if (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
        throw error("more than one space");
      }
    } else {
      while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
        pos++;
      }
    }
    if (strict && pos >= line.length()) {
      throw error("trailing space");
    }
  }

  private String token(String what) throws ExpositionParseException {
    int start = pos;
    while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
      pos++;
    }
    if (start == pos) {
      throw error("missing " + what);
    }
    return line.substring(start, pos);
  }

  String metricName() throws ExpositionParseException {
    int start = pos;
    while (pos < line.length()) {
      char c = line.charAt(pos);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || c == ':'
              || (pos > start && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos == start) {
      throw error("expected a metric name");
    }
    char next = peek();
    if (pos < line.length() && next != '{' && next != ' ' && (strict || next != '\t')) {
      throw error("invalid character '" + next + "' in metric name");
    }
    return line.substring(start, pos);
  }

  private Labels labelSet() throws ExpositionParseException {
    pos++; // '{'
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (!strict) {
      skipBlanks();
    }
    if (peek() == '}') {
      pos++;
      return Labels.EMPTY;
    }
    while (true) {
      String name = labelName();
      if (!strict) {
        skipBlanks();
      }
      expect('=', "'=' after label name " + name);
      if (!strict) {
        skipBlanks();
      }
      String value = labelValue(name);
      if (names.contains(name)) {
        throw error("label " + name + " given twice");
      }
      names.add(name);
      values.add(value);
      if (!strict) {
        skipBlanks();
      }
      if (peek() == ',' && pos < line.length()) {
        pos++;
        if (!strict) {
          skipBlanks();
          if (peek() == '}') {
            pos++;
            break;
          }
        }
        continue;
      }
      if (peek() == '}' && pos < line.length()) {
        pos++;
        break;
      }
      throw error("expected ',' or '}' after the value of label " + name);
    }
    return Labels.of(names.toArray(new String[0]), values.toArray(new String[0]));
  }

  private void skipBlanks() {
    while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private String labelName() throws ExpositionParseException {
    int start = pos;
    while (pos < line.length()) {
      char c = line.charAt(pos);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (pos > start && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos == start) {
      throw error("expected a label name");
    }
    return line.substring(start, pos);
  }

  private String labelValue(String name) throws ExpositionParseException {
    if (peek() != '"' || pos >= line.length()) {
      throw error("the value of label " + name + " must be in double quotes");
    }
    pos++;
    StringBuilder sb = null;
    int start = pos;
    while (pos < line.length()) {
      char c = line.charAt(pos);
      if (c == '"') {
        String v = sb == null ? line.substring(start, pos) : sb.toString();
        pos++;
        return v;
      }
      if (c == '\\' && pos + 1 < line.length()) {
        if (sb == null) {
          sb = new StringBuilder(line.substring(start, pos));
        }
        char n = line.charAt(pos + 1);
        switch (n) {
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          case 'n' -> sb.append('\n');
          default -> sb.append('\\').append(n);
        }
        pos += 2;
        continue;
      }
      if (sb != null) {
        sb.append(c);
      }
      pos++;
    }
    throw error("unterminated value of label " + name);
  }

  private double timestamp(String t) throws ExpositionParseException {
    if (strict) {
      double d = number(t, "timestamp", false);
      if (!Double.isFinite(d)) {
        throw error("timestamp must be a finite number, got '" + t + "'");
      }
      return d;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw error("timestamp must be integer milliseconds, got '" + t + "'");
    }
  }

  /** Parses a number per the mode's grammar. */
  double number(String t, String what, boolean allowSpecial) throws ExpositionParseException {
    Double special = special(t);
    if (special != null) {
      if (!allowSpecial && strict) {
        throw error(what + " must be a finite number, got '" + t + "'");
      }
      return special;
    }
    if (!isRealNumber(t)) {
      throw error("invalid " + what + " '" + t + "'");
    }
    return Double.parseDouble(t);
  }

  private Double special(String t) {
    if (strict) {
      return switch (t) {
        case "NaN" -> Double.NaN;
        case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> null;
      };
    }
    String l = t.toLowerCase(java.util.Locale.ROOT);
    return switch (l) {
      case "nan" -> Double.NaN;
      case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }

  /** {@code [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]}. */
  static boolean isRealNumber(String t) {
    int i = 0;
    int n = t.length();
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
      i++;
      digits++;
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  ExpositionParseException error(String problem) {
    return new ExpositionParseException(lineNo, pos + 1, problem);
  }
}
