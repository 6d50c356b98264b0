package dev.vigil.rules.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.packs.RuleFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DevLoop seed's SLOs shipped in docs/examples/slo: agent P95 response time and success rate
 * for development, staging and production, over the agent recorder's metric names.
 */
class DevLoopSlosTest {
  static final Path EXAMPLES = Path.of(System.getProperty("vigil.root"), "docs/examples/slo");

  @Test
  void everyEnvironment_parsesAndGeneratesValidRules_withTheSeedsObjectives() throws Exception {
    List<Slo> all =
        SloSpecs.load(
            List.of("devloop-development.yml", "devloop-staging.yml", "devloop-production.yml"),
            EXAMPLES);
    assertThat(all)
        .extracting(Slo::id)
        .containsExactly(
            "devloop-development-agent-response-time",
            "devloop-development-agent-success-rate",
            "devloop-staging-agent-response-time",
            "devloop-staging-agent-success-rate",
            "devloop-production-agent-response-time",
            "devloop-production-agent-success-rate");
    // DevLoop's success rates: > 95%, > 98%, > 99.5%; P95 is "95% of runs within the bound".
    assertThat(all).extracting(Slo::objective).containsExactly(95.0, 95.0, 95.0, 98.0, 95.0, 99.5);
    assertThat(all.get(4).errorRatioOver("5m"))
        .contains("app_agent_execution_duration_seconds_bucket{env=\"production\",le=\"0.5\"}[5m]")
        .contains("app_agent_execution_duration_seconds_count{env=\"production\"}[5m]");
    assertThat(all.get(2).errorRatioOver("5m")).contains("le=\"1.0\"");
    assertThat(all.get(5).errorRatioOver("1h"))
        .contains("app_agent_runs_total{env=\"production\",status!=\"success\"}[1h]");
    // Development only opens tickets.
    assertThat(all.get(0).pageAlert()).isNull();
    assertThat(all.get(0).ticketAlert()).isEqualTo("DevLoopAgentResponseTimeSLO");
    assertThat(all.get(4).pageAlert()).isEqualTo("DevLoopAgentResponseTimeSLO");

    RuleFile rules = SloRules.ruleFile("devloop", all);
    assertThat(rules.groups()).hasSize(18);
    RuleFile back = RuleFiles.parse("printed", RuleFileWriter.write(List.of(rules)));
    assertThat(back.groups().stream().mapToInt(g -> g.rules().size()).sum())
        // 8 SLI + 7 meta recordings each, plus 1 (development) or 2 alerts.
        .isEqualTo(6 * 15 + 2 + 4 * 2);
    assertThat(back.groups())
        .extracting(RuleGroupSpec::name)
        .contains("sloth-slo-alerts-devloop-production-agent-success-rate");
    assertThat(Files.readString(EXAMPLES.resolve("devloop-production.yml")))
        .contains("objective: 99.5");
  }
}
