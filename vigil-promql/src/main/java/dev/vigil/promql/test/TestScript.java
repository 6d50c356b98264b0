package dev.vigil.promql.test;

import dev.vigil.model.Labels;
import dev.vigil.model.StaleMarker;
import dev.vigil.promql.parser.Lexer;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Token;
import dev.vigil.promql.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of one Prometheus {@code .test} file: {@code load}, {@code clear} and {@code eval}
 * with their expectations. Parsing only; {@link TestRunner} executes.
 */
public final class TestScript {
  /** A command of the script. */
  public sealed interface Command {
    /** 1-based line of the command in its file. */
    int line();
  }

  /** {@code load <step>}: series with values at i·step. */
  public record Load(int line, long stepMs, List<SeriesValues> series, boolean nhcb)
      implements Command {}

  /** {@code clear}. */
  public record Clear(int line) implements Command {}

  /** Values of one series: NaN-boxed by {@link #OMITTED} where a sample is missing. */
  public record SeriesValues(Labels labels, List<Double> values, boolean hasHistograms) {}

  /** An expectation about warnings, infos, failure or ordering. */
  public record Expectation(String kind, String msg, String regex) {}

  /** {@code eval}: an instant or range query and what it must return. */
  public record Eval(
      int line,
      String expr,
      boolean range,
      long start,
      long end,
      long step,
      List<Expectation> expectations,
      List<SeriesValues> expected,
      Double expectedScalar,
      String expectedString,
      long[] expectedMatrixRange,
      boolean expectsHistograms)
      implements Command {
    /** The expectation of a kind ({@code fail}, {@code warn}, …), or null. */
    public Expectation get(String kind) {
      for (Expectation e : expectations) {
        if (e.kind().equals(kind)) {
          return e;
        }
      }
      return null;
    }

    public boolean has(String kind) {
      return get(kind) != null;
    }
  }

  /** Marks a missing value ({@code _}) in a value list. */
  public static final Double OMITTED = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

  private static final Pattern EVAL_INSTANT =
      Pattern.compile("^eval(?:_(fail|warn|info|ordered))?\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
  private static final Pattern EVAL_RANGE =
      Pattern.compile(
          "^eval(?:_(fail|warn|info|ordered))?\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");
  private static final String NUM =
      "[+-]?(?:0[xX][0-9a-fA-F]+|[iI][nN][fF]|[nN][aA][nN]|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
  private static final String DEC =
      "[+-]?(?:[iI][nN][fF]|[nN][aA][nN]|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
  private static final Pattern SEQ =
      Pattern.compile("^(" + DEC + ")(?:([+-])(" + DEC + "))?(?:x(\\d+))?$");
  private static final Pattern HEX = Pattern.compile("^[+-]?0[xX][0-9a-fA-F]+$");

  private TestScript() {}

  /** Parses the text of a test file. */
  public static List<Command> parse(String text) {
    String[] lines = text.split("\n", -1);
    List<Command> out = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String l = lines[i].trim();
      int lineNo = i + 1;
      i++;
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.equals("clear")) {
        out.add(new Clear(lineNo));
        continue;
      }
      if (l.startsWith("load")) {
        String[] parts = l.split("\\s+");
        boolean nhcb = parts[0].equals("load_with_nhcb");
        long step = Parser.parseDuration(parts[1]);
        List<SeriesValues> series = new ArrayList<>();
        while (i < lines.length && !blockEnd(lines[i])) {
          series.add(parseSeries(lines[i].trim(), i + 1, false));
          i++;
        }
        out.add(new Load(lineNo, step, series, nhcb));
        continue;
      }
      if (l.startsWith("eval")) {
        List<String> body = new ArrayList<>();
        while (i < lines.length && !blockEnd(lines[i])) {
          body.add(lines[i].trim());
          i++;
        }
        out.add(parseEval(l, lineNo, body));
        continue;
      }
      throw new IllegalArgumentException("line " + lineNo + ": unknown command: " + l);
    }
    return out;
  }

  private static boolean blockEnd(String line) {
    String t = line.trim();
    return t.isEmpty() || t.startsWith("#");
  }

  private static long time(String s) {
    if (s.matches("-?\\d+(\\.\\d+)?")) {
      return Math.round(Double.parseDouble(s) * 1000);
    }
    return Parser.parseDuration(s);
  }

  private static Eval parseEval(String head, int line, List<String> body) {
    Matcher m = EVAL_INSTANT.matcher(head);
    boolean range;
    String expr;
    long start;
    long end;
    long step = 0;
    String legacy;
    if (m.matches()) {
      range = false;
      legacy = m.group(1);
      start = end = time(m.group(2));
      expr = m.group(3);
    } else {
      m = EVAL_RANGE.matcher(head);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + line + ": bad eval command: " + head);
      }
      range = true;
      legacy = m.group(1);
      start = time(m.group(2));
      end = time(m.group(3));
      step = time(m.group(4));
      expr = m.group(5);
    }
    List<Expectation> exps = new ArrayList<>();
    if (legacy != null) {
      exps.add(new Expectation(legacy, null, null));
    }
    List<SeriesValues> expected = new ArrayList<>();
    Double scalar = null;
    String string = null;
    long[] matrixRange = null;
    boolean hist = false;
    for (String b : body) {
      if (b.startsWith("expect ")) {
        String rest = b.substring(7).trim();
        if (rest.startsWith("string ")) {
          List<Token> t = Lexer.lex(rest.substring(7).trim());
          string = t.get(0).text();
          continue;
        }
        if (rest.startsWith("range vector ")) {
          Matcher rm =
              Pattern.compile("range vector from (\\S+) to (\\S+) step (\\S+)").matcher(rest);
          if (rm.find()) {
            matrixRange = new long[] {time(rm.group(1)), time(rm.group(2)), time(rm.group(3))};
          }
          continue;
        }
        String kind = rest.split("\\s+")[0];
        String msg = null;
        String regex = null;
        int mi = rest.indexOf("msg:");
        int ri = rest.indexOf("regex:");
        if (mi >= 0) {
          msg = rest.substring(mi + 4).trim();
        } else if (ri >= 0) {
          regex = rest.substring(ri + 6).trim();
        }
        exps.add(new Expectation(kind, msg, regex));
        continue;
      }
      if (b.contains("{{")) {
        hist = true;
      }
      Matcher nm = Pattern.compile("^" + NUM + "$").matcher(b);
      if (nm.matches()) {
        scalar = number(b);
        continue;
      }
      expected.add(parseSeries(b, line, true));
    }
    return new Eval(
        line, expr, range, start, end, step, exps, expected, scalar, string, matrixRange, hist);
  }

  /** Parses {@code metric{a="b"} 1 2+3x4 _ stale}. */
  static SeriesValues parseSeries(String line, int lineNo, boolean expectation) {
    int split = descriptorEnd(line);
    String desc = line.substring(0, split).trim();
    String vals = line.substring(split).trim();
    Labels labels = parseLabels(desc, lineNo);
    List<Double> values = new ArrayList<>();
    boolean hist = false;
    int p = 0;
    while (p < vals.length()) {
      char c = vals.charAt(p);
      if (Character.isWhitespace(c)) {
        p++;
        continue;
      }
      if (vals.startsWith("{{", p)) {
        int close = vals.indexOf("}}", p);
        int e = close + 2;
        if (vals.startsWith("+{{", e) || vals.startsWith("-{{", e)) {
          e = vals.indexOf("}}", e) + 2;
        }
        int n = 1;
        if (e < vals.length() && vals.charAt(e) == 'x') {
          int s = e + 1;
          e = s;
          while (e < vals.length() && Character.isDigit(vals.charAt(e))) {
            e++;
          }
          n = Integer.parseInt(vals.substring(s, e)) + 1;
        }
        for (int k = 0; k < n; k++) {
          values.add(OMITTED);
        }
        hist = true;
        p = e;
        continue;
      }
      int e = p;
      while (e < vals.length() && !Character.isWhitespace(vals.charAt(e))) {
        e++;
      }
      expand(vals.substring(p, e), values, lineNo);
      p = e;
    }
    return new SeriesValues(labels, values, hist);
  }

  private static void expand(String tok, List<Double> out, int lineNo) {
    if (tok.equals("_")) {
      out.add(OMITTED);
      return;
    }
    if (tok.startsWith("_x")) {
      int n = Integer.parseInt(tok.substring(2));
      for (int k = 0; k < n; k++) {
        out.add(OMITTED);
      }
      return;
    }
    if (tok.equals("stale")) {
      out.add(StaleMarker.VALUE);
      return;
    }
    if (tok.startsWith("stalex")) {
      int n = Integer.parseInt(tok.substring(6));
      for (int k = 0; k <= n; k++) {
        out.add(StaleMarker.VALUE);
      }
      return;
    }
    Matcher m = SEQ.matcher(tok);
    if (!m.matches() && HEX.matcher(tok).matches()) {
      out.add(number(tok));
      return;
    }
    if (!m.matches()) {
      throw new IllegalArgumentException("line " + lineNo + ": bad value " + tok);
    }
    double a = number(m.group(1));
    if (m.group(4) == null) {
      out.add(a);
      return;
    }
    int n = Integer.parseInt(m.group(4));
    if (m.group(2) == null) {
      for (int k = 0; k <= n; k++) {
        out.add(a);
      }
      return;
    }
    double b = number(m.group(3));
    if (m.group(2).equals("-")) {
      b = -b;
    }
    double cur = a;
    out.add(cur);
    for (int k = 0; k < n; k++) {
      cur += b;
      out.add(cur);
    }
  }

  static double number(String s) {
    String l = s.toLowerCase();
    boolean neg = l.startsWith("-");
    String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
    double v;
    if (body.equals("inf")) {
      v = Double.POSITIVE_INFINITY;
    } else if (body.equals("nan")) {
      v = Double.NaN;
    } else if (body.startsWith("0x")) {
      v = Long.parseLong(body.substring(2), 16);
    } else {
      v = Double.parseDouble(body);
    }
    return neg ? -v : v;
  }

  private static int descriptorEnd(String line) {
    boolean inQuote = false;
    char q = 0;
    int brace = line.indexOf('{');
    int ws = -1;
    for (int i = 0; i < line.length(); i++) {
      if (Character.isWhitespace(line.charAt(i))) {
        ws = i;
        break;
      }
    }
    if (brace < 0 || (ws >= 0 && ws < brace)) {
      return ws < 0 ? line.length() : ws;
    }
    for (int i = brace; i < line.length(); i++) {
      char c = line.charAt(i);
      if (inQuote) {
        if (c == '\\') {
          i++;
        } else if (c == q) {
          inQuote = false;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        inQuote = true;
        q = c;
      } else if (c == '}') {
        return i + 1;
      }
    }
    return line.length();
  }

  /** Parses a series descriptor such as {@code up{job="a"}} or {@code {__name__="x"}}. */
  public static Labels parseLabels(String desc, int lineNo) {
    List<Token> toks = Lexer.lex(desc);
    Labels.Builder b = Labels.builder();
    int p = 0;
    if (toks.get(p).kind() == Kind.IDENT || toks.get(p).kind() == Kind.METRIC_IDENT) {
      b.set(Labels.METRIC_NAME, toks.get(p).text());
      p++;
    }
    if (toks.get(p).kind() == Kind.LEFT_BRACE) {
      p++;
      while (toks.get(p).kind() != Kind.RIGHT_BRACE && toks.get(p).kind() != Kind.EOF) {
        Token name = toks.get(p++);
        if (name.kind() == Kind.STRING
            && (toks.get(p).kind() == Kind.COMMA || toks.get(p).kind() == Kind.RIGHT_BRACE)) {
          b.set(Labels.METRIC_NAME, name.text());
        } else {
          Token eq = toks.get(p++);
          Token val = toks.get(p++);
          if (!eq.is("=") || val.kind() != Kind.STRING) {
            throw new IllegalArgumentException("line " + lineNo + ": bad series " + desc);
          }
          b.set(name.text(), val.text());
        }
        if (toks.get(p).kind() == Kind.COMMA) {
          p++;
        }
      }
    }
    return b.build();
  }
}
