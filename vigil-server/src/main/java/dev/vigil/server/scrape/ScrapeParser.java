package dev.vigil.server.scrape;

import dev.vigil.metrics.exposition.Escapes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming parser of a scraped body in Prometheus text 0.0.4 or OpenMetrics 1.0, built for the
 * scrape hot path: one pass over the bytes, entries handed to a {@link Sink}, no model objects.
 *
 * <pre>{@code
 * ScrapeParser.parse(body, ScrapeFormat.OPENMETRICS, sink); // throws ScrapeParser.ParseException
 * }</pre>
 *
 * <p>OpenMetrics exemplars ({@code # {trace_id="abc"} 0.5 1700000000.123} after a value) are
 * checked and handed to {@link Sink#exemplar} right after their sample when they sit on a counter's
 * {@code _total} or a histogram's (or gauge histogram's) {@code _bucket}; elsewhere OpenMetrics
 * allows none, and they are dropped. Errors name the line and what was expected. Not thread-safe;
 * stateless between calls.
 */
public final class ScrapeParser {
  /** Receives entries in document order. */
  public interface Sink {
    /**
     * One sample.
     *
     * @param seriesKey the raw text of name and labels, stable across scrapes (a cache key)
     * @param name the metric name
     * @param labels label names and values alternating, as written (no {@code __name__})
     * @param value the sample value
     * @param timestampMs the exposed timestamp in ms, or {@link Long#MIN_VALUE} when absent
     */
    void sample(String seriesKey, String name, List<String> labels, double value, long timestampMs);

    /**
     * The fast path of a steady target: whether the sink already knows the series whose raw text
     * (name and labels, as in {@code seriesKey}) is {@code text[from, to)}. When true, the parser
     * does not parse the labels and hands the line's value to {@link #sampleKnown}; when false, the
     * next call is {@link #sample} of this same line (the range stays valid until it returns). The
     * bytes were checked by an earlier {@link #sample} of the same text in the same format only if
     * the sink says so; by default no series is known.
     */
    default boolean known(byte[] text, int from, int to) {
      return false;
    }

    /** The sample of the series {@link #known} just said the sink knows. */
    default void sampleKnown(double value, long timestampMs) {}

    /**
     * The exemplar of the sample just passed to {@link #sample} (OpenMetrics only).
     *
     * @param labels exemplar label names and values alternating, as written
     * @param value the exemplar's value
     * @param timestampMs its timestamp in ms, or {@link Long#MIN_VALUE} when absent
     */
    default void exemplar(List<String> labels, double value, long timestampMs) {}

    /** {@code # TYPE name type}. */
    default void type(String name, String type) {}

    /** {@code # HELP name text} (unescaped). */
    default void help(String name, String help) {}

    /** {@code # UNIT name unit} (OpenMetrics). */
    default void unit(String name, String unit) {}
  }

  /** A body that is not valid in its format; the message names the line. */
  public static final class ParseException extends Exception {
    ParseException(String message) {
      super(message);
    }
  }

  private final byte[] b;
  private final int end;
  private final boolean om;
  private int pos;
  private int line = 1;
  private final List<String> labels = new ArrayList<>();
  private final List<String> exemplarLabels = new ArrayList<>();
  private String familyName = "";
  private String familyType = "unknown";

  private ScrapeParser(byte[] b, int len, boolean om) {
    this.b = b;
    this.end = len;
    this.om = om;
  }

  /** Parses {@code len} bytes of {@code body}. */
  public static void parse(byte[] body, int len, ScrapeFormat format, Sink sink)
      throws ParseException {
    new ScrapeParser(body, len, format == ScrapeFormat.OPENMETRICS).run(sink);
  }

  /** Parses all of {@code body}. */
  public static void parse(byte[] body, ScrapeFormat format, Sink sink) throws ParseException {
    parse(body, body.length, format, sink);
  }

  private ParseException error(String what) {
    return new ParseException("line " + line + ": " + what);
  }

  private void run(Sink sink) throws ParseException {
    boolean eof = false;
    while (pos < end) {
      if (eof) {
        throw error("content after # EOF");
      }
      byte c = b[pos];
      if (c == '\n') {
        if (om) {
          throw error("empty line (not allowed in OpenMetrics)");
        }
        pos++;
        line++;
        continue;
      }
      if (c == '#') {
        eof = comment(sink);
      } else {
        if (!om) {
          skipBlanks();
          if (pos < end && b[pos] == '\n') {
            pos++;
            line++;
            continue;
          }
        }
        sample(sink);
      }
    }
    if (om && !eof) {
      throw error("missing # EOF at the end of an OpenMetrics body");
    }
  }

  private boolean comment(Sink sink) throws ParseException {
    int lineEnd = indexOf('\n', pos);
    String text = new String(b, pos, lineEnd - pos, StandardCharsets.UTF_8);
    pos = Math.min(end, lineEnd + 1);
    int ln = line;
    line++;
    if (om && text.equals("# EOF")) {
      return true;
    }
    String[] parts = text.split("[ \t]+", 4);
    if (parts.length >= 3 && parts[0].equals("#")) {
      String kw = parts[1];
      String name = parts[2];
      String rest = parts.length > 3 ? parts[3] : "";
      switch (kw) {
        case "TYPE" -> {
          if (!validType(rest)) {
            throw new ParseException("line " + ln + ": invalid metric type \"" + rest + "\"");
          }
          familyName = name;
          familyType = rest;
          sink.type(name, rest);
        }
        case "HELP" -> sink.help(name, Escapes.unescapeHelp(rest));
        case "UNIT" -> {
          if (om) {
            sink.unit(name, rest);
          }
        }
        default -> {
          if (om) {
            throw new ParseException("line " + ln + ": invalid comment \"" + text + "\"");
          }
        }
      }
    } else if (om) {
      throw new ParseException("line " + ln + ": invalid comment \"" + text + "\"");
    }
    return false;
  }

  private boolean validType(String t) {
    return switch (t) {
      case "counter", "gauge", "histogram", "summary", "untyped" -> true;
      case "unknown", "info", "stateset", "gaugehistogram" -> om;
      default -> false;
    };
  }

  private int indexOf(char c, int from) {
    for (int i = from; i < end; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return end;
  }

  private void skipBlanks() {
    while (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      pos++;
    }
  }

  private static boolean nameStart(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean nameChar(byte c) {
    return nameStart(c) || (c >= '0' && c <= '9');
  }

  private void sample(Sink sink) throws ParseException {
    int nameStart = pos;
    if (pos >= end || !nameStart(b[pos])) {
      throw error("expected a metric name");
    }
    while (pos < end && nameChar(b[pos])) {
      pos++;
    }
    int nameEnd = pos;
    int keyEnd = seriesTextEnd(nameEnd);
    String name = null;
    boolean known = keyEnd >= 0 && sink.known(b, nameStart, keyEnd);
    if (known) {
      pos = keyEnd;
    } else {
      name = ascii(nameStart, nameEnd);
      labels.clear();
      int afterName = pos;
      if (!om) {
        skipBlanks();
      }
      if (pos < end && b[pos] == '{') {
        pos++;
        labelSet(labels);
      } else {
        pos = afterName;
      }
    }
    if (pos >= end || (b[pos] != ' ' && b[pos] != '\t')) {
      throw error("expected a space and a value after " + ascii(nameStart, nameEnd));
    }
    int keyTo = pos; // without the blanks Prometheus text allows before it
    skipBlanks();
    int vs = pos;
    while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
      pos++;
    }
    double v = value(vs, pos);
    long ts = Long.MIN_VALUE;
    skipBlanks();
    if (pos < end && b[pos] != '\n' && b[pos] != '#') {
      int ts0 = pos;
      while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
        pos++;
      }
      ts = timestamp(ts0, pos);
      skipBlanks();
    }
    boolean hasExemplar = false;
    double exValue = 0;
    long exTs = Long.MIN_VALUE;
    if (pos < end && b[pos] == '#') {
      if (!om) {
        throw error("unexpected text after the value");
      }
      // OpenMetrics: "# {labels} value [timestamp]", single spaces, nothing after.
      pos++;
      if (pos >= end || b[pos] != ' ') {
        throw error("expected a space and an exemplar's labels after #");
      }
      pos++;
      if (pos >= end || b[pos] != '{') {
        throw error("expected { to start the exemplar's labels");
      }
      pos++;
      exemplarLabels.clear();
      labelSet(exemplarLabels);
      if (pos >= end || b[pos] != ' ') {
        throw error("expected a space and a value after the exemplar's labels");
      }
      pos++;
      exValue = parseValue(token());
      if (pos < end && b[pos] == ' ') {
        pos++;
        String t = token();
        if (t.isEmpty()) {
          throw error("expected the exemplar's timestamp after the space");
        }
        exTs = parseTimestamp(t);
      }
      hasExemplar = true;
    }
    int lineEnd = indexOf('\n', pos);
    if (lineEnd > pos) {
      throw error(
          om ? "unexpected text at the end of the line" : "unexpected text after the timestamp");
    }
    pos = Math.min(end, lineEnd + 1);
    line++;
    if (known) {
      sink.sampleKnown(v, ts);
    } else {
      sink.sample(ascii(nameStart, keyTo), name, labels, v, ts);
    }
    if (hasExemplar && exemplarAllowed(name != null ? name : ascii(nameStart, nameEnd))) {
      sink.exemplar(exemplarLabels, exValue, exTs);
    }
  }

  /**
   * Where the series text starting with the name ending at {@code nameEnd} ends, found without
   * parsing the labels (quotes and escapes skipped); -1 when it is not well formed enough to tell,
   * and the full parse reports the error.
   */
  private int seriesTextEnd(int nameEnd) {
    int i = nameEnd;
    if (!om) {
      while (i < end && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
    }
    if (i >= end || b[i] != '{') {
      return nameEnd;
    }
    for (i++; i < end; i++) {
      byte c = b[i];
      if (c == '}') {
        return i + 1;
      }
      if (c == '\n') {
        return -1;
      }
      if (c == '"') {
        for (i++; i < end && b[i] != '"'; i++) {
          if (b[i] == '\n') {
            return -1;
          }
          if (b[i] == '\\') {
            i++;
            if (i < end && b[i] == '\n') {
              return -1;
            }
          }
        }
        if (i >= end) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * The value {@code b[from, to)}: plain decimals ({@code -12}, {@code 0.25}) straight from the
   * bytes, anything else through {@link #parseValue}.
   */
  private double value(int from, int to) throws ParseException {
    // Exact when the digits fit in 2^53 and the power of ten is exact (<= 10^22): one correctly
    // rounded operation gives what Double.parseDouble gives, with no string per sample.
    int i = from;
    boolean neg = i < to && b[i] == '-';
    if (neg) {
      i++;
    }
    long m = 0;
    int digits = 0;
    int frac = -1;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        if (++digits > 15) {
          return parseValue(ascii(from, to));
        }
        m = m * 10 + (c - '0');
        if (frac >= 0) {
          frac++;
        }
      } else if (c == '.' && frac < 0) {
        frac = 0;
      } else {
        return parseValue(ascii(from, to));
      }
    }
    if (digits == 0 || frac == 0) {
      return parseValue(ascii(from, to));
    }
    double v = frac > 0 ? m / POWERS_OF_TEN[frac] : m;
    return neg ? -v : v;
  }

  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16
  };

  /**
   * A text-format timestamp (integer ms) straight from the bytes; others as {@link #parseValue}.
   */
  private long timestamp(int from, int to) throws ParseException {
    if (om || to - from > 18 || to == from) {
      return parseTimestamp(ascii(from, to));
    }
    int i = from;
    boolean neg = b[i] == '-';
    if (neg) {
      i++;
    }
    if (i == to) {
      return parseTimestamp(ascii(from, to));
    }
    long ms = 0;
    for (; i < to; i++) {
      byte c = b[i];
      if (c < '0' || c > '9') {
        return parseTimestamp(ascii(from, to));
      }
      ms = ms * 10 + (c - '0');
    }
    return neg ? -ms : ms;
  }

  /** The text up to the next blank or line end. */
  private String token() {
    int from = pos;
    while (pos < end && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
      pos++;
    }
    return ascii(from, pos);
  }

  /** OpenMetrics: exemplars belong to counter totals and histogram buckets only. */
  private boolean exemplarAllowed(String name) {
    if (!name.startsWith(familyName) || name.length() <= familyName.length()) {
      return false;
    }
    String suffix = name.substring(familyName.length());
    return switch (familyType) {
      case "counter" -> suffix.equals("_total");
      case "histogram", "gaugehistogram" -> suffix.equals("_bucket");
      default -> false;
    };
  }

  private void labelSet(List<String> labels) throws ParseException {
    while (true) {
      if (!om) {
        skipBlanks();
      }
      if (pos < end && b[pos] == '}') {
        pos++;
        return;
      }
      int ns = pos;
      if (pos >= end || !nameStart(b[pos]) || b[pos] == ':') {
        throw error("expected a label name");
      }
      while (pos < end && nameChar(b[pos]) && b[pos] != ':') {
        pos++;
      }
      String lname = ascii(ns, pos);
      if (!om) {
        skipBlanks();
      }
      if (pos >= end || b[pos] != '=') {
        throw error("expected = after label name " + lname);
      }
      pos++;
      if (!om) {
        skipBlanks();
      }
      if (pos >= end || b[pos] != '"') {
        throw error("expected a quoted value for label " + lname);
      }
      pos++;
      String value = quoted();
      for (int i = 0; i < labels.size(); i += 2) {
        if (labels.get(i).equals(lname)) {
          throw error("duplicate label name " + lname);
        }
      }
      labels.add(lname);
      labels.add(value);
      if (!om) {
        skipBlanks();
      }
      if (pos < end && b[pos] == ',') {
        pos++;
        continue;
      }
      if (pos < end && b[pos] == '}') {
        pos++;
        return;
      }
      throw error("expected , or } after label " + lname);
    }
  }

  private String quoted() throws ParseException {
    int start = pos;
    boolean escaped = false;
    while (pos < end && b[pos] != '"') {
      if (b[pos] == '\n') {
        throw error("unterminated label value");
      }
      if (b[pos] == '\\') {
        escaped = true;
        pos++;
        if (pos < end && b[pos] == '\n') {
          break; // a backslash does not continue a label value on the next line
        }
      }
      pos++;
    }
    if (pos >= end || b[pos] == '\n') {
      throw error("unterminated label value");
    }
    String raw = new String(b, start, pos - start, StandardCharsets.UTF_8);
    pos++;
    if (!escaped) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char n = raw.charAt(++i);
        switch (n) {
          case 'n' -> sb.append('\n');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          default -> {
            if (om) {
              throw error("invalid escape \\" + n + " in a label value");
            }
            sb.append('\\').append(n);
          }
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private String ascii(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private double parseValue(String s) throws ParseException {
    switch (s) {
      case "NaN", "nan" -> {
        return Double.NaN;
      }
      case "+Inf", "Inf", "+inf", "inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf", "-inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {}
    }
    if (s.isEmpty() || !isNumber(s)) {
      throw error("invalid value \"" + s + "\"");
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error("invalid value \"" + s + "\"");
    }
  }

  private static boolean isNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9')
          || c == '.'
          || c == 'e'
          || c == 'E'
          || c == '-'
          || c == '+'
          || c == '_')) {
        return false;
      }
    }
    return s.indexOf('_') < 0;
  }

  private long parseTimestamp(String s) throws ParseException {
    long ms;
    try {
      if (om) {
        double sec = Double.parseDouble(s);
        if (!isNumber(s) || !Double.isFinite(sec)) {
          throw new NumberFormatException();
        }
        ms = Math.round(sec * 1000); // saturates: OpenMetrics allows any number of digits
      } else {
        ms = Long.parseLong(s);
      }
    } catch (NumberFormatException e) {
      throw error("invalid timestamp \"" + s + "\"");
    }
    // Long.MIN_VALUE stands for "no timestamp": the smallest timestamp is one above it.
    return Math.max(Long.MIN_VALUE + 1, ms);
  }
}
