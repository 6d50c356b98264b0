package dev.vigil.rules.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RecordingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import dev.vigil.rules.packs.RuleFileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vigil's rules for Sloth's getting-started spec against Sloth's own generated file. */
class SlothGoldenTest {

  static String resource(String name) throws IOException {
    try (InputStream in = SlothGoldenTest.class.getResourceAsStream("/slo/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Whitespace-free text: Sloth's YAML block scalars and folding differ only there. */
  static String squash(String expr) {
    return expr.replaceAll("\\s+", "");
  }

  @Test
  void gettingStarted_generatesSlothsRules_namesWindowsFactorsAndExpressions() throws Exception {
    List<Slo> slos = SloSpecs.parse("getting-started.yml", resource("sloth-getting-started.yml"));
    // Through the printed file, as `vigil slo generate` gives it to Prometheus.
    RuleFile ours =
        RuleFiles.parse("generated", RuleFileWriter.write(List.of(SloRules.ruleFile("g", slos))));
    RuleFile sloth = RuleFiles.parse("golden", resource("sloth-getting-started.golden.yml"));

    assertThat(ours.groups())
        .extracting(RuleGroupSpec::name)
        .containsExactlyElementsOf(sloth.groups().stream().map(RuleGroupSpec::name).toList());
    for (int g = 0; g < sloth.groups().size(); g++) {
      List<RuleSpec> want = sloth.groups().get(g).rules();
      List<RuleSpec> got = ours.groups().get(g).rules();
      assertThat(got)
          .extracting(RuleSpec::name)
          .containsExactlyElementsOf(want.stream().map(RuleSpec::name).toList());
      for (int i = 0; i < want.size(); i++) {
        String where = sloth.groups().get(g).name() + " rule " + (i + 1);
        switch (want.get(i)) {
          case RecordingRuleSpec w -> {
            RecordingRuleSpec o = (RecordingRuleSpec) got.get(i);
            assertThat(squash(o.expr())).as(where).isEqualTo(squash(w.expr()));
            Map<String, String> labels = new HashMap<>(w.labels());
            if (w.record().equals("slo:sli_error:ratio_rate30d")) {
              // Sloth sets only sloth_window here; Vigil adds the SLO's labels (the series are
              // the same) so that two SLOs in one file are not duplicate rules to promtool.
              labels.putAll(want.get(0).labels());
              labels.put("sloth_window", "30d");
            }
            if (w.record().equals("sloth_slo_info")) {
              // Who generated it: Sloth's CLI version, or Vigil.
              labels.put("sloth_mode", "vigil");
              labels.put("sloth_version", "vigil");
            }
            assertThat(o.labels()).as(where).isEqualTo(labels);
          }
          case AlertingRuleSpec w -> {
            AlertingRuleSpec o = (AlertingRuleSpec) got.get(i);
            assertThat(squash(o.expr())).as(where).isEqualTo(squash(w.expr()));
            assertThat(o.labels()).as(where).isEqualTo(w.labels());
            assertThat(o.forDuration()).as(where).isEqualTo(w.forDuration());
            // Vigil adds only a runbook link, since the spec gives none.
            Map<String, String> ann = new HashMap<>(w.annotations());
            ann.put("runbook_url", "{{ $externalURL }}/#page=slos&slo={{ $labels.sloth_id }}");
            assertThat(o.annotations()).as(where).isEqualTo(ann);
          }
        }
      }
    }
  }

  @Test
  void burnFactors_scaleWithThePeriodAsSlothsCatalogs() {
    assertThat(AlertWindows.sloth(java.time.Duration.ofDays(30)).windows())
        .extracting(w -> SloRules.number(w.factor()))
        .containsExactly("14.4", "6", "3", "1");
    assertThat(AlertWindows.sloth(java.time.Duration.ofDays(28)).windows())
        .extracting(w -> Math.round(w.factor() * 100) / 100.0)
        .containsExactly(13.44, 5.6, 2.8, 0.93);
    assertThat(AlertWindows.sloth(java.time.Duration.ofDays(14))).isNull();
  }

  @Test
  void windows_printAsPrometheusDurations() {
    assertThat(SloRules.window(java.time.Duration.ofDays(30))).isEqualTo("30d");
    assertThat(SloRules.window(java.time.Duration.ofDays(28))).isEqualTo("4w");
    assertThat(SloRules.window(java.time.Duration.ofMinutes(90))).isEqualTo("1h30m");
  }
}
