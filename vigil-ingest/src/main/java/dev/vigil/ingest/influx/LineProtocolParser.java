package dev.vigil.ingest.influx;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line of InfluxDB line protocol:
 *
 * <pre>{@code
 * measurement[,tag=value...] field=value[,field=value...] [timestamp]
 * weather,location=us\ midwest temperature=82i,humid=0.5,ok=true,note="dry" 1465839830100400200
 * }</pre>
 *
 * <p>Escaping as InfluxDB documents it: in the measurement, {@code \,} and {@code \ }; in tag keys,
 * tag values and field keys also {@code \=}; in string field values {@code \"} and {@code \\}.
 * Other backslashes are literal. Field types: float ({@code 1}, {@code -1.5e3}), integer ({@code
 * 1i}), unsigned ({@code 1u}), boolean ({@code t}, {@code T}, {@code true}, {@code True}, {@code
 * TRUE} and the same for false) and string ({@code "..."}).
 *
 * <p>Stateless; errors are {@link LineException}s with the 1-based column.
 */
final class LineProtocolParser {
  /** A field's type as written. */
  public enum FieldType {
    FLOAT,
    INTEGER,
    UNSIGNED,
    BOOLEAN,
    STRING
  }

  /** One field: numeric types carry their value as a double, strings their text. */
  public record Field(String key, FieldType type, double value, String text) {}

  /**
   * One parsed line.
   *
   * @param tags alternating tag keys and values, unescaped, in line order
   * @param timestamp the timestamp as written (in the request's precision), or null when absent
   */
  public record Point(String measurement, List<String> tags, List<Field> fields, Long timestamp) {}

  /** A line that does not parse; {@link #column()} is 1-based. */
  public static final class LineException extends IllegalArgumentException {
    private final int column;

    public LineException(String message, int column) {
      super(message + " at column " + column);
      this.column = column;
    }

    public int column() {
      return column;
    }
  }

  private final String s;
  private int pos;

  private LineProtocolParser(String line) {
    this.s = line;
  }

  /** Parses a line that is neither empty nor a comment. */
  public static Point parse(String line) {
    return new LineProtocolParser(line).point();
  }

  private Point point() {
    if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(0) == ',') {
      throw new LineException("missing measurement", 1);
    }
    String measurement = token(true, false);
    List<String> tags = new ArrayList<>();
    while (pos < s.length() && s.charAt(pos) == ',') {
      pos++;
      int at = pos;
      String key = token(false, true);
      if (key.isEmpty()) {
        throw new LineException("empty tag key", at + 1);
      }
      expect('=', "'=' after tag key \"" + key + "\"");
      at = pos;
      String value = token(false, false);
      if (value.isEmpty()) {
        throw new LineException("empty value for tag \"" + key + "\"", at + 1);
      }
      tags.add(key);
      tags.add(value);
    }
    if (pos >= s.length() || s.charAt(pos) != ' ') {
      throw new LineException(
          pos >= s.length() ? "missing fields" : "unexpected '" + s.charAt(pos) + "'", pos + 1);
    }
    skipSpaces();
    List<Field> fields = new ArrayList<>();
    do {
      if (!fields.isEmpty()) {
        pos++; // the ','
      }
      int at = pos;
      String key = token(false, true);
      if (key.isEmpty()) {
        throw new LineException(pos >= s.length() ? "missing fields" : "empty field key", at + 1);
      }
      expect('=', "'=' after field key \"" + key + "\"");
      fields.add(fieldValue(key));
    } while (pos < s.length() && s.charAt(pos) == ',');
    Long ts = null;
    if (pos < s.length()) {
      if (s.charAt(pos) != ' ') {
        throw new LineException("unexpected '" + s.charAt(pos) + "' after field value", pos + 1);
      }
      skipSpaces();
      if (pos < s.length()) {
        int at = pos;
        int end = pos;
        while (end < s.length() && s.charAt(end) != ' ') {
          end++;
        }
        String t = s.substring(pos, end);
        try {
          ts = Long.parseLong(t);
        } catch (NumberFormatException e) {
          throw new LineException("invalid timestamp \"" + t + "\"", at + 1);
        }
        pos = end;
        skipSpaces();
        if (pos < s.length()) {
          throw new LineException("unexpected text after the timestamp", pos + 1);
        }
      }
    }
    return new Point(measurement, tags, fields, ts);
  }

  private void skipSpaces() {
    while (pos < s.length() && s.charAt(pos) == ' ') {
      pos++;
    }
  }

  private void expect(char c, String what) {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw new LineException("expected " + what, pos + 1);
    }
    pos++;
  }

  /**
   * Reads up to an unescaped ',' or ' ' (and '=' when {@code stopAtEquals}), unescaping {@code \,}
   * {@code \ } and, outside the measurement, {@code \=}.
   */
  private String token(boolean measurement, boolean stopAtEquals) {
    StringBuilder sb = null;
    int start = pos;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '\\' && pos + 1 < s.length()) {
        char n = s.charAt(pos + 1);
        if (n == ',' || n == ' ' || (!measurement && n == '=')) {
          if (sb == null) {
            sb = new StringBuilder(s.substring(start, pos));
          }
          sb.append(n);
          pos += 2;
          continue;
        }
      }
      if (c == ',' || c == ' ' || (stopAtEquals && c == '=')) {
        break;
      }
      if (!measurement && !stopAtEquals && c == '=') {
        throw new LineException("unescaped '=' in tag value", pos + 1);
      }
      if (sb != null) {
        sb.append(c);
      }
      pos++;
    }
    return sb == null ? s.substring(start, pos) : sb.toString();
  }

  private Field fieldValue(String key) {
    int at = pos;
    if (pos < s.length() && s.charAt(pos) == '"') {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw new LineException("unterminated string value of field \"" + key + "\"", at + 1);
        }
        char c = s.charAt(pos);
        if (c == '\\'
            && pos + 1 < s.length()
            && (s.charAt(pos + 1) == '"' || s.charAt(pos + 1) == '\\')) {
          sb.append(s.charAt(pos + 1));
          pos += 2;
        } else if (c == '"') {
          pos++;
          return new Field(key, FieldType.STRING, Double.NaN, sb.toString());
        } else {
          sb.append(c);
          pos++;
        }
      }
    }
    int end = pos;
    while (end < s.length() && s.charAt(end) != ',' && s.charAt(end) != ' ') {
      end++;
    }
    String v = s.substring(pos, end);
    pos = end;
    if (v.isEmpty()) {
      throw new LineException("missing value of field \"" + key + "\"", at + 1);
    }
    switch (v) {
      case "t", "T", "true", "True", "TRUE" -> {
        return new Field(key, FieldType.BOOLEAN, 1, null);
      }
      case "f", "F", "false", "False", "FALSE" -> {
        return new Field(key, FieldType.BOOLEAN, 0, null);
      }
      default -> {}
    }
    char last = v.charAt(v.length() - 1);
    try {
      if (last == 'i') {
        return new Field(
            key, FieldType.INTEGER, Long.parseLong(v.substring(0, v.length() - 1)), null);
      }
      if (last == 'u') {
        String digits = v.substring(0, v.length() - 1);
        if (digits.startsWith("-")) {
          throw new LineException("negative unsigned value of field \"" + key + "\"", at + 1);
        }
        return new Field(
            key,
            FieldType.UNSIGNED,
            Long.parseUnsignedLong(digits) >= 0
                ? Long.parseUnsignedLong(digits)
                : Long.parseUnsignedLong(digits) + 0x1p64,
            null);
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
          throw new NumberFormatException();
        }
      }
      double d = Double.parseDouble(v);
      if (Double.isInfinite(d)) {
        throw new LineException("value of field \"" + key + "\" out of range", at + 1);
      }
      return new Field(key, FieldType.FLOAT, d, null);
    } catch (NumberFormatException e) {
      throw new LineException(
          "invalid value \""
              + v
              + "\" of field \""
              + key
              + "\" (not a number, integer, boolean or"
              + " quoted string)",
          at + 1);
    }
  }
}
