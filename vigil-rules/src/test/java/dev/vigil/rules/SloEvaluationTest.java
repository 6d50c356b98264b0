package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Appender;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.rules.packs.RuleFileWriter;
import dev.vigil.rules.slo.Slo;
import dev.vigil.rules.slo.SloRules;
import dev.vigil.rules.slo.SloSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An SLO's rules on Vigil's engine and store over a whole period: the 30-day ratio is the mean of
 * 30 days of 5m recordings (Sloth's sum_over_time / count_over_time), and the budget left follows.
 */
class SloEvaluationTest extends RulesFixture {
  static final String SPEC =
      """
      version: prometheus/v1
      service: svc
      slos:
        - name: avail
          objective: 99.9
          sli:
            raw:
              error_ratio_query: avg_over_time(svc_error_ratio[{{.window}}])
          alerting:
            name: SvcBurn
      """;

  @Test
  void periodRatio_isTheMeanOfThirtyDaysOf5mRecordings_andTheBudgetLeftFollows() throws Exception {
    List<Slo> slos = SloSpecs.parse("svc.yml", SPEC);
    String rules = RuleFileWriter.write(List.of(SloRules.ruleFile("svc.yml", slos)));
    // 30 days of the 5m recording, one sample a minute: 0.002 for 6 days, then 0 (budget 0.001):
    // the period ratio is 0.0004, the burn rate 0.4, and 60% of the budget is left.
    Labels five =
        Labels.of(
            "__name__", "slo:sli_error:ratio_rate5m",
            "sloth_id", "svc-avail",
            "sloth_service", "svc",
            "sloth_slo", "avail",
            "sloth_window", "5m");
    long days = 30;
    long end = T0 + days * 1440 * MIN;
    Appender a = db.appender();
    long ref = 0;
    for (long t = T0 + MIN; t <= end; t += MIN) {
      double v = t <= T0 + 6 * 1440 * MIN ? 0.002 : 0;
      ref = a.append(ref, ref == 0 ? five : null, t, v);
    }
    a.commit();

    RuleManager m = manager(rules);
    long start = System.nanoTime();
    m.evaluateAt(end);
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.println(
        "SloEvaluationTest: one SLO's 3 groups over 30 days of 1-minute 5m recordings (43,200"
            + " samples) evaluated in "
            + ms
            + " ms");

    assertThat(value("slo:sli_error:ratio_rate30d")).isCloseTo(0.0004, within(1e-9));
    assertThat(value("slo:period_burn_rate:ratio")).isCloseTo(0.4, within(1e-6));
    assertThat(value("slo:period_error_budget_remaining:ratio")).isCloseTo(0.6, within(1e-6));
    assertThat(value("slo:time_period:days")).isEqualTo(30);
    assertThat(value("slo:objective:ratio")).isCloseTo(0.999, within(1e-12));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  /** The latest sample of the one series named {@code name}. */
  private double value(String name) {
    try (Querier q = db.querier(0, Long.MAX_VALUE / 2)) {
      SeriesSet set =
          q.select(
              SelectHints.range(0, Long.MAX_VALUE / 2),
              List.of(LabelMatcher.equal("__name__", name)));
      assertThat(set.next()).as(name).isTrue();
      SampleIterator it = set.at().iterator();
      double last = Double.NaN;
      while (it.next()) {
        last = it.value();
      }
      assertThat(set.next()).as(name + ": one series").isFalse();
      return last;
    }
  }
}
