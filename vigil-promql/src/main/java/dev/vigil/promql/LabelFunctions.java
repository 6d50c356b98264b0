package dev.vigil.promql;

import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Lexer;
import dev.vigil.tsdb.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code label_replace} and {@code label_join}. */
final class LabelFunctions {
  private LabelFunctions() {}

  private static String str(Evaluator ev, Call c, int i) {
    return ((StringValue) ev.eval(c.args().get(i))).value();
  }

  static boolean validLabelName(String s) {
    return !s.isEmpty() && Lexer.validUtf8(s);
  }

  static Value labelReplace(Evaluator ev, Call c) {
    Value v = ev.eval(c.args().get(0));
    String dst = str(ev, c, 1);
    String repl = str(ev, c, 2);
    String src = str(ev, c, 3);
    String regex = str(ev, c, 4);
    Pattern p;
    try {
      p = Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new PromqlException(
          "invalid regular expression in label_replace(): " + Lexer.goQuote(regex));
    }
    if (!validLabelName(dst)) {
      throw new PromqlException("invalid destination label name in label_replace(): " + dst);
    }
    return ev.rangeEval(
        (step, t, a) -> {
          List<Sample> out = new ArrayList<>();
          for (Sample s : BinaryOps.cast(a[0])) {
            Matcher m = p.matcher(s.labels().getOrEmpty(src));
            Labels l = s.labels();
            boolean drop = s.dropName();
            if (m.matches()) {
              String res = expand(m, repl);
              l = l.toBuilder().set(dst, res).build();
              if (dst.equals(Labels.METRIC_NAME)) {
                drop = false;
              }
            }
            out.add(new Sample(l, t, s.value(), drop));
          }
          return out;
        },
        v);
  }

  /** Go's {@code regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code $$}. */
  static String expand(Matcher m, String template) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char ch = template.charAt(i);
      if (ch != '$' || i + 1 >= template.length()) {
        sb.append(ch);
        i++;
        continue;
      }
      char nx = template.charAt(i + 1);
      if (nx == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (nx == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        next = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length()
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        name = template.substring(i + 1, j);
        next = j;
      }
      if (name.isEmpty()) {
        sb.append(ch);
        i++;
        continue;
      }
      String val = "";
      if (name.chars().allMatch(Character::isDigit)) {
        int g = Integer.parseInt(name);
        if (g <= m.groupCount() && m.group(g) != null) {
          val = m.group(g);
        }
      } else {
        try {
          String gv = m.group(name);
          val = gv == null ? "" : gv;
        } catch (IllegalArgumentException e) {
          val = "";
        }
      }
      sb.append(val);
      i = next;
    }
    return sb.toString();
  }

  static Value labelJoin(Evaluator ev, Call c) {
    Value v = ev.eval(c.args().get(0));
    String dst = str(ev, c, 1);
    String sep = str(ev, c, 2);
    List<String> srcs = new ArrayList<>();
    for (int i = 3; i < c.args().size(); i++) {
      String s = str(ev, c, i);
      if (!validLabelName(s)) {
        throw new PromqlException("invalid source label name in label_join(): " + s);
      }
      srcs.add(s);
    }
    if (!validLabelName(dst)) {
      throw new PromqlException("invalid destination label name in label_join(): " + dst);
    }
    return ev.rangeEval(
        (step, t, a) -> {
          List<Sample> out = new ArrayList<>();
          for (Sample s : BinaryOps.cast(a[0])) {
            List<String> vals = new ArrayList<>();
            for (String src : srcs) {
              vals.add(s.labels().getOrEmpty(src));
            }
            Labels l = s.labels().toBuilder().set(dst, String.join(sep, vals)).build();
            boolean drop = s.dropName() && !dst.equals(Labels.METRIC_NAME);
            out.add(new Sample(l, t, s.value(), drop));
          }
          return out;
        },
        v);
  }
}
