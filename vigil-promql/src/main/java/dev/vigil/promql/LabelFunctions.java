package dev.vigil.promql;

import com.google.re2j.Matcher;
import dev.vigil.model.InvalidRegexException;
import dev.vigil.model.Labels;
import dev.vigil.model.Regex;
import dev.vigil.promql.Value.StringValue;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Lexer;
import java.util.ArrayList;
import java.util.List;

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
    Regex p;
    try {
      p = Regex.compile(regex);
    } catch (InvalidRegexException e) {
      throw new PromqlException(
          "invalid regular expression in label_replace(): "
              + Lexer.goQuote(regex)
              + ": "
              + e.description());
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
              String res = Regex.expand(m, repl);
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
