package dev.vigil.ingest.imports;

import dev.vigil.ingest.Ingester;
import dev.vigil.model.Labels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CSV in the long layout, one sample per row, as {@code /api/metrics?format=csv} writes it:
 *
 * <pre>{@code
 * timestamp,name,labels,value
 * 2026-12-07T10:00:00Z,http_requests_total,"{method=""GET"", status=""200""}",1027
 * 1765101600.5,up,{},1
 * }</pre>
 *
 * <p>{@code timestamp}: RFC 3339 or Unix seconds (fractions allowed, as the Prometheus API reads
 * times); {@code labels}: Prometheus notation {@code {a="b", c="d"}} (escapes {@code \\}, {@code
 * \"}, {@code \n}), empty or {@code {}} for none; {@code value}: a number, {@code NaN}, {@code
 * +Inf} or {@code -Inf}. Fields are quoted as RFC 4180 says ({@code ""} for a quote). A first line
 * starting {@code timestamp,} is the header and skipped.
 */
public final class CsvDecoder implements LineDecoder {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private boolean first = true;

  @Override
  public void decode(String line, List<ImportedSample> out) {
    boolean header = first && line.startsWith("timestamp,");
    first = false;
    if (header) {
      return;
    }
    List<Field> fields = split(line);
    if (fields.size() != 4) {
      throw new ImportLineException(
          fields.size() + " fields where 4 are expected (timestamp,name,labels,value)",
          fields.size() > 4 ? fields.get(4).column(0) : line.length() + 1);
    }
    long t = time(fields.get(0).text(), fields.get(0).column(0));
    String name = fields.get(1).text().strip();
    if (!Ingester.validMetricName(name)) {
      throw new ImportLineException(
          "invalid metric name \"" + name + "\"", fields.get(1).column(0));
    }
    Labels.Builder b = Labels.builder();
    labels(fields.get(2), b);
    b.set(Labels.METRIC_NAME, name);
    double v = value(fields.get(3).text().strip(), fields.get(3).column(0));
    out.add(new ImportedSample(b.build(), t, v));
  }

  /**
   * A field's content and, for each of its characters (and one past the end), its 1-based column in
   * the line: a quoted field's {@code ""} is one character of content but two columns.
   */
  record Field(String text, int[] columns) {
    int column(int index) {
      return columns[Math.min(index, columns.length - 1)];
    }
  }

  /** Splits a CSV record into fields. */
  static List<Field> split(String line) {
    List<Field> fields = new ArrayList<>(4);
    int i = 0;
    int n = line.length();
    while (true) {
      StringBuilder f = new StringBuilder();
      int[] cols = new int[16];
      int k = 0;
      if (i < n && line.charAt(i) == '"') {
        int start = i;
        i++;
        while (true) {
          if (i >= n) {
            throw new ImportLineException("unterminated quoted field", start + 1);
          }
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              cols = put(cols, k++, i + 1);
              f.append('"');
              i += 2;
              continue;
            }
            cols = put(cols, k++, i + 1);
            i++;
            break;
          }
          cols = put(cols, k++, i + 1);
          f.append(c);
          i++;
        }
        if (i < n && line.charAt(i) != ',') {
          throw new ImportLineException("expected ',' after a quoted field", i + 1);
        }
      } else {
        int end = line.indexOf(',', i);
        end = end < 0 ? n : end;
        for (int j = i; j <= end; j++) {
          cols = put(cols, k++, j + 1);
        }
        f.append(line, i, end);
        i = end;
      }
      fields.add(new Field(f.toString(), java.util.Arrays.copyOf(cols, k)));
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }

  private static int[] put(int[] a, int i, int v) {
    if (i == a.length) {
      a = java.util.Arrays.copyOf(a, a.length * 2);
    }
    a[i] = v;
    return a;
  }

  private static long time(String s, int col) {
    String t = s.strip();
    if (t.isEmpty()) {
      throw new ImportLineException("empty timestamp", col);
    }
    if (NUMBER.matcher(t).matches()) {
      double sec = Double.parseDouble(t);
      if (Math.abs(sec) > 9.2e15) {
        throw new ImportLineException("timestamp " + t + " is out of range", col);
      }
      return Math.round(sec * 1000);
    }
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(t).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new ImportLineException(
            "timestamp \"" + t + "\" is neither RFC 3339 nor Unix seconds", col);
      }
    }
  }

  static double value(String s, int col) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf", "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!NUMBER.matcher(s).matches()) {
          throw new ImportLineException("value \"" + s + "\" is not a number", col);
        }
        return Double.parseDouble(s);
    }
  }

  /** Parses {@code {a="b", c="d"}} into {@code b}, naming columns of the line. */
  private static void labels(Field field, Labels.Builder b) {
    String s = field.text();
    int n = s.length();
    int i = skip(s, 0);
    if (i == n) {
      return;
    }
    if (s.charAt(i) != '{') {
      throw new ImportLineException(
          "labels must be written {name=\"value\", ...}", field.column(i));
    }
    i = skip(s, i + 1);
    while (i < n && s.charAt(i) != '}') {
      int start = i;
      while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      String name = s.substring(start, i);
      if (!Ingester.validLabelName(name) || name.equals(Labels.METRIC_NAME)) {
        throw new ImportLineException(
            name.isEmpty() ? "expected a label name" : "invalid label name \"" + name + "\"",
            field.column(start));
      }
      i = skip(s, i);
      if (i >= n || s.charAt(i) != '=') {
        throw new ImportLineException("expected '=' after label " + name, field.column(i));
      }
      i = skip(s, i + 1);
      if (i >= n || s.charAt(i) != '"') {
        throw new ImportLineException("expected a quoted value for label " + name, field.column(i));
      }
      i++;
      StringBuilder v = new StringBuilder();
      while (true) {
        if (i >= n) {
          throw new ImportLineException("unterminated value of label " + name, field.column(i));
        }
        char c = s.charAt(i);
        if (c == '"') {
          i++;
          break;
        }
        if (c == '\\') {
          char e = i + 1 < n ? s.charAt(i + 1) : ' ';
          switch (e) {
            case '\\' -> v.append('\\');
            case '"' -> v.append('"');
            case 'n' -> v.append('\n');
            default ->
                throw new ImportLineException("invalid escape in label " + name, field.column(i));
          }
          i += 2;
          continue;
        }
        v.append(c);
        i++;
      }
      if (b.get(name) != null) {
        throw new ImportLineException("duplicate label \"" + name + "\"", field.column(start));
      }
      if (!v.isEmpty()) {
        b.set(name, v.toString());
      }
      i = skip(s, i);
      if (i < n && s.charAt(i) == ',') {
        i = skip(s, i + 1);
      } else if (i < n && s.charAt(i) != '}') {
        throw new ImportLineException("expected ',' or '}' after label " + name, field.column(i));
      }
    }
    if (i >= n) {
      throw new ImportLineException("labels not closed with '}'", field.column(n));
    }
    if (skip(s, i + 1) != n) {
      throw new ImportLineException("unexpected text after the labels", field.column(i + 1));
    }
  }

  private static int skip(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
