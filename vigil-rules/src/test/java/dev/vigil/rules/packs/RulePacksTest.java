package dev.vigil.rules.packs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RuleFile;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulePacksTest {
  @Test
  void everyPack_parsesUnderItsSyntheticFileName() {
    for (String p : RulePacks.NAMES) {
      RuleFile f = RulePacks.load(p, RulePacks.DEFAULT_NAMESPACE);
      assertThat(f.file()).isEqualTo("pack:" + p);
      assertThat(f.groups()).isNotEmpty();
    }
  }

  @Test
  void namespace_renamesOnlyWholeAppPrefixes() {
    String text = RulePacks.text("seeds", "dinoair_");
    assertThat(text)
        .contains("dinoair_api_request_duration_seconds_bucket")
        .contains("vigil_cpu_usage_ratio")
        .doesNotContainPattern("(?<![A-Za-z0-9_:])app_");
    RuleFile f = RulePacks.load("seeds", "dinoair_");
    assertThat(f.groups().get(1).rules().get(0).expr())
        .contains("dinoair_agent_execution_duration_seconds_bucket");
  }

  @Test
  void unknownPack_namesTheKnownOnes() {
    assertThatThrownBy(() -> RulePacks.text("hots", "app_"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown rule pack \"hots\" (known: host, vigil, seeds)");
  }

  @Test
  void noThresholds_noGroup() {
    assertThat(Thresholds.NONE.isEmpty()).isTrue();
    assertThat(Thresholds.NONE.toRuleFile().groups()).isEmpty();
  }

  @Test
  void thresholds_compileToOneGroupOfAlertingRules() {
    Thresholds t =
        new Thresholds(
            0.05,
            null,
            null,
            new Thresholds.Tier(null, null, 0.8, 1024.0 * 1024 * 1024),
            null,
            Duration.ofMinutes(3),
            "x_");
    RuleFile f = t.toRuleFile();
    assertThat(f.file()).isEqualTo("vigil.yml#thresholds");
    RuleGroupSpec g = f.groups().get(0);
    assertThat(g.name()).isEqualTo("thresholds");
    assertThat(g.rules())
        .extracting(RuleSpec::name)
        .containsExactly("ErrorRateHigh", "CpuUsageHigh", "MemoryUsageHigh");
    AlertingRuleSpec err = (AlertingRuleSpec) g.rules().get(0);
    assertThat(err.expr())
        .isEqualTo(
            "sum(rate(x_operation_duration_seconds_count{status=\"error\"}[5m]))"
                + " / sum(rate(x_operation_duration_seconds_count[5m])) > 0.05");
    assertThat(err.forDuration()).isEqualTo(Duration.ofMinutes(3));
    assertThat(err.labels()).containsEntry("severity", "warning");
    AlertingRuleSpec mem = (AlertingRuleSpec) g.rules().get(2);
    assertThat(mem.expr()).isEqualTo("process_resident_memory_bytes > 1073741824");
    assertThat(mem.labels()).containsEntry("severity", "critical");
    assertThat(mem.annotations().get("summary")).contains("above 1GiB");
  }

  @Test
  void numbers_printAsPromqlLiteralsAndSizesAsWritten() {
    assertThat(Thresholds.num(1e9)).isEqualTo("1000000000");
    assertThat(Thresholds.num(0.05)).isEqualTo("0.05");
    assertThat(Thresholds.num(2)).isEqualTo("2");
    assertThat(Thresholds.bytes(500.0 * 1024 * 1024)).isEqualTo("500MiB");
    assertThat(Thresholds.bytes(1000)).isEqualTo("1000 bytes");
    assertThat(Thresholds.bytes(1536)).isEqualTo("1536 bytes");
  }
}
