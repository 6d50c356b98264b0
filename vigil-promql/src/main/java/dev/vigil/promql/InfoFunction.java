package dev.vigil.promql;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.promql.Value.VectorValue;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Expr.Call;
import dev.vigil.promql.parser.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code info(v [, selector])}: enriches each series of {@code v} with the data labels of the info
 * series ({@code target_info} by default) sharing its {@code job} and {@code instance}.
 */
final class InfoFunction {
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  private InfoFunction() {}

  static Value eval(Evaluator ev, Call c) {
    Value base = ev.eval(c.args().get(0));
    List<LabelMatcher> infoMatchers = new ArrayList<>();
    List<LabelMatcher> dataMatchers = new ArrayList<>();
    if (c.args().size() > 1 && Functions.unwrap(c.args().get(1)) instanceof VectorSelector vs) {
      for (LabelMatcher m : vs.matchers()) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          infoMatchers.add(m);
        } else {
          dataMatchers.add(m);
        }
      }
    }
    if (infoMatchers.isEmpty()) {
      infoMatchers.add(LabelMatcher.equal(Labels.METRIC_NAME, "target_info"));
    }
    VectorSelector infoSel =
        new VectorSelector(null, infoMatchers, 0, Expr.AtKind.NONE, 0, c.start(), c.end());
    VectorValue info = new VectorValue(ev.vectorSelector(infoSel, false));
    List<Sample>[] infoByStep = ev.byStep(info.series());
    Set<String> dataNames = new HashSet<>();
    for (LabelMatcher m : dataMatchers) {
      dataNames.add(m.name());
    }
    return ev.rangeEval(
        (step, t, a) -> {
          Map<Labels, List<Labels>> byId = new HashMap<>();
          for (Sample s : infoByStep[step]) {
            byId.computeIfAbsent(s.labels().keep(IDENTIFYING), k -> new ArrayList<>())
                .add(s.labels());
          }
          List<Sample> out = new ArrayList<>();
          for (Sample s : BinaryOps.cast(a[0])) {
            Labels.Builder b = s.labels().toBuilder();
            boolean ok = dataMatchers.isEmpty();
            for (Labels infoLabels : byId.getOrDefault(s.labels().keep(IDENTIFYING), List.of())) {
              boolean matches = true;
              for (LabelMatcher m : dataMatchers) {
                if (!m.matches(infoLabels)) {
                  matches = false;
                }
              }
              if (!matches) {
                continue;
              }
              ok = true;
              for (int i = 0; i < infoLabels.size(); i++) {
                String n = infoLabels.name(i);
                if (n.equals(Labels.METRIC_NAME) || IDENTIFYING.contains(n)) {
                  continue;
                }
                if (!dataNames.isEmpty() && !dataNames.contains(n)) {
                  continue;
                }
                if (!s.labels().has(n)) {
                  b.set(n, infoLabels.value(i));
                }
              }
            }
            if (ok) {
              out.add(new Sample(b.build(), t, s.value(), s.dropName()));
            }
          }
          return out;
        },
        base);
  }
}
